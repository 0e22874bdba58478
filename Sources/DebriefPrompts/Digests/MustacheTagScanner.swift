/// Finds the `{{…}}` tags of a Mustache template with their line numbers.
///
/// swift-mustache reports a missing `{{/section}}` at the end of the file; people editing a digest
/// template need the line where the section was opened, and the names used, to catch a typo before
/// the digest goes out with an empty sentence. This scanner knows only the tag syntax, not rendering.
struct MustacheTagScanner {
    enum Kind: Equatable {
        /// `{{name}}`
        case variable
        /// `{{#name}}`
        case section
        /// `{{^name}}`
        case inverted
        /// `{{/name}}`
        case close
        /// `{{! … }}`
        case comment
        /// `{{{name}}}` or `{{&name}}`
        case unescaped
        /// `{{>name}}`, `{{=… =}}`, `{{%…}}`, `{{$name}}`, `{{<name}}`: features digest templates do not use.
        case unsupported(String)
    }

    struct Tag: Equatable {
        var kind: Kind
        /// The name inside the tag, trimmed; for a transform such as `lowercased(name)`, the innermost name.
        var name: String
        /// The transforms applied to the name, outermost first: `["lowercased"]` for `lowercased(name)`,
        /// `["first"]` (and an empty name) for `first()`.
        var transforms: [String] = []
        /// 1-based line of the opening `{{`.
        var line: Int
        /// The tag as written, for messages.
        var source: String
    }

    /// Every tag in order, or the line of a `{{` that is never closed.
    static func scan(_ text: String) -> (tags: [Tag], unterminatedLine: Int?) {
        let bytes = Array(text.utf8)
        var tags: [Tag] = []
        var line = 1
        var index = 0
        func starts(_ literal: String, at position: Int) -> Bool {
            let pattern = Array(literal.utf8)
            guard position + pattern.count <= bytes.count else { return false }
            return Array(bytes[position..<position + pattern.count]) == pattern
        }
        func find(_ literal: String, from position: Int) -> Int? {
            var cursor = position
            while cursor < bytes.count {
                if starts(literal, at: cursor) { return cursor }
                cursor += 1
            }
            return nil
        }
        func newlines(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

        while index < bytes.count {
            if bytes[index] == 10 {
                line += 1
                index += 1
                continue
            }
            guard starts("{{", at: index) else {
                index += 1
                continue
            }
            let tagLine = line
            let contentStart = index + 2
            let triple = starts("{", at: contentStart)
            let closer = triple ? "}}}" : "}}"
            guard let end = find(closer, from: triple ? contentStart + 1 : contentStart) else {
                return (tags, tagLine)
            }
            let afterTag = end + closer.utf8.count
            let inner = String(decoding: bytes[(triple ? contentStart + 1 : contentStart)..<end], as: UTF8.self)
            let source = String(decoding: bytes[index..<afterTag], as: UTF8.self)
            line += newlines(index..<afterTag)
            index = afterTag
            if triple {
                let (name, transforms) = parse(inner)
                tags.append(Tag(kind: .unescaped, name: name, transforms: transforms, line: tagLine, source: source))
                continue
            }
            let trimmed = inner.drop { $0 == " " || $0 == "\t" }
            let sigil = trimmed.first
            let rest = String(trimmed.dropFirst())
            let kind: Kind
            switch sigil {
            case "#": kind = .section
            case "^": kind = .inverted
            case "/": kind = .close
            case "!": kind = .comment
            case "&": kind = .unescaped
            case ">", "=", "%", "$", "<": kind = .unsupported(String(sigil ?? " "))
            default:
                let (name, transforms) = parse(String(trimmed))
                tags.append(Tag(kind: .variable, name: name, transforms: transforms, line: tagLine, source: source))
                continue
            }
            let (name, transforms) = kind == .comment ? ("", []) : parse(rest)
            tags.append(Tag(kind: kind, name: name, transforms: transforms, line: tagLine, source: source))
        }
        return (tags, nil)
    }

    /// `  lowercased(label) ` → (`label`, [`lowercased`]); `first()` → (``, [`first`]).
    private static func parse(_ raw: String) -> (name: String, transforms: [String]) {
        let text = raw.trimmingEdges(" \t\n\r")
        var parts = text.split(separator: "(", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, let last = parts.popLast() else { return (text, []) }
        let name = String(last.prefix { $0 != ")" }).trimmingEdges(" \t")
        return (name, parts.map { $0.trimmingEdges(" \t") })
    }
}

extension String {
    fileprivate func trimmingEdges(_ characters: String) -> String {
        var view = Substring(self)
        while let first = view.first, characters.contains(first) { view = view.dropFirst() }
        while let last = view.last, characters.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
