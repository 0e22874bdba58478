import DebriefCore
import Foundation
import Testing

/// The strict reader behind every date, time, offset and zone a person types (issue #9, class 2).
@Suite("Strict date and time input")
struct DateTimeInputTests {
    static let utc = TimeZone(identifier: "UTC") ?? .gmt
    static let berlin = TimeZone(identifier: "Europe/Berlin") ?? .gmt

    static func instant(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

    /// 2026-11-20T15:00:00Z
    static let nov20 = 1_795_186_800.0

    static let validRows: [(String, TimeInterval)] = [
        ("2026-11-20T15:00:00Z", nov20),
        ("2026-11-20T15:00Z", nov20),
        ("2026-11-20t15:00:00z", nov20),
        ("2026-11-20 15:00:00Z", nov20),
        ("2026-11-20T16:00:00+01:00", nov20),
        ("2026-11-20T01:00:00-14:00", nov20),
        ("2026-11-21T05:00:00+14:00", nov20),
        ("2026-11-20T15:00:00-00:00", nov20),
        ("2026-11-20T15:00:00.250Z", nov20 + 0.25),
        ("2026-11-20T15:00:00.123456789Z", nov20 + 0.123456789),
        ("2026-11-20T16:00", nov20),  // Berlin wall clock, CET
        ("2026-11-20T16:00:00", nov20),
        ("2026-11-20", nov20 - 57_600),  // midnight in Berlin
        ("2028-02-29T12:00Z", 1_835_438_400),  // a leap day
        ("2000-02-29T00:00Z", 951_782_400),  // divisible by 400: a leap year
        ("2026-11-20T23:59:59Z", nov20 + 32_399),
    ]

    @Test("valid dates and times are read to the instant they name", arguments: validRows)
    func validDateTimes(text: String, seconds: TimeInterval) throws {
        let date = try DateTimeInput.dateTime(text).instant(in: Self.berlin)
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6, "\(text) → \(date.timeIntervalSince1970)")
    }

    /// One refused input: the text, and a phrase the explanation must contain.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var text: String
        var problem: DateTimeInputError.Problem
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    static let refusedDateTimes: [Refusal] = [
        // Impossible days, leap years included.
        Refusal(text: "2026-02-30T10:00:00Z", problem: .noSuchDay(year: 2026, month: 2, day: 30)),
        Refusal(text: "2026-02-29T10:00", problem: .noSuchDay(year: 2026, month: 2, day: 29)),
        Refusal(text: "2100-02-29T10:00", problem: .noSuchDay(year: 2100, month: 2, day: 29)),
        Refusal(text: "2026-04-31T10:00", problem: .noSuchDay(year: 2026, month: 4, day: 31)),
        Refusal(text: "2026-11-00T10:00", problem: .noSuchDay(year: 2026, month: 11, day: 0)),
        Refusal(text: "2026-13-01T10:00", problem: .noSuchMonth(13)),
        Refusal(text: "2026-00-10T10:00", problem: .noSuchMonth(0)),
        Refusal(text: "0000-01-01T10:00", problem: .yearOutOfRange(0)),
        // Impossible times.
        Refusal(text: "2026-11-20T24:00", problem: .hourOutOfRange(24)),
        Refusal(text: "2026-11-20T99:00", problem: .hourOutOfRange(99)),
        Refusal(text: "2026-11-20T16:60", problem: .minuteOutOfRange(60)),
        Refusal(text: "2026-11-20T16:00:60Z", problem: .secondOutOfRange(60)),
        Refusal(text: "2026-11-20T16:00:99Z", problem: .secondOutOfRange(99)),
        Refusal(text: "2026-11-20T16:00:00.1234567890Z", problem: .fractionTooLong),
        // Bad offsets.
        Refusal(text: "2026-11-20T16:00:00+25:00", problem: .offsetOutOfRange("+25:00")),
        Refusal(text: "2026-11-20T16:00:00+14:01", problem: .offsetOutOfRange("+14:01")),
        Refusal(text: "2026-11-20T16:00:00-15:00", problem: .offsetOutOfRange("-15:00")),
        Refusal(text: "2026-11-20T16:00:00+01:60", problem: .offsetMinuteOutOfRange("+01:60")),
        Refusal(text: "2026-11-20T16:00:00+99:99", problem: .offsetMinuteOutOfRange("+99:99")),
        Refusal(text: "2026-11-20T16:00:00+0100", problem: .offsetMalformed("+0100")),
        Refusal(text: "2026-11-20T16:00:00+01", problem: .offsetMalformed("+01")),
        Refusal(text: "2026-11-20T16:00:00+1:00", problem: .offsetMalformed("+1:00")),
        // Trailing garbage.
        Refusal(text: "2026-11-20T16:00:00ZZ", problem: .trailing("Z")),
        Refusal(text: "2026-11-20T16:00:00Zgarbage", problem: .trailing("garbage")),
        Refusal(text: "2026-11-20T16:00:00+01:00:00", problem: .trailing(":00")),
        Refusal(text: "2026-11-20T16:00 ", problem: .trailing(" ")),
        Refusal(text: "2026-11-20X", problem: .trailing("X")),
        Refusal(text: "2026-11-20Z", problem: .trailing("Z")),
        // Not the form at all.
        Refusal(text: "", problem: .empty),
        Refusal(text: "yesterday", problem: .unreadable("yesterday")),
        Refusal(text: " 2026-11-20T16:00", problem: .unreadable(" 2026-11-20T16:00")),
        Refusal(text: "+2026-11-20T16:00", problem: .unreadable("+2026-11-20T16:00")),
        Refusal(text: "20261-11-20T16:00", problem: .unreadable("20261-11-20T16:00")),
        Refusal(text: "2026-1-20T16:00", problem: .unreadable("2026-1-20T16:00")),
        Refusal(text: "2026-11-20T6:00", problem: .unreadable("2026-11-20T6:00")),
        Refusal(text: "2026-11-20T16", problem: .unreadable("2026-11-20T16")),
        Refusal(text: "2026-11-20T16:00:00.Z", problem: .unreadable("2026-11-20T16:00:00.Z")),
        Refusal(text: "２０２６-11-20T16:00", problem: .unreadable("２０２６-11-20T16:00")),
        Refusal(text: "9223372036854775807-01-01", problem: .unreadable("9223372036854775807-01-01")),
    ]

