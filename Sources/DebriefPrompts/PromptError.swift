import Foundation

/// Why the texts in `prompts/` could not be used.
///
/// Prompt files are edited by people who are not programmers, so each issue names the file, the line
/// and the dotted key (`modal.title`) and says what to change. Debrief refuses to start with broken
/// texts rather than show a half-empty form to employees.
public struct PromptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found, in file order; never empty.
    public var issues: [PromptIssue]

    public init(issues: [PromptIssue]) {
        self.issues = issues
    }

    /// The file of the first issue, relative to the prompts directory (for example `slack/reflect.yaml`).
    public var file: String { issues.first?.file ?? "" }

    /// The dotted key of the first issue, if the problem is at a key.
    public var key: String? { issues.first?.key }

    public var description: String {
        let lines = issues.map(\.description)
        if lines.count == 1 { return "invalid prompts: " + lines[0] }
        return "invalid prompts (\(lines.count) problems):\n" + lines.map { "  - " + $0 }.joined(separator: "\n")
    }
}

/// One problem in one prompt file.
public struct PromptIssue: Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the prompts directory, for example `slack/reflect.yaml`.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// Dotted key path such as `modal.fields.text.label`, when the problem is at a key.
    public var key: String?
    /// What is wrong and what to do, in plain words.
    public var message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var location = "prompts/" + file
        if let line { location += ":\(line)" }
        if let key { location += " (\(key))" }
        return location + ": " + message
    }
}
