import Foundation

/// The one strict reader for the dates, times, UTC offsets and time zones that people type: the admin API's
/// `ended_at`, `/debrief training add … ended:`, `/reflect pause until`, and the configuration
/// (`DEBRIEF_CLOCK_START`, `DEBRIEF_HOLIDAYS`, `DEBRIEF_DIGEST_TIME`, per-target schedules, `DEBRIEF_TIMEZONE`).
///
/// Why not `ISO8601DateFormatter` or `DateFormatter`: both are lenient. They read `2026-02-30` as March 2nd,
/// accept offsets such as `+25:00` or `+01:60`, and ignore trailing characters (`…ZZ`), so a typo becomes a
/// silently wrong instant. Here every field has a fixed width of ASCII digits and a checked range:
/// - dates `YYYY-MM-DD`, years 0001–9999, a day the month really has (leap years included);
/// - times `HH:MM`, optionally `:SS` (00–59; a leap second `:60` is refused: Foundation cannot represent it
///   and nothing in Debrief happens at one) and a fraction of 1–9 digits after `.`;
/// - date and time separated by `T` (or `t`, or one space);
/// - offsets `Z` (or `z`) or `±HH:MM`, at most ±14:00 (the widest any zone uses), minutes 00–59;
/// - nothing after the value;
/// - time zones that `TimeZone(identifier:)` knows, spelled with the characters IANA names use.
///
/// Every refusal is a ``DateTimeInputError`` naming the expected form and what is wrong.
public enum DateTimeInput {
    /// Years a typed date may have.
    public static let years = 1...9_999
    /// ±14:00: Kiribati's +14:00 is the widest offset in use.
    public static let maximumOffsetSeconds = 14 * 3_600

    /// `YYYY-MM-DD`.
    public static func date(_ text: String) throws(DateTimeInputError) -> LocalDate {
        var scanner = InputScanner(text)
        let date = try readDate(&scanner, text: text, form: .date)
        guard scanner.isAtEnd else { throw DateTimeInputError(.date, .trailing(scanner.rest)) }
        return date
    }

    /// `YYYY-MM-DD`, or with a time `YYYY-MM-DDTHH:MM[:SS[.fraction]]` and optionally `Z` or `±HH:MM`. A date
    /// alone means midnight.
    public static func dateTime(_ text: String) throws(DateTimeInputError) -> WrittenDateTime {
        try readDateTime(text, form: .dateTime)
    }

    /// A date and time with `Z` or an offset: one instant, whatever the zone of the reader.
    public static func instant(_ text: String) throws(DateTimeInputError) -> Date {
        let written = try readDateTime(text, form: .instant)
        guard written.offsetSeconds != nil else { throw DateTimeInputError(.instant, .offsetMissing) }
        return written.instant(in: .gmt)
    }

    /// An IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`).
    public static func timeZone(_ text: String) throws(DateTimeInputError) -> TimeZone {
        try readTimeZone(text, form: .timeZone)
    }

    /// `MON 09:00` or `TUE 10:30 America/New_York` (weekday in any letter case).
    public static func weeklyTime(_ text: String) throws(DateTimeInputError) -> WeeklyTime {
        let form = DateTimeInputError.Form.weeklyTime
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty else { throw DateTimeInputError(form, .empty) }
        guard let weekday = weekdays[parts[0].uppercased()] else {
            throw DateTimeInputError(form, .unknownWeekday(parts[0]))
        }
        guard parts.count == 2 || parts.count == 3 else { throw DateTimeInputError(form, .unreadable(text)) }
        var scanner = InputScanner(parts[1])
        let (time, _) = try readClock(&scanner, text: parts[1], form: form, allowSeconds: false)
        guard scanner.isAtEnd else { throw DateTimeInputError(form, .trailing(scanner.rest)) }
        let zone = parts.count == 3 ? try readTimeZone(parts[2], form: form) : nil
        return WeeklyTime(weekday: weekday, time: time, timeZone: zone)
    }

