import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// Trainings registered over the admin API and `/debrief`, nudges sent in simulated time to a fake Slack.
@Suite("Trainings and nudges end to end")
struct TrainingEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    /// Local wall-clock time of an instant in a zone, as "EEE HH:mm".
    static func local(_ date: Date, _ zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "EEE HH:mm"
        return formatter.string(from: date)
    }

    func pseudonym(_ user: String) -> Pseudonym {
        Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
    }

    /// Steps simulated time, letting the worker finish what is due at each step; returns when each
    /// user's DMs were first seen (simulated time).
    func run(_ server: TestServer, until end: Date, step: TimeInterval = 600) async throws -> [String: [Date]] {
        var seen: [String: [Date]] = [:]
        var counted = server.slack.calls("chat.postMessage").count
        while server.clock.now() < end {
            server.clock.advance(by: step)
            try await server.settle()
            let posts = server.slack.calls("chat.postMessage")
            for post in posts.dropFirst(counted) {
                if let channel = post.string("channel") { seen[channel, default: []].append(server.clock.now()) }
            }
            counted = posts.count
        }
        return seen
    }

    @Test("an LMS registers a training; people get their first nudge in their own working morning")
    func apiRegistrationAndLocalTimes() async throws {
        // Thursday 19 November 2026, 15:30 UTC: half an hour after a Berlin session ended at 16:00 local.
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        server.slack.setUser(FakeSlack.User(id: "U1", email: "ada@example.com", timeZone: "Europe/Berlin"))
        server.slack.setUser(FakeSlack.User(id: "U2", timeZone: "America/New_York", timeZoneOffsetSeconds: -18_000))
        server.slack.setUser(FakeSlack.User(id: "U3", timeZone: "Asia/Kolkata", timeZoneOffsetSeconds: 19_800))
        server.slack.setUser(FakeSlack.User(id: "U4", deleted: true))
        server.slack.setUsergroup("S0123", users: ["U1", "U2", "U3", "U4"])

        let unauthorized = try await server.postJSON(
            "/api/v1/trainings", ["title": "x"], token: "wrong-token-0123456789")
        #expect(unauthorized.status == .unauthorized)
        let incomplete = try await server.postJSON("/api/v1/trainings", ["title": "Prompting for briefs"])
        #expect(incomplete.status == .unprocessableContent)
        #expect(incomplete.text.contains("ended_at"))

        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "Prompting for briefs", "ended_at": "2026-11-19T15:00:00Z",
                "participants": ["usergroups": ["S0123"], "emails": ["ada@example.com", "nobody@example.com"]],
            ])
        #expect(accepted.status == .accepted)
        let id = try #require(accepted.json?["id"]?.stringValue)
        try await server.settle()
        let detail = try await server.get("/api/v1/trainings/\(id)", token: TestServer.adminToken)
        let json = try #require(detail.json)
        #expect(json["status"] == "scheduled")
        #expect(json["participants"]?.numberValue == 3, "U1 once (group and e-mail), U2, U3; not the deactivated U4")
        #expect(json["unreachable"]?["unknown_emails"] == ["nobody@example.com"])
        #expect(json["unreachable"]?["deactivated_users"]?.numberValue == 1)
        let list = try await server.get("/api/v1/trainings", token: TestServer.adminToken)
        #expect(!list.text.contains("U1") && !list.text.contains("p_"), "the list holds counts, not people")

        let seen = try await run(server, until: Self.date("2026-11-21T00:00:00Z"))
        // d1 lands on Friday morning, inside each person's own 09:30–11:00 window.
        let berlin = try #require(seen["U1"]?.first)
        let newYork = try #require(seen["U2"]?.first)
        let kolkata = try #require(seen["U3"]?.first)
        for (instant, zone) in [(berlin, "Europe/Berlin"), (newYork, "America/New_York"), (kolkata, "Asia/Kolkata")] {
            let local = Self.local(instant, zone)
            #expect(local.hasPrefix("Fri "), "\(zone): \(local)")
            let time = String(local.dropFirst(4))
            // Observed at the end of a 10-minute simulated step.
            #expect(time >= "09:30" && time <= "11:10", "\(zone): \(local)")
        }
        #expect(seen["U4"] == nil)
        #expect(seen.values.allSatisfy { $0.count == 1 }, "one nudge per person on day one")
        try await server.stop()
    }

    @Test("/debrief is for admins; clicking Reflect opens the form and the reflection updates the nudge")
    func slackAdminAndReflect() async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        server.slack.setUser(FakeSlack.User(id: "U0001", timeZone: "Europe/Berlin"))
        server.slack.setMembers(channel: "C0PILOT", ["U0001", "UBOT0001"])
        server.slack.setUser(FakeSlack.User(id: "UBOT0001", isBot: true))

        let refused = try await server.postSigned(
            SlackBodies.slashCommand(
                #"training add "X" ended:2026-11-19T16:00 participants:<#C0PILOT|pilot>"#, user: "U0001",
                command: "/debrief"))
        #expect(refused.status == .ok)
        #expect(refused.text.contains("Sorry"))
        #expect(try await server.store.trainingSummaries().isEmpty)

        let added = try await server.postSigned(
            SlackBodies.slashCommand(
                #"training add "Data with AI" ended:2026-11-19T16:00 participants:<#C0PILOT|pilot>"#,
                user: TestServer.adminUserID, command: "/debrief"))
        #expect(added.text.contains("Data with AI"))
        try await server.settle()
        let summary = try #require(try await server.store.trainingSummaries().first)
        #expect(summary.participants == 1, "the bot in the channel is not a participant")
        let adminDM = try await server.slack.waitForCall(method: "chat.postMessage")
        #expect(adminDM.string("channel") == TestServer.adminUserID)
        #expect(adminDM.string("text")?.contains("1 participants") == true)

        _ = try await run(server, until: Self.date("2026-11-20T11:00:00Z"))
        let nudge = try #require(server.slack.calls("chat.postMessage").first { $0.string("channel") == "U0001" })
        let buttons = (nudge.argument("blocks")?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
        let reflect = try #require(buttons.first { $0["action_id"] == "nudge_reflect" })
        #expect(
            buttons.contains { $0["action_id"] == "nudge_snooze" }
                && buttons.contains { $0["action_id"] == "nudge_skip" })
        let nudgeID = try #require(reflect["value"]?.stringValue)

        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "nudge_reflect", value: nudgeID, trigger: "9.9.nudge",
                responseURL: server.slack.responseURL(id: "nudge")))
        let open = try await server.slack.waitForCall(method: "views.open")
        let metadata = try #require(open.argument("view")?["private_metadata"]?.stringValue)
        let submitted = try await server.postSigned(
            SlackBodies.reflectionSubmission(
                text: "Used the prompt pattern on a real analysis brief", outcome: "better_quality",
                privateMetadata: metadata))
        #expect(submitted.status == .ok)
        let stored = try #require(try await server.store.exportPerson(pseudonym("U0001"))?.reflections.first)
        #expect(stored.trainingID == summary.training.id)
        let update = try await server.slack.waitForCall(method: "chat.update")
        let record = try #require(try await server.store.nudgeSend(id: nudgeID))
        #expect(update.string("ts") == record.messageTS && update.string("channel") == record.channel)
        #expect(record.response == .reflected)
        try await server.stop()
    }

    @Test("Snooze 1 day brings the nudge back on a later working morning; /reflect stop ends all nudges")
    func snoozeThenStop() async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        server.slack.setUser(FakeSlack.User(id: "U0001", timeZone: "Europe/Berlin"))
        _ = try await server.postJSON(
            "/api/v1/trainings",
            ["title": "Prompting", "ended_at": "2026-11-19T15:00:00Z", "participants": ["users": ["U0001"]]])
        try await server.settle()
        _ = try await run(server, until: Self.date("2026-11-20T11:00:00Z"))
        let first = try #require(server.slack.calls("chat.postMessage").last { $0.string("channel") == "U0001" })
        let nudgeID = try #require(
            (first.argument("blocks")?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
                .first { $0["action_id"] == "nudge_snooze" }?["value"]?.stringValue)
        let snoozedAt = server.clock.now()
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "nudge_snooze", value: nudgeID, responseURL: server.slack.responseURL(id: "s")))
        let update = try await server.slack.waitForCall(method: "chat.update")
        let record = try #require(try await server.store.nudgeSend(id: nudgeID))
        #expect(update.string("ts") == record.messageTS && update.string("channel") == record.channel)
        #expect(record.response == .snoozed)
        let updatedButtons = (update.argument("blocks")?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
        #expect(!updatedButtons.contains { $0["action_id"] == "nudge_snooze" }, "the snoozed nudge has no buttons left")

        let seen = try await run(server, until: Self.date("2026-11-25T00:00:00Z"))
        let next = try #require(seen["U0001"]?.first, "the snoozed nudge comes back")
        #expect(next.timeIntervalSince(snoozedAt) >= 86_400 - 3_600)
        let local = Self.local(next, "Europe/Berlin")
        #expect(["Mon", "Tue", "Wed", "Thu"].contains(String(local.prefix(3))), "\(local)")

        _ = try await server.postSigned(SlackBodies.slashCommand("stop"))
        let before = server.slack.calls("chat.postMessage").count
        let afterStop = try await run(server, until: Self.date("2026-12-20T00:00:00Z"), step: 3_600)
        #expect(afterStop.isEmpty, "no nudge after /reflect stop")
        #expect(server.slack.calls("chat.postMessage").count == before)
        try await server.stop()
    }
    /// A copy of `prompts/` with one more sequence, `weekly`: a single stage a week out whose every wording
    /// says how many days ago the training was.
    static func promptsWithWeeklySequence() throws -> String {
        let directory = ScratchDirectory.make("debrief-prompts")
        try FileManager.default.copyItem(atPath: TestServer.promptsDirectory, toPath: directory.path)
        let sequence = """
            stages:
              - id: week
                offset: +7d
                wordings:
                  en:
                    - "It's been {days_since} days since “{training_title}”. What have you used since? About a minute, private by default."
                    - "{days_since} days after “{training_title}”: what stuck? About a minute, private by default."
                    - "Looking back {days_since} days at “{training_title}”: what changed? About a minute, private by default."
                reminder:
                  en: "If you have a minute: what from “{training_title}” do you use? Private by default, and fine to skip."
            """
        try sequence.write(
            to: directory.appendingPathComponent("nudges").appendingPathComponent("weekly.yaml"), atomically: true,
            encoding: .utf8)
        return directory.path
    }

    @Test("a training that ended Monday afternoon is \"7 days\" ago the next Monday morning, across the clock change")
    func daysSinceCountsCalendarDays() async throws {
        let prompts = try Self.promptsWithWeeklySequence()
        // Monday 23 March 2026, 16:00 in Berlin (CET); Berlin moves to CEST on Sunday the 29th.
        let server = try await TestServer.start(clockStart: Self.date("2026-03-23T15:30:00Z")) {
            $0.promptsDirectory = prompts
        }
        server.slack.setUser(FakeSlack.User(id: "U0001", timeZone: "Europe/Berlin"))
        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "Prompting", "ended_at": "2026-03-23T16:00:00+01:00", "sequence": "weekly",
                "participants": ["users": ["U0001"]],
            ])
        #expect(accepted.status == .accepted)
        try await server.settle()
        let seen = try await run(server, until: Self.date("2026-03-30T10:00:00Z"), step: 1_800)
        let sent = try #require(seen["U0001"]?.first)
        #expect(Self.local(sent, "Europe/Berlin").hasPrefix("Mon "), "6 days and some hours after the session")
        let text = try #require(
            server.slack.calls("chat.postMessage").last { $0.string("channel") == "U0001" }?.string("text"))
        #expect(text.contains("7 days"), "\(text)")
        try await server.stop()
    }
    @Test("while participants are looked up the API and /debrief say so, with counts from the same read")
    func statusAgreesWithCounts() async throws {
        let server = try await TestServer.start(clockStart: Self.date("2026-11-19T15:30:00Z"))
        // Accepted, first batch of people stored, resolution not finished (no report yet).
        let training = Training(
            id: "t-resolving", workspace: "T0001", title: "Prompting", topic: nil,
            endedAt: Self.date("2026-11-19T15:00:00Z"), sequenceID: "default", createdAt: server.clock.now())
        let people = ["U1", "U2"].map { user in
            TrainingParticipant(
                pseudonym: pseudonym(user),
                address: DeliveryAddress(platform: .slack, workspace: "T0001", userID: user),
                timeZone: "Europe/Berlin")
        }
        try await server.store.registerTraining(training, participants: people, jobs: [])

        let list = try #require(try await server.get("/api/v1/trainings", token: TestServer.adminToken).json)
        let listed = try #require(list["trainings"]?.arrayValue?.first)
        #expect(listed["status"] == "resolving_participants")
        #expect(listed["participants"]?.numberValue == 2)
        let shown = try #require(
            try await server.get("/api/v1/trainings/t-resolving", token: TestServer.adminToken).json)
        #expect(shown["status"] == "resolving_participants")
        #expect(shown["participants"]?.numberValue == 2)
        let command = try await server.postSigned(
            SlackBodies.slashCommand("training list", user: TestServer.adminUserID, command: "/debrief"))
        #expect(command.text.contains("looking up participants (2 found so far"), "\(command.text)")

        try await server.store.recordResolution(
            trainingID: "t-resolving", workspace: "T0001",
            report: TrainingResolutionReport(resolved: 2, unknownEmails: ["nobody@example.com"]))
        let done = try #require(
            try await server.get("/api/v1/trainings/t-resolving", token: TestServer.adminToken).json)
        #expect(done["status"] == "scheduled")
        #expect(done["participants"]?.numberValue == 2)
        #expect(done["unreachable"]?["unknown_emails"] == ["nobody@example.com"])
        let relisted = try #require(try await server.get("/api/v1/trainings", token: TestServer.adminToken).json)
        #expect(relisted["trainings"]?.arrayValue?.first?["status"] == "scheduled")
        let after = try await server.postSigned(
            SlackBodies.slashCommand("training list", user: TestServer.adminUserID, command: "/debrief"))
        #expect(after.text.contains("2 participants, 0 nudges sent, 0 planned, 1 not reachable"), "\(after.text)")
        try await server.stop()
    }
}
