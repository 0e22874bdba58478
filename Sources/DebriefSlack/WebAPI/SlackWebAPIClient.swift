import DebriefCore
import DebriefHTTP
import Foundation
import HTTPTypes
import Logging

/// Calls the Slack Web API for one workspace's bot token.
///
/// Slack reports most failures in the body (`ok: false`) with HTTP 200, rate limits with 429 and
/// `Retry-After`, and outages with 5xx; this client turns all of that into ``SlackAPIError`` and retries
/// what is worth retrying: 429 after the requested wait (up to a cap), 5xx and transport failures with
/// exponential backoff and jitter. Sleeping and randomness are injected so tests never wait.
///
/// - Important: the token is a credential and request bodies hold people's words: neither is logged,
///   put in an error or in a metric.
public struct SlackWebAPIClient: Sendable {
    /// How many times to try and how long to wait.
    public struct RetryPolicy: Sendable, Equatable {
        /// Attempts per call, including the first. Default 3.
        public var maximumAttempts: Int
        /// A 429 whose wait (its `Retry-After`, else the backoff) is longer than this fails at once with
        /// ``SlackAPIError/rateLimited(retryAfter:)`` so a background job can be rescheduled instead of holding a
        /// worker; `.zero` never waits inside the client. Default 30 s.
        public var maximumRetryAfter: Duration
        /// Backoff before the first retry of a 5xx or transport failure; doubles each time. Default 500 ms.
        public var initialBackoff: Duration
        /// Upper bound of one backoff. Default 8 s.
        public var maximumBackoff: Duration

        public init(
            maximumAttempts: Int = 3, maximumRetryAfter: Duration = .seconds(30),
            initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(8)
        ) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.maximumRetryAfter = maximumRetryAfter
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    public typealias Sleep = @Sendable (Duration) async throws -> Void

    public static let defaultBaseURL = "https://slack.com/api/"

    private let http: any HTTPClient
    private let baseURL: String
    private let token: String
    private let logger: Logger
    public var retryPolicy: RetryPolicy
    /// Total time allowed for one HTTP attempt.
    public var requestTimeout: Duration
    private let sleep: Sleep
    private let random: @Sendable () -> Double
    private let metrics: SlackAPIMetrics

    /// - Parameters:
    ///   - baseURL: `https://slack.com/api/` in production; tests point it at a fake. With or without
    ///     the trailing slash.
    ///   - token: the workspace's bot token (`xoxb-…`).
    ///   - sleep: waits between attempts; tests pass a recorder.
    ///   - random: a number in `0..<1` for jitter.
    public init(
        http: any HTTPClient, baseURL: String = SlackWebAPIClient.defaultBaseURL, token: String, logger: Logger,
        retryPolicy: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(10),
        sleep: @escaping Sleep = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        metrics: SlackAPIMetrics = .shared
    ) {
        self.http = http
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.token = token
        self.logger = logger
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.sleep = sleep
        self.random = random
        self.metrics = metrics
    }

    /// The same client for another workspace's token.
    public func withToken(_ token: String) -> SlackWebAPIClient {
        SlackWebAPIClient(
            http: http, baseURL: baseURL, token: token, logger: logger, retryPolicy: retryPolicy,
            requestTimeout: requestTimeout, sleep: sleep, random: random, metrics: metrics)
    }

    // MARK: - Calls

    /// Calls a method with a JSON body (`chat.*`, `views.*`, `conversations.open`, `auth.test`).
    ///
    /// - Returns: the whole response object (with `ok: true`).
    public func call(_ method: String, json: JSONValue) async throws(SlackAPIError) -> JSONValue {
        let response = try await send(
            label: method, url: baseURL + method, body: json.encoded(),
            contentType: "application/json; charset=utf-8", authorized: true)
        return try checkOK(response, method: method)
    }

    /// Calls a method with a JSON body whose answer is only its status and the posted message's address
    /// (`chat.postMessage`, `chat.update`).
    ///
    /// Why not ``call(_:json:)``: Slack echoes the whole message back, blocks and all, and decoding that as
    /// ``JSONValue`` (every value tried as several types in turn) was the largest single cost of sending a nudge.
    func callForStatus(_ method: String, json: JSONValue) async throws(SlackAPIError) -> SlackCallStatus {
        let response = try await send(
            label: method, url: baseURL + method, body: json.encoded(),
            contentType: "application/json; charset=utf-8", authorized: true)
        return try decodeChecked(SlackCallStatus.self, from: response, method: method)
    }

