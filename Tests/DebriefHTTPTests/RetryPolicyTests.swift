import DebriefHTTP
import Foundation
import HTTPTypes
import Testing

@Suite("RetryPolicy decisions")
struct RetryPolicyTests {
    private static let policy = RetryPolicy(
        maximumAttempts: 3, backoffBase: .milliseconds(200), maximumBackoff: .seconds(1),
        maximumRetryAfter: .seconds(60))
    private static let now = Date(timeIntervalSince1970: 1_700_000_000)

    private static func response(_ code: Int, retryAfter: String? = nil) -> Result<HTTPResponseData, any Error> {
        var fields = HTTPFields()
        if let retryAfter {
            fields[.retryAfter] = retryAfter
        }
        return .success(HTTPResponseData(status: .init(code: code), headerFields: fields))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let outcome: @Sendable () -> Result<HTTPResponseData, any Error>
        let attempt: Int
        let expected: RetryPolicy.Decision
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "200 is final", outcome: { response(200) }, attempt: 1, expected: .finish),
        Case(name: "404 is final", outcome: { response(404) }, attempt: 1, expected: .finish),
        Case(
            name: "429 waits Retry-After", outcome: { response(429, retryAfter: "7") }, attempt: 1,
            expected: .retry(after: .seconds(7), reason: .rateLimited)),
        Case(
            name: "429 at the cap still waits", outcome: { response(429, retryAfter: "60") }, attempt: 2,
            expected: .retry(after: .seconds(60), reason: .rateLimited)),
        Case(
            name: "429 over the cap is returned", outcome: { response(429, retryAfter: "61") }, attempt: 1,
            expected: .finish),
        Case(
            name: "429 without Retry-After backs off", outcome: { response(429) }, attempt: 1,
            expected: .retry(after: .milliseconds(200), reason: .rateLimited)),
        Case(
            name: "429 on the last attempt is returned", outcome: { response(429, retryAfter: "1") }, attempt: 3,
            expected: .finish),
        Case(
            name: "500 backs off", outcome: { response(500) }, attempt: 1,
            expected: .retry(after: .milliseconds(200), reason: .serverError)),
        Case(
            name: "503 honours a short Retry-After", outcome: { response(503, retryAfter: "2") }, attempt: 1,
            expected: .retry(after: .seconds(2), reason: .serverError)),
        Case(
            name: "503 with a long Retry-After falls back to backoff", outcome: { response(503, retryAfter: "3600") },
            attempt: 2,
            expected: .retry(after: .milliseconds(400), reason: .serverError)),
        Case(name: "5xx on the last attempt is returned", outcome: { response(502) }, attempt: 3, expected: .finish),
        Case(
            name: "timeout is retried", outcome: { .failure(HTTPClientError.timedOut(url: "u")) }, attempt: 1,
            expected: .retry(after: .milliseconds(200), reason: .transportError)),
        Case(
            name: "refused connection is retried",
            outcome: { .failure(HTTPClientError.couldNotConnect(url: "u", reason: "r")) },
            attempt: 2, expected: .retry(after: .milliseconds(400), reason: .transportError)),
        Case(
            name: "transport error is retried", outcome: { .failure(HTTPClientError.transport(url: "u", reason: "r")) },
            attempt: 1, expected: .retry(after: .milliseconds(200), reason: .transportError)),
        Case(
            name: "cancellation is final", outcome: { .failure(HTTPClientError.cancelled) }, attempt: 1,
            expected: .finish),
        Case(
            name: "shutdown is final", outcome: { .failure(HTTPClientError.clientShutDown) }, attempt: 1,
            expected: .finish),
        Case(
            name: "invalid URL is final", outcome: { .failure(HTTPClientError.invalidURL("x")) }, attempt: 1,
            expected: .finish),
        Case(
            name: "foreign errors are final", outcome: { .failure(CancellationError()) }, attempt: 1,
            expected: .finish),
    ]

    @Test(arguments: cases)
    func decision(_ testCase: Case) {
        // jitter 1.0 selects the un-jittered upper bound, making backoffs exact.
        let decision = Self.policy.decision(
            after: testCase.outcome(), attempt: testCase.attempt, now: Self.now, jitter: 1)
        #expect(decision == testCase.expected)
    }

    @Test func backoffDoublesUpToTheCapAndJitterStaysInTheUpperHalf() {
        let policy = Self.policy
        #expect(policy.backoff(afterAttempt: 1, jitter: 1) == .milliseconds(200))
        #expect(policy.backoff(afterAttempt: 2, jitter: 1) == .milliseconds(400))
        #expect(policy.backoff(afterAttempt: 3, jitter: 1) == .milliseconds(800))
        #expect(policy.backoff(afterAttempt: 4, jitter: 1) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 60, jitter: 1) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 1, jitter: 0) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 1, jitter: 0.5) == .milliseconds(150))
    }

    @Test func singleAttemptPolicyNeverRetries() {
        let policy = RetryPolicy(maximumAttempts: 1)
        #expect(policy.decision(after: Self.response(503), attempt: 1, now: Self.now, jitter: 1) == .finish)
    }
}

@Suite("Retry-After parsing")
struct RetryAfterTests {
    private static let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test(arguments: [
        ("0", Duration.zero), ("1", .seconds(1)), (" 30 ", .seconds(30)), ("3600", .seconds(3600)),
        ("Sun, 06 Nov 1994 08:50:07 GMT", .seconds(30)),
        ("Sun, 06 Nov 1994 08:00:00 GMT", .zero),
    ])
    func parses(_ value: String, _ expected: Duration) {
        #expect(RetryAfter.delay(fromHeaderValue: value, now: Self.now) == expected)
    }

    @Test(arguments: ["", "-1", "1.5", "soon", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT"])
    func rejects(_ value: String) {
        #expect(RetryAfter.delay(fromHeaderValue: value, now: Self.now) == nil)
    }

    @Test(
        "absurdly large values are read as the one-hour maximum, still above every caller's in-request cap",
        arguments: [
            "3601", "1000000000000", "9223372036854775807", "9223372036854775808", "99999999999999999999999",
            String(repeating: "9", count: 500), "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06 Nov 1994 09:49:38 GMT",
        ])
    func absurdlyLargeValuesAreCapped(_ value: String) throws {
        #expect(RetryAfter.delay(fromHeaderValue: value, now: Self.now) == RetryAfter.maximumDelay)
        #expect(RetryAfter.maximumDelay == .seconds(3_600))
        let response = HTTPResponseData(status: .tooManyRequests, headerFields: [.retryAfter: value])
        #expect(RetryPolicy().decision(after: .success(response), attempt: 1, now: Self.now, jitter: 0) == .finish)
    }

    @Test func readsTheFieldFromResponseHeaders() {
        #expect(RetryAfter.delay(in: [.retryAfter: "12"], now: Self.now) == .seconds(12))
        #expect(RetryAfter.delay(in: [:], now: Self.now) == nil)
    }
}

@Suite("URL redaction")
struct RedactedURLTests {
    @Test(arguments: [
        ("https://slack.com/api/chat.postMessage?token=xoxb-123", "https://slack.com/api/chat.postMessage"),
        ("https://user:pass@example.com:8443/a/b#frag", "https://example.com:8443/a/b"),
        (
            "https://hooks.slack.com/services/T0000AAAA/B0000BBBB/abcdefghijklmnopqrstuvwx",
            "https://hooks.slack.com/services/T0000AAAA/B0000BBBB/…"
        ),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ])
    func redacts(_ url: String, _ expected: String) {
        #expect(HTTPRequestSpec(method: .get, url: url).redactedURL == expected)
    }
}
