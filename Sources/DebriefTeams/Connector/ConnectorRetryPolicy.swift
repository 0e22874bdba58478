import DebriefHTTP
import DebriefPlatform
import Foundation
import HTTPTypes

/// What to do after one Bot Connector attempt, as a pure decision (no clock, no I/O, no randomness of its own).
///
/// Why not DebriefHTTP's `RetryPolicy`: the Bot Connector needs rules it does not have — 412 is retried (Teams
/// asks for it), a 401 means "refresh the bot token once", 403/404/400/413 must end at once as
/// ``ChatPlatformError/refused(code:)`` with the connector's error code, and Microsoft's guidance is ±20 % jitter
/// around the exponential step. `RetryAfter` (the header parser) is reused.
///
/// The rules (reference `teams.md` §3.3):
/// - 2xx → done.
/// - 401 → refresh the token and try once more (also when no attempts are left); a second 401 →
///   `.unavailable("unauthorized")`.
/// - 429 → wait its `Retry-After` (else the backoff) and retry, unless that wait is above ``maximumRetryAfter`` or
///   no attempts are left → `.rateLimited(retryAfter:)` so the job is rescheduled.
/// - 412, 5xx, timeouts and connection failures → exponential backoff with ±20 % jitter (a `Retry-After` within
///   the cap wins), at most ``maximumAttempts`` in total, then `.unavailable(code:)`.
/// - 413 → `.refused("MessageSizeTooBig")`; 403 → `.refused` with the sub-code (`MessageWritesBlocked`) or code
///   (`BotNotInConversationRoster`, `ConversationBlockedByUser`, `BotDisabledByAdmin`…); 404 and the other 4xx →
///   `.refused` with the connector's code. Never retried: they mark the address unreachable, and retrying them
///   is the retry storm Microsoft warns about.
public struct ConnectorRetryPolicy: Sendable, Equatable {
    /// Requests in total, including the first (the 401 refresh comes on top). Default 4 (three retries).
    public var maximumAttempts: Int
    /// The first backoff step; doubles per attempt. Default 1 s.
    public var backoffBase: Duration
    /// The largest step before jitter. Default 20 s (Microsoft's example).
    public var maximumBackoff: Duration
    /// The longest wait inside a call; a longer `Retry-After` ends the call with `.rateLimited`. Default 30 s.
    public var maximumRetryAfter: Duration
    /// The jitter as a fraction of the step, either way. Default 0.2.
    public var jitterFraction: Double

    public init(
        maximumAttempts: Int = 4, backoffBase: Duration = .seconds(1), maximumBackoff: Duration = .seconds(20),
        maximumRetryAfter: Duration = .seconds(30), jitterFraction: Double = 0.2
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.backoffBase = backoffBase
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
        self.jitterFraction = min(max(jitterFraction, 0), 1)
    }

    /// Why a retry happens (logged).
    public enum RetryReason: String, Sendable, Equatable {
        case rateLimited = "429"
        case serverError = "5xx"
        case preconditionFailed = "412"
        case transportError = "transport"
    }

    public enum Decision: Sendable, Equatable {
        case success
        /// Wait, then send again.
        case retry(after: Duration, reason: RetryReason)
        /// Drop the token that was used, get a fresh one, send again.
        case refreshTokenAndRetry
        case fail(ChatPlatformError)
    }

    /// Decides what follows attempt `attempt` (1-based).
    ///
    /// - Parameters:
    ///   - tokenRefreshed: whether this call already refreshed its token after a 401.
    ///   - now: only for an HTTP-date `Retry-After`.
    ///   - random: a number in `0...1`; 0.5 means no jitter.
    public func decision(
        after outcome: Result<HTTPResponseData, any Error>, attempt: Int, tokenRefreshed: Bool, now: Date,
        random: Double
    ) -> Decision {
        let attemptsLeft = attempt < maximumAttempts
        switch outcome {
        case .failure(let error):
            switch error as? HTTPClientError {
            case .timedOut:
                return attemptsLeft
                    ? .retry(after: backoff(afterAttempt: attempt, random: random), reason: .transportError)
                    : .fail(.unavailable(code: "timeout"))
            case .couldNotConnect, .transport:
                return attemptsLeft
                    ? .retry(after: backoff(afterAttempt: attempt, random: random), reason: .transportError)
                    : .fail(.unavailable(code: "transport_error"))
            case .cancelled: return .fail(.cancelled)
            case .invalidURL: return .fail(.refused(code: "invalid_service_url"))
            case .clientShutDown: return .fail(.unavailable(code: "client_shut_down"))
            case nil:
                if error is CancellationError { return .fail(.cancelled) }
                return .fail(.unavailable(code: "transport_error"))
            }
        case .success(let response):
            let status = response.status.code
            if (200...299).contains(status) { return .success }
            let body = ConnectorErrorBody(response.body)
            let retryAfter = RetryAfter.delay(in: response.headerFields, now: now)
            switch status {
            case 401:
                return tokenRefreshed ? .fail(.unavailable(code: "unauthorized")) : .refreshTokenAndRetry
            case 429:
                let wait = retryAfter ?? backoff(afterAttempt: attempt, random: random)
                guard attemptsLeft, wait <= maximumRetryAfter else {
                    return .fail(.rateLimited(retryAfter: retryAfter))
                }
                return .retry(after: wait, reason: .rateLimited)
            case 412, 500...599:
                guard attemptsLeft else {
                    return .fail(.unavailable(code: body.mostSpecific ?? "http_\(status)"))
                }
                let reason: RetryReason = status == 412 ? .preconditionFailed : .serverError
                if let retryAfter, retryAfter <= maximumRetryAfter { return .retry(after: retryAfter, reason: reason) }
                return .retry(after: backoff(afterAttempt: attempt, random: random), reason: reason)
            case 413:
                return .fail(.refused(code: "MessageSizeTooBig"))
            case 403:
                return .fail(.refused(code: body.mostSpecific ?? "Forbidden"))
            case 404:
                return .fail(.refused(code: body.mostSpecific ?? "NotFound"))
            case 400...499:
                return .fail(.refused(code: body.mostSpecific ?? "http_\(status)"))
            default:
                return .fail(.unavailable(code: "http_\(status)"))
            }
        }
    }

    /// `backoffBase × 2^(attempt−1)`, capped at ``maximumBackoff``, then scaled by `1 ± jitterFraction`
    /// (`random` 0 → −20 %, 0.5 → exact, 1 → +20 %).
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        var step = backoffBase * (1 << exponent)
        if step > maximumBackoff || step < .zero { step = maximumBackoff }
        let factor = 1 + jitterFraction * (2 * min(max(random, 0), 1) - 1)
        return step * factor
    }
}
