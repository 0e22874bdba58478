import Foundation

extension TimeZone {
    /// The wall-clock date and time at `instant` in this zone (fractions of a second are dropped).
    public func localDateTime(at instant: Date) -> LocalDateTime {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        return LocalDateTime(wallSeconds: seconds + secondsFromGMT(for: instant))
    }

    /// How many days ago `start` was at `end` as people count them: calendar dates on this zone's clock,
    /// not 24-hour periods. A training that ended Monday 16:00 is 7 days ago the next Monday at 09:30 (6 days
    /// and 17½ hours later), and a clock change in between changes nothing. Negative when `end` comes first.
    public func calendarDays(from start: Date, to end: Date) -> Int {
        localDateTime(at: start).date.days(until: localDateTime(at: end).date)
    }

    /// The instant at which clocks in this zone show `local`.
    ///
    /// Wall times are not always one instant, so the resolution is fixed and documented:
    /// - **Ambiguous** (clocks fall back and the time happens twice): the *earlier* instant, i.e. the one with
    ///   the offset in effect before the change. A nudge never waits an extra hour because of it.
    /// - **Skipped** (clocks spring forward over it): the time is moved *later by the length of the gap*, using
    ///   the offset from before the change; Berlin's 02:30 on 2026-03-29 becomes 03:30 CEST (01:30Z). This is
    ///   the rule java.time and ICU's "lenient" calendars use, so other tools agree with it.
    public func instant(for local: LocalDateTime) -> Date {
        let wall = local.wallSeconds
        // Real zones change offset at most once in any two days, so the offsets a day before and a day after
        // are the only candidates.
        let before = secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 86_400)))
        let after = secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 86_400)))
        let matching = Set([before, after])
            .map { wall - $0 }
            .filter { secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0))) == wall - $0 }
        if let earliest = matching.min() {
            return Date(timeIntervalSince1970: TimeInterval(earliest))
        }
        return Date(timeIntervalSince1970: TimeInterval(wall - before))
    }
}
