import Foundation
import Testing

@testable import DebriefCore

/// The habit after a training: when the offer, the recurring prompt, "Should I keep asking?", the silent stop
/// and the leaders' ask land, on the same calendar and caps as nudges. Every row is a calendar a person would
/// recognise; `now` is passed in, nothing sleeps.
@Suite("Habit planner")
struct HabitPlannerTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin") ?? .gmt

    static func state(since: String, interval: Int = 14, status: HabitStatus = .active) throws -> HabitState {
        HabitState(status: status, intervalDays: interval, since: try Fixture.instant(since))
    }

    static func prompt(_ n: Int, _ kind: HabitPromptKind, _ sentAt: String, answer: HabitAnswer? = nil) throws
        -> HabitPromptRecord
    {
        HabitPromptRecord(
            id: "m\(n)", slot: "recurring/\(n)", kind: kind, sentAt: try Fixture.instant(sentAt), answer: answer,
            answeredAt: answer == nil ? nil : try Fixture.instant(sentAt).addingTimeInterval(3600))
    }

    struct RecurringCase: Sendable, CustomTestStringConvertible {
        var note: String
        var zone: String = "Europe/Berlin"
        var since: String
        var interval: Int = 14
        var holidays: [String] = []
        var busy: [String] = []
        var pausedUntil: String?
        var expected: String
        var testDescription: String { note }
    }

    @Test(
        "the recurring prompt lands in working hours, after the interval, off weekends, holidays, full weeks and Mondays",
        arguments: [
            RecurringCase(
                note: "two weeks after the yes, at the start of the working day (Wed 09:30 CET)",
                since: "2026-12-02T09:00:00Z", expected: "2026-12-16T08:30:00Z"),
            RecurringCase(
                note: "a Monday belongs to the leaders' ask: Tuesday instead",
                since: "2026-12-07T09:00:00Z", expected: "2026-12-22T08:30:00Z"),
            RecurringCase(
                note: "due on a Saturday: not Monday (leaders first), Tuesday",
                since: "2026-12-05T09:00:00Z", expected: "2026-12-22T08:30:00Z"),
            RecurringCase(
                note: "a holiday moves it to the next working day",
                since: "2026-12-02T09:00:00Z", holidays: ["2026-12-16"], expected: "2026-12-17T08:30:00Z"),
            RecurringCase(
                note: "a week already holding two DMs (the cap) moves it to the next week's Tuesday",
                since: "2026-12-02T09:00:00Z", busy: ["2026-12-14T08:30:00Z", "2026-12-15T08:30:00Z"],
                expected: "2026-12-22T08:30:00Z"),
            RecurringCase(
                note: "a day already holding a DM moves it a day",
                since: "2026-12-02T09:00:00Z", busy: ["2026-12-16T12:00:00Z"], expected: "2026-12-17T08:30:00Z"),
            RecurringCase(
                note: "over the end of daylight saving time: 09:30 EST is 14:30Z, not 13:30Z",
                zone: "America/New_York", since: "2026-10-21T13:00:00Z", expected: "2026-11-04T14:30:00Z"),
            RecurringCase(
                note: "over the start of summer time in Berlin: 09:30 CEST is 07:30Z",
                since: "2026-03-18T08:30:00Z", expected: "2026-04-01T07:30:00Z"),
            RecurringCase(
                note: "a pause moves it after the pause (first working day with room, Monday excluded)",
                since: "2026-12-02T09:00:00Z", pausedUntil: "2027-01-04T00:00:00Z", expected: "2027-01-05T08:30:00Z"),
            RecurringCase(
                note: "a weekly interval", since: "2026-12-02T09:00:00Z", interval: 7, expected: "2026-12-09T08:30:00Z"),
        ])
    func recurring(_ row: RecurringCase) throws {
        let zone = try Fixture.zone(row.zone)
        let rules = Fixture.rules(zone: zone, holidays: Set(try row.holidays.map(Fixture.date)))
        var preferences = PersonPreferences()
        preferences.pausedUntil = try row.pausedUntil.map(Fixture.instant)
        let person = Fixture.person(zone, preferences: preferences)
        let since = try Fixture.instant(row.since)
        let step = HabitPlanner.nextPrompt(
            person: person, state: try Self.state(since: row.since, interval: row.interval), prompts: [], rules: rules,
            busy: try row.busy.map(Fixture.instant), now: since)
        #expect(step == .send(.recurring, at: try Fixture.instant(row.expected), ordinal: 1))
    }

    struct StopCase: Sendable, CustomTestStringConvertible {
        var note: String
        var prompts: [(Int, HabitPromptKind, String, HabitAnswer?)]
        var since = "2026-11-04T09:00:00Z"
        var interval = 14
        var expected: Expected
        var testDescription: String { note }

        enum Expected: Sendable {
            case send(HabitPromptKind, String, Int)
            case stop(String, Int)
        }
    }

    @Test(
        "adaptive stop: two ignored prompts bring one \"Should I keep asking?\"; no answer stops it when the next is due",
        arguments: [
            StopCase(
                note: "one ignored prompt: the next is an ordinary prompt",
                prompts: [(1, .recurring, "2026-11-18T08:30:00Z", nil)],
                expected: .send(.recurring, "2026-12-02T08:30:00Z", 2)),
            StopCase(
                note: "two ignored in a row: the third slot asks whether to keep asking",
                prompts: [(1, .recurring, "2026-11-18T08:30:00Z", nil), (2, .recurring, "2026-12-02T08:30:00Z", nil)],
                expected: .send(.keepAsking, "2026-12-16T08:30:00Z", 3)),
            StopCase(
                note: "an answered prompt breaks the run: one ignored since, so an ordinary prompt",
                prompts: [
                    (1, .recurring, "2026-11-18T08:30:00Z", .notNow), (2, .recurring, "2026-12-02T08:30:00Z", nil),
                ],
                expected: .send(.recurring, "2026-12-16T08:30:00Z", 3)),
            StopCase(
                note: "\"Should I keep asking?\" unanswered: stop, silently, when the next prompt would be due",
                prompts: [
                    (1, .recurring, "2026-11-18T08:30:00Z", nil), (2, .recurring, "2026-12-02T08:30:00Z", nil),
                    (3, .keepAsking, "2026-12-16T08:30:00Z", nil),
                ],
                expected: .stop("2026-12-30T08:30:00Z", 4)),
            StopCase(
                note: "\"Keep\": the count starts again from the answer",
                prompts: [
                    (1, .recurring, "2026-11-18T08:30:00Z", nil), (2, .recurring, "2026-12-02T08:30:00Z", nil),
                    (3, .keepAsking, "2026-12-16T08:30:00Z", .keep),
                ],
                since: "2026-12-16T09:00:00Z", expected: .send(.recurring, "2026-12-30T08:30:00Z", 4)),
            StopCase(
                note: "\"Less often\": twice the interval from the answer",
                prompts: [
                    (1, .recurring, "2026-11-18T08:30:00Z", nil), (2, .recurring, "2026-12-02T08:30:00Z", nil),
                    (3, .keepAsking, "2026-12-16T08:30:00Z", .lessOften),
                ],
                since: "2026-12-16T09:00:00Z", interval: 28, expected: .send(.recurring, "2027-01-13T08:30:00Z", 4)),
            StopCase(
                note: "after \"Keep\", two more ignored prompts ask again",
                prompts: [
                    (1, .recurring, "2026-11-18T08:30:00Z", nil), (2, .recurring, "2026-12-02T08:30:00Z", nil),
                    (3, .keepAsking, "2026-12-16T08:30:00Z", .keep), (4, .recurring, "2026-12-30T08:30:00Z", nil),
                    (5, .recurring, "2027-01-13T08:30:00Z", nil),
                ],
                since: "2026-12-16T09:00:00Z", expected: .send(.keepAsking, "2027-01-27T08:30:00Z", 6)),
        ])
    func adaptiveStop(_ row: StopCase) throws {
        let rules = Fixture.rules(zone: Self.berlin)
        let prompts = try row.prompts.map { try Self.prompt($0.0, $0.1, $0.2, answer: $0.3) }
        let now = try #require(prompts.last).sentAt.addingTimeInterval(60)
        let step = HabitPlanner.nextPrompt(
            person: Fixture.person(Self.berlin), state: try Self.state(since: row.since, interval: row.interval),
            prompts: prompts, rules: rules, busy: prompts.map(\.sentAt), now: max(now, try Fixture.instant(row.since)))
        switch row.expected {
        case .send(let kind, let at, let ordinal):
            #expect(step == .send(kind, at: try Fixture.instant(at), ordinal: ordinal))
        case .stop(let at, let ordinal):
            #expect(step == .stop(at: try Fixture.instant(at), ordinal: ordinal))
        }
    }

    @Test("nothing is planned for a person who said no, stopped, paused indefinitely by /reflect stop, or was erased")
    func nothingPlanned() throws {
        let rules = Fixture.rules(zone: Self.berlin)
        let now = try Fixture.instant("2026-12-02T09:00:00Z")
        for status in [HabitStatus.offered, .declined, .stopped] {
            #expect(
                HabitPlanner.nextPrompt(
                    person: Fixture.person(Self.berlin),
                    state: try Self.state(since: "2026-12-02T09:00:00Z", status: status),
                    prompts: [], rules: rules, busy: [], now: now) == .nothing)
        }
        let stopped = Fixture.person(Self.berlin, preferences: PersonPreferences(stopped: true))
        let erased = Fixture.person(Self.berlin, erased: true)
        for person in [stopped, erased] {
            #expect(
                HabitPlanner.nextPrompt(
                    person: person, state: try Self.state(since: "2026-12-02T09:00:00Z"), prompts: [], rules: rules,
                    busy: [], now: now) == .nothing)
            #expect(HabitPlanner.offerTime(person: person, rules: rules, busy: [], doneAt: now, now: now) == nil)
            #expect(HabitPlanner.leaderAsk(person: person, rules: rules, busy: [], now: now) == nil)
        }
    }

    @Test("a late server catches up once, at the first allowed moment from now, not with a burst")
    func lateCatchUp() throws {
        let rules = Fixture.rules(zone: Self.berlin)
        // Due Wed 2026-12-16; the server comes back Thu 2026-12-17 at 08:30 CET, before the window opens.
        let now = try Fixture.instant("2026-12-17T07:30:00Z")
        let step = HabitPlanner.nextPrompt(
            person: Fixture.person(Self.berlin), state: try Self.state(since: "2026-12-02T09:00:00Z"), prompts: [],
            rules: rules, busy: [], now: now)
        #expect(step == .send(.recurring, at: try Fixture.instant("2026-12-17T08:30:00Z"), ordinal: 1))
    }

    @Test(
        "the sequence is done once no nudge is planned and the last one was answered, or went unanswered three days",
        arguments: [
            (1, "2026-12-01T08:30:00Z", nil as String?, nil as String?),
            (0, "2026-12-01T08:30:00Z", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z"),
            (0, "2026-12-01T08:30:00Z", nil, "2026-12-04T08:30:00Z"),
        ])
    func sequenceDone(planned: Int, sentAt: String, answeredAt: String?, expected: String?) throws {
        let done = HabitPlanner.sequenceDone(
            plannedNudges: planned, lastSend: (try Fixture.instant(sentAt), try answeredAt.map(Fixture.instant)))
        #expect(done == (try expected.map(Fixture.instant)))
        #expect(HabitPlanner.sequenceDone(plannedNudges: 0, lastSend: nil) == nil)
    }

    @Test(
        "the offer goes at the first working moment with room after the sequence is done",
        arguments: [
            ("2026-12-05T10:00:00Z", [String](), "2026-12-07T08:30:00Z"),  // Saturday → Monday 09:30
            ("2026-12-08T15:00:00Z", [], "2026-12-09T08:30:00Z"),  // after the window → next morning
            ("2026-12-08T07:30:00Z", ["2026-12-07T08:30:00Z", "2026-12-08T08:30:00Z"], "2026-12-14T08:30:00Z"),
        ])
    func offer(doneAt: String, busy: [String], expected: String) throws {
        let rules = Fixture.rules(zone: Self.berlin)
        let done = try Fixture.instant(doneAt)
        let at = HabitPlanner.offerTime(
            person: Fixture.person(Self.berlin), rules: rules, busy: try busy.map(Fixture.instant), doneAt: done,
            now: done)
        #expect(at == (try Fixture.instant(expected)))
    }

    @Test(
        "leaders are asked first thing in their week, before anyone's recurring prompt",
        arguments: [
            ("2026-12-06T12:00:00Z", [String](), [String](), "2026-12-07T08:30:00Z"),  // Sunday → Monday 09:30
            ("2026-12-07T09:00:00Z", [], [], "2026-12-14T08:30:00Z"),  // Monday, window started → next Monday
            ("2026-12-06T12:00:00Z", [], ["2026-12-07"], "2026-12-08T08:30:00Z"),  // Monday holiday → Tuesday
            ("2026-12-06T12:00:00Z", ["2026-12-07T12:00:00Z"], [], "2026-12-14T08:30:00Z"),  // Monday full → next week
        ])
    func leaderAsk(now: String, busy: [String], holidays: [String], expected: String) throws {
        let rules = Fixture.rules(zone: Self.berlin, holidays: Set(try holidays.map(Fixture.date)))
        let ask = HabitPlanner.leaderAsk(
            person: Fixture.person(Self.berlin), rules: rules, busy: try busy.map(Fixture.instant),
            now: try Fixture.instant(now))
        #expect(ask?.at == (try Fixture.instant(expected)))
    }

    @Test(
        "DEBRIEF_HABIT_INTERVAL reads like a pause length, from a week to half a year",
        arguments: [
            ("2w", 14 as Int?), ("14d", 14), ("14", 14), ("3W", 21), ("1m", 30), ("26w", 182),
            ("3d", nil), ("0w", nil), ("27w", nil), ("soon", nil), ("-2w", nil), ("", nil),
            ("99999999999999999999w", nil),
        ])
    func interval(text: String, days: Int?) {
        #expect((try? HabitInterval.parse(text)) == days)
    }

    @Test("\"Less often\" doubles the interval and never passes half a year")
    func doubling() {
        #expect(HabitInterval.doubled(14) == 28)
        #expect(HabitInterval.doubled(120) == HabitState.maximumIntervalDays)
        #expect(HabitInterval.doubled(Int.max) == HabitState.maximumIntervalDays)
    }

    @Test("every answer belongs to the messages that offer it; nothing counts streaks or scores")
    func answers() {
        #expect(HabitAnswer.allowed(for: .offer) == [.yes, .noThanks])
        #expect(HabitAnswer.allowed(for: .keepAsking) == [.keep, .lessOften, .stop])
        #expect(!HabitAnswer.allowed(for: .recurring).contains(.lessOften))
    }
}

extension HabitPlannerTests {
    @Test("the silent stop keeps its moment however late the server looks at it (nothing is sent, nothing moves)")
    func stopIsStable() throws {
        let rules = Fixture.rules(zone: Self.berlin)
        let prompts = [
            try Self.prompt(1, .recurring, "2026-11-18T08:30:00Z"),
            try Self.prompt(2, .recurring, "2026-12-02T08:30:00Z"),
            try Self.prompt(3, .keepAsking, "2026-12-16T08:30:00Z"),
        ]
        let expected = HabitStep.stop(at: try Fixture.instant("2026-12-30T08:30:00Z"), ordinal: 4)
        for now in ["2026-12-16T09:00:00Z", "2026-12-30T12:00:00Z", "2027-01-08T15:00:00Z"] {
            let step = HabitPlanner.nextPrompt(
                person: Fixture.person(Self.berlin), state: try Self.state(since: "2026-11-04T09:00:00Z"),
                prompts: prompts, rules: rules, busy: [], now: try Fixture.instant(now))
            #expect(step == expected, "seen at \(now)")
        }
    }
}
