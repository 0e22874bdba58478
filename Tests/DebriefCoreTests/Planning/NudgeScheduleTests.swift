import Foundation
import Testing

@testable import DebriefCore

/// When a participant's DMs arrive: every row states the local time the person sees and the exact instant.
@Suite("Nudge planner: send times")
struct NudgeScheduleTests {
    @Test("a training ending Thursday 16:00 in Berlin: Fri, then Mondays at 09:30, reminders on Wednesdays")
    func defaultScheduleBerlin() throws {
        let training = try Fixture.training(endedAt: "2026-03-19T16:00:00+01:00")
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")), rules: Fixture.rules(),
            history: .empty, now: training.endedAt)
        #expect(
            plan.plannedLines == [
                "d1 primary Fri 2026-03-20 09:30 = 2026-03-20T08:30:00Z",
                "d3 primary Mon 2026-03-23 09:30 = 2026-03-23T08:30:00Z",
                "d3 reminder Wed 2026-03-25 09:30 = 2026-03-25T08:30:00Z",
                // Clocks go forward on Sunday 29 March: still 09:30 on the person's clock.
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 reminder Wed 2026-04-01 09:30 = 2026-04-01T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ])
        // d1's reminder would come on Tuesday, after d3 already asked again on Monday.
        #expect(plan.cancelledLines == ["d1 reminder supersededByNextStage"])
        #expect(plan.planned.allSatisfy { $0.timeZoneID == "Europe/Berlin" })
        #expect(plan.planned.first?.dedupeKey == "\(Fixture.alice.value)/t1/d1/primary")
    }

    struct ZoneCase: Sendable, CustomTestStringConvertible {
        var name: String
        var zone: String
        var endedAt: String
        var primaries: [String]
        var testDescription: String { name }
    }

    static let zoneCases: [ZoneCase] = [
        ZoneCase(
            name: "Berlin, clocks spring forward on Sun 2026-03-29", zone: "Europe/Berlin",
            endedAt: "2026-03-25T16:00:00+01:00",
            primaries: [
                "d1 primary Thu 2026-03-26 09:30 = 2026-03-26T08:30:00Z",
                "d3 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 primary Wed 2026-04-01 09:30 = 2026-04-01T07:30:00Z",
                "d21 primary Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ]),
        ZoneCase(
            name: "Berlin, clocks fall back on Sun 2026-10-25", zone: "Europe/Berlin",
            endedAt: "2026-10-22T16:00:00+02:00",
            primaries: [
                "d1 primary Fri 2026-10-23 09:30 = 2026-10-23T07:30:00Z",
                "d3 primary Mon 2026-10-26 09:30 = 2026-10-26T08:30:00Z",
                "d7 primary Mon 2026-11-02 09:30 = 2026-11-02T08:30:00Z",
                "d21 primary Mon 2026-11-16 09:30 = 2026-11-16T08:30:00Z",
            ]),
        ZoneCase(
            name: "New York, clocks spring forward on Sun 2026-03-08", zone: "America/New_York",
            endedAt: "2026-03-05T16:00:00-05:00",
            primaries: [
                "d1 primary Fri 2026-03-06 09:30 = 2026-03-06T14:30:00Z",
                "d3 primary Mon 2026-03-09 09:30 = 2026-03-09T13:30:00Z",
                "d7 primary Mon 2026-03-16 09:30 = 2026-03-16T13:30:00Z",
                "d21 primary Mon 2026-03-30 09:30 = 2026-03-30T13:30:00Z",
            ]),
        ZoneCase(
            name: "New York, clocks fall back on Sun 2026-11-01", zone: "America/New_York",
            endedAt: "2026-10-29T16:00:00-04:00",
            primaries: [
                "d1 primary Fri 2026-10-30 09:30 = 2026-10-30T13:30:00Z",
                "d3 primary Mon 2026-11-02 09:30 = 2026-11-02T14:30:00Z",
                "d7 primary Mon 2026-11-09 09:30 = 2026-11-09T14:30:00Z",
                "d21 primary Mon 2026-11-23 09:30 = 2026-11-23T14:30:00Z",
            ]),
        ZoneCase(
            name: "Sydney, daylight saving ends on Sun 2026-04-05", zone: "Australia/Sydney",
            endedAt: "2026-04-02T16:00:00+11:00",
            primaries: [
                "d1 primary Fri 2026-04-03 09:30 = 2026-04-02T22:30:00Z",
                "d3 primary Mon 2026-04-06 09:30 = 2026-04-05T23:30:00Z",
                "d7 primary Mon 2026-04-13 09:30 = 2026-04-12T23:30:00Z",
                "d21 primary Mon 2026-04-27 09:30 = 2026-04-26T23:30:00Z",
            ]),
        ZoneCase(
            name: "Sydney, daylight saving starts on Sun 2026-10-04", zone: "Australia/Sydney",
            endedAt: "2026-10-01T16:00:00+10:00",
            primaries: [
                "d1 primary Fri 2026-10-02 09:30 = 2026-10-01T23:30:00Z",
                "d3 primary Mon 2026-10-05 09:30 = 2026-10-04T22:30:00Z",
                "d7 primary Mon 2026-10-12 09:30 = 2026-10-11T22:30:00Z",
                "d21 primary Mon 2026-10-26 09:30 = 2026-10-25T22:30:00Z",
            ]),
        ZoneCase(
            name: "Kolkata, +05:30", zone: "Asia/Kolkata", endedAt: "2026-03-19T16:00:00+05:30",
            primaries: [
                "d1 primary Fri 2026-03-20 09:30 = 2026-03-20T04:00:00Z",
                "d3 primary Mon 2026-03-23 09:30 = 2026-03-23T04:00:00Z",
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T04:00:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T04:00:00Z",
            ]),
        ZoneCase(
            name: "Kathmandu, +05:45", zone: "Asia/Kathmandu", endedAt: "2026-03-19T16:00:00+05:45",
            primaries: [
                "d1 primary Fri 2026-03-20 09:30 = 2026-03-20T03:45:00Z",
                "d3 primary Mon 2026-03-23 09:30 = 2026-03-23T03:45:00Z",
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T03:45:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T03:45:00Z",
            ]),
        ZoneCase(
            name: "Chatham, +13:45 falling back to +12:45 on Sun 2026-04-05", zone: "Pacific/Chatham",
            endedAt: "2026-04-02T16:00:00+13:45",
            primaries: [
                "d1 primary Fri 2026-04-03 09:30 = 2026-04-02T19:45:00Z",
                "d3 primary Mon 2026-04-06 09:30 = 2026-04-05T20:45:00Z",
                "d7 primary Mon 2026-04-13 09:30 = 2026-04-12T20:45:00Z",
                "d21 primary Mon 2026-04-27 09:30 = 2026-04-26T20:45:00Z",
            ]),
        ZoneCase(
            name: "Chatham, +12:45 springing to +13:45 on Sun 2026-09-27", zone: "Pacific/Chatham",
            endedAt: "2026-09-24T16:00:00+12:45",
            primaries: [
                "d1 primary Fri 2026-09-25 09:30 = 2026-09-24T20:45:00Z",
                "d3 primary Mon 2026-09-28 09:30 = 2026-09-27T19:45:00Z",
                "d7 primary Mon 2026-10-05 09:30 = 2026-10-04T19:45:00Z",
                "d21 primary Mon 2026-10-19 09:30 = 2026-10-18T19:45:00Z",
            ]),
        ZoneCase(
            // Thursday 16:00 in Berlin is already Friday 04:45 in Chatham: days count from the person's date.
            name: "a Berlin afternoon session seen from Chatham counts from the person's Friday",
            zone: "Pacific/Chatham", endedAt: "2026-03-19T16:00:00+01:00",
            primaries: [
                "d1 primary Mon 2026-03-23 09:30 = 2026-03-22T19:45:00Z",
                "d3 primary Tue 2026-03-24 09:30 = 2026-03-23T19:45:00Z",
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-29T19:45:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-12T20:45:00Z",
            ]),
    ]

    @Test("each send at 09:30 on the person's own clock, across clock changes and odd offsets", arguments: zoneCases)
    func zones(_ row: ZoneCase) throws {
        let training = try Fixture.training(endedAt: row.endedAt)
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone(row.zone)), rules: Fixture.rules(),
            history: .empty, now: training.endedAt)
        #expect(plan.primaryLines == row.primaries)
    }

    struct WeekendCase: Sendable, CustomTestStringConvertible {
        var endedAt: String
        var first: String
        var second: String
        var testDescription: String { "ended \(endedAt)" }
    }

    @Test(
        "a send that lands on a weekend moves to the next working morning",
        arguments: [
            WeekendCase(
                endedAt: "2026-05-06T16:00:00+02:00", first: "d1 primary Thu 2026-05-07 09:30 = 2026-05-07T07:30:00Z",
                second: "d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z"),
            WeekendCase(
                endedAt: "2026-05-07T16:00:00+02:00", first: "d1 primary Fri 2026-05-08 09:30 = 2026-05-08T07:30:00Z",
                second: "d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z"),
            // d1 lands on Saturday and moves to Monday; d3 (Monday itself) then waits a day: one DM per day.
            WeekendCase(
                endedAt: "2026-05-08T16:00:00+02:00", first: "d1 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                second: "d3 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z"),
            WeekendCase(
                endedAt: "2026-05-09T13:00:00+02:00", first: "d1 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                second: "d3 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z"),
        ])
    func weekends(_ row: WeekendCase) throws {
        let training = try Fixture.training(endedAt: row.endedAt)
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")), rules: Fixture.rules(),
            history: .empty, now: training.endedAt)
        #expect(Array(plan.primaryLines.prefix(2)) == [row.first, row.second])
    }

    struct HoursCase: Sendable, CustomTestStringConvertible {
        var zone: String
        var days: Set<Weekday>
        var start: String
        var end: String
        var endedAt: String
        var firstSend: String
        var testDescription: String { "\(zone) \(start)–\(end)" }
    }

    static let mondayToFriday = Weekday.mondayToFriday
    static let sundayToThursday: Set<Weekday> = [.sunday, .monday, .tuesday, .wednesday, .thursday]

    @Test(
        "never after 12:00 on the last working day of the week, even when working hours start later",
        arguments: [
            HoursCase(
                zone: "Europe/Berlin", days: mondayToFriday, start: "09:30", end: "16:30",
                endedAt: "2026-05-07T16:00:00+02:00",
                firstSend: "d1 primary Fri 2026-05-08 09:30 = 2026-05-08T07:30:00Z"),
            HoursCase(
                zone: "Europe/Berlin", days: mondayToFriday, start: "11:00", end: "19:00",
                endedAt: "2026-05-07T16:00:00+02:00",
                firstSend: "d1 primary Fri 2026-05-08 11:00 = 2026-05-08T09:00:00Z"),
            HoursCase(
                zone: "Europe/Berlin", days: mondayToFriday, start: "11:59", end: "19:00",
                endedAt: "2026-05-07T16:00:00+02:00",
                firstSend: "d1 primary Fri 2026-05-08 11:59 = 2026-05-08T09:59:00Z"),
            HoursCase(
                zone: "Europe/Berlin", days: mondayToFriday, start: "12:00", end: "20:00",
                endedAt: "2026-05-07T16:00:00+02:00",
                firstSend: "d1 primary Mon 2026-05-11 12:00 = 2026-05-11T10:00:00Z"),
            HoursCase(
                zone: "Europe/Berlin", days: mondayToFriday, start: "14:00", end: "22:00",
                endedAt: "2026-05-07T16:00:00+02:00",
                firstSend: "d1 primary Mon 2026-05-11 14:00 = 2026-05-11T12:00:00Z"),
            // A Sunday–Thursday week: Thursday afternoon is the one before the weekend.
            HoursCase(
                zone: "Asia/Jerusalem", days: sundayToThursday, start: "12:30", end: "20:00",
                endedAt: "2026-05-06T16:00:00+03:00",
                firstSend: "d1 primary Sun 2026-05-10 12:30 = 2026-05-10T09:30:00Z"),
            HoursCase(
                zone: "Asia/Jerusalem", days: sundayToThursday, start: "09:00", end: "17:00",
                endedAt: "2026-05-06T16:00:00+03:00",
                firstSend: "d1 primary Thu 2026-05-07 09:00 = 2026-05-07T06:00:00Z"),
        ])
    func noFridayAfternoon(_ row: HoursCase) throws {
        let training = try Fixture.training(endedAt: row.endedAt)
        let person = Fixture.person(
            try Fixture.zone(row.zone), hours: try Fixture.hours(row.days, row.start, row.end))
        let plan = NudgePlanner.plan(
            training: training, person: person, rules: Fixture.rules(), history: .empty, now: training.endedAt)
        #expect(plan.primaryLines.first == row.firstSend)
    }

    struct NightShiftCase: Sendable, CustomTestStringConvertible {
        var name: String
        var start: String
        var endedAt: String
        var firstSend: String
        var testDescription: String { name }
    }

    @Test(
        "a window starting at a wall time that does not exist or happens twice resolves as documented",
        arguments: [
            NightShiftCase(
                name: "02:00 does not exist in Berlin on 2026-03-29: the send moves to 03:00 CEST", start: "02:00",
                endedAt: "2026-03-28T01:00:00+01:00",
                firstSend: "d1 primary Sun 2026-03-29 03:00 = 2026-03-29T01:00:00Z"),
            NightShiftCase(
                name: "02:30 happens twice in Berlin on 2026-10-25: the first one (CEST)", start: "02:30",
                endedAt: "2026-10-24T01:00:00+02:00",
                firstSend: "d1 primary Sun 2026-10-25 02:30 = 2026-10-25T00:30:00Z"),
        ])
    func nightShift(_ row: NightShiftCase) throws {
        let training = try Fixture.training(endedAt: row.endedAt)
        let person = Fixture.person(
            try Fixture.zone("Europe/Berlin"), hours: try Fixture.hours(Set(Weekday.allCases), row.start, "10:00"))
        let plan = NudgePlanner.plan(
            training: training, person: person, rules: Fixture.rules(), history: .empty, now: training.endedAt)
        #expect(plan.primaryLines.first == row.firstSend)
    }

    struct HolidayCase: Sendable, CustomTestStringConvertible {
        var name: String
        var endedAt: String
        var holidays: [String]
        var firstTwo: [String]
        var testDescription: String { name }
    }

    @Test(
        "configured holidays are skipped like weekends",
        arguments: [
            HolidayCase(
                name: "Ascension Thursday pushes d1 to Friday", endedAt: "2026-05-13T16:00:00+02:00",
                holidays: ["2026-05-14"],
                firstTwo: [
                    "d1 primary Fri 2026-05-15 09:30 = 2026-05-15T07:30:00Z",
                    "d3 primary Mon 2026-05-18 09:30 = 2026-05-18T07:30:00Z",
                ]),
            HolidayCase(
                name: "Easter Monday after a weekend pushes d3 to Tuesday", endedAt: "2026-04-01T16:00:00+02:00",
                holidays: ["2026-04-03", "2026-04-06"],
                firstTwo: [
                    "d1 primary Thu 2026-04-02 09:30 = 2026-04-02T07:30:00Z",
                    "d3 primary Tue 2026-04-07 09:30 = 2026-04-07T07:30:00Z",
                ]),
            HolidayCase(
                name: "Good Friday, a weekend and Easter Monday in a row", endedAt: "2026-04-02T16:00:00+02:00",
                holidays: ["2026-04-03", "2026-04-06"],
                firstTwo: [
                    "d1 primary Tue 2026-04-07 09:30 = 2026-04-07T07:30:00Z",
                    "d3 primary Wed 2026-04-08 09:30 = 2026-04-08T07:30:00Z",
                ]),
        ])
    func holidays(_ row: HolidayCase) throws {
        let training = try Fixture.training(endedAt: row.endedAt)
        let holidays = Set(try row.holidays.map(Fixture.date))
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")),
            rules: Fixture.rules(holidays: holidays), history: .empty, now: training.endedAt)
        #expect(Array(plan.primaryLines.prefix(2)) == row.firstTwo)
    }

    @Test("a reminder counts working days and skips a holiday")
    func reminderSkipsHoliday() throws {
        let training = try Fixture.training(endedAt: "2026-03-19T16:00:00+01:00")
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")),
            rules: Fixture.rules(holidays: [try Fixture.date("2026-03-25")]), history: .empty, now: training.endedAt)
        #expect(plan.plannedLines.contains("d3 reminder Thu 2026-03-26 09:30 = 2026-03-26T08:30:00Z"))
        #expect(!plan.planned.contains { $0.local.date == LocalDate("2026-03-25") })
    }

    struct DefaultZoneCase: Sendable, CustomTestStringConvertible {
        var defaultZone: String
        var firstSend: String
        var testDescription: String { defaultZone }
    }

    @Test(
        "a person without a known zone is planned in the rules' default zone",
        arguments: [
            DefaultZoneCase(defaultZone: "GMT", firstSend: "d1 primary Fri 2026-03-20 09:30 = 2026-03-20T09:30:00Z"),
            DefaultZoneCase(
                defaultZone: "Asia/Kolkata", firstSend: "d1 primary Fri 2026-03-20 09:30 = 2026-03-20T04:00:00Z"),
            DefaultZoneCase(
                defaultZone: "America/New_York", firstSend: "d1 primary Fri 2026-03-20 09:30 = 2026-03-20T13:30:00Z"),
        ])
    func defaultZone(_ row: DefaultZoneCase) throws {
        let training = try Fixture.training(endedAt: "2026-03-19T12:00:00Z")
        let zone = try Fixture.zone(row.defaultZone)
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(nil), rules: Fixture.rules(zone: zone), history: .empty,
            now: training.endedAt)
        #expect(plan.primaryLines.first == row.firstSend)
        #expect(plan.planned.first?.timeZoneID == zone.identifier)
    }
}
