import Foundation
import Yams

/// Parses one `prompts/nudges/<id>.yaml` file into a ``NudgeSequenceTexts``, recording every problem with
/// its line and key (`stages[1].offset`, `stages[0].wordings.de[2]`).
enum NudgeSequenceFileParser {
    struct Result {
        /// Nil when the file had any problem.
        var sequence: NudgeSequenceTexts?
        /// Each locale code used in the file, with where it first appears (for cross-file checks).
        var localeSites: [String: (line: Int?, key: String)]
    }

    /// Longest text in a nudge: readable in one glance on a phone notification.
    static let wordingLimit = 300
    static let wordingTooLong = "keep nudge texts to at most \(wordingLimit) so they read in one glance"
    /// More stages than this is nagging, not spacing.
    static let maximumStages = 8
    static let stageKeys = ["id", "offset", "wordings", "reminder"]

    static func parse(_ root: Node.Mapping?, id: String, reader: PromptFileReader) -> Result {
        var result = Result(sequence: nil, localeSites: [:])
        guard let root else { return result }
        let issuesBefore = reader.issues.count
        reader.checkKeys(root, path: nil, allowed: ["stages"])
        guard let items = reader.list(root, "stages", path: nil) else { return result }
        let stagesLine = keyLine(root, "stages")
        if items.isEmpty {
            reader.record(line: stagesLine, key: "stages", "has no stages; add at least one")
        }
        if items.count > maximumStages {
            reader.record(
                line: stagesLine, key: "stages",
                "has \(items.count) stages; keep it to at most \(maximumStages) so nudges stay welcome")
        }

        var stages: [NudgeStageTexts] = []
        var idSites: [String: (path: String, line: Int?)] = [:]
        var previousOffset: (value: Duration, path: String)?
        var wordingSites: [String: [String: String]] = [:]  // locale → normalised text → key path
        var coverage:
            [(path: String, wordingsLine: Int?, reminderLine: Int?, wordings: Set<String>, reminders: Set<String>)] = []

        for (index, item) in items.enumerated() {
            let path = "stages[\(index)]"
            guard let mapping = item.mapping else {
                reader.record(
                    line: item.mark?.line, key: path,
                    "should be a stage with `id:`, `offset:`, `wordings:` and `reminder:`")
                continue
            }
            reader.checkKeys(mapping, path: path, allowed: stageKeys)

            let stageID = parseID(mapping, path: path, reader: reader)
            if let stageID {
                let line = PromptFileReader.value(mapping, "id")?.mark?.line
                if let first = idSites[stageID] {
                    let at = first.line.map { " (line \($0))" } ?? ""
                    reader.record(
                        line: line, key: path + ".id",
                        "\"\(stageID)\" is already the id of \(first.path)\(at); stage ids must be unique in a sequence"
                    )
                } else {
                    idSites[stageID] = (path, line)
                }
            }

            let offset = parseOffset(mapping, path: path, reader: reader)
            if let offset {
                if let previous = previousOffset, offset <= previous.value {
                    reader.record(
                        line: PromptFileReader.value(mapping, "offset")?.mark?.line, key: path + ".offset",
                        "\(NudgeOffset.format(offset)) is not later than \(previous.path)"
                            + " (\(NudgeOffset.format(previous.value))); list stages in sending order with strictly"
                            + " increasing offsets")
                }
                previousOffset = (offset, path)
            }

            let wordingsNode = PromptFileReader.value(mapping, "wordings")
            let wordingsLine = keyLine(mapping, "wordings")
            let wordings = parseWordings(
                mapping, path: path, reader: reader, sites: &result.localeSites, seen: &wordingSites)
            let reminderNode = PromptFileReader.value(mapping, "reminder")
            let reminderLine = keyLine(mapping, "reminder")
            let reminders = parseReminders(mapping, path: path, reader: reader, sites: &result.localeSites)
            coverage.append(
                (
                    path, wordingsNode?.mapping != nil ? wordingsLine : nil,
                    reminderNode?.mapping != nil ? reminderLine : nil,
                    declaredLocales(wordingsNode), declaredLocales(reminderNode)
                ))

            if let stageID, let offset {
                stages.append(NudgeStageTexts(id: stageID, offset: offset, wordings: wordings, reminder: reminders))
            }
        }

        // Every stage in every language the file uses, so nobody switches language mid-sequence.
        let languages = Set(result.localeSites.keys)
        for stage in coverage {
            for code in languages.sorted() where code != NudgeLocale.fallback {
                if let line = stage.wordingsLine, !stage.wordings.contains(code) {
                    reader.record(
                        line: line, key: stage.path + ".wordings." + code,
                        "is missing, though other stages have `\(code)` texts; add them so nobody switches language"
                            + " halfway through the sequence")
                }
                if let line = stage.reminderLine, !stage.reminders.contains(code) {
                    reader.record(
                        line: line, key: stage.path + ".reminder." + code,
                        "is missing, though other stages have `\(code)` texts; add it so nobody switches language"
                            + " halfway through the sequence")
                }
            }
        }

        if reader.issues.count == issuesBefore {
            result.sequence = NudgeSequenceTexts(id: id, stages: stages)
        }
        return result
    }

