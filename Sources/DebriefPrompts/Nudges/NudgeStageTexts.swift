/// One step of a nudge sequence as written in `prompts/nudges/`: when it goes out and what it asks.
///
/// The planner needs the offset and the sender needs the texts; keeping both in one file means the
/// schedule and the words are edited and reviewed together. ``NudgeSequenceTexts/schedule()`` hands the
/// offsets to the core planner as its own `NudgeStage` values.
public struct NudgeStageTexts: Sendable, Equatable, Identifiable {
    /// Short name, unique in its sequence (for example `d3`); stored with every planned nudge.
    public var id: String
    /// Time after the training ended; a whole number of days when loaded from a file, because the
    /// planner counts local calendar days and then picks a time in the person's working hours.
    public var offset: Duration
    /// Question templates by locale code (`en`, `de`, `de-CH`); each list is non-empty when loaded.
    public var wordings: [String: [String]]
    /// The single reminder template by locale code, sent at most once when the nudge got no answer.
    public var reminder: [String: String]

    public init(id: String, offset: Duration, wordings: [String: [String]], reminder: [String: String]) {
        self.id = id
        self.offset = offset
        self.wordings = wordings
        self.reminder = reminder
    }

    /// ``offset`` in whole seconds.
    public var offsetSeconds: Int64 { offset.components.seconds }

    /// ``offset`` in whole days (rounded down), the unit of the core planner.
    public var dayOffset: Int { Int(offset.components.seconds / 86_400) }
}
