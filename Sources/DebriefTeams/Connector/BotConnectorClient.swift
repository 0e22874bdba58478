import DebriefHTTP
import DebriefPlatform
import Foundation
import HTTPTypes
import Logging

/// Calls the Bot Connector REST API (v3) at a conversation's `serviceUrl` as the bot (reference `teams.md` §3.2).
///
/// Every call carries the bot's token from ``BotTokenProvider`` and JSON; failures come back as the four
/// ``ChatPlatformError`` cases the server acts on, decided by ``ConnectorRetryPolicy``: rate limits and outages
/// are retried inside the call within bounds, a 401 refreshes the token once, and answers that mean "this address
/// will not work" (403 roster/blocked, 404, 400, 413) end at once with the connector's code. Sending is paced per
/// tenant by a ``BucketRateLimiter`` (key `teams:<tenant>`), and a 429 pauses that key for every sender.
///
/// Sleeping, the clock and randomness are injected so tests never wait.
///
/// - Important: the token, request and response bodies, and ids of people or conversations are never logged or
///   counted. Errors are logged at debug with the operation, status, the connector's error code and its
///   `X-Correlating-OperationId` (what Microsoft support asks for).
public struct BotConnectorClient: Sendable {
    public typealias Sleep = @Sendable (Duration) async throws -> Void

    /// Per tenant, below Teams' 50 requests per second per app and tenant (`teams.md` §3.3).
    public static let defaultRatePerTenant = BucketRateLimiter.Rate(perSecond: 25, burst: 5)

    /// A limiter pacing `teams:` keys at ``defaultRatePerTenant``.
    public static func makeRateLimiter(rate: BucketRateLimiter.Rate = defaultRatePerTenant) -> BucketRateLimiter {
        BucketRateLimiter(defaultRate: rate, ratesByKeyPrefix: ["teams:": rate])
    }

    /// The limiter key of a tenant, `teams:<tenant>`.
    public static func rateLimitKey(tenantID: String) -> String { "teams:" + tenantID }

    /// `X-Correlating-OperationId`, on every Bot Connector answer.
    static let correlationHeader: HTTPField.Name? = HTTPField.Name("X-Correlating-OperationId")

    private let http: any HTTPClient
    private let tokens: BotTokenProvider
    private let rateLimiter: BucketRateLimiter?
    private let defaultTenantID: String
    private let logger: Logger
    public var retryPolicy: ConnectorRetryPolicy
    /// Total time allowed for one HTTP attempt.
    public var requestTimeout: Duration
    private let sleep: Sleep
    private let now: @Sendable () -> Date
    private let random: @Sendable () -> Double
    private let metrics: TeamsAPIMetrics

    /// - Parameters:
    ///   - rateLimiter: paces calls per tenant; nil when the caller already acquires the same limiter (for example
    ///     the nudge job handler with its `teams:<tenant>` bucket) so a call is not counted twice.
    ///   - defaultTenantID: the limiter key of calls that do not name a tenant (the bot's home tenant).
    ///   - sleep: waits between attempts; must throw when the task is cancelled.
    ///   - now: for HTTP-date `Retry-After` values.
    ///   - random: a number in `0...1` for the jitter.
    public init(
        http: any HTTPClient, tokens: BotTokenProvider,
        rateLimiter: BucketRateLimiter? = BotConnectorClient.makeRateLimiter(), defaultTenantID: String = "default",
        logger: Logger, retryPolicy: ConnectorRetryPolicy = ConnectorRetryPolicy(),
        requestTimeout: Duration = .seconds(15), sleep: @escaping Sleep = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        metrics: TeamsAPIMetrics = .shared
    ) {
        self.http = http
        self.tokens = tokens
        self.rateLimiter = rateLimiter
        self.defaultTenantID = defaultTenantID
        self.logger = logger
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.sleep = sleep
        self.now = now
        self.random = random
        self.metrics = metrics
    }

    // MARK: - Transport

