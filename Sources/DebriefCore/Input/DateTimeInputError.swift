import Foundation

/// Why a date, time, offset or time zone someone typed was refused, and what form was expected.
///
/// One type for every entry point (the admin API, `/debrief`, `/reflect pause until`, the configuration), so
/// the same mistake gets the same sentence everywhere: ``message(field:)`` puts the field's name in front of
/// ``reason``, e.g. "`ended_at` must be a date and time like 2026-11-20T16:00 …: February 2026 has 28 days,
/// so 2026-02-30 does not exist." Text echoed from the input is cut to a few dozen characters; renderers
/// escape it for their markup.
public struct DateTimeInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the field takes.
    public enum Form: Sendable, Equatable {
        /// `YYYY-MM-DD`.
        case date
        /// A date and time with an optional offset (a missing offset means the organisation's zone).
        case dateTime
        /// A date and time with `Z` or an offset: one instant anywhere.
        case instant
        /// An IANA time zone name.
        case timeZone
        /// `MON 09:00`, optionally followed by a time zone.
        case weeklyTime
    }

    /// What exactly is wrong.
    public enum Problem: Sendable, Equatable {
        case empty
        /// The text does not have the expected shape at all.
        case unreadable(String)
        case yearOutOfRange(Int)
        case noSuchMonth(Int)
        case noSuchDay(year: Int, month: Int, day: Int)
        case hourOutOfRange(Int)
        case minuteOutOfRange(Int)
        /// Includes 60: leap seconds are refused (Foundation cannot represent them and nothing happens at one).
        case secondOutOfRange(Int)
        case fractionTooLong
        /// Not `Z` or `±HH:MM` (e.g. `+0100`, `+1`).
        case offsetMalformed(String)
        /// Beyond ±14:00, the widest offset any zone uses.
        case offsetOutOfRange(String)
        case offsetMinuteOutOfRange(String)
        /// An instant was needed but no offset was given.
        case offsetMissing
        /// Characters after a complete value, such as the second `Z` of `…ZZ`.
        case trailing(String)
        case unknownTimeZone(String)
        case unknownWeekday(String)
    }

    public var form: Form
    public var problem: Problem

    public init(_ form: Form, _ problem: Problem) {
        self.form = form
        self.problem = problem
    }

    /// The expected form in words, with an example.
    public var expected: String {
        switch form {
        case .date: "a date like 2026-11-20 (YYYY-MM-DD)"
        case .dateTime:
            "a date and time like 2026-11-20T16:00 or 2026-11-20T16:00:00+01:00 (seconds, a fraction of a second "
                + "and Z or an offset up to ±14:00 are optional)"
        case .instant: "an instant like 2026-11-20T16:00:00Z or 2026-11-20T17:00:00+01:00 (Z or an offset is required)"
        case .timeZone: "an IANA time zone such as Europe/Berlin, America/New_York or UTC"
        case .weeklyTime:
            "a weekday and time like MON 09:00, optionally followed by a time zone such as America/New_York"
        }
    }

    /// What is wrong, in words, without the field's name.
    public var explanation: String {
        switch problem {
        case .empty: "nothing was given"
        case .unreadable(let text): "\(Self.quoted(text)) is not written that way"
        case .yearOutOfRange(let year): "the year must be from 0001 to 9999, not \(year)"
        case .noSuchMonth(let month): "there is no month \(LocalDate.pad(month, 2)) (months go from 01 to 12)"
        case .noSuchDay(let year, let month, let day):
            "\(Self.monthName(month)) \(LocalDate.pad(year, 4)) has "
                + "\(DateTimeInput.daysInMonth(year: year, month: month)) days, so "
                + "\(LocalDate.pad(year, 4))-\(LocalDate.pad(month, 2))-\(LocalDate.pad(day, 2)) does not exist"
        case .hourOutOfRange(let hour): "hours go from 00 to 23, not \(LocalDate.pad(hour, 2))"
        case .minuteOutOfRange(let minute): "minutes go from 00 to 59, not \(LocalDate.pad(minute, 2))"
        case .secondOutOfRange(let second):
            "seconds go from 00 to 59, not \(LocalDate.pad(second, 2))"
                + (second == 60 ? " (leap seconds are not accepted)" : "")
        case .fractionTooLong: "a fraction of a second has at most 9 digits"
        case .offsetMalformed(let text): "the offset \(Self.quoted(text)) must be written Z or ±HH:MM, such as +01:00"
        case .offsetOutOfRange(let text):
            "the offset \(Self.quoted(text)) is beyond ±14:00, the widest any time zone uses"
        case .offsetMinuteOutOfRange(let text): "the offset \(Self.quoted(text)) has minutes beyond 59"
        case .offsetMissing: "it needs Z or an offset such as +01:00 at the end"
        case .trailing(let text): "\(Self.quoted(text)) at the end does not belong to it"
        case .unknownTimeZone(let text): "\(Self.quoted(text)) is not a time zone this server knows"
        case .unknownWeekday(let text): "\(Self.quoted(text)) is not a weekday (MON, TUE, WED, THU, FRI, SAT or SUN)"
        }
    }

    /// "must be <expected form>: <what is wrong>." — reads on after a field name (or a configuration key).
    public var reason: String { "must be \(expected): \(explanation)." }

    /// The full sentence for `field`, which the caller writes as the person knows it (`` `ended_at` ``,
    /// `` `ended:` ``, `DEBRIEF_HOLIDAYS`).
    public func message(field: String) -> String { "\(field) \(reason)" }

    public var description: String { reason }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static func monthName(_ month: Int) -> String {
        (1...12).contains(month) ? monthNames[month - 1] : "Month \(month)"
    }

    /// Longest echo of the input in a message: enough to recognise it, too short to carry a payload.
    static let maximumEcho = 40

    static func quoted(_ text: String) -> String {
        let cut = text.count > maximumEcho ? String(text.prefix(maximumEcho)) + "…" : text
        return "`" + cut.replacingOccurrences(of: "`", with: "'") + "`"
    }
}
