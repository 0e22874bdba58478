import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefPlatform
import DebriefTeams
import Foundation
import Testing

@Suite("Bot Connector client against the fake Bot Connector")
struct BotConnectorClientTests {
    static let channel = "19:abc@thread.tacv2"
    static let team = "19:team-general@thread.tacv2"

    @Test("creating a 1:1 conversation sends bot, member, tenant and isGroup false; the same person gets the same id")
    func createPersonalConversation() async throws {
        try await ConnectorHarness.run { h in
            let first = try await h.personalConversation()
            #expect(first.hasPrefix("a:"))
            let call = try #require(h.fake.calls(.createConversation).first)
            #expect(call.method == "POST")
            #expect(call.rawPath == "/v3/conversations")
            #expect(call.token == "fake-bot-token-1")
            #expect(call.isJSON)
            let body = try #require(call.json(as: JSONValue.self))
            #expect(body["bot"]?["id"] == .string("28:" + FakeTeams.defaultAppID))
            #expect(body["members"] == [["id": "29:1megan"]])
            #expect(body["tenantId"] == .string(FakeTeams.defaultTenantID))
            #expect(body["channelData"]?["tenant"]?["id"] == .string(FakeTeams.defaultTenantID))
            #expect(body["isGroup"] == false)
            // By Entra object id, as when only the directory is known.
            let again = try await h.client.createPersonalConversation(
                serviceURL: h.fake.serviceURL, tenantID: FakeTeams.defaultTenantID, botID: h.fake.botID,
                member: ChannelAccount(aadObjectId: "7faf8ab2-0000-0000-0000-000000000001"))
            #expect(again == first)
        }
    }

    @Test("send, reply and update hit the documented paths with the activity as JSON")
    func sendReplyUpdate() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            let service = String(h.fake.serviceURL.dropLast())  // without the trailing slash
            let sent = try await h.client.sendToConversation(
                serviceURL: service, conversationID: conversation, activity: .nudge("first"))
            let send = try #require(h.fake.calls(.sendToConversation).first)
            #expect(send.rawPath == "/v3/conversations/\(Self.encoded(conversation))/activities")
            #expect(send.conversationID == conversation)
            #expect(send.json(as: Activity.self) == .nudge("first"))

            let reply = try await h.client.replyToActivity(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activityID: sent,
                activity: Activity(type: "message", text: "details"))
            #expect(reply != sent)
            let replyCall = try #require(h.fake.calls(.replyToActivity).first)
            #expect(replyCall.rawPath == "/v3/conversations/\(Self.encoded(conversation))/activities/\(sent)")
            #expect(replyCall.json(as: Activity.self)?.text == "details")