    /// Calls a method that only accepts form bodies (`users.info`, `users.lookupByEmail`,
    /// `usergroups.users.list`, `conversations.members`).
    public func call(_ method: String, form: [(String, String)]) async throws(SlackAPIError) -> JSONValue {
        let response = try await send(
            label: method, url: baseURL + method, body: Data(Self.formEncode(form).utf8),
            contentType: "application/x-www-form-urlencoded", authorized: true)
        return try checkOK(response, method: method)
    }

    /// Posts a message to a slash command's or action's `response_url` (no token; Slack allows 5 posts
    /// within 30 minutes).
    public func respond(responseURL: String, message: JSONValue) async throws(SlackAPIError) {
        let response = try await send(
            label: "response_url", url: responseURL, body: message.encoded(),
            contentType: "application/json; charset=utf-8", authorized: false)
        // Response URLs answer `ok` as text, or a JSON object with `ok: false` on failure.
        if let object = try? JSONValue.decode(response.body), object["ok"]?.boolValue == false {
            metrics.record(method: "response_url", .error)
            throw .platform(code: object["error"]?.stringValue ?? "unknown_error", needed: nil)
        }
        metrics.record(method: "response_url", .ok)
    }

    // MARK: - Transport with retries

    private func send(label: String, url: String, body: Data, contentType: String, authorized: Bool)
        async throws(SlackAPIError) -> HTTPResponseData
    {
        let metricMethod = SlackAPIMetrics.knownMethods.contains(label) ? label : "other"
        var headers: HTTPFields = [.contentType: contentType]
        if authorized { headers[.authorization] = "Bearer " + token }
        let request = HTTPRequestSpec(
            method: .post, url: url, headerFields: headers, body: body, timeout: requestTimeout)
        var attempt = 0
        while true {
            attempt += 1
            let isLast = attempt >= retryPolicy.maximumAttempts
            let response: HTTPResponseData
            do {
                response = try await http.execute(request)
            } catch let error as HTTPClientError {
                metrics.record(method: metricMethod, .transportError)
                switch error {
                case .cancelled: throw .cancelled
                case .invalidURL, .clientShutDown: throw .transport(error.description)
                case .timedOut, .couldNotConnect, .transport:
                    if isLast { throw .transport(error.description) }
                    let delay = backoff(attempt: attempt)
                    logger.notice(
                        "Slack call failed, retrying",
                        metadata: ["slack.method": "\(metricMethod)", "attempt": "\(attempt)", "error": "\(error)"])
                    try await wait(delay)
                    continue
                }
            } catch is CancellationError {
                throw .cancelled
            } catch {
                metrics.record(method: metricMethod, .transportError)
                if isLast { throw .transport(String(describing: type(of: error))) }
                try await wait(backoff(attempt: attempt))
                continue
            }

            let status = response.status.code
            if status == 429 {
                metrics.record(method: metricMethod, .ratelimited)
                let retryAfter = RetryAfter.delay(in: response.headerFields, now: Date())
                if isLast { throw .rateLimited(retryAfter: retryAfter) }
                // Also without a Retry-After header: the wait is then the backoff, and it is bounded the same way.
                let delay = retryAfter ?? backoff(attempt: attempt)
                if delay > retryPolicy.maximumRetryAfter { throw .rateLimited(retryAfter: retryAfter) }
                logger.notice(
                    "Slack rate limited a call, waiting",
                    metadata: ["slack.method": "\(metricMethod)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try await wait(delay)
                continue
            }
            if (500...599).contains(status) {
                metrics.record(method: metricMethod, .httpError)
                if isLast { throw .http(status: status, code: Self.errorCode(in: response.body)) }
                logger.notice(
                    "Slack answered a server error, retrying",
                    metadata: ["slack.method": "\(metricMethod)", "attempt": "\(attempt)", "status": "\(status)"])
                try await wait(backoff(attempt: attempt))
                continue
            }
            guard (200...299).contains(status) else {
                metrics.record(method: metricMethod, .httpError)
                let code = Self.errorCode(in: response.body)
                logger.warning(
                    "Slack call failed",
                    metadata: [
                        "slack.method": "\(metricMethod)", "status": "\(status)", "slack.error": "\(code ?? "-")",
                    ])
                throw .http(status: status, code: code)
            }
            return response
        }
    }

    private func checkOK(_ response: HTTPResponseData, method: String) throws(SlackAPIError) -> JSONValue {
        let metricMethod = SlackAPIMetrics.knownMethods.contains(method) ? method : "other"
        guard let object = try? JSONValue.decode(response.body), case .object = object else {
            metrics.record(method: metricMethod, .error)
            throw .invalidResponse("\(metricMethod) did not answer with a JSON object")
        }
        try checkStatus(
            ok: object["ok"]?.boolValue == true, error: object["error"]?.stringValue,
            needed: object["needed"]?.stringValue, warning: object["warning"]?.stringValue, method: metricMethod)
        return object
    }

    /// `ok: false` → ``SlackAPIError/platform(code:needed:)``; counts the call either way.
    private func checkStatus(ok: Bool, error: String?, needed: String?, warning: String?, method metricMethod: String)
        throws(SlackAPIError)
    {
        guard ok else {
            metrics.record(method: metricMethod, .error)
            let code = error ?? "unknown_error"
            logger.warning(
                "Slack call returned an error",
                metadata: ["slack.method": "\(metricMethod)", "slack.error": "\(Self.safeCode(code))"])
            throw .platform(code: code, needed: needed)
        }
        metrics.record(method: metricMethod, .ok)
        if let warning {
            logger.debug(
                "Slack call succeeded with a warning",
                metadata: ["slack.method": "\(metricMethod)", "slack.warning": "\(Self.safeCode(warning))"])
        }
    }

    /// Calls a list method (form body) and decodes its answer straight into ``SlackListPage``.
    ///
    /// Why not ``JSONValue``: a page of 1,000 people decoded as `JSONValue` tries every value as several
    /// types in turn (each miss is a thrown error) — tens of milliseconds per page during which the thread
    /// does nothing else. Typed fields decode once and skip everything else.
    func callList<Item: Decodable & Sendable>(_ method: String, form: [(String, String)], of item: Item.Type)
        async throws(SlackAPIError) -> SlackListPage<Item>
    {
        let response = try await send(
            label: method, url: baseURL + method, body: Data(Self.formEncode(form).utf8),
            contentType: "application/x-www-form-urlencoded", authorized: true)
        return try decodeChecked(SlackListPage<Item>.self, from: response, method: method)
    }

    /// Decodes a Web API answer straight into `Answer` (skipping every field it does not name) and checks its
    /// `ok`; counts the call either way.
    private func decodeChecked<Answer: SlackAnswerStatus>(
        _ type: Answer.Type, from response: HTTPResponseData, method: String
    ) throws(SlackAPIError) -> Answer {
        let metricMethod = SlackAPIMetrics.knownMethods.contains(method) ? method : "other"
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: response.body)
        } catch {
            metrics.record(method: metricMethod, .error)
            throw .invalidResponse("\(metricMethod) did not answer with the expected JSON object")
        }
        try checkStatus(
            ok: answer.isOK, error: answer.error, needed: answer.needed, warning: answer.warning, method: metricMethod)
        return answer
    }

