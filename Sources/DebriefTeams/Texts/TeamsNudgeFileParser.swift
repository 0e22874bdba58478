import DebriefPrompts
import Yams

/// Parses `teams/nudges.yaml`: the buttons and short texts around a nudge card, one section per locale code.
enum TeamsNudgeFileParser {
    static let keys = ["reflect_button", "snooze_button", "skip_button", "context", "thanked", "snoozed", "skipped"]

    struct Result {
        /// Complete, valid sections by locale code.
        var texts: [String: NudgeMessageTexts] = [:]
        /// Every valid locale code with a section, complete or not (for the cross-file check).
        var declared: Set<String> = []
    }

    static func parse(_ root: Node.Mapping?, reader: TeamsPromptReader) -> Result {
        var result = Result()
        guard let root else { return result }
        for (codeNode, _) in root {
            let code = codeNode.scalar?.string ?? ""
            guard NudgeLocale.isValidCode(code) else {
                reader.record(
                    line: codeNode.mark?.line, key: code,
                    "is not a language code Debrief knows; use a two-letter ISO 639-1 code such as en, de or fr,"
                        + " optionally with a region such as de-CH")
                continue
            }
            result.declared.insert(code)
            guard let section = reader.mapping(root, code, path: nil, allowed: keys) else { continue }
            func button(_ key: String) -> String? {
                reader.text(section, key, path: code, limit: TeamsTextLimits.button)
            }
            func line(_ key: String) -> String? {
                reader.text(section, key, path: code, limit: TeamsTextLimits.line, placeholders: ["training_title"])
            }
            let reflect = button("reflect_button")
            let snooze = button("snooze_button")
            let skip = button("skip_button")
            let context = line("context")
            let thanked = line("thanked")
            let snoozed = line("snoozed")
            let skipped = line("skipped")
            if let reflect, let snooze, let skip, let context, let thanked, let snoozed, let skipped {
                result.texts[code] = NudgeMessageTexts(
                    reflectButton: reflect, snoozeButton: snooze, skipButton: skip, context: context, thanked: thanked,
                    snoozed: snoozed, skipped: skipped)
            }
        }
        if TeamsPromptReader.value(root, NudgeLocale.fallback) == nil {
            reader.record(
                line: root.mark?.line, key: NudgeLocale.fallback,
                "is missing; add an `en:` section, it is what everyone gets whose language has no section")
        }
        return result
    }
}
