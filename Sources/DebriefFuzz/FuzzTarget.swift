/// One parser of outside input, driven by arbitrary bytes.
///
/// Why one small type: the same entry function serves libFuzzer (a fuzz build) and the replay of corpus and
/// crash files (a plain build, CI and regression hunting), so an input that crashed under the fuzzer crashes
/// the same way when replayed. A target returns normally for every input the code handles — a value or a typed
/// error are both fine — and traps (through ``FuzzExpect``) only when a promise of the parser is broken.
struct FuzzTarget: Sendable {
    /// The name on the command line and the corpus folder: `.fuzz/corpus/<name>/`.
    let name: String
    /// What the target feeds its bytes into, for `--list`.
    let summary: String
    let run: @Sendable (FuzzInput) -> Void
}

extension FuzzTarget {
    /// Every target, in the order `.fuzz/run` runs them.
    static let all: [FuzzTarget] = [
        .reflectCommand, .adminCommand, .slackForm, .slackInbound, .viewSubmission, .reflectionDraft,
        .dateTime, .dayDuration, .calendarValues, .digestSchedule,
        .trainingsBody, .rolesBody,
        .promptsNudgeSequence, .promptsNudgeMessages, .promptsReplies, .promptsHome, .promptsReflect,
        .digestLink, .slackSignature, .retryAfter, .databaseURL,
        .jobParameters, .weekRelease, .digestDocument,
        .teamsActivity, .teamsCardAction, .teamsBearer, .teamsAuthDocuments, .teamsConnector, .teamsConfiguration,
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
