/// The days and local hours a person works: nudges are only ever delivered inside them.
///
/// `end` must be later than `start` on the same day (overnight shifts are not modelled); a person whose hours
/// leave no room to send gets ``CancellationReason/noSendableDay`` rather than a message at night.
public struct WorkingHours: Sendable, Hashable, Codable {
    public var days: Set<Weekday>
    public var start: LocalTime
    public var end: LocalTime

    public init(days: Set<Weekday>, start: LocalTime, end: LocalTime) {
        self.days = days
        self.start = start
        self.end = end
    }

    /// Monday to Friday, 09:30–16:30: the default the issue names.
    public static let standard = WorkingHours(
        days: Weekday.mondayToFriday,
        start: LocalTime(uncheckedSeconds: 9 * 3600 + 30 * 60),
        end: LocalTime(uncheckedSeconds: 16 * 3600 + 30 * 60))
}