    /// Whether `id` can name a sequence or a stage: lowercase letters, digits, `-` and `_`, starting
    /// with a letter or digit, at most 40 characters (it ends up in job keys and button values).
    static func isValidID(_ id: String) -> Bool {
        guard let first = id.utf8.first, id.utf8.count <= 40 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        return isAlphanumeric(first)
            && id.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// What makes two wordings "the same question": the text up to its last question mark, ignoring
    /// case and spacing, so a copied question with a different privacy sentence after it still counts.
    static func questionKey(_ text: String) -> String {
        let question = text.lastIndex(of: "?").map { text[...$0] } ?? text[...]
        return question.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The valid locale codes written as keys of `node`, whether or not their texts are valid (so a
    /// broken `de:` list is reported once, not again as missing).
    static func declaredLocales(_ node: Node?) -> Set<String> {
        Set((node?.mapping ?? Node.Mapping([])).compactMap { $0.key.scalar?.string }.filter(NudgeLocale.isValidCode))
    }

    /// The line of `key` itself (not of its value, which for a nested mapping starts a line later).
    static func keyLine(_ mapping: Node.Mapping, _ key: String) -> Int? {
        mapping.first { $0.key.scalar?.string == key }?.key.mark?.line
    }

    private static func parseID(_ mapping: Node.Mapping, path: String, reader: PromptFileReader) -> String? {
        let keyPath = path + ".id"
        guard let node = PromptFileReader.value(mapping, "id") else {
            reader.record(line: mapping.mark?.line, key: keyPath, "is missing; give the stage a short name such as d3")
            return nil
        }
        guard let id = node.scalar?.string.trimmingCharacters(in: .whitespaces), isValidID(id) else {
            reader.record(
                line: node.mark?.line, key: keyPath,
                "should be a short name of lowercase letters, digits, - and _ (for example d3)")
            return nil
        }
        return id
    }

    private static func parseOffset(_ mapping: Node.Mapping, path: String, reader: PromptFileReader) -> Duration? {
        let keyPath = path + ".offset"
        guard let node = PromptFileReader.value(mapping, "offset") else {
            reader.record(
                line: mapping.mark?.line, key: keyPath,
                "is missing; add when this stage goes out after the training ends, for example `offset: +3d`")
            return nil
        }
        let written = node.scalar?.string ?? ""
        guard node.scalar != nil, let offset = NudgeOffset.parse(written) else {
            reader.record(
                line: node.mark?.line, key: keyPath,
                "\"\(written)\" is not an offset; write a plus sign, a whole number and d (days) or w (weeks),"
                    + " for example +1d, +3d or +2w")
            return nil
        }
        if offset.components.seconds % 86_400 != 0 {
            let days = offset.components.seconds / 86_400
            reader.record(
                line: node.mark?.line, key: keyPath,
                "\"\(written)\" is not a whole number of days; Debrief plans nudges on calendar days and sends them"
                    + " early in each person's working hours, so write +\(max(1, days))d or +\(days + 1)d")
            return nil
        }
        if offset > NudgeOffset.maximum {
            reader.record(
                line: node.mark?.line, key: keyPath,
                "is more than a year after the training; keep it within +52w")
            return nil
        }
        return offset
    }

    /// The locale mapping under `key`, with each locale key checked; records problems.
    private static func localeMapping(
        _ mapping: Node.Mapping, _ key: String, path: String, what: String, reader: PromptFileReader,
        sites: inout [String: (line: Int?, key: String)]
    ) -> [(code: String, value: Node, keyPath: String)]? {
        let keyPath = path + "." + key
        guard let node = PromptFileReader.value(mapping, key) else {
            reader.record(
                line: mapping.mark?.line, key: keyPath, "is missing; add \(what) for each language, at least `en:`")
            return nil
        }
        guard let locales = node.mapping else {
            reader.record(
                line: node.mark?.line, key: keyPath,
                "should hold one entry per language code, such as `en:` and `de:`, each on its own line")
            return nil
        }
        var entries: [(code: String, value: Node, keyPath: String)] = []
        for (codeNode, value) in locales {
            let code = codeNode.scalar?.string ?? ""
            let entryPath = keyPath + "." + code
            guard NudgeLocale.isValidCode(code) else {
                reader.record(
                    line: codeNode.mark?.line, key: entryPath,
                    "is not a language code Debrief knows; use a two-letter ISO 639-1 code such as en, de or fr,"
                        + " optionally with a region such as de-CH")
                continue
            }
            if sites[code] == nil { sites[code] = (codeNode.mark?.line, entryPath) }
            entries.append((code, value, entryPath))
        }
        if PromptFileReader.value(locales, NudgeLocale.fallback) == nil {
            reader.record(
                line: keyLine(mapping, key) ?? node.mark?.line, key: keyPath + "." + NudgeLocale.fallback,
                "is missing; English is what everyone gets whose language has no texts, so every stage needs it")
        }
        return entries
    }

    private static func parseWordings(
        _ mapping: Node.Mapping, path: String, reader: PromptFileReader,
        sites: inout [String: (line: Int?, key: String)], seen: inout [String: [String: String]]
    ) -> [String: [String]] {
        guard
            let entries = localeMapping(
                mapping, "wordings", path: path, what: "a list of questions", reader: reader, sites: &sites)
        else { return [:] }
        var wordings: [String: [String]] = [:]
        for entry in entries {
            guard let list = entry.value.sequence else {
                reader.record(
                    line: entry.value.mark?.line, key: entry.keyPath,
                    "should be a list of questions, each on its own line starting with \"- \"")
                continue
            }
            if list.isEmpty {
                reader.record(
                    line: entry.value.mark?.line, key: entry.keyPath,
                    "has no wordings; add at least one (three or more keep the nudges fresh)")
                continue
            }
            var texts: [String] = []
            for (index, item) in list.enumerated() {
                let itemPath = entry.keyPath + "[\(index)]"
                guard
                    let text = NudgeTextCheck.text(
                        item, keyPath: itemPath, limit: wordingLimit, tooLong: wordingTooLong,
                        placeholders: NudgeTextCheck.placeholders, reader: reader)
                else { continue }
                let normalised = questionKey(text)
                if let first = seen[entry.code]?[normalised] {
                    reader.record(
                        line: item.mark?.line, key: itemPath,
                        "asks the same question as \(first); people would get it twice, so write a different one")
                } else {
                    seen[entry.code, default: [:]][normalised] = itemPath
                }
                texts.append(text)
            }
            wordings[entry.code] = texts
        }
        return wordings
    }

    private static func parseReminders(
        _ mapping: Node.Mapping, path: String, reader: PromptFileReader,
        sites: inout [String: (line: Int?, key: String)]
    ) -> [String: String] {
        guard
            let entries = localeMapping(
                mapping, "reminder", path: path, what: "one reminder text", reader: reader, sites: &sites)
        else { return [:] }
        var reminders: [String: String] = [:]
        for entry in entries {
            if entry.value.sequence != nil {
                reader.record(
                    line: entry.value.mark?.line, key: entry.keyPath,
                    "should be one text, not a list: Debrief sends at most one reminder per stage")
                continue
            }
            if let text = NudgeTextCheck.text(
                entry.value, keyPath: entry.keyPath, limit: wordingLimit, tooLong: wordingTooLong,
                placeholders: NudgeTextCheck.placeholders, reader: reader)
            {
                reminders[entry.code] = text
            }
        }
        return reminders
    }
}
