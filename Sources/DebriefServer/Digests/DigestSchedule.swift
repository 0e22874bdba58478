import DebriefCore
import Foundation

/// When a digest target posts each week: an ISO weekday and a local time, in the organisation's zone unless
/// the target names its own (a team in another office reads its digest on its own Monday morning).
public struct DigestSchedule: Sendable, Equatable {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var hour: Int
    public var minute: Int
    /// Nil: the organisation's zone (`DEBRIEF_TIMEZONE`).
    public var timeZone: TimeZone?

    public init(weekday: Int, hour: Int, minute: Int, timeZone: TimeZone? = nil) {
        self.weekday = weekday
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    /// Monday 09:00 in the organisation's zone.
    public static let standard = DigestSchedule(weekday: 1, hour: 9, minute: 0)

    /// `MON 09:00`, or `TUE 10:30 America/New_York`, read strictly by ``DateTimeInput/weeklyTime(_:)``.
    public static func parse(_ text: String) throws(DateTimeInputError) -> DigestSchedule {
        let weekly = try DateTimeInput.weeklyTime(text.trimmingCharacters(in: .whitespaces))
        return DigestSchedule(
            weekday: weekly.weekday.isoNumber, hour: weekly.time.hour, minute: weekly.time.minute,
            timeZone: weekly.timeZone)
    }
}