    /// Sends one request with the bot token, pacing, retries and error mapping; returns a 2xx answer's body.
    func perform(
        _ operation: TeamsAPIMetrics.Operation, method: HTTPRequest.Method, url: String, body: Data? = nil,
        tenantID: String?
    ) async throws(ChatPlatformError) -> Data {
        let key = Self.rateLimitKey(tenantID: tenantID.flatMap { $0.isEmpty ? nil : $0 } ?? defaultTenantID)
        var headers: HTTPFields = [.accept: "application/json"]
        if body != nil { headers[.contentType] = "application/json; charset=utf-8" }
        var attempt = 1
        var tokenRefreshed = false
        while true {
            let token: String
            do {
                token = try await tokens.token()
            } catch {
                throw error.platformError
            }
            if let rateLimiter {
                do {
                    try await rateLimiter.acquire(key)
                } catch {
                    throw .cancelled
                }
            }
            var request = HTTPRequestSpec(
                method: method, url: url, headerFields: headers, body: body ?? Data(), timeout: requestTimeout)
            request.headerFields[.authorization] = "Bearer " + token
            let outcome: Result<HTTPResponseData, any Error>
            do {
                outcome = .success(try await http.execute(request))
            } catch {
                outcome = .failure(error)
            }
            let decision = retryPolicy.decision(
                after: outcome, attempt: attempt, tokenRefreshed: tokenRefreshed, now: now(), random: random())
            record(operation, outcome: outcome, decision: decision)
            switch decision {
            case .success:
                if case .success(let response) = outcome { return response.body }
                throw .unavailable(code: "transport_error")
            case .fail(let error):
                if case .rateLimited(let retryAfter) = error, let rateLimiter {
                    await rateLimiter.pause(
                        key, for: retryAfter ?? retryPolicy.backoff(afterAttempt: attempt, random: 0.5))
                }
                throw error
            case .refreshTokenAndRetry:
                tokenRefreshed = true
                await tokens.invalidate(token)
            case .retry(let delay, let reason):
                if reason == .rateLimited, let rateLimiter { await rateLimiter.pause(key, for: delay) }
                logger.debug(
                    "Bot Connector call will be retried",
                    metadata: [
                        "teams.operation": "\(operation.rawValue)", "attempt": "\(attempt)",
                        "reason": "\(reason.rawValue)", "delay": "\(delay)",
                    ])
                do {
                    try await sleep(delay)
                } catch {
                    throw .cancelled
                }
                attempt += 1
            }
        }
    }

    /// Counts the attempt and logs a failed one (status, code, correlation id; never the body).
    private func record(
        _ operation: TeamsAPIMetrics.Operation, outcome: Result<HTTPResponseData, any Error>,
        decision: ConnectorRetryPolicy.Decision
    ) {
        guard case .success(let response) = outcome else {
            metrics.record(operation, .transportError)
            if case .failure(let error) = outcome, let error = error as? HTTPClientError, error != .cancelled {
                logger.debug(
                    "Bot Connector call failed in transport",
                    metadata: ["teams.operation": "\(operation.rawValue)", "error": "\(Self.transportKind(error))"])
            }
            return
        }
        let status = response.status.code
        let outcomeLabel: TeamsAPIMetrics.Outcome =
            switch status {
            case 200...299: .ok
            case 401: .unauthorized
            case 429: .ratelimited
            case 400...499: .refused
            default: .httpError
            }
        metrics.record(operation, outcomeLabel)
        guard outcomeLabel != .ok else { return }
        let code = ConnectorErrorBody(response.body).mostSpecific ?? "-"
        let correlation =
            Self.correlationHeader.flatMap { response.headerFields[$0] }.map(ConnectorErrorBody.safeCode) ?? "-"
        logger.debug(
            "Bot Connector answered an error",
            metadata: [
                "teams.operation": "\(operation.rawValue)", "status": "\(status)", "teams.error": "\(code)",
                "teams.correlation_id": "\(correlation)", "decision": "\(Self.describe(decision))",
            ])
    }

    /// The kind of a transport failure without its URL (the URL holds conversation ids).
    private static func transportKind(_ error: HTTPClientError) -> String {
        switch error {
        case .invalidURL: "invalid_url"
        case .timedOut: "timeout"
        case .cancelled: "cancelled"
        case .couldNotConnect: "could_not_connect"
        case .transport: "transport"
        case .clientShutDown: "client_shut_down"
        }
    }

    private static func describe(_ decision: ConnectorRetryPolicy.Decision) -> String {
        switch decision {
        case .success: "success"
        case .retry(_, let reason): "retry (\(reason.rawValue))"
        case .refreshTokenAndRetry: "refresh token"
        case .fail(let error): error.description
        }
    }

    // MARK: - Encoding

    static func encode(_ value: some Encodable) throws(ChatPlatformError) -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw .refused(code: "unencodable_activity")
        }
    }

    /// Decodes a 2xx answer; one that is not the documented shape is `.unavailable("invalid_response")`.
    func decode<T: Decodable>(_ type: T.Type, from body: Data, operation: TeamsAPIMetrics.Operation)
        throws(ChatPlatformError) -> T
    {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            metrics.record(operation, .invalidResponse)
            logger.warning(
                "Bot Connector answered in an unexpected shape", metadata: ["teams.operation": "\(operation.rawValue)"])
            throw .unavailable(code: "invalid_response")
        }
    }
}