    /// Days in `month` of `year` (proleptic Gregorian); 0 for a month that does not exist.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        case 1, 3, 5, 7, 8, 10, 12: 31
        default: 0
        }
    }

    // MARK: - Pieces

    static let weekdays: [String: Weekday] = [
        "MON": .monday, "TUE": .tuesday, "WED": .wednesday, "THU": .thursday, "FRI": .friday, "SAT": .saturday,
        "SUN": .sunday,
    ]

    static func readDateTime(_ text: String, form: DateTimeInputError.Form) throws(DateTimeInputError)
        -> WrittenDateTime
    {
        var scanner = InputScanner(text)
        let date = try readDate(&scanner, text: text, form: form)
        if scanner.isAtEnd {
            return WrittenDateTime(local: LocalDateTime(date: date, time: LocalTime(uncheckedSeconds: 0)))
        }
        guard scanner.take(oneOf: [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]) != nil else {
            throw DateTimeInputError(form, .trailing(scanner.rest))
        }
        let (time, nanoseconds) = try readClock(&scanner, text: text, form: form, allowSeconds: true)
        let offset = try readOffset(&scanner, form: form)
        guard scanner.isAtEnd else { throw DateTimeInputError(form, .trailing(scanner.rest)) }
        return WrittenDateTime(
            local: LocalDateTime(date: date, time: time), nanoseconds: nanoseconds, offsetSeconds: offset)
    }

    static func readDate(_ scanner: inout InputScanner, text: String, form: DateTimeInputError.Form)
        throws(DateTimeInputError) -> LocalDate
    {
        guard !scanner.bytes.isEmpty else { throw DateTimeInputError(form, .empty) }
        let dash = UInt8(ascii: "-")
        guard let year = scanner.digits(4), scanner.take(dash), let month = scanner.digits(2), scanner.take(dash),
            let day = scanner.digits(2)
        else { throw DateTimeInputError(form, .unreadable(text)) }
        guard years.contains(year) else { throw DateTimeInputError(form, .yearOutOfRange(year)) }
        guard (1...12).contains(month) else { throw DateTimeInputError(form, .noSuchMonth(month)) }
        guard day >= 1, day <= daysInMonth(year: year, month: month),
            let date = LocalDate(year: year, month: month, day: day)
        else { throw DateTimeInputError(form, .noSuchDay(year: year, month: month, day: day)) }
        return date
    }

    /// `HH:MM`, and with `allowSeconds` optionally `:SS` and `.fraction`; returns the time and the nanoseconds.
    static func readClock(
        _ scanner: inout InputScanner, text: String, form: DateTimeInputError.Form, allowSeconds: Bool
    ) throws(DateTimeInputError) -> (LocalTime, Int) {
        let colon = UInt8(ascii: ":")
        guard let hour = scanner.digits(2), scanner.take(colon), let minute = scanner.digits(2) else {
            throw DateTimeInputError(form, .unreadable(text))
        }
        var second = 0
        var nanoseconds = 0
        if allowSeconds, scanner.take(colon) {
            guard let seconds = scanner.digits(2) else { throw DateTimeInputError(form, .unreadable(text)) }
            second = seconds
            if scanner.take(UInt8(ascii: ".")) {
                guard let run = scanner.digitRun() else { throw DateTimeInputError(form, .unreadable(text)) }
                guard run.count <= 9 else { throw DateTimeInputError(form, .fractionTooLong) }
                for digit in run { nanoseconds = nanoseconds * 10 + (InputScanner.digit(digit) ?? 0) }
                for _ in run.count..<9 { nanoseconds *= 10 }
            }
        }
        guard hour <= 23 else { throw DateTimeInputError(form, .hourOutOfRange(hour)) }
        guard minute <= 59 else { throw DateTimeInputError(form, .minuteOutOfRange(minute)) }
        guard second <= 59 else { throw DateTimeInputError(form, .secondOutOfRange(second)) }
        guard let time = LocalTime(hour: hour, minute: minute, second: second) else {
            throw DateTimeInputError(form, .unreadable(text))
        }
        return (time, nanoseconds)
    }

    /// `Z`, `±HH:MM`, or nothing (nil).
    static func readOffset(_ scanner: inout InputScanner, form: DateTimeInputError.Form) throws(DateTimeInputError)
        -> Int?
    {
        if scanner.take(oneOf: [UInt8(ascii: "Z"), UInt8(ascii: "z")]) != nil { return 0 }
        let start = scanner.index
        guard let sign = scanner.take(oneOf: [UInt8(ascii: "+"), UInt8(ascii: "-")]) else { return nil }
        guard let hours = scanner.digits(2), scanner.take(UInt8(ascii: ":")), let minutes = scanner.digits(2) else {
            throw DateTimeInputError(form, .offsetMalformed(String(decoding: scanner.bytes[start...], as: UTF8.self)))
        }
        let written = String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self)
        guard minutes <= 59 else { throw DateTimeInputError(form, .offsetMinuteOutOfRange(written)) }
        let seconds = hours * 3_600 + minutes * 60
        guard seconds <= maximumOffsetSeconds else { throw DateTimeInputError(form, .offsetOutOfRange(written)) }
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    static func readTimeZone(_ text: String, form: DateTimeInputError.Form) throws(DateTimeInputError) -> TimeZone {
        guard !text.isEmpty else { throw DateTimeInputError(form, .empty) }
        // IANA names use letters, digits and `/_+-`; anything else (spaces, unicode look-alikes) is a typo.
        let spelledLikeAZone =
            text.utf8.count <= 64
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || InputScanner.digit(byte) != nil
                    || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: "-")
            }
        guard spelledLikeAZone, let zone = TimeZone(identifier: text),
            abs(zone.secondsFromGMT()) <= maximumOffsetSeconds
        else { throw DateTimeInputError(form, .unknownTimeZone(text)) }
        return zone
    }
}
