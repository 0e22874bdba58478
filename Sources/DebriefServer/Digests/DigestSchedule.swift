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

    static let days = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]

    /// `MON 09:00`, or `TUE 10:30 America/New_York`; nil when it is neither.
    public static func parse(_ text: String) -> DigestSchedule? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 || parts.count == 3, let day = days.firstIndex(of: parts[0].uppercased()) else {
            return nil
        }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard clock.count == 2, let hour = clock[0], let minute = clock[1], (0...23).contains(hour),
            (0...59).contains(minute)
        else { return nil }
        var zone: TimeZone?
        if parts.count == 3 {
            guard let named = TimeZone(identifier: String(parts[2])) else { return nil }
            zone = named
        }
        return DigestSchedule(weekday: day + 1, hour: hour, minute: minute, timeZone: zone)
    }
}