    private func wait(_ delay: Duration) async throws(SlackAPIError) {
        do {
            try await sleep(delay)
        } catch {
            throw .cancelled
        }
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random.
    func backoff(attempt: Int) -> Duration {
        var step = retryPolicy.initialBackoff
        for _ in 1..<max(1, attempt) {
            step = step * 2
            if step >= retryPolicy.maximumBackoff { break }
        }
        step = min(step, retryPolicy.maximumBackoff)
        let fraction = min(max(random(), 0), 1)
        return step / 2 + (step / 2) * fraction
    }

    // MARK: - Encoding helpers

    /// `application/x-www-form-urlencoded`, escaping everything but RFC 3986 unreserved characters.
    static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { escapeFormComponent($0.0) + "=" + escapeFormComponent($0.1) }.joined(separator: "&")
    }

    static func escapeFormComponent(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0f)]))
            }
        }
        return out
    }

    /// Slack's error code from a body, if it has one (JSON `error`, or a short plain-text code).
    static func errorCode(in body: Data) -> String? {
        if let object = try? JSONValue.decode(body), let code = object["error"]?.stringValue {
            return safeCode(code)
        }
        let text = String(decoding: body.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.utf8.count < 64,
            text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") })
        else { return nil }
        return text
    }

    /// Error codes are Slack's own short identifiers; anything else is cut down before logging.
    static func safeCode(_ code: String) -> String {
        String(
            String.UnicodeScalarView(
                code.unicodeScalars.prefix(64).filter {
                    ($0 >= "a" && $0 <= "z") || $0 == "_" || ($0 >= "0" && $0 <= "9")
                }))
    }
}

/// The status fields every Web API answer carries, for answers decoded into a type of their own.
protocol SlackAnswerStatus: Decodable, Sendable {
    var isOK: Bool { get }
    var error: String? { get }
    var needed: String? { get }
    var warning: String? { get }
}

extension SlackListPage: SlackAnswerStatus {
    var isOK: Bool { ok }
}

/// The fields of a Web API answer that a post or an update needs; everything else Slack sends is skipped unread.
struct SlackCallStatus: SlackAnswerStatus {
    var isOK: Bool { ok == true }
    var ok: Bool?
    var error: String?
    var needed: String?
    var warning: String?
    var ts: String?
    var channel: String?
}