            try await h.client.updateActivity(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activityID: sent,
                activity: .nudge("answered"))
            let update = try #require(h.fake.calls(.updateActivity).first)
            #expect(update.method == "PUT")
            #expect(update.rawPath == "/v3/conversations/\(Self.encoded(conversation))/activities/\(sent)")
            #expect(update.json(as: Activity.self)?.summary == "answered")
            #expect(h.fake.postedActivities().map(\.route) == [.sendToConversation, .replyToActivity, .updateActivity])
        }
    }

    @Test("a thread id with ':', '@', ';' and '=' is sent as one percent-encoded path segment")
    func percentEncodesConversationIDs() async throws {
        try await ConnectorHarness.run { h in
            h.fake.setTeam(
                id: Self.team, channels: [FakeTeams.Channel(id: Self.channel, name: "Leadership")], memberIDs: [])
            let thread = try await h.client.createChannelThread(
                serviceURL: h.fake.serviceURL, tenantID: FakeTeams.defaultTenantID, channelID: Self.channel,
                activity: .nudge("digest"))
            #expect(thread.conversationID == Self.channel + ";messageid=" + thread.activityID)
            let create = try #require(h.fake.calls(.createConversation).first?.json(as: JSONValue.self))
            #expect(create["isGroup"] == true)
            #expect(create["channelData"]?["channel"]?["id"] == .string(Self.channel))
            #expect(create["activity"]?["summary"] == "digest")

            _ = try await h.client.replyToActivity(
                serviceURL: h.fake.serviceURL, conversationID: thread.conversationID, activityID: thread.activityID,
                activity: Activity(type: "message", text: "details"))
            let reply = try #require(h.fake.calls(.replyToActivity).first)
            #expect(
                reply.rawPath
                    == "/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D\(thread.activityID)/activities/"
                    + thread.activityID)
            #expect(reply.conversationID == "19:abc@thread.tacv2;messageid=\(thread.activityID)")
        }
    }

    @Test("429 with Retry-After waits exactly that long (on the injected clock), pauses the tenant, then succeeds")
    func rateLimitedThenSuccess() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            h.fake.failNext(.sendToConversation, with: .rateLimited(retryAfter: 7))
            let before = h.clock.date
            _ = try await h.client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            #expect(h.fake.calls(.sendToConversation).count == 2)
            #expect(h.clock.sleeps.contains(.seconds(7)))
            #expect(h.clock.date.timeIntervalSince(before) >= 7)
        }
    }

    @Test("a 429 asking for longer than the cap ends the call as rateLimited with the wait, after one request")
    func longRetryAfterIsHandedBack() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            h.fake.failNext(.sendToConversation, with: .rateLimited(retryAfter: 120))
            await #expect(throws: ChatPlatformError.rateLimited(retryAfter: .seconds(120))) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            }
            #expect(h.fake.calls(.sendToConversation).count == 1)
            let key = BotConnectorClient.rateLimitKey(tenantID: FakeTeams.defaultTenantID)
            #expect(await h.limiter.pausedUntil(key) != nil)
        }
    }

    @Test("412, 502 and 504 are retried with exponential backoff and then succeed", arguments: [412, 502, 504])
    func transientErrorsRetried(status: Int) async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            h.fake.failNext(.sendToConversation, with: .status(status))
            h.fake.failNext(.sendToConversation, with: .status(status))
            _ = try await h.client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            #expect(h.fake.calls(.sendToConversation).count == 3)
            // random 0.5 = no jitter: 1 s, then 2 s.
            #expect(h.clock.sleeps.filter { $0 >= .milliseconds(500) } == [.seconds(1), .seconds(2)])
        }
    }

    @Test("repeated 503 ends as unavailable after the bounded attempts")
    func repeatedServerErrors() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            for _ in 0..<6 { h.fake.failNext(.sendToConversation, with: .status(503)) }
            await #expect(throws: ChatPlatformError.unavailable(code: "ServiceUnavailable")) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            }
            #expect(h.fake.calls(.sendToConversation).count == ConnectorRetryPolicy().maximumAttempts)
        }
    }

    @Test("a person without the app installed: refused BotNotInConversationRoster after exactly one request")
    func notInRoster() async throws {
        try await ConnectorHarness.run { h in
            h.fake.addMembers([FakeTeams.Member(id: "29:1adele", name: "Adele Vance")], installed: false)
            await #expect(throws: ChatPlatformError.refused(code: "BotNotInConversationRoster")) {
                _ = try await h.client.createPersonalConversation(
                    serviceURL: h.fake.serviceURL, tenantID: FakeTeams.defaultTenantID, botID: h.fake.botID,
                    member: ChannelAccount(id: "29:1adele"))
            }
            #expect(h.fake.calls(.createConversation).count == 1)
            #expect(h.clock.sleeps.isEmpty)
        }
    }

    @Test("a person who blocked the bot: refused MessageWritesBlocked after exactly one request")
    func writesBlocked() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            h.fake.setBlocked(true, for: "29:1megan")
            await #expect(throws: ChatPlatformError.refused(code: "MessageWritesBlocked")) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            }
            #expect(h.fake.calls(.sendToConversation).count == 1)
            #expect(h.clock.sleeps.isEmpty)
        }
    }

    @Test("404 and 413 are refused with the connector's code, not retried")
    func notFoundAndTooLarge() async throws {
        try await ConnectorHarness.run { h in
            await #expect(throws: ChatPlatformError.refused(code: "ConversationNotFound")) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: "a:unknown", activity: .nudge())
            }
            let conversation = try await h.personalConversation()
            let huge = String(repeating: "x", count: 50_000)
            await #expect(throws: ChatPlatformError.refused(code: "MessageSizeTooBig")) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge(huge))
            }
            #expect(h.fake.calls(.sendToConversation).count == 2)
        }
    }

    @Test("401 from the connector refreshes the token once and retries once; a second 401 is unavailable")
    func unauthorizedRefreshesOnce() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            h.fake.revokeTokens()
            _ = try await h.client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            #expect(h.fake.tokenRequestCount == 2)
            let sends = h.fake.calls(.sendToConversation)
            #expect(sends.map(\.token) == ["fake-bot-token-1", "fake-bot-token-2"])

            h.fake.failNext(.sendToConversation, with: .status(401))
            h.fake.failNext(.sendToConversation, with: .status(401))
            await #expect(throws: ChatPlatformError.unavailable(code: "unauthorized")) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            }
            #expect(h.fake.calls(.sendToConversation).count == 4)
            #expect(h.fake.tokenRequestCount == 3)
        }
    }

    @Test("paged members walk every page with the continuation token")
    func pagedMembers() async throws {
        try await ConnectorHarness.run { h in
            let people = (1...7).map {
                FakeTeams.Member(
                    id: "29:\($0)", name: "Person \($0)", aadObjectId: "aad-\($0)", email: "p\($0)@contoso.example")
            }
            h.fake.addMembers(people)
            h.fake.setTeam(id: Self.team, channels: [], memberIDs: people.map(\.id))
            var collected: [TeamsMember] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await h.client.pagedMembers(
                    serviceURL: h.fake.serviceURL, conversationID: Self.team, pageSize: 3, continuationToken: token)
                collected += page.members
                token = page.continuationToken
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(collected.map(\.aadObjectId) == people.map(\.aadObjectId))
            #expect(collected.first?.email == "p1@contoso.example")
            #expect(collected.first?.tenantId == FakeTeams.defaultTenantID)
            let calls = h.fake.calls(.pagedMembers)
            #expect(calls.map { $0.query["pageSize"] } == ["3", "3", "3"])
            #expect(calls.first?.query["continuationToken"] == nil)
            #expect(calls.last?.query["continuationToken"] != nil)
        }
    }

    @Test("team channels list the channels, General without a name")
    func teamChannels() async throws {
        try await ConnectorHarness.run { h in
            h.fake.setTeam(
                id: Self.team, channels: [FakeTeams.Channel(id: Self.channel, name: "Leadership")], memberIDs: [])
            let channels = try await h.client.teamChannels(serviceURL: h.fake.serviceURL, teamID: Self.team)
            #expect(
                channels == [
                    TeamsChannel(id: Self.team, name: nil), TeamsChannel(id: Self.channel, name: "Leadership"),
                ])
            #expect(h.fake.calls(.teamChannels).first?.rawPath == "/v3/teams/\(Self.encoded(Self.team))/conversations")
        }
    }

    @Test("sends beyond the burst are paced at 25 per second for the tenant")
    func pacedPerTenant() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            let start = h.clock.date
            for _ in 0..<10 {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge(),
                    tenantID: FakeTeams.defaultTenantID)
            }
            // 11 calls with a burst of 5 at 25/s: the last 6 wait 40 ms each.
            let waited = h.clock.date.timeIntervalSince(start)
            #expect(abs(waited - 0.24) < 0.001)
            #expect(h.fake.calls(.sendToConversation).count == 10)
        }
    }

    @Test("a tenant throttled by Teams (429 without Retry-After) ends as rateLimited after the bounded attempts")
    func throttledWithoutRetryAfter() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            h.fake.setRateLimit(perSecond: 0.01, burst: 1)
            _ = try await h.client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            await #expect(throws: ChatPlatformError.rateLimited(retryAfter: nil)) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            }
            #expect(h.fake.traffic.rateLimited.count == ConnectorRetryPolicy().maximumAttempts)
            // Backoff between the attempts: 1 s, 2 s, 4 s (no jitter with random 0.5).
            #expect(h.clock.sleeps.filter { $0 >= .milliseconds(500) } == [.seconds(1), .seconds(2), .seconds(4)])
        }
    }

    @Test("a slow answer times out and is retried")
    func timeoutRetried() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            var client = h.client
            // Generous for the answers that are not delayed (a loaded CI machine), far below the delayed one.
            client.requestTimeout = .seconds(3)
            h.fake.failNext(.sendToConversation, with: .delay(.seconds(8)))
            let id = try await client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            #expect(!id.isEmpty, "the retry went through")
            // The delayed attempt and at least one retry (a second retry only if the machine stalled 3 s).
            #expect(h.fake.calls(.sendToConversation).count >= 2)
            #expect(h.clock.sleeps.contains(.seconds(1)))
        }
    }

    /// What RFC 3986 escaping of one path segment gives (written out independently of the client).
    static func encoded(_ id: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        allowed.remove(charactersIn: "")
        return id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id
    }
}
