import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// What testers typed to crash the server or store wrong dates (issue #9), sent like Slack and an LMS send it
/// to a running server; after each, the server must still answer.
@Suite("Hostile numbers and dates end to end")
struct HostileInputEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    /// The server still serves: health, and a harmless slash command from someone else.
    func expectStillAnswers(_ server: TestServer) async throws {
        let health = try await server.get("/healthz")
        #expect(health.status == .ok)
        let help = try await server.postSigned(SlackBodies.slashCommand("help", user: "U0002"))
        #expect(help.status == .ok)
        #expect(help.json?["response_type"] == "ephemeral")
    }

    @Test("/reflect pause 9223372036854775807w is refused as too long, and the server keeps answering")
    func hugePauseDoesNotKillTheServer() async throws {
        let server = try await TestServer.start()
        let reply = try await server.postSigned(SlackBodies.slashCommand("pause 9223372036854775807w"))
        #expect(reply.status == .ok)
        #expect(reply.json?["response_type"] == "ephemeral")
        #expect(reply.text.contains("at most 365 days"), "\(reply.text)")
        #expect(try await server.store.preferences(of: pseudonym())?.pausedUntil == nil, "nothing was paused")
        try await expectStillAnswers(server)
        try await server.stop()
    }

    @Test(
        "huge and negative pause lengths get an answer, never a crash",
        arguments: [
            ("9223372036854775807m", "at most 365 days"), ("9223372036854775807d", "at most 365 days"),
            ("4611686018427387904m", "at most 365 days"), ("99999999999999999999999w", "at most 365 days"),
            ("-9223372036854775808w", "-9223372036854775808w"), ("-9223372036854775807m", "-9223372036854775807m"),
        ])
    func hugeAndNegativePauses(length: String, shown: String) async throws {
        let server = try await TestServer.start()
        let reply = try await server.postSigned(SlackBodies.slashCommand("pause \(length)"))
        #expect(reply.status == .ok)
        #expect(reply.text.contains(shown), "\(reply.text)")
        #expect(try await server.store.preferences(of: pseudonym())?.pausedUntil == nil)
        try await expectStillAnswers(server)
        try await server.stop()
    }

    @Test(
        "pause until an impossible date says why, in the words the admin API uses",
        arguments: [
            ("2026-02-30", "February 2026 has 28 days, so 2026-02-30 does not exist."),
            ("2026-12-24ZZ", "`ZZ` at the end does not belong to it."),
        ])
    func pauseUntilImpossibleDate(date: String, explanation: String) async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-01-10T12:00:00Z"))
        let reply = try await server.postSigned(SlackBodies.slashCommand("pause until \(date)"))
        #expect(reply.json?["response_type"] == "ephemeral")
        #expect(
            reply.json?["text"]?.stringValue
                == "The date after `until` must be a date like 2026-11-20 (YYYY-MM-DD): \(explanation) "
                + "For example: `/reflect pause until 2030-01-31`.")
        #expect(try await server.store.preferences(of: pseudonym())?.pausedUntil == nil)
        try await server.stop()
    }

    static let impossibleEnds: [(String, String)] = [
        ("2026-02-30T10:00", "February 2026 has 28 days, so 2026-02-30 does not exist."),
        ("2026-02-30T10:00:00Z", "February 2026 has 28 days, so 2026-02-30 does not exist."),
        ("2027-02-29T10:00:00Z", "February 2027 has 28 days, so 2027-02-29 does not exist."),
        ("2026-11-20T16:00:00+25:00", "the offset `+25:00` is beyond ±14:00, the widest any time zone uses."),
        ("2026-11-20T16:00:00+01:60", "the offset `+01:60` has minutes beyond 59."),
        ("2026-11-20T16:00:00ZZ", "`Z` at the end does not belong to it."),
        ("2026-11-20T16:00:60Z", "seconds go from 00 to 59, not 60 (leap seconds are not accepted)."),
        ("2026-11-20T24:00:00Z", "hours go from 00 to 23, not 24."),
    ]

    @Test(
        "an impossible ended_at is a 422 naming the field; /debrief refuses it in the same words",
        arguments: impossibleEnds)
    func impossibleTrainingEnd(value: String, explanation: String) async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        let api = try await server.postJSON(
            "/api/v1/trainings",
            ["title": "Prompting", "ended_at": .string(value), "participants": ["users": ["U0001"]]])
        #expect(api.status == .unprocessableContent)
        let problem = try #require(api.json)
        #expect(problem["field"] == "ended_at")
        let apiMessage = try #require(problem["error"]?.stringValue)
        let form =
            "must be a date and time like 2026-11-20T16:00 or 2026-11-20T16:00:00+01:00 (seconds, a fraction of a "
            + "second and Z or an offset up to ±14:00 are optional): "
        #expect(apiMessage == "`ended_at` " + form + explanation)

        let slack = try await server.postSigned(
            SlackBodies.slashCommand(
                #"training add "Prompting" ended:"# + value + " participants:<@U0001|ada>",
                user: TestServer.adminUserID, command: "/debrief"))
        #expect(slack.status == .ok)
        #expect(slack.json?["response_type"] == "ephemeral")
        let slackText = try #require(slack.json?["text"]?.stringValue)
        #expect(slackText.hasPrefix("`ended:` " + form + explanation + "\n"), "\(slackText)")

        #expect(try await server.store.trainingSummaries().isEmpty, "nothing was registered")
        try await expectStillAnswers(server)
        try await server.stop()
    }

    @Test(
        "a Retry-After of 2^63 seconds on a nudge pauses the workspace for at most an hour, and the server keeps going")
    func hugeRetryAfter() async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        server.slack.setUser(FakeSlack.User(id: "U0001", timeZone: "Europe/Berlin"))
        server.slack.failNext(method: "chat.postMessage", with: .rateLimited(retryAfter: Int.max))
        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            ["title": "Prompting", "ended_at": "2026-11-19T15:00:00Z", "participants": ["users": ["U0001"]]])
        #expect(accepted.status == .accepted)
        try await server.settle()
        // Step to the first nudge (Friday morning in Berlin); its send meets the 429.
        while server.clock.now() < Self.date("2026-11-20T12:00:00Z"), server.slack.calls("chat.postMessage").isEmpty {
            server.clock.advance(by: 600)
            try await server.settle()
        }
        #expect(server.slack.calls("chat.postMessage").count == 1, "the nudge was tried once and met the 429")
        let now = server.clock.now()
        let jobs = try await nudgeJobs(server)
        #expect(
            jobs.contains {
                $0.state == .pending && $0.runAt > now.addingTimeInterval(-600)
                    && $0.runAt <= now.addingTimeInterval(3_601)
            },
            "the rate-limited nudge is retried within the hour")
        #expect(jobs.allSatisfy { $0.runAt < now.addingTimeInterval(400 * 86_400) }, "no job was put off for ages")
        try await expectStillAnswers(server)
        try await server.stop()
    }

    func nudgeJobs(_ server: TestServer) async throws -> [Job] {
        var jobs: [Job] = []
        for id in Int64(1)...200 {
            guard let job = try await server.store.job(id: id) else { continue }
            if job.kind.hasPrefix("nudge") { jobs.append(job) }
        }
        return jobs
    }

    func pseudonym() -> Pseudonym {
        Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(for: SlackEndToEndTests.alice)
    }
}
