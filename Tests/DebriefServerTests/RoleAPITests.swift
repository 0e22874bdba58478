import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// `PUT /api/v1/roles` against the real server and the fake Slack.
@Suite("Admin API: role levels and teams")
struct RoleAPITests {
    static func pseudonym(_ user: String) -> Pseudonym {
        Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
    }

    @Test("roles and teams set by user id or e-mail are used by digests, also for people who never reflected yet")
    func setsRolesAndTeams() async throws {
        let server = try await TestServer.start()
        server.slack.setUser(FakeSlack.User(id: "U0EMAIL", email: "ana@example.com", name: "Ana Ruiz"))
        let response = try await server.putJSON(
            "/api/v1/roles",
            [
                "people": [
                    ["user": "U0LEAD", "role_level": "leader", "team": "Sales"],
                    ["email": "Ana@Example.com", "team": "Support"],
                    ["email": "nobody@example.com", "role_level": "manager"],
                ]
            ])
        #expect(response.status == .ok)
        let json = try JSONValue.decode(response.body)
        #expect(json["updated"]?.numberValue == 2)
        #expect(json["unknown_emails"] == ["nobody@example.com"], "an e-mail without a Slack account is reported")
        let lead = try #require(try await server.store.roleAndTeam(of: Self.pseudonym("U0LEAD")))
        #expect(lead.roleLevel == "leader" && lead.team == "Sales")
        // The first reflection later keeps what the API set.
        _ = try await server.postSigned(SlackBodies.slashCommand("Drafted a memo with AI", user: "U0EMAIL"))
        let ana = try #require(try await server.store.roleAndTeam(of: Self.pseudonym("U0EMAIL")))
        #expect(ana.roleLevel == "ic" && ana.team == "Support")
        #expect(!String(decoding: response.body, as: UTF8.self).contains("U0LEAD"), "the answer never lists who is who")
        try await server.stop()
    }

    @Test("one bad entry is a 422 naming it, and nothing is stored")
    func allOrNothing() async throws {
        let server = try await TestServer.start()
        let response = try await server.putJSON(
            "/api/v1/roles",
            ["people": [["user": "U0LEAD", "role_level": "leader"], ["user": "U0TWO", "role_level": "boss"]]])
        #expect(response.status == .unprocessableContent)
        #expect(String(decoding: response.body, as: UTF8.self).contains("people[1]"))
        #expect(try await server.store.roleAndTeam(of: Self.pseudonym("U0LEAD")) == nil, "nothing was stored")
        let neither = try await server.putJSON("/api/v1/roles", ["people": [["user": "U0LEAD"]]])
        #expect(neither.status == .unprocessableContent)
        let both = try await server.putJSON(
            "/api/v1/roles", ["people": [["user": "U0LEAD", "email": "a@example.com", "team": "Sales"]]])
        #expect(both.status == .unprocessableContent)
        let garbage = try await server.sendJSON(
            .put, "/api/v1/roles", Data("{people".utf8), token: TestServer.adminToken)
        #expect(garbage.status == .badRequest)
        let anonymous = try await server.putJSON(
            "/api/v1/roles", ["people": [["user": "U0LEAD", "team": "Sales"]]], token: nil)
        #expect(anonymous.status == .unauthorized)
        try await server.stop()
    }

    @Test("a side configured from Slack user groups is refused with 409; the other side can still be set")
    func groupsWin() async throws {
        let server = try await TestServer.start { $0.digests.roleGroups = [(role: "leader", group: "SLEADERS")] }
        let role = try await server.putJSON("/api/v1/roles", ["people": [["user": "U0LEAD", "role_level": "leader"]]])
        #expect(role.status == .conflict)
        #expect(String(decoding: role.body, as: UTF8.self).contains("DEBRIEF_ROLE_GROUPS"))
        let team = try await server.putJSON("/api/v1/roles", ["people": [["user": "U0LEAD", "team": "Sales"]]])
        #expect(team.status == .ok)
        #expect(try await server.store.roleAndTeam(of: Self.pseudonym("U0LEAD"))?.team == "Sales")
        try await server.stop()
    }
}
