import Foundation
import Testing

@testable import DebriefCore

/// What stops or moves a nudge: reflections, snoozes, skips, pauses, stop, erasure, and lateness.
///
/// Every row uses the same training: it ended Thu 2026-03-19 16:00 in Berlin, so on its own it would send
/// d1 Fri 03-20, d3 Mon 03-23, d7 Mon 03-30 and d21 Mon 04-13, all at 09:30 local.
@Suite("Nudge planner: cancellations, snoozes and late sends")
struct NudgeCancellationTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var sends: [(String, NudgeKind, String)] = []
        var reflections: [(String, String?, String)] = []
        var snoozes: [(String, String)] = []
        var skips: [(String, String)] = []
        var preferences = PersonPreferences()
        var erased = false
        var holidays: [String] = []
        var now: String
        /// Only the lines of interest; checked as a prefix of the plan unless `exact`.
        var planned: [String]
        var cancelled: [String]
        var testDescription: String { name }
    }

    static func run(_ row: Row) throws -> NudgePlan {
        let training = try Fixture.training(endedAt: "2026-03-19T16:00:00+01:00")
        let history = NudgeHistory(
            sends: try row.sends.map {
                SentNudge(trainingID: "t1", stageID: $0.0, kind: $0.1, at: try Fixture.instant($0.2))
            },
            snoozes: try row.snoozes.map {
                StageAction(trainingID: "t1", stageID: $0.0, at: try Fixture.instant($0.1))
            },
            skips: try row.skips.map { StageAction(trainingID: "t1", stageID: $0.0, at: try Fixture.instant($0.1)) },
            reflections: try row.reflections.map {
                TrainingReflection(trainingID: $0.0, stageID: $0.1, at: try Fixture.instant($0.2))
            })
        let person = Fixture.person(
            try Fixture.zone("Europe/Berlin"), preferences: row.preferences, erased: row.erased)
        let rules = Fixture.rules(holidays: Set(try row.holidays.map(Fixture.date)))
        return NudgePlanner.plan(
            training: training, person: person, rules: rules, history: history, now: try Fixture.instant(row.now))
    }

    static let d1Sent = ("d1", NudgeKind.primary, "2026-03-20T08:30:00Z")
    static let d3Sent = ("d3", NudgeKind.primary, "2026-03-23T08:30:00Z")
    static let d7Sent = ("d7", NudgeKind.primary, "2026-03-30T07:30:00Z")

    static let reflectionRows: [Row] = [
        Row(
            name: "reflecting on the training before the first nudge cancels the first nudge",
            reflections: [("t1", nil, "2026-03-19T18:00:00Z")], now: "2026-03-19T18:05:00Z",
            planned: [
                "d3 primary Mon 2026-03-23 09:30 = 2026-03-23T08:30:00Z",
                "d3 reminder Wed 2026-03-25 09:30 = 2026-03-25T08:30:00Z",
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
            ],
            cancelled: ["d1 primary alreadyReflected"]),
        Row(
            name: "a reflection from before the training ended does not count",
            reflections: [("t1", nil, "2026-03-19T14:00:00Z")], now: "2026-03-19T18:05:00Z",
            planned: ["d1 primary Fri 2026-03-20 09:30 = 2026-03-20T08:30:00Z"],
            cancelled: ["d1 reminder supersededByNextStage"]),
        Row(
            name: "a reflection on another training changes nothing",
            reflections: [("t2", nil, "2026-03-19T18:00:00Z")], now: "2026-03-19T18:05:00Z",
            planned: ["d1 primary Fri 2026-03-20 09:30 = 2026-03-20T08:30:00Z"],
            cancelled: ["d1 reminder supersededByNextStage"]),
        Row(
            name: "answering d1 keeps d3 and drops d1's reminder",
            sends: [d1Sent], reflections: [("t1", "d1", "2026-03-20T09:00:00Z")], now: "2026-03-20T09:05:00Z",
            planned: ["d3 primary Mon 2026-03-23 09:30 = 2026-03-23T08:30:00Z"],
            cancelled: ["d1 reminder alreadyReflected"]),
        Row(
            name: "a reflection without a stage answers the latest nudge sent before it",
            sends: [d1Sent], reflections: [("t1", nil, "2026-03-20T09:00:00Z")], now: "2026-03-20T09:05:00Z",
            planned: ["d3 primary Mon 2026-03-23 09:30 = 2026-03-23T08:30:00Z"],
            cancelled: ["d1 reminder alreadyReflected"]),
        Row(
            name: "reflecting again after d3 went out (a late answer to d1) cancels d7",
            sends: [d1Sent, d3Sent], reflections: [("t1", "d1", "2026-03-24T10:00:00Z")],
            now: "2026-03-24T10:05:00Z",
            planned: [
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ],
            cancelled: ["d3 reminder alreadyReflected", "d7 primary alreadyReflected"]),
    ]

    @Test(
        "a stage is cancelled when the person already reflected on the training since the previous stage",
        arguments: reflectionRows)
    func reflections(_ row: Row) throws {
        let plan = try Self.run(row)
        #expect(Array(plan.plannedLines.prefix(row.planned.count)) == row.planned)
        #expect(plan.cancelledLines == row.cancelled)
    }

    static let snoozeRows: [Row] = [
        Row(
            name: "snoozed on Monday morning: back on Tuesday at the start of the window",
            sends: [d1Sent, d3Sent], snoozes: [("d3", "2026-03-23T08:40:00Z")], now: "2026-03-23T08:41:00Z",
            planned: ["d3 snoozed Tue 2026-03-24 09:30 = 2026-03-24T08:30:00Z"], cancelled: []),
        Row(
            name: "snoozed on Wednesday afternoon: back on Thursday morning, not Thursday afternoon",
            sends: [d1Sent, d3Sent], snoozes: [("d3", "2026-03-25T14:00:00Z")], now: "2026-03-25T14:01:00Z",
            planned: ["d3 snoozed Thu 2026-03-26 09:30 = 2026-03-26T08:30:00Z"], cancelled: []),
        Row(
            name: "snoozed on Friday: back on Monday",
            sends: [d1Sent, d3Sent, d7Sent], snoozes: [("d7", "2026-04-03T08:15:00Z")], now: "2026-04-03T08:16:00Z",
            planned: ["d7 snoozed Mon 2026-04-06 09:30 = 2026-04-06T07:30:00Z"], cancelled: []),
        Row(
            name: "snoozed on Friday before a holiday Monday: back on Tuesday",
            sends: [d1Sent, d3Sent, d7Sent], snoozes: [("d7", "2026-04-03T08:15:00Z")], holidays: ["2026-04-06"],
            now: "2026-04-03T08:16:00Z",
            planned: ["d7 snoozed Tue 2026-04-07 09:30 = 2026-04-07T07:30:00Z"], cancelled: []),
        Row(
            // The person asked for d3 again; d7 is the one that waits a day.
            name: "a snooze that lands on the next stage's day comes back, and the next stage moves a day",
            sends: [d1Sent, d3Sent], snoozes: [("d3", "2026-03-27T08:15:00Z")], now: "2026-03-27T08:16:00Z",
            planned: [
                "d3 snoozed Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 primary Tue 2026-03-31 09:30 = 2026-03-31T07:30:00Z",
            ],
            cancelled: []),
        Row(
            // Week 13 already had d3 (Monday) and its first return (Tuesday): a third DM on Wednesday would
            // break the weekly cap, so the question comes back on the first morning of week 14, before d7.
            name: "the snoozed nudge is snoozed again: it comes back once more, in the next week with room",
            sends: [d1Sent, d3Sent, ("d3", .snoozed, "2026-03-24T08:30:00Z")],
            snoozes: [("d3", "2026-03-23T08:40:00Z"), ("d3", "2026-03-24T08:45:00Z")], now: "2026-03-24T08:46:00Z",
            planned: [
                "d3 snoozed Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 primary Tue 2026-03-31 09:30 = 2026-03-31T07:30:00Z",
            ],
            cancelled: []),
    ]

    @Test("\"Snooze 1 day\" brings the nudge back the next working morning", arguments: snoozeRows)
    func snoozes(_ row: Row) throws {
        let plan = try Self.run(row)
        #expect(Array(plan.plannedLines.prefix(row.planned.count)) == row.planned)
        #expect(plan.cancelledLines == row.cancelled)
        // A snooze replaces the automatic reminder of that stage.
        let stage = row.snoozes.first?.0
        #expect(!plan.planned.contains { $0.stageID == stage && $0.kind == .reminder })
    }

    @Test("the dedupe key numbers repeated snoozes so each comes back once")
    func snoozeDedupeKeys() throws {
        let plan = try Self.run(Self.snoozeRows[5])
        #expect(plan.planned.first?.dedupeKey == "\(Fixture.alice.value)/t1/d3/snoozed/2")
    }

    static let stopRows: [Row] = [
        Row(
            name: "\"Not this one\" on d3 cancels its reminder; d7 still comes",
            sends: [d1Sent, d3Sent], skips: [("d3", "2026-03-23T09:00:00Z")], now: "2026-03-23T09:01:00Z",
            planned: ["d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z"], cancelled: ["d3 reminder skipped"]),
        Row(
            name: "a skip recorded for a stage not yet sent cancels that stage",
            sends: [d1Sent, d3Sent], skips: [("d7", "2026-03-23T09:00:00Z")], now: "2026-03-23T09:01:00Z",
            planned: [
                "d3 reminder Wed 2026-03-25 09:30 = 2026-03-25T08:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
            ],
            cancelled: ["d7 primary skipped"]),
        Row(
            name: "paused until Sat 03-28: d1 and d3 are dropped, not saved up; d7 and d21 come",
            preferences: PersonPreferences(pausedUntil: try? Fixture.instant("2026-03-28T00:00:00Z")),
            now: "2026-03-19T15:00:00Z",
            planned: [
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
                "d7 reminder Wed 2026-04-01 09:30 = 2026-04-01T07:30:00Z",
                "d21 primary Mon 2026-04-13 09:30 = 2026-04-13T07:30:00Z",
                "d21 reminder Wed 2026-04-15 09:30 = 2026-04-15T07:30:00Z",
            ],
            cancelled: ["d1 primary paused", "d3 primary paused"]),
        Row(
            name: "paused beyond the last stage: everything pending is cancelled",
            sends: [d1Sent], preferences: PersonPreferences(pausedUntil: try? Fixture.instant("2026-06-01T00:00:00Z")),
            now: "2026-03-20T09:00:00Z", planned: [],
            cancelled: ["d1 reminder paused", "d3 primary paused", "d7 primary paused", "d21 primary paused"]),
        Row(
            name: "/reflect stop cancels everything pending",
            sends: [d1Sent], preferences: PersonPreferences(stopped: true), now: "2026-03-20T09:00:00Z", planned: [],
            cancelled: ["d1 reminder stopped", "d3 primary stopped", "d7 primary stopped", "d21 primary stopped"]),
        Row(
            name: "erasure cancels everything pending",
            sends: [d1Sent], erased: true, now: "2026-03-20T09:00:00Z", planned: [],
            cancelled: ["d1 reminder erased", "d3 primary erased", "d7 primary erased", "d21 primary erased"]),
    ]

    @Test("skip, pause, stop and erasure", arguments: stopRows)
    func stops(_ row: Row) throws {
        let plan = try Self.run(row)
        #expect(Array(plan.plannedLines.prefix(row.planned.count)) == row.planned)
        if row.planned.isEmpty { #expect(plan.planned.isEmpty) }
        #expect(plan.cancelledLines == row.cancelled)
    }

    static let lateRows: [Row] = [
        Row(
            name: "the server was down at 09:30 and is back at 10:00: d1 goes now",
            now: "2026-03-20T09:00:00Z",
            planned: ["d1 primary Fri 2026-03-20 10:00 = 2026-03-20T09:00:00Z"],
            cancelled: ["d1 reminder supersededByNextStage"]),
        Row(
            name: "back after the window closed on Friday: d1 would meet d3 on Monday, so it is missed",
            now: "2026-03-20T10:30:00Z",
            planned: ["d3 primary Mon 2026-03-23 09:30 = 2026-03-23T08:30:00Z"], cancelled: ["d1 primary missed"]),
        Row(
            name: "training registered on Monday at 10:00: only d3 goes, right away, d1 is not replayed",
            now: "2026-03-23T09:00:00Z",
            planned: [
                "d3 primary Mon 2026-03-23 10:00 = 2026-03-23T09:00:00Z",
                "d3 reminder Wed 2026-03-25 09:30 = 2026-03-25T08:30:00Z",
                "d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z",
            ],
            cancelled: ["d1 primary missed"]),
        Row(
            name: "d3 more than two days late is dropped; d7 keeps its own day",
            now: "2026-03-25T12:00:00Z",
            planned: ["d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z"],
            cancelled: ["d1 primary missed", "d3 primary missed"]),
        Row(
            name: "a training registered a month late sends nothing at all",
            now: "2026-04-20T09:00:00Z", planned: [],
            cancelled: ["d1 primary missed", "d3 primary missed", "d7 primary missed", "d21 primary missed"]),
        Row(
            name: "down from Friday to Friday: d1's reminder and d3 are dropped, d7 keeps its day",
            sends: [d1Sent], now: "2026-03-27T09:00:00Z",
            planned: ["d7 primary Mon 2026-03-30 09:30 = 2026-03-30T07:30:00Z"],
            cancelled: ["d1 reminder missed", "d3 primary missed"]),
    ]

    @Test(
        "sends whose time passed are not replayed in a burst: at most one late send per training",
        arguments: lateRows)
    func lateSends(_ row: Row) throws {
        let plan = try Self.run(row)
        #expect(Array(plan.plannedLines.prefix(row.planned.count)) == row.planned)
        if row.planned.isEmpty { #expect(plan.planned.isEmpty) }
        #expect(plan.cancelledLines == row.cancelled)
    }
}
