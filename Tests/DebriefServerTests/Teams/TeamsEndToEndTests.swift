import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// Debrief in Teams, end to end: signed activities on `/api/messages`, the fake Bot Connector receiving what a
/// real one would, nudges in simulated time.
@Suite("Teams end to end")
struct TeamsEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    static func local(_ date: Date, _ zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "EEE HH:mm"
        return formatter.string(from: date)
    }

    /// The Adaptive Card in a posted activity.
    static func card(_ activity: JSONValue?) -> JSONValue? { activity?["attachments"]?[0]?["content"] }

    /// Every text on a card, joined (TextBlocks, TextRuns, button titles).
    static func words(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .array(let items)?: return items.map { words($0) }.joined(separator: " ")
        case .object(let object)?:
            return object.keys.sorted().filter { $0 != "data" }.map { words(object[$0]) }.joined(separator: " ")
        default: return ""
        }
    }

    @Test(
        "install, a nudge in the person's own morning, a reflection through the card, and the card refreshed in place"
    )
    func installNudgeReflect() async throws {
        let tenant = try await TeamsTenant.start()
        // Thursday 19 November 2026, 15:30 UTC; the training ended at 16:00 in Berlin.
        let admin = tenant.person("Ada", number: 1, timeZone: "Europe/Berlin")
        let server = try await TestServer.start(
            slackConfigured: false, clockStart: Self.date("2026-11-19T15:30:00Z"),
            configure: { tenant.configure(&$0, admins: [admin.objectID]) })
        let megan = tenant.person("Megan", number: 2, timeZone: "America/New_York")

        // No token, a forged one, and a token for another bot: 401, with nothing said about why.
        let unsigned = try await server.client.execute(
            HTTPRequestSpec(
                method: .post, url: "http://127.0.0.1:\(server.port)/api/messages",
                headerFields: [.contentType: "application/json"], body: Data("{}".utf8)))
        #expect(unsigned.status == .unauthorized && unsigned.body.isEmpty)

        // Megan installs the app: her 1:1 chat and zone are kept, and she gets the welcome card there.
        let install = tenant.activity("installationUpdate", from: megan, id: "f:install-1", extra: ["action": "add"])
        #expect(try await tenant.post(install, to: server, now: server.clock.now()).status == .ok)
        let welcome = try await tenant.connector.waitForCalls(.sendToConversation, count: 1)
        #expect(welcome.last?.conversationID == megan.chat)

        // Ada registers a training in her chat with the bot.
        let command = tenant.activity(
            "message", from: admin, id: "1001",
            extra: [
                "text": .string(
                    "debrief training add \"Prompting for briefs\" ended:2026-11-19T16:00 participants:\(megan.objectID)"
                )
            ])
        #expect(try await tenant.post(command, to: server, now: server.clock.now()).status == .ok)
        try await server.settle()
        let adaChat = tenant.connector.postedActivities().filter { $0.conversationID == admin.chat }
        let adaWords = adaChat.map { Self.words(Self.card(try? JSONValue.decode($0.body))) }.joined(separator: "\n")
        #expect(adaWords.contains("Registered"), "\(adaWords)")
        #expect(adaWords.contains("1 participants"), "the resolution report reaches the admin: \(adaWords)")

        // Time passes; Megan's first nudge arrives in her own working morning (New York), in her chat.
        var nudge: FakeTeams.PostedActivity?
        var sentAt = server.clock.now()
        while nudge == nil, server.clock.now() < Self.date("2026-11-24T00:00:00Z") {
            server.clock.advance(by: 600)
            try await server.settle()
            nudge = tenant.connector.postedActivities().first {
                $0.conversationID == megan.chat
                    && Self.words(Self.card(try? JSONValue.decode($0.body))).contains("Snooze")
            }
            sentAt = server.clock.now()
        }
        let sent = try #require(nudge, "a nudge was sent to Megan's chat")
        let local = Self.local(sentAt, "America/New_York")
        #expect(
            ["Fri 08", "Fri 09", "Fri 10", "Fri 11"].contains(String(local.prefix(6))), "sent at \(local) New York")
        let nudgeCard = try #require(Self.card(try JSONValue.decode(sent.body)))
        let nudgeID = try #require(
            nudgeCard["actions"]?[0]?["data"]?["nudge_id"]?.stringValue, "the Reflect button names the nudge")

        // "Reflect" answers with the form, in place (an invoke, answered in the response).
        let reflect = tenant.activity(
            "invoke", from: megan, id: "inv-1",
            extra: [
                "name": "adaptiveCard/action", "replyToId": .string(sent.activityID),
                "value": [
                    "action": [
                        "type": "Action.Execute", "verb": "nudge.reflect", "data": ["nudge_id": .string(nudgeID)],
                    ],
                    "trigger": "manual",
                ],
            ])
        let form = try await tenant.post(reflect, to: server, now: server.clock.now())
        #expect(form.status == .ok)
        let formBody = try #require(form.json)
        #expect(formBody["statusCode"]?.numberValue == 200)
        #expect(formBody["type"] == "application/vnd.microsoft.card.adaptive")
        let formCard = try #require(formBody["value"])
        let inputIDs = Self.inputIDs(formCard)
        #expect(inputIDs.contains("text") && inputIDs.contains("consent"), "the form's fields: \(inputIDs)")

        // An empty reflection comes back with the problem on the card, nothing stored.
        let empty = tenant.activity(
            "invoke", from: megan, id: "inv-2",
            extra: [
                "name": "adaptiveCard/action",
                "value": [
                    "action": [
                        "type": "Action.Execute", "verb": "reflection.submit",
                        "data": ["nudge_id": .string(nudgeID), "text": ""],
                    ]
                ],
            ])
        let invalid = try #require(try await tenant.post(empty, to: server, now: server.clock.now()).json)
        #expect(Self.inputIDs(invalid["value"]).contains("text"), "the form again, to fix")
        let person = Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
            for: PlatformUser(platform: .teams, workspace: TeamsTenant.tenantID, userID: megan.objectID))
        #expect(try await server.store.exportPerson(person)?.reflections.isEmpty ?? true)

        // A valid one is stored with the training, and the card becomes the thanks.
        let submit = tenant.activity(
            "invoke", from: megan, id: "inv-3",
            extra: [
                "name": "adaptiveCard/action",
                "value": [
                    "action": [
                        "type": "Action.Execute", "verb": "reflection.submit",
                        "data": [
                            "nudge_id": .string(nudgeID), "text": "Drafted the brief with Copilot, then cut it by half",
                            "outcome": "saved_time", "consent": "aggregate_only",
                        ],
                    ]
                ],
            ])
        let thanks = try #require(try await tenant.post(submit, to: server, now: server.clock.now()).json)
        #expect(thanks["statusCode"]?.numberValue == 200)
        #expect(Self.inputIDs(thanks["value"]).isEmpty, "no form any more: \(Self.words(thanks["value"]))")
        let export = try #require(try await server.store.exportPerson(person))
        #expect(export.reflections.map(\.text) == ["Drafted the brief with Copilot, then cut it by half"])
        #expect(export.reflections.first?.trainingID != nil, "the reflection answers the training's nudge")
        #expect(export.addresses.first?.conversation?.conversationID == megan.chat)
        #expect(try await server.store.timeZone(of: person) == "America/New_York")

        // An older client's Action.Submit arrives as a message with the card's data: the card it came from is
        // replaced through the Bot Connector (PUT), since there is no invoke response to carry it.
        let updatesBefore = tenant.connector.calls(.updateActivity).count
        let submitted = tenant.activity(
            "message", from: megan, id: "1999",
            extra: [
                "replyToId": .string(sent.activityID),
                "value": ["debrief_verb": "nudge.skip", "nudge_id": .string(nudgeID)],
            ])
        #expect(try await tenant.post(submitted, to: server, now: server.clock.now()).status == .ok)
        let updates = try await tenant.connector.waitForCalls(.updateActivity, count: updatesBefore + 1)
        #expect(updates.last?.conversationID == megan.chat && updates.last?.activityID == sent.activityID)

        // Roles for Teams people come through the admin API by Entra object id.
        let roles = try await server.putJSON(
            "/api/v1/roles",
            ["platform": "teams", "people": [["user": .string(megan.objectID.uppercased()), "team": "Sales"]]])
        #expect(roles.status == .ok && roles.json?["updated"]?.numberValue == 1, "\(roles.text)")
        let slackStyle = try await server.putJSON(
            "/api/v1/roles", ["platform": "teams", "people": [["user": "U0123ABCD", "team": "Sales"]]])
        #expect(slackStyle.status == .unprocessableContent && slackStyle.text.contains("Entra object id"))
        #expect(try await server.store.roleAndTeam(of: person)?.team == "Sales")

        // The same activity delivered again is processed once.
        let quick = tenant.activity(
            "message", from: megan, id: "2001", extra: ["text": "reflect Asked AI for test ideas"])
        #expect(try await tenant.post(quick, to: server, now: server.clock.now()).status == .ok)
        #expect(try await tenant.post(quick, to: server, now: server.clock.now()).status == .ok)
        #expect(try await server.store.exportPerson(person)?.reflections.count == 2)

        // `forget` erases her, the conversation reference too.
        let forget = tenant.activity(
            "invoke", from: megan, id: "inv-4",
            extra: [
                "name": "adaptiveCard/action",
                "value": ["action": ["type": "Action.Execute", "verb": "forget.confirm", "data": [:]]],
            ])
        #expect(try await tenant.post(forget, to: server, now: server.clock.now()).status == .ok)
        #expect(try await server.store.exportPerson(person) == nil)
        #expect(try await server.store.deliveryAddress(of: person, platform: .teams) == nil)
        try await server.stop()
        await tenant.stop()
    }

    /// The ids of a card's inputs.
    static func inputIDs(_ card: JSONValue?) -> [String] {
        var ids: [String] = []
        func visit(_ value: JSONValue?) {
            switch value {
            case .object(let object)?:
                if let type = object["type"]?.stringValue, type.hasPrefix("Input."), let id = object["id"]?.stringValue
                {
                    ids.append(id)
                }
                for child in object.values { visit(child) }
            case .array(let items)?:
                for item in items { visit(item) }
            default: break
            }
        }
        visit(card)
        return ids
    }
}

