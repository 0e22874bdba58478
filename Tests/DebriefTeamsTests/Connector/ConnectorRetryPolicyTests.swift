import DebriefHTTP
import DebriefPlatform
import DebriefTeams
import Foundation
import HTTPTypes
import Testing

@Suite("Bot Connector retry decisions")
struct ConnectorRetryPolicyTests {
    let policy = ConnectorRetryPolicy()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func decide(
        _ status: Int, body: String = "", retryAfter: String? = nil, attempt: Int = 1, refreshed: Bool = false,
        random: Double = 0.5
    ) -> ConnectorRetryPolicy.Decision {
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = retryAfter }
        let response = HTTPResponseData(
            status: HTTPResponse.Status(code: status), headerFields: headers, body: Data(body.utf8))
        return policy.decision(
            after: .success(response), attempt: attempt, tokenRefreshed: refreshed, now: now, random: random)
    }

    @Test("answers that mark an address unreachable end at once with the connector's code")
    func refusals() {
        #expect(
            decide(403, body: #"{"error":{"code":"BotNotInConversationRoster","message":"x"}}"#)
                == .fail(.refused(code: "BotNotInConversationRoster")))
        #expect(
            decide(403, body: #"{"error":{"code":"ConversationBlockedByUser","subCode":"MessageWritesBlocked"}}"#)
                == .fail(.refused(code: "MessageWritesBlocked")))
        #expect(decide(404) == .fail(.refused(code: "NotFound")))
        #expect(
            decide(400, body: #"{"error":{"code":"BadArgument","message":"Conversations must be to a single member"}}"#)
                == .fail(.refused(code: "BadArgument")))
        #expect(
            decide(413, body: #"{"error":{"code":"RequestEntityTooLarge"}}"#)
                == .fail(.refused(code: "MessageSizeTooBig")))
    }

    @Test("error codes are cut to identifier characters before they reach logs and job errors")
    func codesAreSanitised() {
        #expect(
            decide(403, body: #"{"error":{"code":"Bad code <script>\n with spaces"}}"#)
                == .fail(.refused(code: "Badcodescriptwithspaces")))
    }

    @Test("backoff doubles per attempt, is capped, and its jitter stays within ±20 %")
    func backoff() {
        #expect(policy.backoff(afterAttempt: 1, random: 0.5) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == .seconds(4))
        #expect(policy.backoff(afterAttempt: 12, random: 0.5) == .seconds(20))
        #expect(policy.backoff(afterAttempt: 2, random: 0) == .milliseconds(1600))
        #expect(policy.backoff(afterAttempt: 2, random: 1) == .milliseconds(2400))
    }

    @Test("a Retry-After within the cap is waited on 429 and 503; attempts are bounded")
    func retryAfter() {
        #expect(decide(429, retryAfter: "3") == .retry(after: .seconds(3), reason: .rateLimited))
        #expect(decide(429) == .retry(after: .seconds(1), reason: .rateLimited))
        #expect(decide(503, retryAfter: "5") == .retry(after: .seconds(5), reason: .serverError))
        #expect(decide(429, retryAfter: "3", attempt: 4) == .fail(.rateLimited(retryAfter: .seconds(3))))
        #expect(decide(502, attempt: 4) == .fail(.unavailable(code: "http_502")))
    }

    @Test("401 asks for a new token once, then gives up as unavailable")
    func unauthorized() {
        #expect(decide(401) == .refreshTokenAndRetry)
        #expect(decide(401, attempt: 4) == .refreshTokenAndRetry)
        #expect(decide(401, refreshed: true) == .fail(.unavailable(code: "unauthorized")))
    }

    @Test("transport failures: timeouts retried then unavailable; cancellation and bad URLs end at once")
    func transport() {
        func decide(_ error: any Error, attempt: Int = 1) -> ConnectorRetryPolicy.Decision {
            policy.decision(after: .failure(error), attempt: attempt, tokenRefreshed: false, now: now, random: 0.5)
        }
        #expect(decide(HTTPClientError.timedOut(url: "u")) == .retry(after: .seconds(1), reason: .transportError))
        #expect(decide(HTTPClientError.timedOut(url: "u"), attempt: 4) == .fail(.unavailable(code: "timeout")))
        #expect(decide(HTTPClientError.cancelled) == .fail(.cancelled))
        #expect(decide(CancellationError()) == .fail(.cancelled))
        #expect(decide(HTTPClientError.invalidURL("x")) == .fail(.refused(code: "invalid_service_url")))
    }
}
