import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// "You said, we did" through the fake Teams: the leadership digest card in a channel has Respond, an IC is
/// refused privately, a leader gets the form in their own chat (never in the channel), a bad submission comes back
/// with the problem under its field, and a good one is stored and read by the team in its next digest.
@Suite("Teams leader responses end to end")
struct TeamsLeaderResponseEndToEndTests {
    static let w47 = TeamsEndToEndTests.date("2026-11-18T10:00:00Z")
    static let w48 = TeamsEndToEndTests.date("2026-11-25T10:00:00Z")
    /// Monday 23 November 2026, 08:50 in Berlin: ten minutes before the W47 digests are due.
    static let beforeDigest = TeamsEndToEndTests.date("2026-11-23T07:50:00Z")
    /// Monday 30 November 2026, 09:05 in Berlin: the W48 digests are due.
    static let nextDigest = TeamsEndToEndTests.date("2026-11-30T08:05:00Z")
    static let leadershipChannel = "19:leaders@thread.tacv2"
    static let salesChannel = "19:sales@thread.tacv2"

    /// Twelve people in Sales (number 1 leads) lacking access and eight in Support lacking time, all in Teams;
    /// everyone reflects in W47 and W48.
    static func seed(_ store: any DebriefDataStore) async throws {
        for number in 1...24 {
            let team = number <= 12 ? "Sales" : number <= 20 ? "Support" : "Tiny"
            let user = String(format: "7faf8ab2-0000-4000-8000-%012d", number)
            let platformUser = PlatformUser(platform: .teams, workspace: TeamsTenant.tenantID, userID: user)
            let pseudonym = Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(for: platformUser)
            let address = DeliveryAddress(platformUser)
            for (week, day) in [("47", w47), ("48", w48)] {
                try await store.recordReflection(
                    Reflection(
                        id: "r-\(number)-\(week)", person: pseudonym, createdAt: day, source: .modal,
                        text: "Summarised customer calls", taskCategory: .drafting, outcome: .savedTime,
                        minutesSaved: .upTo15, confidence: 3, blockers: team == "Sales" ? [.noAccess] : [.noTime]),
                    from: address)
            }
            try await store.assignRoles(
                [
                    RoleAssignment(
                        address: address, pseudonym: pseudonym, roleLevel: number == 1 || number == 3 ? "leader" : "ic",
                        team: team)
                ], at: w47)
        }
    }

    /// An `Action.Execute` click as an invoke: in `person`'s own chat, or (`channel`) on a card in a channel.
    static func click(
        _ tenant: TeamsTenant, _ person: TeamsTenant.Person, id: String, verb: String, data: [String: JSONValue],
        channel: String? = nil
    ) -> JSONValue {
        var activity = tenant.activity(
            "invoke", from: person, id: id,
            extra: [
                "name": "adaptiveCard/action",
                "value": [
                    "action": ["type": "Action.Execute", "verb": .string(verb), "data": .object(data)],
                    "trigger": "manual",
                ],
            ])
        if let channel, case .object(var object) = activity {
            object["conversation"] = [
                "id": .string(channel + ";messageid=1700000000000"), "conversationType": "channel", "isGroup": true,
                "tenantId": .string(TeamsTenant.tenantID),
            ]
            object["channelData"] = [
                "tenant": ["id": .string(TeamsTenant.tenantID)], "team": ["id": .string(channel)],
                "channel": ["id": .string(channel)],
            ]
            activity = .object(object)
        }
        return activity
    }

    /// The cards the bot posted into `chat`, as their words.
    static func chatWords(_ tenant: TeamsTenant, chat: String) -> [String] {
        tenant.connector.postedActivities().filter { $0.conversationID == chat }.map {
            TeamsEndToEndTests.words(TeamsEndToEndTests.card(try? JSONValue.decode($0.body)))
        }
    }

