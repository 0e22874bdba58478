import Foundation
import Testing

@testable import DebriefCore

/// Runs the planner the way the scheduler does: plan, send the first nudge when it is due, record it, plan
/// again. Checks what a person would experience over the whole sequence, in many zones and weeks.
@Suite("Nudge planner: a whole sequence, as delivered")
struct NudgeSimulationTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var zone: String
        var endedAt: String
        var holidays: [String] = []
        var testDescription: String { "\(zone) ended \(endedAt)" }
    }

    static let scenarios: [Scenario] = {
        var rows: [Scenario] = []
        let zones = [
            "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu",
            "Pacific/Chatham", "America/Los_Angeles", "Pacific/Auckland", "GMT", "Australia/Lord_Howe",
            "Pacific/Kiritimati", "America/Santiago",
        ]
        // Sessions on each weekday of a week with a clock change in Europe and one in the south.
        let ends = [
            "2026-03-23T15:00:00Z", "2026-03-24T15:00:00Z", "2026-03-25T15:00:00Z", "2026-03-26T15:00:00Z",
            "2026-03-27T15:00:00Z", "2026-03-28T10:00:00Z", "2026-10-19T23:00:00Z", "2026-10-22T15:00:00Z",
            "2026-12-23T16:00:00Z",
        ]
        for zone in zones {
            for end in ends { rows.append(Scenario(zone: zone, endedAt: end)) }
        }
        rows.append(
            Scenario(
                zone: "Europe/Berlin", endedAt: "2026-03-31T14:00:00Z",
                holidays: ["2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25"]))
        rows.append(
            Scenario(
                zone: "Europe/Berlin", endedAt: "2026-12-22T14:00:00Z",
                holidays: ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]))
        return rows
    }()

    /// Delivers every planned nudge, re-planning after each send. A person who never reacts unless
    /// `snoozesFirstSends`: then they press "Snooze 1 day" ten minutes after every primary nudge.
    static func deliver(
        _ trainings: [TrainingSchedule], person: PersonCalendar, rules: CalendarRules, snoozesFirstSends: Bool = false
    ) -> [PlannedNudge] {
        var history = NudgeHistory.empty
        var now = trainings.map(\.endedAt).min() ?? Date(timeIntervalSince1970: 0)
        var delivered: [PlannedNudge] = []
        var plan = NudgePlanner.plan(trainings: trainings, person: person, rules: rules, history: history, now: now)
        while let next = plan.planned.first, delivered.count < 50 {
            delivered.append(next)
            now = next.at
            history.sends.append(
                SentNudge(trainingID: next.trainingID, stageID: next.stageID, kind: next.kind, at: next.at))
            let snoozes = snoozesFirstSends && next.kind == .primary
            if snoozes {
                now = next.at.addingTimeInterval(600)
                history.snoozes.append(StageAction(trainingID: next.trainingID, stageID: next.stageID, at: now))
            }
            let replanned = NudgePlanner.plan(
                trainings: trainings, person: person, rules: rules, history: history, now: now)
            // Sending exactly what was planned must not move anything else.
            if !snoozes {
                #expect(replanned.planned == Array(plan.planned.dropFirst()), "plan moved after sending \(next.line)")
            }
            plan = replanned
        }
        return delivered
    }

    /// The zones testers found tricky (half-hour DST, +13:45, +14:00, southern DST) and no zone at all.
    static let snoozeScenarios: [Scenario] = {
        let zones = [
            "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Pacific/Kiritimati", "America/Santiago",
            "none",
        ]
        let ends = [
            "2026-03-23T15:00:00Z", "2026-03-24T15:00:00Z", "2026-03-27T15:00:00Z", "2026-04-01T15:00:00Z",
            "2026-09-01T15:00:00Z", "2026-10-19T23:00:00Z", "2026-10-22T15:00:00Z",
        ]
        return zones.flatMap { zone in ends.map { Scenario(zone: zone, endedAt: $0) } }
    }()

    @Test(
        "a person who snoozes every nudge gets each question back once and never more than two DMs a week",
        arguments: snoozeScenarios)
    func snoozingPerson(_ scenario: Scenario) throws {
        let zone: TimeZone? = scenario.zone == "none" ? nil : try Fixture.zone(scenario.zone)
        let rules = CalendarRules(defaultTimeZone: try Fixture.zone("Europe/Berlin"))
        let training = try Fixture.training(endedAt: scenario.endedAt)
        let delivered = Self.deliver([training], person: Fixture.person(zone), rules: rules, snoozesFirstSends: true)
        try Self.checkHumane(delivered, training: [training], holidays: [])
        #expect(delivered.filter { $0.kind == .primary }.map(\.stageID) == ["d1", "d3", "d7", "d21"])
        // Every question comes back exactly once, on a later day than it first arrived, before the next one.
        #expect(delivered.filter { $0.kind == .snoozed }.map(\.stageID) == ["d1", "d3", "d7", "d21"])
        for (index, nudge) in delivered.enumerated() where nudge.kind == .primary {
            let back = delivered.dropFirst(index + 1).first
            #expect(back?.kind == .snoozed && back?.stageID == nudge.stageID, "\(nudge.line) did not come back next")
            #expect((back?.local.date).map { $0 > nudge.local.date } ?? false)
        }
    }

    @Test("every DM arrives in the person's morning window on a working day, within budget", arguments: scenarios)
    func wholeSequence(_ scenario: Scenario) throws {
        let zone = try Fixture.zone(scenario.zone)
        let holidays = Set(try scenario.holidays.map(Fixture.date))
        let rules = CalendarRules(defaultTimeZone: .gmt, holidays: holidays)
        let training = try Fixture.training(endedAt: scenario.endedAt)
        let delivered = Self.deliver([training], person: Fixture.person(zone), rules: rules)
        try Self.checkHumane(delivered, training: [training], holidays: holidays)
        #expect(delivered.filter { $0.kind == .primary }.map(\.stageID) == ["d1", "d3", "d7", "d21"])
    }

    @Test("three overlapping trainings in Sydney still respect two DMs a week and one a day")
    func overlappingTrainings() throws {
        let sydney = try Fixture.zone("Australia/Sydney")
        let trainings = [
            try Fixture.training("a", endedAt: "2026-03-30T05:00:00Z"),
            try Fixture.training("b", endedAt: "2026-03-31T05:00:00Z"),
            try Fixture.training("c", endedAt: "2026-04-02T05:00:00Z"),
        ]
        let delivered = Self.deliver(trainings, person: Fixture.person(sydney), rules: CalendarRules())
        try Self.checkHumane(delivered, training: trainings, holidays: [])
        for training in trainings {
            let stages = delivered.filter { $0.trainingID == training.id && $0.kind == .primary }.map(\.stageID)
            #expect(stages == ["d1", "d3", "d7", "d21"], "\(training.id) got \(stages)")
        }
    }

    static func checkHumane(_ delivered: [PlannedNudge], training: [TrainingSchedule], holidays: Set<LocalDate>) throws
    {
        let opening = try Fixture.time("09:30")
        let closing = try Fixture.time("11:00")
        let noon = try Fixture.time("12:00")
        for nudge in delivered {
            let day = nudge.local.date.weekday
            #expect(Weekday.mondayToFriday.contains(day), "\(nudge.line) on a weekend")
            #expect(!holidays.contains(nudge.local.date), "\(nudge.line) on a holiday")
            #expect(nudge.local.time >= opening && nudge.local.time < closing, "\(nudge.line) outside 09:30–11:00")
            #expect(day != .friday || nudge.local.time < noon, "\(nudge.line) on a Friday afternoon")
        }
        let perWeek = Dictionary(grouping: delivered) { $0.local.date.week }
        #expect(perWeek.values.allSatisfy { $0.count <= 2 }, "more than two DMs in a week")
        let perDay = Dictionary(grouping: delivered) { $0.local.date }
        #expect(perDay.values.allSatisfy { $0.count == 1 }, "two DMs on one day")
        let reminders = Dictionary(grouping: delivered.filter { $0.kind == .reminder }) {
            "\($0.trainingID)/\($0.stageID)"
        }
        #expect(reminders.values.allSatisfy { $0.count == 1 }, "a stage got two reminders")
        for schedule in training {
            let days = delivered.filter { $0.trainingID == schedule.id && $0.kind == .primary }.map(\.local.date)
            #expect(days == days.sorted() && Set(days).count == days.count, "stages out of order")
            #expect(delivered.allSatisfy { $0.trainingID != schedule.id || $0.at >= schedule.endedAt })
        }
    }
}