@Suite("Teams inbound hardening")
struct TeamsHostileInputTests {
    @Test(
        "forged, misdirected and malformed requests get 401, 400 or 413 and change nothing; unknown types are ignored")
    func hostileRequests() async throws {
        let tenant = try await TeamsTenant.start()
        let server = try await TestServer.start(slackConfigured: false, configure: { tenant.configure(&$0) })
        let megan = tenant.person("Megan", number: 2, timeZone: "Europe/Berlin")
        let now = server.clock.now()
        let message = tenant.activity("message", from: megan, id: "3001", extra: ["text": "reflect forged"])
        func post(_ body: Data, token: String?) async throws -> HTTPResponseData {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let token { headers[.authorization] = "Bearer \(token)" }
            return try await server.client.execute(
                HTTPRequestSpec(
                    method: .post, url: "http://127.0.0.1:\(server.port)/api/messages", headerFields: headers,
                    body: body, timeout: .seconds(10)))
        }
        let issuer = tenant.issuer
        let claims = FakeBotFrameworkIssuer.Claims.connector(
            audience: TeamsTenant.appID, serviceURL: tenant.connector.serviceURL, issuedAt: now)
        var otherBot = claims
        otherBot.audience = "00000000-1111-2222-3333-444444444444"
        var elsewhere = claims
        elsewhere.serviceURL = "https://evil.example/"
        var expired = claims
        expired.expires = now.addingTimeInterval(-600)
        let forged: [(String, String)] = [
            ("alg none", try issuer.token(claims, signing: .none(kid: nil))),
            ("HS256 keyed with the public key", try issuer.token(claims, signing: .hs256WithPublicKeyPEM(kid: nil))),
            ("an unpublished key", try issuer.token(claims, signing: .unpublishedKey(claimingKid: nil))),
            ("another bot's audience", try issuer.token(otherBot)),
            ("another service URL", try issuer.token(elsewhere)),
            ("expired ten minutes ago", try issuer.token(expired)),
        ]
        /// The failure counter of one reason, as `/metrics` shows it (every reason's counter exists from the start,
        /// so the test compares values, not presence).
        func failures(_ reason: String) async throws -> Double {
            let line = try await server.get("/metrics").text.split(separator: "\n").first {
                $0.hasPrefix("debrief_teams_auth_failures_total{") && $0.contains("reason=\"\(reason)\"")
            }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
        }
        let audienceBefore = try await failures("wrong_audience")
        let algorithmBefore = try await failures("unsupported_algorithm")
        for (name, token) in forged {
            let answer = try await post(message.encoded(), token: token)
            #expect(answer.status == .unauthorized && answer.body.isEmpty, "\(name)")
        }
        #expect(try await post(message.encoded(), token: nil).status == .unauthorized)
        let valid = try issuer.token(claims)
        let malformed = try await post(Data("{\"type\": \"message\", ".utf8), token: valid)
        #expect(malformed.status == .badRequest)
        let untyped = try await post(
            JSONValue.object(["id": "1", "channelId": "msteams", "serviceUrl": .string(tenant.connector.serviceURL)])
                .encoded(), token: valid)
        #expect(untyped.status == .badRequest)
        let huge = try await post(Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1), token: valid)
        #expect(huge.status == .contentTooLarge)
        let reaction = tenant.activity("messageReaction", from: megan, id: "3002")
        #expect(try await post(reaction.encoded(), token: valid).status == .ok)
        let unknownInvoke = tenant.activity("invoke", from: megan, id: "3003", extra: ["name": "task/fetch"])
        #expect(try await post(unknownInvoke.encoded(), token: valid).status == .notImplemented)
        // Nothing above created anyone; the failures are counted by reason.
        let person = Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
            for: PlatformUser(platform: .teams, workspace: TeamsTenant.tenantID, userID: megan.objectID))
        #expect(try await server.store.exportPerson(person) == nil)
        #expect(try await failures("wrong_audience") == audienceBefore + 1)
        #expect(try await failures("unsupported_algorithm") == algorithmBefore + 2, "alg none and HS256")
        try await server.stop()
        await tenant.stop()
    }
}

