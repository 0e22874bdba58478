import Foundation
import Testing

@testable import DebriefCore

@Suite("Local calendar values")
struct LocalCalendarTests {
    struct WallTimeCase: Sendable, CustomTestStringConvertible {
        var zone: String
        var local: String
        var instant: String
        /// What the clock shows at the resolved instant.
        var shown: String
        var note: String
        var testDescription: String { "\(zone) \(local): \(note)" }
    }

    @Test(
        "wall times resolve to one instant: skipped times move later by the gap, repeated times take the first",
        arguments: [
            WallTimeCase(
                zone: "Europe/Berlin", local: "2026-03-29 02:30", instant: "2026-03-29T01:30:00Z",
                shown: "2026-03-29 03:30", note: "skipped"),
            WallTimeCase(
                zone: "Europe/Berlin", local: "2026-03-29 03:30", instant: "2026-03-29T01:30:00Z",
                shown: "2026-03-29 03:30", note: "just after the gap"),
            WallTimeCase(
                zone: "Europe/Berlin", local: "2026-10-25 02:30", instant: "2026-10-25T00:30:00Z",
                shown: "2026-10-25 02:30", note: "repeated, first (CEST)"),
            WallTimeCase(
                zone: "America/New_York", local: "2026-03-08 02:30", instant: "2026-03-08T07:30:00Z",
                shown: "2026-03-08 03:30", note: "skipped"),
            WallTimeCase(
                zone: "America/New_York", local: "2026-11-01 01:30", instant: "2026-11-01T05:30:00Z",
                shown: "2026-11-01 01:30", note: "repeated, first (EDT)"),
            WallTimeCase(
                zone: "Australia/Sydney", local: "2026-10-04 02:30", instant: "2026-10-03T16:30:00Z",
                shown: "2026-10-04 03:30", note: "skipped"),
            WallTimeCase(
                zone: "Australia/Sydney", local: "2026-04-05 02:30", instant: "2026-04-04T15:30:00Z",
                shown: "2026-04-05 02:30", note: "repeated, first (AEDT)"),
            WallTimeCase(
                zone: "Pacific/Chatham", local: "2026-09-27 03:00", instant: "2026-09-26T14:15:00Z",
                shown: "2026-09-27 04:00", note: "skipped (02:45 jumps to 03:45)"),
            WallTimeCase(
                zone: "Pacific/Chatham", local: "2026-04-05 03:00", instant: "2026-04-04T13:15:00Z",
                shown: "2026-04-05 03:00", note: "repeated, first (+13:45)"),
            WallTimeCase(
                zone: "Asia/Kathmandu", local: "2026-06-01 09:30", instant: "2026-06-01T03:45:00Z",
                shown: "2026-06-01 09:30", note: "ordinary, +05:45"),
            WallTimeCase(
                zone: "Asia/Kolkata", local: "2026-06-01 09:30", instant: "2026-06-01T04:00:00Z",
                shown: "2026-06-01 09:30", note: "ordinary, +05:30"),
        ])
    func wallTimes(_ row: WallTimeCase) throws {
        let zone = try Fixture.zone(row.zone)
        let parts = row.local.split(separator: " ").map(String.init)
        let local = LocalDateTime(date: try Fixture.date(parts[0]), time: try Fixture.time(parts[1]))
        let instant = zone.instant(for: local)
        #expect(instant.iso == row.instant)
        #expect(zone.localDateTime(at: instant).description == row.shown)
    }

    struct WeekCase: Sendable, CustomTestStringConvertible {
        var date: String
        var weekday: Weekday
        var week: String
        var monday: String
        var testDescription: String { date }
    }

    @Test(
        "ISO weeks start on Monday and week 1 holds the year's first Thursday",
        arguments: [
            WeekCase(date: "2026-01-01", weekday: .thursday, week: "2026-W01", monday: "2025-12-29"),
            WeekCase(date: "2027-01-01", weekday: .friday, week: "2026-W53", monday: "2026-12-28"),
            WeekCase(date: "2024-12-30", weekday: .monday, week: "2025-W01", monday: "2024-12-30"),
            WeekCase(date: "2021-01-03", weekday: .sunday, week: "2020-W53", monday: "2020-12-28"),
            WeekCase(date: "2026-03-29", weekday: .sunday, week: "2026-W13", monday: "2026-03-23"),
            WeekCase(date: "2026-03-30", weekday: .monday, week: "2026-W14", monday: "2026-03-30"),
            WeekCase(date: "2028-12-31", weekday: .sunday, week: "2028-W52", monday: "2028-12-25"),
            WeekCase(date: "2028-02-29", weekday: .tuesday, week: "2028-W09", monday: "2028-02-28"),
        ])
    func isoWeeks(_ row: WeekCase) throws {
        let date = try Fixture.date(row.date)
        #expect(date.weekday == row.weekday)
        #expect(date.week.description == row.week)
        #expect(date.week.monday.description == row.monday)
        #expect(WeekKey(row.week) == date.week)
    }

