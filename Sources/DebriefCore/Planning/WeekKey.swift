import Foundation

/// An ISO 8601 week ("2026-W13"): weeks start on Monday and week 1 is the week with the year's first Thursday.
///
/// "At most two nudges per calendar week" must mean the person's own week, so the planner keys its weekly
/// budget by the week of each send's *local* date. The ISO rule makes the key independent of locale settings
/// and lets the last days of December belong to week 1 of the next year (and early January to week 52/53).
/// Encoded as `"2026-W13"`.
public struct WeekKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The ISO week-numbering year, which differs from the calendar year around New Year.
    public let year: Int
    /// 1 ... 52 or 53.
    public let week: Int

    /// The week that contains `date`.
    public init(containing date: LocalDate) {
        let thursday = date.adding(days: 4 - date.weekday.isoNumber)
        let weekYear = thursday.year
        let firstOfYear = LocalDate(dayNumber: LocalDate.dayNumber(year: weekYear, month: 1, day: 1))
        self.year = weekYear
        self.week = firstOfYear.days(until: thursday) / 7 + 1
    }

    /// The week that contains `instant` on a wall calendar in `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        self.init(containing: zone.localDateTime(at: instant).date)
    }

    /// Parses `YYYY-Www`; nil for malformed text or a week the year does not have.
    public init?(_ text: String) {
        var scanner = InputScanner(text)
        guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")), scanner.take(UInt8(ascii: "W")),
            let week = scanner.digits(2), scanner.isAtEnd, DateTimeInput.years.contains(year), week >= 1
        else { return nil }
        let monday = Self.monday(ofWeek: week, in: year)
        guard WeekKey(containing: monday).year == year else { return nil }
        self.year = year
        self.week = week
    }

    /// The Monday that starts this week.
    public var monday: LocalDate { Self.monday(ofWeek: week, in: year) }

    /// The ISO week `count` weeks later (earlier when negative), by calendar days, so daylight-saving changes
    /// cannot skip a week.
    public func adding(weeks count: Int) -> WeekKey { WeekKey(containing: monday.adding(days: 7 * count)) }

    /// The ISO week before this one.
    public var previous: WeekKey { adding(weeks: -1) }

    public var description: String { LocalDate.pad(year, 4) + "-W" + LocalDate.pad(week, 2) }

    public static func < (lhs: WeekKey, rhs: WeekKey) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    private static func monday(ofWeek week: Int, in year: Int) -> LocalDate {
        // January 4th is always in week 1.
        let january4 = LocalDate(dayNumber: LocalDate.dayNumber(year: year, month: 1, day: 4))
        return january4.adding(days: 1 - january4.weekday.isoNumber + (week - 1) * 7)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let key = WeekKey(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO week as YYYY-Www, got \(text)")
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
