/// A calendar day as a person sees it on their wall calendar, without a time or a zone.
///
/// Holidays, "+3 days after the training" and "one nudge per day" are all statements about local days, so the
/// planner does its day arithmetic on these values (proleptic Gregorian, no clock, no locale) and only turns a
/// day into an instant at the very end, in the person's own time zone. Encoded as `"2026-03-29"`.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01; the single stored value keeps comparison and arithmetic trivial.
    let dayNumber: Int

    init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Years a `LocalDate` can hold: far beyond any real date, and small enough that no day arithmetic on
    /// them can overflow.
    static let representableYears = -1_000_000...1_000_000

    /// Returns nil for a day that does not exist, such as February 30.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.representableYears.contains(year), (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        let number = Self.dayNumber(year: year, month: month, day: day)
        let check = Self.civil(from: number)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        self.dayNumber = number
    }

    /// Parses `YYYY-MM-DD` strictly (``DateTimeInput/date(_:)``, which says why when it refuses).
    public init?(_ text: String) {
        guard let date = try? DateTimeInput.date(text) else { return nil }
        self = date
    }

    public var year: Int { Self.civil(from: dayNumber).year }
    public var month: Int { Self.civil(from: dayNumber).month }
    public var day: Int { Self.civil(from: dayNumber).day }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let zeroBased = ((dayNumber % 7) + 7 + 3) % 7
        return Weekday(isoNumber: zeroBased + 1) ?? .monday
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// Whole days from this date to `other` (negative when `other` is earlier).
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }

    /// The ISO week this day belongs to.
    public var week: WeekKey { WeekKey(containing: self) }

    public var description: String {
        let civil = Self.civil(from: dayNumber)
        return Self.pad(civil.year, 4) + "-" + Self.pad(civil.month, 2) + "-" + Self.pad(civil.day, 2)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a calendar date as YYYY-MM-DD, got \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // Howard Hinnant's days_from_civil / civil_from_days, exact for the proleptic Gregorian calendar.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(from dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)  // not abs(): abs(Int.min) traps
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