@Suite("Teams digests end to end")
struct TeamsDigestEndToEndTests {
    static let midWeek = TeamsEndToEndTests.date("2026-11-18T10:00:00Z")
    static let beforeDigest = TeamsEndToEndTests.date("2026-11-23T07:50:00Z")
    static let leadershipChannel = "19:leaders@thread.tacv2"

    /// `count` people on `platform` who each reflected once in week 2026-W47.
    static func seed(_ store: any DebriefDataStore, platform: Platform, workspace: String, count: Int) async throws {
        for index in 0..<count {
            let user =
                platform == .slack ? "U\(index)" : String(format: "9a9a9a9a-0000-4000-8000-%012d", index)
            let pseudonym = Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
                for: PlatformUser(platform: platform, workspace: workspace, userID: user))
            try await store.recordReflection(
                Reflection(
                    id: "r-\(platform)-\(index)", person: pseudonym, createdAt: midWeek, source: .modal,
                    text: "Summarised customer calls", taskCategory: .drafting, outcome: .savedTime,
                    minutesSaved: .upTo15, confidence: 4, consent: .aggregateOnly),
                from: DeliveryAddress(platform: platform, workspace: workspace, userID: user))
        }
    }

    @Test("one digest counts Slack and Teams people together, under the same k, posted to a Slack and a Teams channel")
    func mixedOrganisation() async throws {
        let tenant = try await TeamsTenant.start()
        tenant.connector.setTeam(id: Self.leadershipChannel, channels: [], memberIDs: [])
        let server = try await TestServer.start(
            clockStart: Self.beforeDigest,
            configure: {
                tenant.configure(&$0)
                $0.digests.leadershipChannel = "CLEAD"
                $0.digests.teamsLeadershipChannel = Self.leadershipChannel
            })
        // Four in Slack and two in Teams: neither alone reaches k = 5; together they do.
        #expect(PrivacyConfiguration.defaultAnonymityThreshold == 5)
        try await Self.seed(server.store, platform: .slack, workspace: "T0001", count: 4)
        try await Self.seed(server.store, platform: .teams, workspace: TeamsTenant.tenantID, count: 2)

        // Debrief is added to the leadership team: the channel is remembered, and Debrief says its id there.
        let added: JSONValue = [
            "type": "conversationUpdate", "id": "f:team-1", "channelId": "msteams",
            "serviceUrl": .string(tenant.connector.serviceURL),
            "from": ["id": "29:ada", "aadObjectId": "7faf8ab2-0000-4000-8000-000000000001"],
            "recipient": ["id": .string("28:" + TeamsTenant.appID)],
            "conversation": [
                "id": .string(Self.leadershipChannel), "conversationType": "channel", "isGroup": true,
                "tenantId": .string(TeamsTenant.tenantID),
            ],
            "membersAdded": [["id": .string("28:" + TeamsTenant.appID)]],
            "channelData": [
                "eventType": "teamMemberAdded", "team": ["id": .string(Self.leadershipChannel), "name": "Leadership"],
                "tenant": ["id": .string(TeamsTenant.tenantID)],
            ],
        ]
        #expect(try await tenant.post(added, to: server, now: server.clock.now()).status == .ok)
        let channels = try await server.store.channels(platform: .teams)
        #expect(channels.map(\.channelID) == [Self.leadershipChannel])
        let announcement = try await tenant.connector.waitForCalls(.replyToActivity, count: 1)
        #expect(String(decoding: announcement[0].body, as: UTF8.self).contains("19:leaders"))

        server.clock.advance(by: 15 * 60)
        try await server.runDueWork()
        let threads = try await tenant.connector.waitForCalls(.createConversation, count: 1)
        let posted = try #require(try? JSONValue.decode(threads[0].body))
        #expect(posted["channelData"]?["channel"]?["id"]?.stringValue == Self.leadershipChannel)
        let teamsWords = TeamsEndToEndTests.words(TeamsEndToEndTests.card(posted["activity"]))
        #expect(!teamsWords.contains("quiet week"), "six people answered: \(teamsWords)")
        let slackPost = try #require(server.slack.calls("chat.postMessage").first { $0.string("channel") == "CLEAD" })
        #expect(!(slackPost.string("text") ?? "").contains("quiet week"), "the same six in Slack's copy")
        // The details go in the thread of the Teams post.
        let replies = try await tenant.connector.waitForCalls(.replyToActivity, count: 2)
        #expect(replies.last?.conversationID?.hasPrefix(Self.leadershipChannel + ";messageid=") == true)
        // Later passes post nothing more: once per target and week, on each platform.
        server.clock.advance(by: 3_600)
        try await server.runDueWork()
        #expect(tenant.connector.calls(.createConversation).count == 1)
        try await server.stop()
        await tenant.stop()
    }
}
