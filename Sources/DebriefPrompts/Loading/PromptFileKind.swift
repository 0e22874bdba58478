import Foundation

/// The kinds of YAML file under `prompts/`, each checked by its own parser.
///
/// Why: the loaders read whole folders from disk, which is right for `serve` and `debrief prompts check`
/// but keeps the parsers out of reach of anything that wants to check one file's bytes on their own — the
/// fuzz targets in `DebriefFuzz` feed arbitrary bytes through exactly the checks a file on disk gets.
package enum PromptFileKind: String, CaseIterable, Sendable {
    /// `prompts/nudges/<id>.yaml`: one nudge sequence.
    case nudgeSequence = "nudge-sequence"
    /// `prompts/slack/nudges.yaml`: the buttons and lines around a nudge, per locale.
    case nudgeMessages = "nudge-messages"
    /// `prompts/slack/replies.yaml`.
    case replies
    /// `prompts/slack/home.yaml`.
    case home
    /// `prompts/slack/reflect.yaml`.
    case reflect

    /// The path the file has under `prompts/` (the sequence as `nudges/fuzz.yaml`).
    package var file: String {
        switch self {
        case .nudgeSequence: NudgeLibrary.directoryName + "/fuzz.yaml"
        case .nudgeMessages: NudgeLibrary.messageFile
        case .replies: PromptLibrary.repliesFile
        case .home: PromptLibrary.homeFile
        case .reflect: PromptLibrary.reflectFile
        }
    }

    /// What the loader makes of a file of this kind holding `data`.
    package struct Check: Sendable {
        /// Every problem the loader would report; empty when the file is valid.
        package var issues: [PromptIssue]
        /// For ``PromptFileKind/nudgeSequence``: the sequence, when the file is valid.
        package var sequence: NudgeSequenceTexts?
    }

    /// Parses `data` as a file of this kind, with exactly the checks a file on disk gets.
    package func check(_ data: Data) -> Check {
        let reader = PromptFileReader(file: file)
        let root = reader.parse(data)
        var sequence: NudgeSequenceTexts?
        switch self {
        case .nudgeSequence:
            sequence = NudgeSequenceFileParser.parse(root, id: "fuzz", reader: reader).sequence
        case .nudgeMessages:
            _ = NudgeMessageFileParser.parse(root, reader: reader)
        case .replies:
            _ = RepliesFileParser.parse(root, reader: reader)
        case .home:
            _ = HomeFileParser.parse(root, reader: reader)
        case .reflect:
            _ = ReflectFileParser.parse(root, reader: reader)
        }
        return Check(issues: reader.issues, sequence: sequence)
    }
}