    @Test(
        "impossible dates, bad offsets and trailing garbage are refused, saying what is wrong",
        arguments: refusedDateTimes)
    func refused(_ row: Refusal) {
        #expect(throws: DateTimeInputError(.dateTime, row.problem)) { try DateTimeInput.dateTime(row.text) }
    }

    @Test(
        "the message names the field, the expected form and the mistake",
        arguments: [
            (
                "2026-02-30T10:00:00Z",
                "`ended_at` must be a date and time like 2026-11-20T16:00 or 2026-11-20T16:00:00+01:00 (seconds, a "
                    + "fraction of a second and Z or an offset up to ±14:00 are optional): February 2026 has 28 days, "
                    + "so 2026-02-30 does not exist."
            ),
            ("2026-11-20T16:00:00+25:00", "the offset `+25:00` is beyond ±14:00, the widest any time zone uses."),
            ("2026-11-20T16:00:00+01:60", "the offset `+01:60` has minutes beyond 59."),
            ("2026-11-20T16:00:00ZZ", "`Z` at the end does not belong to it."),
            ("2026-11-20T23:59:60Z", "seconds go from 00 to 59, not 60 (leap seconds are not accepted)."),
            ("2024-02-30T10:00", "February 2024 has 29 days, so 2024-02-30 does not exist."),
        ])
    func messages(text: String, sentence: String) {
        do {
            _ = try DateTimeInput.dateTime(text)
            Issue.record("\(text) was accepted")
        } catch {
            let message = error.message(field: "`ended_at`")
            #expect(message.hasPrefix("`ended_at` must be a date and time like 2026-11-20T16:00"))
            #expect(message.hasSuffix(sentence), "\(message)")
        }
    }

    @Test("a long echo of the input is cut short in the message")
    func longEcho() {
        let text = "2026-11-20T16:00:00Z" + String(repeating: "x", count: 10_000)
        do {
            _ = try DateTimeInput.dateTime(text)
            Issue.record("accepted")
        } catch {
            #expect(error.message(field: "`ended_at`").count < 400)
        }
    }

    @Test(
        "dates alone: real calendar days only, nothing after them",
        arguments: [
            ("2026-12-24", true), ("2028-02-29", true), ("2026-02-29", false), ("2026-02-30", false),
            ("2026-12-24T10:00", false), ("2026-12-24 ", false), ("+202-12-24", false), ("2026-12-4", false),
            ("0000-12-24", false), ("9999-12-31", true), ("2026/12/24", false), ("", false),
        ])
    func dates(text: String, valid: Bool) {
        #expect(((try? DateTimeInput.date(text)) != nil) == valid, "\(text)")
        #expect((LocalDate(text) != nil) == valid, "LocalDate(\(text))")
    }

    @Test(
        "instants need Z or an offset",
        arguments: [
            ("2026-11-20T15:00:00Z", true), ("2026-11-20T16:00:00+01:00", true), ("2026-11-20T15:00:00", false),
            ("2026-11-20", false), ("2026-11-20T15:00:00ZZ", false), ("2026-02-30T15:00:00Z", false),
        ])
    func instants(text: String, valid: Bool) {
        #expect(((try? DateTimeInput.instant(text)) != nil) == valid, "\(text)")
    }

    @Test(
        "time zones are IANA names this server knows",
        arguments: [
            ("Europe/Berlin", true), ("America/New_York", true), ("UTC", true), ("Asia/Kolkata", true),
            ("Europe/Berln", false), ("europe/berlin", false), ("Europe/Berlin ", false), ("", false),
            ("GMT+25", false), ("+01:00", false), ("Mars/Olympus", false), ("Europe/Berlin\u{0}", false),
            (String(repeating: "A", count: 100), false),
        ])
    func timeZones(name: String, valid: Bool) {
        #expect(((try? DateTimeInput.timeZone(name)) != nil) == valid, "\(name.debugDescription)")
    }

    @Test(
        "weekly times: a weekday, HH:MM and optionally a zone",
        arguments: [
            ("MON 09:00", true), ("tue 10:15 America/New_York", true), ("SUN 23:59", true), ("MON 24:00", false),
            ("MON 09:60", false), ("MON 9:00", false), ("MON +9:00", false), ("MON 09:00:00", false),
            ("monday 09:00", false), ("MON 09:00 Mars/Olympus", false), ("MON 09:00 UTC extra", false),
            ("MON", false), ("", false), ("MON 09:00Z", false),
        ])
    func weeklyTimes(text: String, valid: Bool) {
        #expect(((try? DateTimeInput.weeklyTime(text)) != nil) == valid, "\(text)")
    }

    @Test("LocalTime and WeekKey read digits only, without signs")
    func localTimeAndWeekKey() {
        #expect(LocalTime("09:30") != nil && LocalTime("09:30:15") != nil)
        #expect(LocalTime("+9:30") == nil && LocalTime("09:+3") == nil && LocalTime("09:30 ") == nil)
        #expect(WeekKey("2026-W47") != nil)
        #expect(WeekKey("2026-W+1") == nil && WeekKey("+202-W01") == nil && WeekKey("2026-W47x") == nil)
    }
}