    /// The first card posted into `chat` that has an input `inputID`; waits a bounded time (returns at once when
    /// it is there).
    static func waitForCard(_ tenant: TeamsTenant, chat: String, withInput inputID: String) async throws -> JSONValue? {
        try await eventually(timeout: .seconds(30)) {
            tenant.connector.postedActivities().lazy.filter { $0.conversationID == chat }
                .compactMap { TeamsEndToEndTests.card(try? JSONValue.decode($0.body)) }
                .first { TeamsEndToEndTests.inputIDs($0).contains(inputID) }
        }
    }

    /// The channel threads the bot started in `channel` (digest posts), as their activities.
    static func threads(_ tenant: TeamsTenant, channel: String) -> [JSONValue] {
        tenant.connector.calls(.createConversation).compactMap { try? JSONValue.decode($0.body) }.filter {
            $0["channelData"]?["channel"]?["id"]?.stringValue == channel
        }.compactMap { $0["activity"] }
    }

    static func respondAction(_ card: JSONValue?) -> JSONValue? {
        card?["actions"]?.arrayValue?.first { $0["verb"]?.stringValue == "digest.respond" }
    }

    static func choices(_ card: JSONValue?, input: String) -> [String] {
        card?["body"]?.arrayValue?.first { $0["id"]?.stringValue == input }?["choices"]?.arrayValue?.compactMap {
            $0["value"]?.stringValue
        } ?? []
    }

