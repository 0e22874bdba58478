import DebriefPrompts
import Foundation
import Yams

/// Reads one YAML file under `prompts/teams/` and collects every problem with its line and dotted key.
///
/// The Teams counterpart of DebriefPrompts' own reader, which is internal to that module: the same rules
/// (required keys, unknown keys reported, `{placeholders}` checked, lengths counted in UTF-16 units) and the
/// same ``PromptIssue`` wording, so an operator reads one kind of message for both platforms. A class only so
/// the file parsers can append to one issue list; it never leaves ``TeamsTexts/load(from:requiredNudgeLocales:)``.
final class TeamsPromptReader {
    /// Path relative to the prompts directory, for example `teams/reflect.yaml`.
    let file: String
    private(set) var issues: [PromptIssue] = []

    init(file: String) {
        self.file = file
    }

    /// Reads and parses the file; returns its top-level mapping, or nil after recording why not.
    func open(directory: URL) -> Node.Mapping? {
        let url = directory.appendingPathComponent(file)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let nsError = error as NSError
            let reason =
                nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoSuchFileError
                ? "no such file" : nsError.localizedDescription
            record(line: nil, key: nil, "could not be read (\(reason)); it should exist at \(url.path)")
            return nil
        }
        return parse(data)
    }

    /// Parses the file's bytes; returns its top-level mapping, or nil after recording why not.
    func parse(_ data: Data) -> Node.Mapping? {
        guard let yaml = String(data: data, encoding: .utf8) else {
            record(line: nil, key: nil, "is not UTF-8 text; save it as UTF-8")
            return nil
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            let (line, problem) = Self.describe(yamlError: error)
            record(line: line, key: nil, "is not valid YAML: \(problem)")
            return nil
        } catch {
            record(line: nil, key: nil, "is not valid YAML")
            return nil
        }
        guard let root else {
            record(line: nil, key: nil, "is empty")
            return nil
        }
        guard let mapping = root.mapping else {
            record(
                line: root.mark?.line, key: nil, "should start with keys such as `help:`, not a list or a single text")
            return nil
        }
        return mapping
    }

    func record(line: Int?, key: String?, _ message: String) {
        issues.append(PromptIssue(file: file, line: line, key: key, message: message))
    }

    // MARK: - Typed reads

    /// The value under a key, compared as written (`"1"` and `1` are the same key to a prompt author).
    static func value(_ mapping: Node.Mapping, _ key: String) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }

    /// The mapping under `key`; records an issue if it is missing or not a mapping, and reports keys not in
    /// `allowed` (a misspelt optional key would otherwise be silently ignored).
    func mapping(_ parent: Node.Mapping?, _ key: String, path: String?, allowed: [String]) -> Node.Mapping? {
        guard let parent else { return nil }
        let keyPath = Self.join(path, key)
        guard let node = Self.value(parent, key) else {
            record(line: parent.mark?.line, key: keyPath, "is missing; add it")
            return nil
        }
        guard let mapping = node.mapping else {
            record(
                line: node.mark?.line, key: keyPath,
                "should hold keys (\(allowed.joined(separator: ", "))), not a single text or a list")
            return nil
        }
        checkKeys(mapping, path: keyPath, allowed: allowed)
        return mapping
    }

    /// Reports keys of `mapping` that are not in `allowed`.
    func checkKeys(_ mapping: Node.Mapping, path: String?, allowed: [String]) {
        for (keyNode, _) in mapping {
            let name = keyNode.scalar?.string ?? ""
            if !allowed.contains(name) {
                record(
                    line: keyNode.mark?.line, key: Self.join(path, name),
                    "is not a key Debrief knows; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    /// A required or optional text under `key`, at most `limit` UTF-16 units, using only `placeholders` and
    /// containing every one of `requiredPlaceholders`.
    func text(
        _ parent: Node.Mapping?, _ key: String, path: String?, limit: Int, optional: Bool = false,
        placeholders: Set<String> = [], requiredPlaceholders: Set<String> = []
    ) -> String? {
        guard let parent else { return nil }
        let keyPath = Self.join(path, key)
        guard let node = Self.value(parent, key) else {
            if !optional { record(line: parent.mark?.line, key: keyPath, "is missing; add it") }
            return nil
        }
        guard let scalar = node.scalar else {
            record(line: node.mark?.line, key: keyPath, "should be a single text, not a list or a group of keys")
            return nil
        }
        let line = scalar.mark?.line ?? node.mark?.line
        let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty || (scalar.style == .plain && value == "~") {
            record(line: line, key: keyPath, "is empty; write the text")
            return nil
        }
        var ok = true
        if value.utf16.count > limit {
            record(
                line: line, key: keyPath,
                "is \(value.utf16.count) characters long; keep it to at most \(limit) here so Teams shows it whole")
            ok = false
        }
        let used = PromptTemplate.placeholders(in: value)
        for name in used where !placeholders.contains(name) {
            let allowedList =
                placeholders.isEmpty ? "none" : placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")
            record(
                line: line, key: keyPath,
                "uses the placeholder {\(name)}, which Debrief does not fill here (allowed: \(allowedList))")
            ok = false
        }
        for name in requiredPlaceholders.sorted() where !used.contains(name) {
            record(line: line, key: keyPath, "must contain {\(name)} so the reader sees the value")
            ok = false
        }
        return ok ? value : nil
    }

    /// The list under `key`; records an issue if missing or not a list.
    func list(_ parent: Node.Mapping?, _ key: String, path: String?) -> [Node]? {
        guard let parent else { return nil }
        let keyPath = Self.join(path, key)
        guard let node = Self.value(parent, key) else {
            record(line: parent.mark?.line, key: keyPath, "is missing; add it")
            return nil
        }
        guard let sequence = node.sequence else {
            record(line: node.mark?.line, key: keyPath, "should be a list of items starting with \"- \"")
            return nil
        }
        return Array(sequence)
    }

    // MARK: - Helpers

    static func join(_ path: String?, _ key: String) -> String {
        guard let path, !path.isEmpty else { return key }
        return path + "." + key
    }

    static func describe(yamlError: YamlError) -> (line: Int?, problem: String) {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return (mark.line, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "a key appears twice (\(duplicates.joined(separator: ", ")))")
        case .reader(let problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, "unreadable")
        }
    }
}

/// How long each kind of Teams text may be, checked when the texts load (UTF-16 units).
///
/// Adaptive Cards set no hard limits; these keep a card readable on a phone and well under the ~28 KB
/// Teams accepts for one card (reference `teams.md` §5).
enum TeamsTextLimits {
    /// Teams cuts longer button titles with "…".
    static let button = 40
    static let title = 150
    static let label = 200
    static let placeholder = 150
    static let option = 75
    static let paragraph = 1_000
    static let fieldError = 300
    static let line = 300
    static let message = 3_000
    static let welcomeSections = 20
}
