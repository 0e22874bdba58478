/// A date and wall-clock time in some (separately named) time zone: what a person sees on their clock.
///
/// Planned nudges carry one next to their UTC instant so previews, logs and tests can say "Mon 09:30 in
/// Berlin" without re-deriving it; the instant stays the source of truth for scheduling.
public struct LocalDateTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var date: LocalDate
    public var time: LocalTime

    public init(date: LocalDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// Seconds since 1970-01-01T00:00 on the wall clock (not an instant).
    var wallSeconds: Int { date.dayNumber * 86_400 + time.secondsSinceMidnight }

    init(wallSeconds: Int) {
        let day = wallSeconds >= 0 ? wallSeconds / 86_400 : (wallSeconds - 86_399) / 86_400
        self.date = LocalDate(dayNumber: day)
        self.time = LocalTime(uncheckedSeconds: wallSeconds - day * 86_400)
    }

    /// `2026-03-30 09:30` (seconds shown only when not zero).
    public var description: String { "\(date) \(time)" }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.wallSeconds < rhs.wallSeconds }
}
