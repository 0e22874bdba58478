import DebriefCore

/// A named series of spaced nudges with their texts, one file in `prompts/nudges/` (the id is the
/// file name).
///
/// Trainings name a sequence instead of carrying texts, so changing a question is a reviewed edit
/// to one file and applies to every nudge not yet sent. The core planner only needs the schedule;
/// ``schedule()`` gives it that as a `DebriefCore.NudgeSequence`.
public struct NudgeSequenceTexts: Sendable, Equatable, Identifiable {
    /// The file name without `.yaml`, for example `default`.
    public var id: String
    /// In sending order, with strictly increasing offsets when loaded.
    public var stages: [NudgeStageTexts]

    public init(id: String, stages: [NudgeStageTexts]) {
        self.id = id
        self.stages = stages
    }

    /// The stages and offsets for the planner, without texts.
    ///
    /// - Throws: `NudgeSequenceProblem` only for sequences built in code; files that passed
    ///   ``NudgeLibrary/load(from:)`` always convert.
    public func schedule() throws(NudgeSequenceProblem) -> NudgeSequence {
        try NudgeSequence(id: id, stages: stages.map { NudgeStage(id: $0.id, dayOffset: $0.dayOffset) })
    }

    /// The stage called `id`, if the sequence has one.
    public func stage(_ id: String) -> NudgeStageTexts? {
        stages.first { $0.id == id }
    }

    /// Every locale code with texts in this sequence.
    public var locales: Set<String> {
        var codes: Set<String> = []
        for stage in stages {
            codes.formUnion(stage.wordings.keys)
            codes.formUnion(stage.reminder.keys)
        }
        return codes
    }

    /// The question template a person gets for a stage: a pure, deterministic pick (see ``NudgeRotation``)
    /// so the same person always gets the same wording for the same stage, and colleagues get different ones.
    ///
    /// - Parameters:
    ///   - stageID: the stage's id.
    ///   - pseudonym: the person's pseudonym (never the platform user id).
    ///   - attempt: how many earlier trainings already sent this person this sequence; a later
    ///     training moves on to the next wording.
    ///   - locale: the person's locale (`de`, `de-AT`, `de_DE`); falls back to `en`.
    /// - Returns: the template with `{training_title}` and `{days_since}` still in it, or nil when the
    ///   stage does not exist or has no wording in the resolved locale.
    public func wording(for stageID: String, pseudonym: String, attempt: Int = 0, locale: String? = nil) -> String? {
        guard let index = stages.firstIndex(where: { $0.id == stageID }) else { return nil }
        let stage = stages[index]
        let code = NudgeLocale.resolve(locale, available: Set(stage.wordings.keys))
        guard let options = stage.wordings[code], !options.isEmpty else { return nil }
        let pick = NudgeRotation.index(pseudonym: pseudonym, stageIndex: index, attempt: attempt, count: options.count)
        return options[pick]
    }

    /// The reminder template for a stage in the person's locale (falling back to `en`).
    public func reminder(for stageID: String, locale: String? = nil) -> String? {
        guard let stage = stage(stageID) else { return nil }
        return stage.reminder[NudgeLocale.resolve(locale, available: Set(stage.reminder.keys))]
    }
}
