import Foundation

/// A weekday and a wall-clock time, optionally in a named zone: when something recurs each week
/// (`MON 09:00`, `TUE 10:30 America/New_York`).
public struct WeeklyTime: Sendable, Equatable {
    public var weekday: Weekday
    public var time: LocalTime
    /// Nil: the caller's default zone.
    public var timeZone: TimeZone?

    public init(weekday: Weekday, time: LocalTime, timeZone: TimeZone? = nil) {
        self.weekday = weekday
        self.time = time
        self.timeZone = timeZone
    }
}