    @Test("Respond in a Teams channel: IC refused privately, the form in the leader's chat, errors, stored, read")
    func respondThroughTeams() async throws {
        let tenant = try await TeamsTenant.start()
        tenant.connector.setTeam(id: Self.leadershipChannel, channels: [], memberIDs: [])
        tenant.connector.setTeam(id: Self.salesChannel, channels: [], memberIDs: [])
        let lena = tenant.person("Lena", number: 1, timeZone: "Europe/Berlin")
        let ivan = tenant.person("Ivan", number: 2, timeZone: "Europe/Berlin")
        let server = try await TestServer.start(
            slackConfigured: false, clockStart: Self.beforeDigest,
            configure: {
                tenant.configure(&$0)
                $0.digests.teamsLeadershipChannel = Self.leadershipChannel
                $0.digests.teamsTeamChannels = [(team: "Sales", channel: Self.salesChannel)]
            })
        try await Self.seed(server.store)

        server.clock.advance(by: 15 * 60)
        try await server.runDueWork()
        _ = try await tenant.connector.waitForCalls(.createConversation, count: 2, timeout: .seconds(30))
        try await server.settle(timeout: .seconds(30))
        let leadership = try #require(Self.threads(tenant, channel: Self.leadershipChannel).first)
        let leadershipCard = TeamsEndToEndTests.card(leadership)
        let respond = try #require(Self.respondAction(leadershipCard), "the leadership digest card has Respond")
        let digestID = try #require(respond["data"]?["digest_id"]?.stringValue)
        #expect(respond["fallback"]?["type"] == "Action.Submit", "older clients get the same button")
        let sales = try #require(Self.threads(tenant, channel: Self.salesChannel).first)
        #expect(Self.respondAction(TeamsEndToEndTests.card(sales)) == nil, "team digests have no Respond")

        // Ivan (an IC) clicks Respond in the channel: only he reads the refusal; no form anywhere, the card unchanged.
        let postedBefore = tenant.connector.postedActivities().count
        let refused = try await tenant.post(
            Self.click(
                tenant, ivan, id: "inv-ic", verb: "digest.respond", data: ["digest_id": .string(digestID)],
                channel: Self.leadershipChannel), to: server, now: server.clock.now())
        let refusal = try #require(refused.json)
        #expect(refusal["type"] == "application/vnd.microsoft.activity.message")
        #expect(refusal["value"]?.stringValue?.contains("Only leaders") == true, "\(refusal)")
        try await server.settle()
        #expect(tenant.connector.postedActivities().count == postedBefore, "nothing posted for the IC")
        #expect(tenant.connector.calls(.updateActivity).isEmpty, "the channel's card is never replaced")

        // Lena (a leader) clicks Respond in the channel: she is told privately, the form arrives in her own chat.
        let opened = try await tenant.post(
            Self.click(
                tenant, lena, id: "inv-lead", verb: "digest.respond", data: ["digest_id": .string(digestID)],
                channel: Self.leadershipChannel), to: server, now: server.clock.now())
        let note = try #require(opened.json)
        #expect(note["type"] == "application/vnd.microsoft.activity.message")
        #expect(note["value"]?.stringValue?.contains("your chat with Debrief") == true, "\(note)")
        let form = try #require(
            try await Self.waitForCard(tenant, chat: lena.chat, withInput: "response_text"),
            "the form is in Lena's 1:1 chat")
        #expect(Self.choices(form, input: "response_themes").contains("blocker:no_access"))
        #expect(Self.choices(form, input: "response_teams") == ["Sales"], "only teams with numbers that week")
        #expect(
            !tenant.connector.postedActivities().contains {
                $0.conversationID.hasPrefix(Self.leadershipChannel)
                    && TeamsEndToEndTests.inputIDs(TeamsEndToEndTests.card(try? JSONValue.decode($0.body)))
                        .contains("response_text")
            }, "the form is never posted to the channel")
        #expect(tenant.connector.calls(.updateActivity).isEmpty)

        // An empty text and a forged team come back on the card, naming the field; nothing is stored.
        func submit(_ id: String, text: String, teams: String) async throws -> JSONValue? {
            let answer = try await tenant.post(
                Self.click(
                    tenant, lena, id: id, verb: "response.submit",
                    data: [
                        "digest_id": .string(digestID), "response_text": .string(text),
                        "response_themes": "blocker:no_access", "response_audience": "teams",
                        "response_teams": .string(teams),
                    ]), to: server, now: server.clock.now())
            #expect(answer.status == .ok)
            return answer.json?["value"]
        }
        let empty = TeamsEndToEndTests.words(try await submit("inv-s1", text: "  ", teams: "Sales"))
        #expect(empty.contains("Write what will change"), "\(empty)")
        let forged = try await submit("inv-s2", text: "Copilot for everyone in Sales", teams: "Board")
        let forgedWords = TeamsEndToEndTests.words(forged)
        #expect(forgedWords.contains("Board had no team digest with numbers"), "\(forgedWords)")
        #expect(TeamsEndToEndTests.inputIDs(forged).contains("response_text"), "the form again, to fix")
        #expect(try await server.store.leaderResponsePage(before: nil, limit: 10).isEmpty)

        // A good one is stored and the form becomes the thanks.
        let text = "From December every Sales person gets Copilot access without a ticket."
        let saved = TeamsEndToEndTests.words(try await submit("inv-s3", text: text, teams: "Sales"))
        #expect(saved.contains("Response saved") && saved.contains("Sales will read it"), "\(saved)")
        let stored = try await server.store.leaderResponsePage(before: nil, limit: 10)
        #expect(stored.map(\.response.text) == [text])
        #expect(stored.first?.response.audience == .teams(["Sales"]))

        // Next Monday, Sales reads it under "You said, we did" in its Teams digest.
        server.clock.advance(by: Self.nextDigest.timeIntervalSince(server.clock.now()))
        try await server.runDueWork()
        _ = try await tenant.connector.waitForCalls(.createConversation, count: 4, timeout: .seconds(30))
        try await server.settle(timeout: .seconds(30))
        let salesPosts =
            tenant.connector.calls(.replyToActivity).filter {
                $0.conversationID?.hasPrefix(Self.salesChannel) == true
            }.map { String(decoding: $0.body, as: UTF8.self) }
            + Self.threads(tenant, channel: Self.salesChannel).map {
                String(decoding: $0.encoded(), as: UTF8.self)
            }
        #expect(
            salesPosts.contains { $0.contains("You said, we did") && $0.contains("Copilot access") }, "\(salesPosts)")
        try await server.stop()
        await tenant.stop()
    }
}
