import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// The habit after a training, through the fake Slack in simulated time: the last nudge answered → the offer
/// (once) → "Yes" → a recurring prompt two weeks later in working hours → ignored twice → "Should I keep
/// asking?" → "Less often" doubles the interval → ignored twice again → asked again → no answer → it stops,
/// silently. Time moves by a manual clock; nothing sleeps to prove that nothing was sent.
@Suite("Habit end to end")
struct HabitEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    static let berlin = "Europe/Berlin"

    /// Steps simulated time, letting the worker finish what is due at each step; returns the DMs to `U0001`
    /// posted meanwhile, with the simulated time they were seen.
    func run(_ server: TestServer, until end: Date, step: TimeInterval = 1_800) async throws -> [(Date, RecordedCall)] {
        var seen: [(Date, RecordedCall)] = []
        var counted = server.slack.calls("chat.postMessage").count
        while server.clock.now() < end {
            server.clock.advance(by: step)
            try await server.settle()
            let posts = server.slack.calls("chat.postMessage")
            for post in posts.dropFirst(counted) where post.string("channel") == "U0001" {
                seen.append((server.clock.now(), post))
            }
            counted = posts.count
        }
        return seen
    }

    func buttons(_ call: RecordedCall) -> [JSONValue] {
        (call.argument("blocks")?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
    }

    func actionIDs(_ call: RecordedCall) -> [String] { buttons(call).compactMap { $0["action_id"]?.stringValue } }

    func value(_ call: RecordedCall, _ actionID: String) throws -> String {
        try #require(buttons(call).first { $0["action_id"]?.stringValue == actionID }?["value"]?.stringValue)
    }

    /// "Tue 09:42" in Berlin.
    func local(_ date: Date) -> String { TrainingEndToEndTests.local(date, Self.berlin) }

    /// Inside the person's 09:30–11:00 window (seen at the end of a half-hour step), on a working day.
    func expectWorkingMorning(_ date: Date, notMonday: Bool, _ what: String) {
        let shown = local(date)
        let day = String(shown.prefix(3))
        let time = String(shown.dropFirst(4))
        #expect(!["Sat", "Sun"].contains(day) && !(notMonday && day == "Mon"), "\(what): \(shown)")
        #expect(time >= "09:30" && time <= "11:30", "\(what): \(shown)")
    }

    /// Waits (polling) for the post to a response URL a click's reply goes to.
    func responsePost(_ server: TestServer, id: String) async throws -> RecordedCall {
        guard let post = try await eventually(timeout: .seconds(5), { server.slack.responsePosts(id: id).first }) else {
            Issue.record("no reply posted to the response URL \(id)")
            throw CancellationError()
        }
        return post
    }

    func pseudonym() -> Pseudonym {
        Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: "U0001"))
    }

    @Test("last nudge answered → offer once → yes → prompts every other week → adaptive stop, less often, silent stop")
    func habitLifecycle() async throws {
        let prompts = try TrainingEndToEndTests.promptsWithWeeklySequence()
        // Thursday 19 November 2026, 15:30 UTC; the session ended at 16:00 in Berlin.
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z")) {
            $0.promptsDirectory = prompts
        }
        server.slack.setUser(FakeSlack.User(id: "U0001", timeZone: Self.berlin))
        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "Prompting", "ended_at": "2026-11-19T16:00:00+01:00", "sequence": "weekly",
                "participants": ["users": ["U0001"]],
            ])
        #expect(accepted.status == .accepted)
        try await server.settle()

        // The one-stage sequence: its nudge a week later. "Not this one" ends the sequence.
        let nudges = try await run(server, until: Self.date("2026-12-01T12:00:00Z"))
        let nudge = try #require(nudges.first { actionIDs($0.1).contains("nudge_skip") })
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "nudge_skip", value: try value(nudge.1, "nudge_skip"),
                responseURL: server.slack.responseURL(id: "skip")))
        try await server.settle()

        // The offer: once, on a working morning with room (not the nudge's day: one DM a day).
        let afterSkip = try await run(server, until: Self.date("2026-12-08T00:00:00Z"))
        let offers = afterSkip.filter { actionIDs($0.1).contains("habit_yes") }
        #expect(offers.count == 1, "asked once")
        let offer = try #require(offers.first)
        #expect(actionIDs(offer.1) == ["habit_yes", "habit_no_thanks"])
        #expect(offer.1.string("text")?.contains("every other week") == true)
        expectWorkingMorning(offer.0, notMonday: false, "offer")
        #expect(Calendar.current.isDate(offer.0, inSameDayAs: nudge.0) == false)

        let yesURL = server.slack.responseURL(id: "yes")
        let yesClick = try await server.postSigned(
            SlackBodies.blockAction(actionID: "habit_yes", value: try value(offer.1, "habit_yes"), responseURL: yesURL))
        #expect(yesClick.status == .ok)
        let replaced = try await responsePost(server, id: "yes")
        #expect(replaced.json?["replace_original"] == true)
        #expect(replaced.json?["text"]?.stringValue?.contains("every other week") == true)
        let yesAt = server.clock.now()
        #expect(try await server.store.habit(of: pseudonym())?.status == .active)

        let mine = try await server.postSigned(SlackBodies.slashCommand("mine"))
        #expect(mine.text.contains("Recurring prompt: on, every other week"), "\(mine.text)")

        // Two weeks later, in working hours (never a Monday: leaders speak first). Ignored twice.
        var recurring: [Date] = []
        var phase = try await run(server, until: yesAt.addingTimeInterval(29 * 86_400))
        for (at, call) in phase {
            #expect(actionIDs(call) == ["habit_reflect", "habit_not_now", "habit_stop"], "\(local(at))")
            expectWorkingMorning(at, notMonday: true, "recurring prompt")
            recurring.append(at)
        }
        #expect(recurring.count == 2)
        let first = try #require(recurring.first)
        #expect(first.timeIntervalSince(yesAt) >= 13 * 86_400 && first.timeIntervalSince(yesAt) <= 16 * 86_400)

        // The third slot asks instead whether to keep asking.
        phase = try await run(server, until: try #require(recurring.last).addingTimeInterval(16 * 86_400))
        let keepAsking = try #require(phase.first)
        #expect(phase.count == 1)
        #expect(actionIDs(keepAsking.1) == ["habit_keep", "habit_less_often", "habit_stop"])
        #expect(keepAsking.1.string("text")?.contains("Should I keep asking?") == true)
        expectWorkingMorning(keepAsking.0, notMonday: true, "keep asking")

        // "Less often": every four weeks from now.
        let lessURL = server.slack.responseURL(id: "less")
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "habit_less_often", value: try value(keepAsking.1, "habit_less_often"),
                responseURL: lessURL))
        let lessReply = try await responsePost(server, id: "less")
        #expect(lessReply.json?["text"]?.stringValue?.contains("every 4 weeks") == true)
        let lessAt = server.clock.now()
        #expect(try await server.store.habit(of: pseudonym())?.intervalDays == 28)

        phase = try await run(server, until: lessAt.addingTimeInterval(3 * 28 * 86_400 + 3 * 86_400), step: 3_600)
        #expect(phase.count == 3)
        let gaps = zip([lessAt] + phase.map(\.0), phase.map(\.0)).map { $1.timeIntervalSince($0) / 86_400 }
        #expect(gaps.allSatisfy { $0 >= 27 && $0 <= 31 }, "\(gaps)")
        #expect(phase.last.map { actionIDs($0.1) } == ["habit_keep", "habit_less_often", "habit_stop"])

        // No answer to "Should I keep asking?": when the next prompt would be due, it stops, silently.
        let silence = try await run(server, until: server.clock.now().addingTimeInterval(120 * 86_400), step: 7_200)
        #expect(silence.isEmpty, "nothing more, not even a goodbye")
        #expect(try await server.store.habit(of: pseudonym())?.status == .stopped)
        let after = try await server.postSigned(SlackBodies.slashCommand("mine"))
        #expect(after.text.contains("Recurring prompt: stopped"))
        try await server.stop()
    }

    @Test(
        "a leader in a training is asked first thing each week to share one thing; named only if they choose; Stop ends it"
    )
    func leadersFirst() async throws {
        let prompts = try TrainingEndToEndTests.promptsWithWeeklySequence()
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z")) {
            $0.promptsDirectory = prompts
        }
        server.slack.setUser(FakeSlack.User(id: "U0001", timeZone: Self.berlin))
        let roles = try await server.putJSON("/api/v1/roles", ["people": [["user": "U0001", "role_level": "leader"]]])
        #expect(roles.status == .ok)
        _ = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "Prompting", "ended_at": "2026-11-19T16:00:00+01:00", "sequence": "weekly",
                "participants": ["users": ["U0001"]],
            ])
        try await server.settle()

        let weeks = try await run(server, until: Self.date("2026-12-15T00:00:00Z"))
        let asks = weeks.filter { $0.1.string("text")?.contains("Leaders go first") == true }
        #expect(asks.count >= 1)
        for (at, call) in asks {
            #expect(local(at).hasPrefix("Mon 09:") || local(at).hasPrefix("Mon 10:0"), "\(local(at))")
            #expect(actionIDs(call) == ["habit_reflect", "habit_not_now", "habit_stop"])
            #expect(buttons(call).first?["text"]?["text"] == "Share one thing")
        }
        let ask = try #require(asks.last)

        // "Share one thing" opens the usual form; naming is the leader's own choice in it.
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "habit_reflect", value: try value(ask.1, "habit_reflect"), trigger: "7.7.share",
                responseURL: server.slack.responseURL(id: "share")))
        let open = try await server.slack.waitForCall(method: "views.open")
        #expect(open.string("trigger_id") == "7.7.share")
        let submitted = try await server.postSigned(
            SlackBodies.reflectionSubmission(
                text: "Had an assistant summarise the board pack, then checked every figure", outcome: "saved_time",
                consent: "attributed"))
        #expect(submitted.status == .ok)
        let stored = try #require(try await server.store.exportPerson(pseudonym())?.reflections.first)
        #expect(stored.consent == .attributed, "what the From leaders section names, by the leader's choice")

        // Stop on the next ask: no more asks.
        let next = try await run(server, until: Self.date("2026-12-22T00:00:00Z"))
        let nextAsk = try #require(next.first { $0.1.string("text")?.contains("Leaders go first") == true })
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "habit_stop", value: try value(nextAsk.1, "habit_stop"),
                responseURL: server.slack.responseURL(id: "stop")))
        let stopReply = try await responsePost(server, id: "stop")
        #expect(stopReply.json?["text"]?.stringValue?.contains("won't ask you to share again") == true)
        let later = try await run(server, until: Self.date("2027-02-01T00:00:00Z"), step: 3_600)
        #expect(later.allSatisfy { $0.1.string("text")?.contains("Leaders go first") != true })
        #expect(try await server.store.habit(of: pseudonym())?.leaderAsksStopped == true)
        try await server.stop()
    }
}
