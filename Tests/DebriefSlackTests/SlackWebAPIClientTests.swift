import DebriefCore
import DebriefHTTP
import DebriefSlack
import DebriefTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Records the waits the client asks for instead of waiting.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }

    var sleep: SlackWebAPIClient.Sleep {
        { [self] duration in delays.withLock { $0.append(duration) } }
    }
}

@Suite("Slack Web API client against a loopback fake")
struct SlackWebAPIClientTests {
    static let logger = Logger(label: "test.slack-web-api")

    /// Runs `body` with a started fake, a real HTTP client and a Slack client whose sleeps are recorded.
    func withFake(
        token: String = FakeSlack.defaultToken, baseURLSuffix: Bool = true,
        _ body: (FakeSlack, SlackWebAPIClient, SleepRecorder) async throws -> Void
    ) async throws {
        let fake = try await FakeSlack.start()
        let http = CurlHTTPClient(logger: Self.logger)
        let recorder = SleepRecorder()
        var baseURL = fake.baseURL
        if !baseURLSuffix { baseURL.removeLast() }
        let client = SlackWebAPIClient(
            http: http, baseURL: baseURL, token: token, logger: Self.logger, sleep: recorder.sleep, random: { 0.5 },
            metrics: SlackAPIMetrics())
        do {
            try await body(fake, client, recorder)
        } catch {
            await http.shutdown()
            await fake.stop()
            throw error
        }
        await http.shutdown()
        await fake.stop()
    }

    @Test(arguments: [true, false])
    func postsMessagesWithBearerTokenAndJSON(trailingSlash: Bool) async throws {
        try await withFake(baseURLSuffix: trailingSlash) { fake, client, recorder in
            let blocks: JSONValue = [["type": "section", "text": ["type": "mrkdwn", "text": "hi"]]]
            let message = try await client.chatPostMessage(channel: "U0001", text: "hi", blocks: blocks)
            #expect(message.channel == "D0001")
            #expect(!message.ts.isEmpty)
            let call = try #require(fake.calls("chat.postMessage").first)
            #expect(call.token == FakeSlack.defaultToken)
            #expect(call.contentType == "application/json; charset=utf-8")
            #expect(call.json?["channel"] == "U0001")
            #expect(call.json?["blocks"] == blocks)
            try await client.chatUpdate(channel: message.channel, ts: message.ts, text: "updated")
            #expect(fake.calls("chat.update").count == 1)
            #expect(recorder.recorded.isEmpty)
        }
    }

    @Test func opensModalsAndPublishesHome() async throws {
        try await withFake { fake, client, _ in
            let prompts = try RepositoryPrompts.load()
            let viewID = try await client.viewsOpen(
                triggerID: "1.2.abc", view: ReflectionModal.view(prompts: prompts, privateMetadata: "r_1"))
            #expect(viewID.hasPrefix("V"))
            try await client.viewsPublish(userID: "U0001", view: HomeTab.view(prompts: prompts))
            let publish = try await fake.waitForCall(method: "views.publish")
            #expect(publish.json?["user_id"] == "U0001")
            #expect(publish.json?["view"]?["type"] == "home")
        }
    }

