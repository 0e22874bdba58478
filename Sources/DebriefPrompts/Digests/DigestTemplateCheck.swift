/// The names a digest template may use: what ``DigestTemplateContext`` provides, as a tree.
indirect enum DigestContextShape: Sendable, Equatable {
    /// A text, number or yes/no flag.
    case value
    /// A group of named values (`{{#gap}}{{points}}{{/gap}}` or `{{gap.points}}`).
    case object([String: DigestContextShape])
    /// A list whose items have these names (`{{#quotes}}{{text}}{{/quotes}}`).
    case list([String: DigestContextShape])

    var fields: [String: DigestContextShape]? {
        switch self {
        case .value: return nil
        case .object(let fields), .list(let fields): return fields
        }
    }
}

/// Checks a digest template before it is used: balanced sections, known names, escaping kept on.
///
/// A typo in a Mustache name renders as nothing, so a digest would go out with a hole in a sentence;
/// an unclosed section is reported by the parser only at the end of the file. This check names the
/// file, the line and the fix for each problem, the same way the YAML prompt checks do.
enum DigestTemplateCheck {
    /// Transforms swift-mustache offers that make sense on the values digests provide.
    static let transforms: Set<String> = [
        "capitalized", "lowercased", "uppercased", "empty", "count", "first", "last", "index", "even", "odd",
        "reversed",
    ]
    /// Transforms that describe the position of an item while a list renders: `{{^last()}}, {{/last()}}`.
    static let sequenceTransforms: Set<String> = ["first", "last", "index", "even", "odd"]

    static func issues(text: String, file: String, shape: [String: DigestContextShape]) -> [PromptIssue] {
        var issues: [PromptIssue] = []
        func report(_ line: Int, _ key: String?, _ message: String) {
            issues.append(PromptIssue(file: file, line: line, key: key, message: message))
        }
        let scanned = MustacheTagScanner.scan(text)
        if let line = scanned.unterminatedLine {
            report(line, nil, "has `{{` without a closing `}}`; finish the tag or remove the braces")
        }

        struct Open {
            var name: String
            var source: String
            var line: Int
            var scope: [String: DigestContextShape]?
            var isList: Bool
        }
        var open: [Open] = []
        func scopes() -> [[String: DigestContextShape]] { [shape] + open.compactMap(\.scope) }
        func insideList() -> Bool { open.contains { $0.isList } }

        /// The shape a name refers to from here, or nil when nothing provides it.
        func resolve(_ name: String) -> DigestContextShape? {
            if name == "." { return .value }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let first = parts.first, !first.isEmpty else { return nil }
            var current: DigestContextShape?
            for scope in scopes().reversed() {
                if let found = scope[first] {
                    current = found
                    break
                }
            }
            for part in parts.dropFirst() {
                guard let fields = current?.fields, let next = fields[part] else { return nil }
                current = next
            }
            return current
        }

        func checkName(_ tag: MustacheTagScanner.Tag) -> DigestContextShape? {
            for transform in tag.transforms where !transforms.contains(transform) {
                report(
                    tag.line, tag.name,
                    "`\(tag.source)` uses `\(transform)(…)`, which digest templates do not offer;"
                        + " use one of " + transforms.sorted().joined(separator: ", "))
            }
            if tag.name.isEmpty {
                if let transform = tag.transforms.last, sequenceTransforms.contains(transform), insideList() {
                    return .value
                }
                report(tag.line, nil, "`\(tag.source)` names no value; write a name such as `{{week}}`")
                return nil
            }
            guard let shape = resolve(tag.name) else {
                let available = scopes().last.map { Array($0.keys).sorted() } ?? []
                report(
                    tag.line, tag.name,
                    "`\(tag.source)` is not a value digests provide here, so it would print"
                        + " nothing; check the spelling. Available here: " + available.joined(separator: ", "))
                return nil
            }
            return shape
        }

        for tag in scanned.tags {
            switch tag.kind {
            case .comment:
                break
            case .variable:
                if let shape = checkName(tag), shape != .value, tag.transforms.isEmpty {
                    report(
                        tag.line, tag.name,
                        "`\(tag.source)` is a group of values, not a text; use"
                            + " `{{#\(tag.name)}}…{{/\(tag.name)}}` and the names inside it")
                }
            case .section, .inverted:
                let shape = checkName(tag)
                let isList: Bool
                if case .list = shape { isList = true } else { isList = false }
                let scope = tag.kind == .section && tag.transforms.isEmpty ? shape?.fields : nil
                open.append(Open(name: tag.name, source: tag.source, line: tag.line, scope: scope, isList: isList))
            case .close:
                guard let last = open.last else {
                    report(tag.line, tag.name, "`\(tag.source)` closes a section that was never opened; remove it")
                    continue
                }
                if last.name != tag.name {
                    report(
                        tag.line, tag.name,
                        "`\(tag.source)` closes `\(last.source)` from line \(last.line);"
                            + " write `{{/\(last.name)}}` here, or close the sections in the order they open")
                }
                open.removeLast()
            case .unescaped:
                report(
                    tag.line, tag.name,
                    "`\(tag.source)` would print the value without escaping; write"
                        + " `{{\(tag.name)}}` (values are escaped for the chat platform, quotes from people included)")
            case .unsupported(let sigil):
                report(
                    tag.line, nil,
                    "`\(tag.source)`: tags starting with `\(sigil)` (partials, delimiters, pragmas,"
                        + " blocks) are not supported in digest templates; remove it")
            }
        }
        for section in open.reversed() {
            report(
                section.line, section.name,
                "`\(section.source)` is opened here but never closed;"
                    + " add `{{/\(section.name)}}` where the section should end")
        }
        return issues
    }
}
