import Foundation
import Yams

/// Reads one YAML prompt file and collects every problem with its line and key.
///
/// A class only so nested readers can append to one issue list; it never leaves a `load` (Slack's texts here,
/// Teams' in `DebriefTeams`, which is why it is `package`: both platforms' files follow the same rules and an
/// operator reads one kind of message).
package final class PromptFileReader {
    package let file: String
    /// The platform whose limits the texts are checked against, as length messages name it.
    package let platform: String
    package private(set) var issues: [PromptIssue] = []

    package init(file: String, platform: String = "Slack") {
        self.file = file
        self.platform = platform
    }

    /// Reads and parses the file; returns its top-level mapping, or nil after recording why not.
    package func open(directory: URL) -> Node.Mapping? {
        let url = directory.appendingPathComponent(file)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            record(
                line: nil, key: nil,
                "could not be read (\(Self.describe(fileError: error))); it should exist at \(url.path)")
            return nil
        }
        return parse(data)
    }

    /// Parses the file's bytes as read from disk; returns its top-level mapping, or nil after recording why not.
    ///
    /// Split from ``open(directory:)`` so the checks can run on bytes that never were a file (the fuzz targets).
    package func parse(_ data: Data) -> Node.Mapping? {
        guard let yaml = String(data: data, encoding: .utf8) else {
            record(line: nil, key: nil, "is not UTF-8 text; save it as UTF-8")
            return nil
        }
        let root: Node?
        do {
            // The basic resolver: every scalar stays text (prompts read `scalar.string` and spell `~` out), and
            // Yams's default resolver would compile seven regular expressions through ICU at start-up for the
            // implicit types (bool, int, float, timestamp…) that prompts never use.
            root = try Yams.compose(yaml: yaml, .basic)
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
                line: root.mark?.line, key: nil, "should start with keys (`name: text`), not a list or a single text")
            return nil
        }
        return mapping
    }

    package func record(line: Int?, key: String?, _ message: String) {
        issues.append(PromptIssue(file: file, line: line, key: key, message: message))
    }

    // MARK: - Typed reads

    /// The value under a key, compared as written: Yams' own subscript resolves `"1"` and `1` to
    /// different tags, but prompt authors should not have to care whether a key is quoted.
    package static func value(_ mapping: Node.Mapping, _ key: String) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }

    /// The mapping under `key`; records an issue if it is missing or not a mapping. Also reports keys
    /// that are not in `allowed`, because a misspelt optional key would otherwise be silently ignored.
    package func mapping(_ parent: Node.Mapping?, _ key: String, path: String?, allowed: [String]) -> Node.Mapping? {
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
    package func checkKeys(_ mapping: Node.Mapping, path: String?, allowed: [String]) {
        for (keyNode, _) in mapping {
            let name = keyNode.scalar?.string ?? ""
            if !allowed.contains(name) {
                record(
                    line: keyNode.mark?.line, key: Self.join(path, name),
                    "is not a key Debrief knows; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    /// A required or optional text under `key`.
    ///
    /// - Parameters:
    ///   - limit: the longest text the platform accepts here, in UTF-16 code units (what Slack and Teams count).
    ///   - placeholders: the `{name}` placeholders this text may use.
    ///   - requiredPlaceholders: placeholders the text must contain, because the sentence is useless
    ///     without the value (for example the date in "paused until {until}").
    package func text(
        _ parent: Node.Mapping?, _ key: String, path: String?, limit: Int? = nil, optional: Bool = false,
        placeholders: Set<String> = [], requiredPlaceholders: Set<String> = []
    ) -> String? {
        guard let parent else { return nil }
        let keyPath = Self.join(path, key)
        guard let node = Self.value(parent, key) else {
            if !optional { record(line: parent.mark?.line, key: keyPath, "is missing; add it") }
            return nil
        }
        return text(
            node, keyPath: keyPath, limit: limit, placeholders: placeholders, requiredPlaceholders: requiredPlaceholders
        )
    }

    package func text(
        _ node: Node, keyPath: String, limit: Int? = nil, placeholders: Set<String> = [],
        requiredPlaceholders: Set<String> = []
    ) -> String? {
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
        if let limit, value.utf16.count > limit {
            record(
                line: line, key: keyPath,
                "is \(value.utf16.count) characters long; \(platform) allows at most \(limit) here, so shorten it")
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
    package func list(_ parent: Node.Mapping?, _ key: String, path: String?) -> [Node]? {
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

    package static func join(_ path: String?, _ key: String) -> String {
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

    static func describe(fileError: any Error) -> String {
        let nsError = fileError as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        return nsError.localizedDescription
    }
}
