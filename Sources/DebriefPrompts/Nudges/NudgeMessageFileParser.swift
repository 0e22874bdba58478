import Yams

/// Parses a platform's `nudges.yaml` (`prompts/slack/`, `prompts/teams/`): the buttons and short texts around a
/// nudge, one section per locale code. The same keys and rules on every platform; only the button limit differs.
package enum NudgeMessageFileParser {
    static let keys = ["reflect_button", "snooze_button", "skip_button", "context", "thanked", "snoozed", "skipped"]
    /// Slack's button text limit (reference `slack.md` §7).
    package static let buttonLimit = 75
    /// Our own limit for the one-line texts: they sit under or instead of a question.
    static let lineLimit = 300

    package struct Result {
        /// Complete, valid sections by locale code.
        package var texts: [String: NudgeMessageTexts] = [:]
        /// Every valid locale code with a section, complete or not (for cross-file checks).
        package var declared: Set<String> = []
    }

    /// - Parameter buttonLimit: the platform's longest button title; length messages name `reader.platform`.
    package static func parse(_ root: Node.Mapping?, reader: PromptFileReader, buttonLimit: Int = buttonLimit)
        -> Result
    {
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
            guard let section = reader.mapping(root, code, path: "", allowed: keys) else { continue }
            func button(_ key: String) -> String? {
                NudgeTextCheck.text(
                    section, key, path: code, limit: buttonLimit,
                    tooLong: "\(reader.platform) allows at most \(buttonLimit) on a button, so shorten it",
                    placeholders: [],
                    reader: reader)
            }
            func line(_ key: String) -> String? {
                NudgeTextCheck.text(
                    section, key, path: code, limit: lineLimit,
                    tooLong: "keep it to at most \(lineLimit) so it reads in one glance",
                    placeholders: ["training_title"], reader: reader)
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
        if PromptFileReader.value(root, NudgeLocale.fallback) == nil {
            reader.record(
                line: root.mark?.line, key: NudgeLocale.fallback,
                "is missing; add an `en:` section, it is what everyone gets whose language has no section")
        }
        return result
    }
}
