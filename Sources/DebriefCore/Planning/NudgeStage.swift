/// One step of a nudge sequence: "ask again N days after the training ended".
///
/// Offsets are whole *local calendar days*, not multiples of 24 hours, so "+1 day" after a Thursday session is
/// Friday for everyone, whatever their zone does with its clocks in between. The time of day is never part of a
/// stage: every nudge goes early in the person's working day (see ``CalendarRules``).
public struct NudgeStage: Sendable, Hashable, Codable {
    /// Stable id used in history, dedupe keys and prompts ("d1", "d3", ...). Never reuse one for another offset.
    public var id: String
    /// Days after the local date on which the training ended; 0 means the same day (never before it ended).
    public var dayOffset: Int

    public init(id: String, dayOffset: Int) {
        self.id = id
        self.dayOffset = dayOffset
    }
}