    @Test("the week of an instant is the week on the person's own calendar")
    func weekOfInstantDependsOnZone() throws {
        // Sunday evening in New York is already Monday morning in Berlin.
        let instant = try Fixture.instant("2026-03-29T22:30:00Z")
        #expect(WeekKey(containing: instant, in: try Fixture.zone("America/New_York")).description == "2026-W13")
        #expect(WeekKey(containing: instant, in: try Fixture.zone("Europe/Berlin")).description == "2026-W14")
    }

    @Test(
        "dates, times and weeks that do not exist are rejected",
        arguments: ["2026-02-29", "2026-13-01", "2026-04-31", "26-01-01", "2026-1-01", "2026-01-01T00:00"])
    func invalidDates(_ text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test("valid edge dates parse and print back", arguments: ["2028-02-29", "2000-02-29", "1969-12-31", "2026-12-31"])
    func validDates(_ text: String) throws {
        #expect(try Fixture.date(text).description == text)
    }

    @Test("time and week text is checked", arguments: ["24:00", "09:60", "9:30", "09:30:60"])
    func invalidTimes(_ text: String) {
        #expect(LocalTime(text) == nil)
    }

    @Test("2026 has no week 53, 2026-W53 is not accepted; 2020 does")
    func weekFiftyThree() {
        #expect(WeekKey("2025-W53") == nil)
        #expect(WeekKey("2020-W53")?.monday.description == "2020-12-28")
        #expect(WeekKey("2026-W00") == nil)
    }

    @Test("weeks are added by calendar, across years and 53-week years")
    func addingWeeks() throws {
        #expect(WeekKey("2021-W01")?.previous.description == "2020-W53")
        #expect(WeekKey("2026-W01")?.previous.description == "2025-W52")
        #expect(WeekKey("2026-W47")?.adding(weeks: -12).description == "2026-W35")
        #expect(WeekKey("2020-W53")?.adding(weeks: 1).description == "2021-W01")
    }
    struct ElapsedCase: Sendable, CustomTestStringConvertible {
        var zone: String
        var ended: String
        var now: String
        var days: Int
        var testDescription: String { "\(zone): \(ended) to \(now) is \(days) days" }
    }

    /// Each row is a Monday-16:00 training and a nudge the next Monday morning on the person's clock (6 days
    /// and some hours), across spring and autumn changes and the odd offsets testers used.
    @Test(
        "\"N days ago\" counts calendar days on the person's clock, not 24-hour periods",
        arguments: [
            ElapsedCase(zone: "Europe/Berlin", ended: "2026-03-23T15:00:00Z", now: "2026-03-30T07:30:00Z", days: 7),
            ElapsedCase(zone: "Europe/Berlin", ended: "2026-10-19T14:00:00Z", now: "2026-10-26T08:30:00Z", days: 7),
            ElapsedCase(zone: "Asia/Kathmandu", ended: "2026-03-23T10:15:00Z", now: "2026-03-30T03:45:00Z", days: 7),
            ElapsedCase(zone: "Pacific/Chatham", ended: "2026-03-30T02:15:00Z", now: "2026-04-05T20:45:00Z", days: 7),
            ElapsedCase(
                zone: "Pacific/Kiritimati", ended: "2026-03-23T02:00:00Z", now: "2026-03-29T19:30:00Z", days: 7),
            ElapsedCase(zone: "America/Santiago", ended: "2026-03-30T19:00:00Z", now: "2026-04-06T13:30:00Z", days: 7),
            // Lord Howe's half-hour change; the nudge comes on Tuesday, the 8th calendar day.
            ElapsedCase(
                zone: "Australia/Lord_Howe", ended: "2026-03-30T05:00:00Z", now: "2026-04-06T22:30:00Z", days: 8),
            // The same two instants in Honolulu (Monday to Monday) and in Berlin (Tuesday to Monday): the
            // person's zone decides, not the organisation's.
            ElapsedCase(zone: "Pacific/Honolulu", ended: "2026-03-23T23:30:00Z", now: "2026-03-30T19:30:00Z", days: 7),
            ElapsedCase(zone: "Europe/Berlin", ended: "2026-03-23T23:30:00Z", now: "2026-03-30T19:30:00Z", days: 6),
            ElapsedCase(zone: "Europe/Berlin", ended: "2026-03-23T15:00:00Z", now: "2026-03-23T21:00:00Z", days: 0),
        ])
    func calendarDays(_ row: ElapsedCase) throws {
        let zone = try Fixture.zone(row.zone)
        #expect(zone.calendarDays(from: try Fixture.instant(row.ended), to: try Fixture.instant(row.now)) == row.days)
    }
}
