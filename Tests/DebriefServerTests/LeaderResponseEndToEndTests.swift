import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// "You said, we did" through the fake Slack: a leader answers the leadership digest, the named team reads it in its
/// next digest, the admin API lists it, and `/reflect forget` removes it.
@Suite("Leader responses end to end")
struct LeaderResponseEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    static let w47 = date("2026-11-18T10:00:00Z")
    static let w48 = date("2026-11-25T10:00:00Z")
    /// Monday 23 November 2026, 08:50 in Berlin: ten minutes before the W47 digests are due.
    static let beforeDigest = date("2026-11-23T07:50:00Z")
    /// Monday 30 November 2026, 09:05 in Berlin: the W48 digests are due.
    static let nextDigest = date("2026-11-30T08:05:00Z")

    static func configure(_ configuration: inout DebriefConfiguration) {
        configuration.digests.leadershipChannel = "CLEAD"
        configuration.digests.teamChannels = [(team: "Sales", channel: "CSALES"), (team: "Tiny", channel: "CTINY")]
    }

    static let pseudonymizer = Pseudonymizer(secret: TestServer.pseudonymKey)

    static func person(_ user: String) -> Pseudonym {
        pseudonymizer.pseudonym(for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
    }

    /// 12 people in Sales (US0 and US1 lead), 8 in Support, 4 in Tiny; everyone reflects in W47 and W48. Sales
    /// lacks access to tools, everyone else lacks time.
    static func seed(_ store: any DebriefDataStore) async throws {
        var people: [(String, String, String)] = []
        for index in 0..<12 { people.append(("US\(index)", index < 2 ? "leader" : "ic", "Sales")) }
        for index in 0..<8 { people.append(("UP\(index)", "ic", "Support")) }
        for index in 0..<4 { people.append(("UT\(index)", "ic", "Tiny")) }
        for (user, role, team) in people {
            let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: user)
            for (week, day) in [("47", w47), ("48", w48)] {
                try await store.recordReflection(
                    Reflection(
                        id: "r-\(user)-\(week)", person: person(user), createdAt: day, source: .modal,
                        text: "Summarised customer calls", taskCategory: .drafting, outcome: .savedTime,
                        minutesSaved: .upTo15, confidence: 3, blockers: team == "Sales" ? [.noAccess] : [.noTime]),
                    from: address)
            }
            try await store.assignRoles(
                [RoleAssignment(address: address, pseudonym: person(user), roleLevel: role, team: team)], at: w47)
        }
    }

    static func registerDirectory(_ slack: FakeSlack) {
        for user in (0..<12).map({ "US\($0)" }) + (0..<8).map({ "UP\($0)" }) + (0..<4).map({ "UT\($0)" }) {
            slack.setUser(FakeSlack.User(id: user, name: user == "US0" ? "Ana Ruiz" : "Person \(user)"))
        }
    }

    static func mainPosts(_ slack: FakeSlack, channel: String) -> [RecordedCall] {
        slack.calls("chat.postMessage").filter { $0.string("channel") == channel && $0.string("thread_ts") == nil }
    }

    static func threadText(_ slack: FakeSlack, channel: String) -> String {
        slack.calls("chat.postMessage").filter { $0.string("channel") == channel && $0.string("thread_ts") != nil }
            .compactMap { $0.string("text") }.joined(separator: "\n")
    }

    static func waitForPosts(_ server: TestServer, channels: [String], count: Int) async throws {
        // A bound, not a wait: returns as soon as the posts are there (generous for a busy machine).
        let posted = try await eventually(timeout: .seconds(60)) {
            channels.allSatisfy({ mainPosts(server.slack, channel: $0).count >= count }) ? true : nil
        }
        guard posted != nil else {
            Issue.record("digests were not posted to \(channels)")
            return
        }
        try await server.settle(timeout: .seconds(60))
    }

    /// The Respond button's value on the leadership digest: the stored digest's id.
    static func respondDigestID(_ post: RecordedCall) -> String? {
        let blocks = post.argument("blocks")?.arrayValue ?? []
        let buttons = blocks.flatMap { $0["elements"]?.arrayValue ?? [] }
        return buttons.first { $0["action_id"] == "digest_respond" }?["value"]?.stringValue
    }

    static func submission(
        digestID: String, text: String?, themes: [String], audience: String?, teams: [String], user: String
    ) -> String {
        func options(_ values: [String]) -> JSONValue {
            .array(values.map { ["text": ["type": "plain_text", "text": .string($0)], "value": .string($0)] })
        }
        let values: JSONValue = [
            "response_text": ["text": ["type": "plain_text_input", "value": text.map(JSONValue.string) ?? .null]],
            "response_themes": ["themes": ["type": "checkboxes", "selected_options": options(themes)]],
            "response_audience": [
                "audience": [
                    "type": "radio_buttons",
                    "selected_option": audience.map {
                        [
                            "text": ["type": "plain_text", "text": .string($0)],
                            "value": .string($0),
                        ]
                    } ?? .null,
                ]
            ],
            "response_teams": ["teams": ["type": "multi_static_select", "selected_options": options(teams)]],
        ]
        return SlackBodies.interaction([
            "type": "view_submission", "team": ["id": "T0001", "domain": "acme"],
            "user": ["id": .string(user), "username": "ana", "name": "ana", "team_id": "T0001"],
            "api_app_id": "A0001", "token": "legacy", "trigger_id": "3.4.ghi",
            "view": [
                "id": "V0002", "team_id": "T0001", "type": "modal", "callback_id": "leader_response",
                "private_metadata": .string(digestID), "hash": "1735689600.abc", "root_view_id": "V0002",
                "app_id": "A0001", "bot_id": "B0001", "state": ["values": values],
            ],
            "response_urls": [], "is_enterprise_install": false, "enterprise": nil,
        ])
    }

    @Test(
        "a leader responds to the leadership digest, Sales reads it next week, the admin API lists it, forget erases it"
    )
    func respondThroughSlack() async throws {
        let server = try await TestServer.start(clockStart: Self.beforeDigest, configure: Self.configure)
        try await Self.seed(server.store)
        Self.registerDirectory(server.slack)
        server.clock.advance(by: 15 * 60)
        try await Self.waitForPosts(server, channels: ["CLEAD", "CSALES", "CTINY"], count: 1)
        let leadership = try #require(Self.mainPosts(server.slack, channel: "CLEAD").first)
        let digestID = try #require(Self.respondDigestID(leadership), "the leadership digest has a Respond button")
        let leadershipLink = try #require(
            (leadership.argument("blocks")?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
                .first { $0["action_id"] == "digest_open" }?["url"]?.stringValue)
        let leadershipPage = try await server.get(
            try #require(URL(string: leadershipLink).map { $0.path + "?" + ($0.query ?? "") }))
        #expect(leadershipPage.text.contains("id=\"respond\""), "the page says where to respond")
        let salesPost = try #require(Self.mainPosts(server.slack, channel: "CSALES").first)
        #expect(Self.respondDigestID(salesPost) == nil, "team digests have no Respond button")

        // An IC is told privately that Respond is not for them; no form opens.
        let refused = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "digest_respond", value: digestID, user: "UP0",
                responseURL: server.slack.responseURL(id: "ic")))
        #expect(refused.status == .ok)
        // The refusal goes out through response_url after the acknowledgement (generous bound for a busy machine).
        let note = try await server.slack.waitForCall(method: FakeSlack.responseURLMethod, timeout: .seconds(60))
        #expect(note.responseID == "ic")
        #expect(note.json?["response_type"] == "ephemeral")
        #expect(note.json?["text"]?.stringValue?.contains("Only leaders") == true)
        #expect(server.slack.calls("views.open").isEmpty)

        // A leader gets the form: the digest's published themes, and only teams whose digest had numbers.
        server.clock.advance(by: 3_600)
        let opened = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "digest_respond", value: digestID, user: "US0",
                responseURL: server.slack.responseURL(id: "leader")))
        #expect(opened.status == .ok)
        let open = try await server.slack.waitForCall(method: "views.open", timeout: .seconds(60))
        let view = try #require(open.argument("view"))
        let viewText = String(decoding: view.encoded(), as: UTF8.self)
        #expect(viewText.contains("blocker:no_access") && viewText.contains("blocker:no_time"))
        #expect(viewText.contains("\"Sales\"") && !viewText.contains("\"Tiny\""), "Tiny (4 people) is not offered")
        #expect(viewText.contains("responding is agreeing to that"), "the form says leaders are named")

        // A response about Tiny is refused with a message naming it; an empty text is refused too.
        let small = try await server.postSigned(
            Self.submission(
                digestID: digestID, text: "Tiny gets licences", themes: ["blocker:no_time"], audience: "teams",
                teams: ["Tiny"], user: "US0"))
        #expect(small.json?["response_action"] == "errors")
        #expect(small.json?["errors"]?["response_teams"]?.stringValue?.contains("Tiny") == true)
        let empty = try await server.postSigned(
            Self.submission(digestID: digestID, text: "  ", themes: [], audience: "all", teams: [], user: "US0"))
        #expect(empty.json?["errors"]?["response_text"] != nil && empty.json?["errors"]?["response_themes"] != nil)
        // An IC who forges a submission is refused as well.
        let forged = try await server.postSigned(
            Self.submission(
                digestID: digestID, text: "We fix it", themes: ["blocker:no_access"], audience: "all", teams: [],
                user: "UP1"))
        #expect(forged.json?["response_action"] == "errors")
        #expect(try await server.store.leaderResponsePage(before: nil, limit: 10).isEmpty, "nothing stored yet")

        let text = "From 1 December Sales gets the AI sandbox without a ticket."
        let saved = try await server.postSigned(
            Self.submission(
                digestID: digestID, text: text, themes: ["blocker:no_access"], audience: "teams", teams: ["Sales"],
                user: "US0"))
        #expect(saved.json?["response_action"] == "update", "\(saved.text)")

        // The next week's Sales digest shows it, attributed by name; Tiny's does not; the page lists it.
        server.clock.advance(to: Self.nextDigest)
        try await Self.waitForPosts(server, channels: ["CLEAD", "CSALES", "CTINY"], count: 2)
        let salesThread = Self.threadText(server.slack, channel: "CSALES")
        #expect(salesThread.contains("You said, we did"))
        #expect(salesThread.contains("Ana Ruiz") && salesThread.contains("AI sandbox without a ticket"))
        #expect(!Self.threadText(server.slack, channel: "CTINY").contains("AI sandbox"))
        #expect(salesThread.components(separatedBy: "AI sandbox").count == 2, "shown once")
        let w48Sales = try #require(Self.mainPosts(server.slack, channel: "CSALES").last)
        let link = try #require(
            (w48Sales.argument("blocks")?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
                .first { $0["action_id"] == "digest_open" }?["url"]?.stringValue)
        let path = try #require(URL(string: link).map { $0.path + "?" + ($0.query ?? "") })
        let page = try await server.get(path)
        #expect(page.status == .ok)
        #expect(page.text.contains("You said, we did") && page.text.contains("Ana Ruiz"))
        // The leadership digest of W48 closes the loop: one of W47's two top blockers was answered in time.
        let w48Lead = Self.threadText(server.slack, channel: "CLEAD")
        #expect(w48Lead.contains("Leaders answered 1 of 2 top blockers"), "\(w48Lead)")
        #expect(w48Lead.contains("Still open: No time") || w48Lead.contains("Still open"))

        // The admin API lists it by display name only.
        let unauthorised = try await server.get("/api/v1/responses")
        #expect(unauthorised.status == .unauthorized)
        let listed = try await server.get("/api/v1/responses", token: TestServer.adminToken)
        #expect(listed.status == .ok)
        let first = try #require(listed.json?["responses"]?[0])
        #expect(first["author"] == "Ana Ruiz" && first["week"] == "2026-W47" && first["text"]?.stringValue == text)
        #expect(first["audience"]?["teams"]?[0] == "Sales")
        #expect(!listed.text.contains("US0") && !listed.text.contains(Self.person("US0").value))
        let badLimit = try await server.get("/api/v1/responses?limit=0", token: TestServer.adminToken)
        #expect(badLimit.status == .badRequest && badLimit.text.contains("limit"))

        // /reflect mine shows it; forget removes it.
        let mine = try await server.postSigned(SlackBodies.slashCommand("mine", user: "US0"))
        #expect(mine.text.contains("AI sandbox without a ticket"))
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "reflection_forget_confirm", value: "confirm", user: "US0",
                responseURL: server.slack.responseURL(id: "forget")))
        let after = try await server.get("/api/v1/responses", token: TestServer.adminToken)
        #expect(after.json?["responses"]?.arrayValue?.isEmpty == true)
        try await server.stop()
    }
}
