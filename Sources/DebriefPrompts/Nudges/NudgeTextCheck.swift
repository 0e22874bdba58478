import Foundation
import Yams

/// Validation shared by nudge sequences and the nudge DM texts: length, placeholders, empty texts.
///
/// Stricter about placeholders than ``PromptTemplate``: anything that looks like one (`{firstName}`,
/// `{Training_Title}`) is reported, because it would otherwise reach people as literal braces.
enum NudgeTextCheck {
    /// The placeholders nudge texts may use. Names are deliberately absent: Debrief does not store them.
    static let placeholders: Set<String> = ["training_title", "days_since"]

    /// The text under `key` of `parent`; records an issue (with the mapping's line) when it is missing.
    static func text(
        _ parent: Node.Mapping, _ key: String, path: String, limit: Int, tooLong: String,
        placeholders: Set<String>, reader: PromptFileReader
    ) -> String? {
        let keyPath = PromptFileReader.join(path, key)
        guard let node = PromptFileReader.value(parent, key) else {
            reader.record(line: parent.mark?.line, key: keyPath, "is missing; add it")
            return nil
        }
        return text(
            node, keyPath: keyPath, limit: limit, tooLong: tooLong, placeholders: placeholders, reader: reader)
    }

    /// The text `node` holds, checked; records every problem and returns nil if there was one.
    ///
    /// - Parameter tooLong: the advice after "is N characters long; " when the text exceeds `limit`.
    static func text(
        _ node: Node, keyPath: String, limit: Int, tooLong: String, placeholders: Set<String>,
        reader: PromptFileReader
    ) -> String? {
        guard let scalar = node.scalar else {
            reader.record(
                line: node.mark?.line, key: keyPath, "should be a single text in quotes, not a list or a group of keys")
            return nil
        }
        let line = scalar.mark?.line ?? node.mark?.line
        let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty || (scalar.style == .plain && value == "~") {
            reader.record(line: line, key: keyPath, "is empty; write the text")
            return nil
        }
        var ok = true
        if value.utf16.count > limit {
            reader.record(
                line: line, key: keyPath, "is \(value.utf16.count) characters long; \(tooLong)")
            ok = false
        }
        for name in placeholderLikeNames(in: value) where !placeholders.contains(name) {
            let allowed =
                placeholders.isEmpty ? "none" : placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")
            let lower = name.lowercased()
            if lower.contains("name") || lower.contains("user") || lower.contains("email") {
                reader.record(
                    line: line, key: keyPath,
                    "uses {\(name)}, but Debrief does not store names or other personal details; remove it"
                        + " (allowed: \(allowed))")
            } else {
                reader.record(
                    line: line, key: keyPath,
                    "uses the placeholder {\(name)}, which Debrief does not fill here (allowed: \(allowed));"
                        + " check the spelling")
            }
            ok = false
        }
        return ok ? value : nil
    }

    /// Every `{…}` whose content looks like a placeholder name (letters, digits, `_`, `-`, `.`, spaces;
    /// at most 40 characters), in order of first appearance.
    static func placeholderLikeNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }) else { break }
            if rest[close] == "{" {
                rest = rest[close...]
                continue
            }
            let inside = rest[afterOpen..<close]
            let trimmed = inside.trimmingCharacters(in: .whitespaces)
            let looksLikeName =
                !trimmed.isEmpty && inside.count <= 40
                && inside.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." || $0 == " " }
            if looksLikeName {
                let name = String(inside)
                if !names.contains(name) { names.append(name) }
            }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
