import Foundation
import Testing

@testable import DebriefCore

/// How many DMs a person gets: the weekly and daily budget across trainings, and reminders.
@Suite("Nudge planner: budgets and reminders")
struct NudgeBudgetTests {
    @Test("two overlapping trainings share two DMs a week: the third send of a week moves to the next week")
    func weeklyCapAcrossTrainings() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let first = try Fixture.training("a", endedAt: "2026-05-04T16:00:00+02:00")
        let second = try Fixture.training("b", endedAt: "2026-05-05T16:00:00+02:00")
        let plan = NudgePlanner.plan(
            trainings: [second, first], person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil),
            history: .empty, now: first.endedAt)
        #expect(
            plan.plannedLines == [
                "a:d1 primary Tue 2026-05-05 09:30 = 2026-05-05T07:30:00Z",
                "b:d1 primary Wed 2026-05-06 09:30 = 2026-05-06T07:30:00Z",
                // a:d3 was due Thursday, b:d3 Friday: week 19 already has two.
                "a:d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                "b:d3 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z",
                "a:d7 primary Mon 2026-05-18 09:30 = 2026-05-18T07:30:00Z",
                "b:d7 primary Tue 2026-05-19 09:30 = 2026-05-19T07:30:00Z",
                "a:d21 primary Mon 2026-05-25 09:30 = 2026-05-25T07:30:00Z",
                "b:d21 primary Tue 2026-05-26 09:30 = 2026-05-26T07:30:00Z",
            ])
        let perWeek = Dictionary(grouping: plan.planned, by: { $0.local.date.week }).mapValues(\.count)
        #expect(perWeek.values.allSatisfy { $0 <= 2 })
    }

    @Test("another training's sends this week count against the budget of this one")
    func weeklyCapCountsHistoryOfOtherTrainings() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let training = try Fixture.training(endedAt: "2026-05-05T16:00:00+02:00")
        let history = NudgeHistory(sends: [
            SentNudge(
                trainingID: "other", stageID: "d3", kind: .primary, at: try Fixture.instant("2026-05-04T07:30:00Z")),
            SentNudge(
                trainingID: "other", stageID: "d7", kind: .primary, at: try Fixture.instant("2026-05-05T07:30:00Z")),
        ])
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil), history: history,
            now: training.endedAt)
        #expect(plan.primaryLines.first == "d1 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z")
    }

    @Test("a send the budget deferred is not mistaken for a late one when re-planning days later")
    func deferredIsNotLate() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let first = try Fixture.training("a", endedAt: "2026-05-04T16:00:00+02:00")
        let second = try Fixture.training("b", endedAt: "2026-05-05T16:00:00+02:00")
        let history = NudgeHistory(sends: [
            SentNudge(trainingID: "a", stageID: "d1", kind: .primary, at: try Fixture.instant("2026-05-05T07:30:00Z")),
            SentNudge(trainingID: "b", stageID: "d1", kind: .primary, at: try Fixture.instant("2026-05-06T07:30:00Z")),
        ])
        // Saturday: a:d3 (due Thursday) and b:d3 (due Friday) are days "behind" the calendar, but only deferred.
        let plan = NudgePlanner.plan(
            trainings: [first, second], person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil),
            history: history, now: try Fixture.instant("2026-05-09T12:00:00Z"))
        #expect(
            Array(plan.plannedLines.prefix(2)) == [
                "a:d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                "b:d3 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z",
            ])
        #expect(plan.cancelled.isEmpty)
    }

    @Test("reflecting while d1 waits for budget cancels d1 only, not d3 as well")
    func reflectionWhileDeferred() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let training = try Fixture.training(endedAt: "2026-05-05T16:00:00+02:00")
        let history = NudgeHistory(
            sends: [
                SentNudge(
                    trainingID: "other", stageID: "d3", kind: .primary, at: try Fixture.instant("2026-05-04T07:30:00Z")),
                SentNudge(
                    trainingID: "other", stageID: "d7", kind: .primary, at: try Fixture.instant("2026-05-05T07:30:00Z")),
            ],
            reflections: [TrainingReflection(trainingID: "t1", at: try Fixture.instant("2026-05-07T12:00:00Z"))])
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil), history: history,
            now: try Fixture.instant("2026-05-07T12:01:00Z"))
        #expect(plan.cancelledLines == ["d1 primary alreadyReflected"])
        #expect(plan.primaryLines.first == "d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z")
    }

    /// Training ended Mon 2026-05-04 16:00 in Berlin: d1 Tue 05-05, d3 Thu 05-07 (week 19), d7 Mon 05-11.
    @Test("a snoozed nudge that comes back counts toward the week: the next stage moves to the next week")
    func snoozedReturnCountsTowardTheWeek() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let training = try Fixture.training(endedAt: "2026-05-04T16:00:00+02:00")
        let history = NudgeHistory(
            sends: [
                SentNudge(
                    trainingID: "t1", stageID: "d1", kind: .primary, at: try Fixture.instant("2026-05-05T07:30:00Z"))
            ],
            snoozes: [StageAction(trainingID: "t1", stageID: "d1", at: try Fixture.instant("2026-05-05T07:45:00Z"))])
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil), history: history,
            now: try Fixture.instant("2026-05-05T07:46:00Z"))
        #expect(
            plan.plannedLines == [
                // What the person asked for: the same question, the next morning.
                "d1 snoozed Wed 2026-05-06 09:30 = 2026-05-06T07:30:00Z",
                // Tuesday and Wednesday used week 19's two; d3 waits for Monday, and d7 for the day after.
                "d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                "d7 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z",
                "d21 primary Mon 2026-05-25 09:30 = 2026-05-25T07:30:00Z",
            ])
        #expect(plan.cancelled.isEmpty)
    }

    @Test("a snooze in a week whose two DMs already went out comes back on the first morning of the next week")
    func snoozeInAFullWeek() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let training = try Fixture.training(endedAt: "2026-05-05T16:00:00+02:00")
        // Another training already sent Monday; this one's d1 went out Wednesday and is snoozed.
        let history = NudgeHistory(
            sends: [
                SentNudge(
                    trainingID: "other", stageID: "d7", kind: .primary, at: try Fixture.instant("2026-05-04T07:30:00Z")),
                SentNudge(
                    trainingID: "t1", stageID: "d1", kind: .primary, at: try Fixture.instant("2026-05-06T07:30:00Z")),
            ],
            snoozes: [StageAction(trainingID: "t1", stageID: "d1", at: try Fixture.instant("2026-05-06T08:00:00Z"))])
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil), history: history,
            now: try Fixture.instant("2026-05-06T08:01:00Z"))
        #expect(
            Array(plan.plannedLines.prefix(2)) == [
                "d1 snoozed Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                "d3 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z",
            ])
        #expect(plan.cancelled.isEmpty, "the snoozed question is never dropped for budget")
    }

    @Test("a snoozed return takes its day before another training's planned nudge, which moves instead")
    func snoozedReturnBeforeOtherTrainings() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let first = try Fixture.training("a", endedAt: "2026-05-04T16:00:00+02:00")
        let second = try Fixture.training("b", endedAt: "2026-05-05T16:00:00+02:00")
        // a:d1 went out Tuesday and was snoozed; b:d1 was planned for Wednesday.
        let history = NudgeHistory(
            sends: [
                SentNudge(
                    trainingID: "a", stageID: "d1", kind: .primary, at: try Fixture.instant("2026-05-05T07:30:00Z"))
            ],
            snoozes: [StageAction(trainingID: "a", stageID: "d1", at: try Fixture.instant("2026-05-05T09:00:00Z"))])
        let plan = NudgePlanner.plan(
            trainings: [first, second], person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil),
            history: history, now: try Fixture.instant("2026-05-05T09:01:00Z"))
        #expect(
            Array(plan.plannedLines.prefix(3)) == [
                "a:d1 snoozed Wed 2026-05-06 09:30 = 2026-05-06T07:30:00Z",
                "b:d1 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                "a:d3 primary Tue 2026-05-12 09:30 = 2026-05-12T07:30:00Z",
            ])
    }

    struct CapCase: Sendable, CustomTestStringConvertible {
        var maximumPerWeek: Int
        var primaries: [String]
        var testDescription: String { "at most \(maximumPerWeek) a week" }
    }

    @Test(
        "the weekly budget is configurable",
        arguments: [
            CapCase(
                maximumPerWeek: 1,
                primaries: [
                    "d1 primary Tue 2026-05-05 09:30 = 2026-05-05T07:30:00Z",
                    "d3 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                    "d7 primary Mon 2026-05-18 09:30 = 2026-05-18T07:30:00Z",
                    "d21 primary Mon 2026-05-25 09:30 = 2026-05-25T07:30:00Z",
                ]),
            CapCase(
                maximumPerWeek: 2,
                primaries: [
                    "d1 primary Tue 2026-05-05 09:30 = 2026-05-05T07:30:00Z",
                    "d3 primary Thu 2026-05-07 09:30 = 2026-05-07T07:30:00Z",
                    "d7 primary Mon 2026-05-11 09:30 = 2026-05-11T07:30:00Z",
                    "d21 primary Mon 2026-05-25 09:30 = 2026-05-25T07:30:00Z",
                ]),
        ])
    func configurableCap(_ row: CapCase) throws {
        let training = try Fixture.training(endedAt: "2026-05-04T16:00:00+02:00")
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")),
            rules: Fixture.rules(reminder: nil, maximumPerWeek: row.maximumPerWeek), history: .empty,
            now: training.endedAt)
        #expect(plan.primaryLines == row.primaries)
    }

    @Test("two trainings ending together never put two DMs on one day")
    func oneDMPerDay() throws {
        let berlin = try Fixture.zone("Europe/Berlin")
        let first = try Fixture.training("a", endedAt: "2026-05-04T16:00:00+02:00")
        let second = try Fixture.training("b", endedAt: "2026-05-04T16:00:00+02:00")
        let plan = NudgePlanner.plan(
            trainings: [first, second], person: Fixture.person(berlin), rules: Fixture.rules(reminder: nil),
            history: .empty, now: first.endedAt)
        #expect(
            Array(plan.plannedLines.prefix(2)) == [
                "a:d1 primary Tue 2026-05-05 09:30 = 2026-05-05T07:30:00Z",
                "b:d1 primary Wed 2026-05-06 09:30 = 2026-05-06T07:30:00Z",
            ])
        #expect(Set(plan.planned.map(\.local.date)).count == plan.planned.count)
    }

    struct ReminderCase: Sendable, CustomTestStringConvertible {
        var name: String
        var sends: [(String, NudgeKind, String)]
        var reflections: [(String?, String)] = []
        var reminder: ReminderRule? = ReminderRule()
        var now: String
        var planned: [String]
        var cancelled: [String]
        var testDescription: String { name }
    }

    // Training ended Thu 2026-03-19 16:00 in Berlin; d1 went out Fri 03-20, d3 Mon 03-23 (both 09:30).
    static let reminderCases: [ReminderCase] = [
        ReminderCase(
            name: "an unanswered stage gets one reminder two working days later",
            sends: [("d1", .primary, "2026-03-20T08:30:00Z"), ("d3", .primary, "2026-03-23T08:30:00Z")],
            now: "2026-03-23T12:00:00Z",
            planned: [
                "d3 reminder Wed 2026-03-25 09:30 = 2026-03-25T08:30:00Z",
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 reminder Wed 2026-04-01 09:30 = 2026-04-01T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ],
            cancelled: []),
        ReminderCase(
            name: "after its reminder a stage gets nothing more, however long it stays unanswered",
            sends: [
                ("d1", .primary, "2026-03-20T08:30:00Z"), ("d3", .primary, "2026-03-23T08:30:00Z"),
                ("d3", .reminder, "2026-03-25T08:30:00Z"),
            ],
            now: "2026-03-27T12:00:00Z",
            planned: [
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 reminder Wed 2026-04-01 09:30 = 2026-04-01T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ],
            cancelled: []),
        ReminderCase(
            name: "an answered stage gets no reminder",
            sends: [("d1", .primary, "2026-03-20T08:30:00Z"), ("d3", .primary, "2026-03-23T08:30:00Z")],
            reflections: [("d3", "2026-03-23T09:10:00Z")],
            now: "2026-03-23T09:15:00Z",
            planned: [
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 reminder Wed 2026-04-01 09:30 = 2026-04-01T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ],
            cancelled: ["d3 reminder alreadyReflected"]),
        ReminderCase(
            name: "with reminders turned off only primaries are planned",
            sends: [("d1", .primary, "2026-03-20T08:30:00Z"), ("d3", .primary, "2026-03-23T08:30:00Z")],
            reminder: nil, now: "2026-03-23T12:00:00Z",
            planned: [
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
            ],
            cancelled: []),
        ReminderCase(
            name: "a reminder that would reach the next stage is dropped; one that fits before it stays",
            sends: [("d1", .primary, "2026-03-20T08:30:00Z"), ("d3", .primary, "2026-03-23T08:30:00Z")],
            reminder: ReminderRule(afterWorkingDays: 5), now: "2026-03-23T12:00:00Z",
            planned: [
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 reminder Mon 2026-04-06 09:30 = 2026-04-06T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Mon 2026-04-20 09:30 = 2026-04-20T07:30:00Z",
            ],
            cancelled: ["d3 reminder supersededByNextStage"]),
    ]

    @Test("at most one reminder per stage, and only when the nudge went unanswered", arguments: reminderCases)
    func reminders(_ row: ReminderCase) throws {
        let training = try Fixture.training(endedAt: "2026-03-19T16:00:00+01:00")
        let history = NudgeHistory(
            sends: try row.sends.map {
                SentNudge(trainingID: "t1", stageID: $0.0, kind: $0.1, at: try Fixture.instant($0.2))
            },
            reflections: try row.reflections.map {
                TrainingReflection(trainingID: "t1", stageID: $0.0, at: try Fixture.instant($0.1))
            })
        var rules = Fixture.rules()
        rules.reminder = row.reminder
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")), rules: rules,
            history: history, now: try Fixture.instant(row.now))
        #expect(plan.plannedLines == row.planned)
        #expect(plan.cancelledLines == row.cancelled)
    }
}