    @Test func platformErrorsSurfaceWithTheirCode() async throws {
        try await withFake { fake, client, recorder in
            fake.expireTrigger("old.trigger")
            await #expect(throws: SlackAPIError.platform(code: "expired_trigger_id", needed: nil)) {
                try await client.viewsOpen(
                    triggerID: "old.trigger", view: ["type": "modal", "title": ["type": "plain_text", "text": "x"]])
            }
            fake.failNext(method: "chat.postMessage", with: .platformError("not_in_channel"))
            do throws(SlackAPIError) {
                _ = try await client.chatPostMessage(channel: "C0001", text: "digest")
                Issue.record("expected an error")
            } catch {
                #expect(error == .platform(code: "not_in_channel", needed: nil))
                #expect(!error.isTokenDead)
            }
            // ok:false is not retried.
            #expect(fake.calls("chat.postMessage").count == 1)
            #expect(recorder.recorded.isEmpty)
        }
    }

    @Test func rateLimitHonoursRetryAfterThenSucceeds() async throws {
        try await withFake { fake, client, recorder in
            fake.failNext(method: "chat.postMessage", with: .rateLimited(retryAfter: 1))
            let message = try await client.chatPostMessage(channel: "C0001", text: "digest")
            #expect(!message.ts.isEmpty)
            #expect(recorder.recorded == [.seconds(1)])
            #expect(fake.calls("chat.postMessage").count == 2)
        }
    }

    @Test func rateLimitLongerThanTheCapFailsAtOnce() async throws {
        try await withFake { fake, client, recorder in
            fake.failNext(method: "chat.postMessage", with: .rateLimited(retryAfter: 120))
            await #expect(throws: SlackAPIError.rateLimited(retryAfter: .seconds(120))) {
                try await client.chatPostMessage(channel: "C0001", text: "digest")
            }
            #expect(recorder.recorded.isEmpty)
            #expect(fake.calls("chat.postMessage").count == 1)
        }
    }

    @Test func aCallerThatNeverWaitsInsideTheClientGetsA429WithoutRetryAfterBackAtOnce() async throws {
        try await withFake { fake, client, recorder in
            var noWaiting = client
            noWaiting.retryPolicy.maximumRetryAfter = .zero
            // A 429 with no Retry-After header.
            fake.failNext(method: "chat.postMessage", with: .serverError(429))
            await #expect(throws: SlackAPIError.rateLimited(retryAfter: nil)) {
                try await noWaiting.chatPostMessage(channel: "C0001", text: "nudge")
            }
            #expect(recorder.recorded.isEmpty, "no wait inside the client")
            #expect(fake.calls("chat.postMessage").count == 1, "and no second attempt behind the limiter's back")
        }
    }

    @Test func rateLimitedOnEveryAttemptGivesUp() async throws {
        try await withFake { fake, client, recorder in
            for _ in 0..<3 { fake.failNext(method: "views.publish", with: .rateLimited(retryAfter: 2)) }
            await #expect(throws: SlackAPIError.rateLimited(retryAfter: .seconds(2))) {
                try await client.viewsPublish(userID: "U1", view: ["type": "home", "blocks": []])
            }
            #expect(recorder.recorded == [.seconds(2), .seconds(2)])
            #expect(fake.calls("views.publish").count == 3)
        }
    }

    @Test func serverErrorsAreRetriedWithBackoff() async throws {
        try await withFake { fake, client, recorder in
            fake.failNext(method: "chat.postMessage", with: .serverError(503))
            fake.failNext(method: "chat.postMessage", with: .serverError(500))
            _ = try await client.chatPostMessage(channel: "C0001", text: "digest")
            #expect(fake.calls("chat.postMessage").count == 3)
            // Equal jitter with random 0.5: 3/4 of 500 ms, then 3/4 of 1 s.
            #expect(recorder.recorded == [.milliseconds(375), .milliseconds(750)])
        }
    }

    @Test func serverErrorsOnEveryAttemptFail() async throws {
        try await withFake { fake, client, _ in
            for _ in 0..<3 { fake.failNext(method: "chat.update", with: .serverError(502)) }
            await #expect(throws: SlackAPIError.http(status: 502, code: "internal_error")) {
                try await client.chatUpdate(channel: "C1", ts: "1.2", text: "x")
            }
        }
    }

    @Test func invalidTokenIsReportedAsDead() async throws {
        try await withFake(token: "xoxb-revoked") { fake, client, _ in
            do throws(SlackAPIError) {
                _ = try await client.authTest()
                Issue.record("expected invalid_auth")
            } catch {
                #expect(error == .platform(code: "invalid_auth", needed: nil))
                #expect(error.isTokenDead)
                #expect(!error.description.contains("xoxb-revoked"))
            }
            #expect(fake.calls("auth.test").first?.token == "xoxb-revoked")
            let identity = try await client.withToken(FakeSlack.defaultToken).authTest()
            #expect(identity["team_id"]?.stringValue == FakeSlack.teamID)
        }
    }

    @Test func formOnlyMethodsAreSentAsForms() async throws {
        try await withFake { fake, client, _ in
            fake.setUser(FakeSlack.User(id: "U0042", email: "ada@example.com", timeZone: "America/New_York"))
            let user = try await client.usersInfo(userID: "U0042")
            #expect(user["tz"] == "America/New_York")
            let call = try #require(fake.calls("users.info").first)
            #expect(call.contentType == "application/x-www-form-urlencoded")
            #expect(call.form["user"] == "U0042")
            let result1 = try await client.usersLookupByEmail("ada@example.com")
            #expect(result1 == "U0042")
            let result2 = try await client.usersLookupByEmail("nobody+tag@example.com")
            #expect(result2 == nil)
            #expect(fake.calls("users.lookupByEmail").last?.form["email"] == "nobody+tag@example.com")
        }
    }

    @Test func channelMembersFollowCursors() async throws {
        try await withFake { fake, client, _ in
            let members = (1...25).map { String(format: "U%04d", $0) }
            fake.setMembers(channel: "C0TEAM", members)
            fake.setMaximumMembersPageSize(10)
            let result3 = try await client.conversationsMembers(channelID: "C0TEAM")
            #expect(result3 == members)
            #expect(fake.calls("conversations.members").count == 3)
            fake.setUsergroup("S0001", users: ["U0001", "U0002"])
            let result4 = try await client.usergroupsUsersList(usergroupID: "S0001")
            #expect(result4 == ["U0001", "U0002"])
            await #expect(throws: SlackAPIError.platform(code: "channel_not_found", needed: nil)) {
                try await client.conversationsMembers(channelID: "C0NOPE")
            }
        }
    }

    @Test func respondsToResponseURLsWithoutToken() async throws {
        try await withFake { fake, client, _ in
            let replies = SlackReplies(prompts: try RepositoryPrompts.load())
            try await client.respond(
                responseURL: fake.responseURL(id: "cmd-1"), message: SlackReplies.replacingOriginal(replies.forgotten())
            )
            let post = try #require(fake.responsePosts(id: "cmd-1").first)
            #expect(post.token == nil)
            #expect(post.json?["replace_original"] == true)
        }
    }

    @Test func unreachableHostIsATransportErrorAfterRetries() async throws {
        let http = CurlHTTPClient(logger: Self.logger)
        let recorder = SleepRecorder()
        // Port 9 (discard) on loopback is closed here; connecting fails at once.
        let client = SlackWebAPIClient(
            http: http, baseURL: "http://127.0.0.1:9/api", token: "t", logger: Self.logger, sleep: recorder.sleep,
            random: { 0 }, metrics: SlackAPIMetrics())
        do throws(SlackAPIError) {
            _ = try await client.authTest()
            Issue.record("expected a transport error")
        } catch {
            guard case .transport = error else {
                Issue.record("expected transport, got \(error)")
                await http.shutdown()
                return
            }
        }
        #expect(recorder.recorded == [.milliseconds(250), .milliseconds(500)])
        await http.shutdown()
    }
}
