import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefPlatform
import DebriefTeams
import Foundation
import Testing

@Suite("Bot token: client credentials against the fake token endpoint")
struct BotTokenProviderTests {
    @Test("two sends with a fresh token cost one token request, sent as the documented form")
    func tokenIsCached() async throws {
        try await ConnectorHarness.run { h in
            let conversation = try await h.personalConversation()
            _ = try await h.client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            _ = try await h.client.sendToConversation(
                serviceURL: h.fake.serviceURL, conversationID: conversation, activity: .nudge())
            #expect(h.fake.tokenRequestCount == 1)
            let request = try #require(h.fake.calls(.token).first)
            #expect(request.rawPath == "/\(FakeTeams.defaultTenantID)/oauth2/v2.0/token")
            #expect(request.form["grant_type"] == "client_credentials")
            #expect(request.form["client_id"] == FakeTeams.defaultAppID)
            #expect(request.form["scope"] == "https://api.botframework.com/.default")
            #expect(h.fake.calls(.sendToConversation).allSatisfy { $0.token == "fake-bot-token-1" })
        }
    }

    @Test("a MultiTenant bot asks the botframework.com authority")
    func multiTenantAuthority() async throws {
        try await ConnectorHarness.run(appType: .multiTenant, tenantID: nil) { h in
            _ = try await h.tokens.token()
            #expect(h.fake.calls(.token).first?.tenant == "botframework.com")
        }
    }

    @Test("a token within 5 minutes of expiry is replaced before use; one well before expiry is not")
    func expiringTokenIsRefreshed() async throws {
        try await ConnectorHarness.run { h in
            let first = try await h.tokens.token()
            h.clock.advance(by: .seconds(3600 - 301))
            #expect(try await h.tokens.token() == first)
            #expect(h.fake.tokenRequestCount == 1)
            h.clock.advance(by: .seconds(2))
            let second = try await h.tokens.token()
            #expect(second != first)
            #expect(h.fake.tokenRequestCount == 2)
        }
    }

    @Test("ten concurrent callers with an expired token cause exactly one token request and share its token")
    func noStampede() async throws {
        try await ConnectorHarness.run { h in
            _ = try await h.tokens.token()
            h.clock.advance(by: .seconds(7200))
            h.fake.failNext(.token, with: .delay(.milliseconds(300)))
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 { group.addTask { try await h.tokens.token() } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(h.fake.tokenRequestCount == 2)
            #expect(Set(tokens) == ["fake-bot-token-2"])
        }
    }

    @Test("a bad secret gives the operator a clear error without the secret, and is not cached")
    func badSecret() async throws {
        let secret = "wrong-secret-value-123"
        try await ConnectorHarness.run(password: secret) { h in
            let error = await #expect(throws: BotTokenError.self) { try await h.tokens.token() }
            let text = try #require(error).description
            #expect(text.contains("MicrosoftAppId/MicrosoftAppPassword rejected by the token endpoint"))
            #expect(text.contains("AADSTS7000215"))
            #expect(!text.contains(secret))
            #expect(!String(reflecting: BotCredentials(appID: "a", password: secret)).contains(secret))
            // Not cached: the next call asks again.
            _ = try? await h.tokens.token()
            #expect(h.fake.tokenRequestCount == 2)
            // A connector call fails as unavailable (not refused: the person is not at fault).
            await #expect(throws: ChatPlatformError.unavailable(code: "token_rejected")) {
                _ = try await h.client.sendToConversation(
                    serviceURL: h.fake.serviceURL, conversationID: "a:1", activity: .nudge())
            }
        }
    }

    @Test("a SingleTenant bot without a tenant id is told to set MicrosoftAppTenantId, without a request")
    func singleTenantNeedsTenant() async throws {
        try await ConnectorHarness.run(tenantID: nil) { h in
            let error = await #expect(throws: BotTokenError.self) { try await h.tokens.token() }
            let text = try #require(error).description
            #expect(text.contains("MicrosoftAppTenantId"))
            #expect(h.fake.tokenRequestCount == 0)
        }
    }
}
