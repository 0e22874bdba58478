import Foundation
import Testing

@testable import DebriefCore

@Suite("Nudge sequences and stored plans")
struct NudgeSequenceTests {
    @Test("the default sequence is +1, +3, +7 and +21 days")
    func defaultSequence() {
        #expect(NudgeSequence.default.stages.map(\.id) == ["d1", "d3", "d7", "d21"])
        #expect(NudgeSequence.default.stages.map(\.dayOffset) == [1, 3, 7, 21])
    }

    struct ProblemCase: Sendable, CustomTestStringConvertible {
        var stages: [NudgeStage]
        var problem: NudgeSequenceProblem
        var testDescription: String { problem.description }
    }

    @Test(
        "a sequence the planner could not follow is rejected with a message naming the stage",
        arguments: [
            ProblemCase(stages: [], problem: .noStages),
            ProblemCase(stages: [NudgeStage(id: " ", dayOffset: 1)], problem: .blankStageID),
            ProblemCase(
                stages: [NudgeStage(id: "d1", dayOffset: 1), NudgeStage(id: "d1", dayOffset: 3)],
                problem: .duplicateStageID("d1")),
            ProblemCase(stages: [NudgeStage(id: "d0", dayOffset: -1)], problem: .negativeOffset(stageID: "d0")),
            ProblemCase(
                stages: [NudgeStage(id: "d3", dayOffset: 3), NudgeStage(id: "d1", dayOffset: 1)],
                problem: .offsetsNotIncreasing(stageID: "d1")),
        ])
    func problems(_ row: ProblemCase) {
        #expect(throws: row.problem) { try NudgeSequence(id: "x", stages: row.stages) }
    }

    @Test("decoding checks the same rules")
    func decodingValidates() {
        let json = #"{"id":"x","stages":[{"id":"d3","dayOffset":3},{"id":"d1","dayOffset":1}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NudgeSequence.self, from: Data(json.utf8)) }
    }

    @Test("a plan survives the job queue's JSON round trip, with readable dates")
    func planRoundTrip() throws {
        let training = try Fixture.training(endedAt: "2026-03-19T16:00:00+01:00")
        let plan = NudgePlanner.plan(
            training: training, person: Fixture.person(try Fixture.zone("Europe/Berlin")), rules: Fixture.rules(),
            history: .empty, now: training.endedAt)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(plan)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(NudgePlan.self, from: data) == plan)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""date":"2026-03-20""#))
        #expect(text.contains(#""time":"09:30""#))
    }

    @Test("rules and people round-trip too, so configuration can be stored")
    func rulesRoundTrip() throws {
        let rules = CalendarRules(
            defaultTimeZone: try Fixture.zone("Asia/Kathmandu"), holidays: [try Fixture.date("2026-12-25")],
            reminder: nil)
        let person = Fixture.person(
            try Fixture.zone("Pacific/Chatham"), hours: try Fixture.hours([.monday], "08:00", "12:00"))
        #expect(try JSONDecoder().decode(CalendarRules.self, from: JSONEncoder().encode(rules)) == rules)
        #expect(try JSONDecoder().decode(PersonCalendar.self, from: JSONEncoder().encode(person)) == person)
    }
}
