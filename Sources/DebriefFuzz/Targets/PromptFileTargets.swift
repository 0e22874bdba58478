import DebriefPrompts
import Foundation

extension FuzzTarget {
    static let promptsNudgeSequence = prompts(.nudgeSequence, name: "prompts-nudge-sequence")
    static let promptsNudgeMessages = prompts(.nudgeMessages, name: "prompts-nudge-messages")
    static let promptsReplies = prompts(.replies, name: "prompts-replies")
    static let promptsHome = prompts(.home, name: "prompts-home")
    static let promptsReflect = prompts(.reflect, name: "prompts-reflect")

    /// One kind of file under `prompts/`: edited by people who are not programmers, checked at every start.
    private static func prompts(_ kind: PromptFileKind, name: String) -> FuzzTarget {
        FuzzTarget(name: name, summary: "the \(kind.file) parser and its checks (PromptFileKind.\(kind))") { input in
            let check = kind.check(input.data)
            for issue in check.issues {
                FuzzExpect.that(!issue.message.isEmpty, "every prompt problem says what to change")
                FuzzExpect.that(issue.file == kind.file, "every prompt problem names its file")
            }
            if kind == .nudgeSequence {
                FuzzExpect.that(
                    check.issues.isEmpty == (check.sequence != nil), "a sequence loads exactly when it has no problems")
                if let sequence = check.sequence {
                    // The loader promises that a loaded file converts into the planner's schedule.
                    FuzzExpect.that((try? sequence.schedule()) != nil, "a loaded sequence converts into a schedule")
                    for stage in sequence.stages {
                        for locale in ["en", "de", "fr", nil] {
                            if let wording = sequence.wording(for: stage.id, pseudonym: "p-fuzz", locale: locale) {
                                _ = PromptTemplate.render(wording, ["training_title": "T", "days_since": "3"])
                            }
                        }
                    }
                }
            }
        }
    }
}
