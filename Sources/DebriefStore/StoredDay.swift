import DebriefCore
import Foundation

/// Reflections are stored to the day (UTC), as `created_on` text `YYYY-MM-DD`, by every store: digests need the ISO
/// week, and a finer time stamp would only help someone correlate a reflection with a person's calendar. One
/// encoding for SQLite and PostgreSQL keeps a database copied from one to the other comparable row for row.
public enum StoredDay {
    /// The UTC day of `date` as `YYYY-MM-DD`.
    public static func string(from date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, day) = civil(fromDays: days)
        return text(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`, by hand: `String(format:)` goes through Foundation's formatter, a measurable share of a
    /// `/reflect`.
    static func text(year: Int, month: Int, day: Int) -> String {
        padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// `day` as stored, `YYYY-MM-DD`.
    public static func string(from day: LocalDate) -> String {
        text(year: day.year, month: day.month, day: day.day)
    }

    /// The first stored day after ISO week `week` (`2026-W14`), or nil for text that is not a week. Every
    /// reflection of that week or an earlier one was stored on an earlier day (`iso_week` is derived from
    /// `created_on`), so a query can seek along `created_on` instead of reading newer rows to discard them.
    public static func firstDay(after week: String) -> String? {
        WeekKey(week).map { string(from: $0.monday.adding(days: 7)) }
    }

    /// `value` in decimal, zero-padded on the left to `width` digits (as `%0Nd`).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count - (value < 0 ? 1 : 0)))
        return (value < 0 ? "-" : "") + zeros + digits
    }

    /// Midnight UTC of a stored day; the start of 1970 for text that is not a day (never written by the store).
    public static func date(from string: String) -> Date {
        let parts = string.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: Double(days(year: parts[0], month: parts[1], day: parts[2])) * 86_400)
    }

    /// The ISO week (`2026-W14`) of a stored day, as kept in `reflections.iso_week`.
    public static func isoWeek(_ day: String) -> String? {
        LocalDate(day).map { WeekKey(containing: $0).description }
    }

    /// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian).
    public static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a calendar day (proleptic Gregorian).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Blockers as a comma-separated list of raw values, as in SQLite: a tiny closed set, counted in SQL by matching
/// `',' || blockers || ','` against `'%,value,%'`.
public enum StoredBlockers {
    public static func encode(_ blockers: [Blocker]) -> String { blockers.map(\.rawValue).joined(separator: ",") }

    public static func decode(_ text: String?) -> [Blocker] {
        (text ?? "").split(separator: ",").compactMap { Blocker(rawValue: String($0)) }
    }
}
