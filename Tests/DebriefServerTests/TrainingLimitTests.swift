import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// `DEBRIEF_MAX_PARTICIPANTS`: a list naming more people than a training may have is refused where it is
/// sent; user groups and channels that turn out larger stop the training and tell the admin.
@Suite("Participants per training")
struct TrainingLimitTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    static func start() async throws -> TestServer {
        try await TestServer.start(clockStart: date("2026-11-19T16:00:00Z")) { $0.nudges.maximumParticipants = 5 }
    }

    @Test("the admin API answers 413 with the field and the limit for a list longer than the maximum")
    func apiRefusesLongLists() async throws {
        let server = try await Self.start()
        let refused = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "All hands", "ended_at": "2026-11-19T15:00:00Z",
                "participants": ["users": ["U1", "U2", "U3", "U4"], "emails": ["a@example.com", "b@example.com"]],
            ])
        #expect(refused.status == .contentTooLarge)
        #expect(refused.json?["field"] == "participants")
        #expect(refused.json?["limit"]?.numberValue == 5)
        #expect(refused.json?["error"]?.stringValue?.contains("lists 6 entries") == true)
        #expect(try await server.store.trainingSummaries().isEmpty, "nothing was registered")
        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            [
                "title": "Pilot", "ended_at": "2026-11-19T15:00:00Z",
                "participants": ["users": ["U1", "U2", "U3", "U4", "U5"]],
            ])
        #expect(accepted.status == .accepted, "exactly the maximum is fine")
        try await server.stop()
    }

    @Test("a user group that resolves to more than the maximum is stopped, reported, and nobody is nudged")
    func groupOverTheLimit() async throws {
        let server = try await Self.start()
        server.slack.setUsergroup("S0BIG", users: (1...8).map { "U\($0)" })
        let accepted = try await server.postJSON(
            "/api/v1/trainings",
            ["title": "Everyone", "ended_at": "2026-11-19T15:00:00Z", "participants": ["usergroups": ["S0BIG"]]])
        #expect(accepted.status == .accepted)
        let id = try #require(accepted.json?["id"]?.stringValue)
        try await server.settle()
        let detail = try #require(try await server.get("/api/v1/trainings/\(id)", token: TestServer.adminToken).json)
        #expect(detail["status"] == "too_many_participants")
        #expect(detail["limit"]?.numberValue == 5)
        #expect(detail["error"]?.stringValue?.contains("user group S0BIG") == true)
        #expect(detail["participants"]?.numberValue == 0, "not cut to the first five")
        #expect(detail["nudges_planned"]?.numberValue == 0)
        let list = try #require(try await server.get("/api/v1/trainings", token: TestServer.adminToken).json)
        #expect(list["trainings"]?.arrayValue?.first?["status"] == "too_many_participants", "the list agrees")
        let command = try await server.postSigned(
            SlackBodies.slashCommand("training list", user: TestServer.adminUserID, command: "/debrief"))
        #expect(
            command.text.contains("not scheduled: more participants than a training can have (5)"), "\(command.text)")
        try await server.stop()
    }

    @Test("/debrief training add refuses a long list in the reply, and DMs the admin about a group that is too large")
    func slashCommand() async throws {
        let server = try await Self.start()
        let people = (1...6).map { "<@U000\($0)|p\($0)>" }.joined(separator: ",")
        let refused = try await server.postSigned(
            SlackBodies.slashCommand(
                #"training add "All hands" ended:2026-11-19T16:00 participants:"# + people,
                user: TestServer.adminUserID,
                command: "/debrief"))
        #expect(refused.status == .ok)
        #expect(refused.json?["response_type"] == "ephemeral")
        let text = try #require(refused.json?["text"]?.stringValue)
        #expect(text.contains("it lists 6 participants, and a training can have at most 5"), "\(text)")
        #expect(text.contains("DEBRIEF_MAX_PARTICIPANTS"))
        #expect(try await server.store.trainingSummaries().isEmpty)

        server.slack.setMembers(channel: "C0GENERAL", (1...9).map { "U\($0)" })
        let added = try await server.postSigned(
            SlackBodies.slashCommand(
                #"training add "Everyone" ended:2026-11-19T16:00 participants:<#C0GENERAL|general>"#,
                user: TestServer.adminUserID, command: "/debrief"))
        #expect(added.text.contains("Registered"))
        try await server.settle()
        let dm = try await server.slack.waitForCall(method: "chat.postMessage")
        #expect(dm.string("channel") == TestServer.adminUserID)
        let message = try #require(dm.string("text"))
        #expect(message.contains("was not scheduled") && message.contains("channel C0GENERAL"), "\(message)")
        #expect(message.contains("more than 5 participants"))
        try await server.stop()
    }
}
