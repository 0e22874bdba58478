import Foundation
import HTTPTypes

/// When to try an outbound request again, and how long to wait first.
///
/// Why a value type with a pure ``decision(after:attempt:now:jitter:)``: the rules (which failures are
/// worth retrying, how Retry-After interacts with the cap, when to give up) are the part worth testing
/// exhaustively, and they need no network or clock to test. ``RetryingHTTPClient`` is the thin shell that
/// performs the decisions.
///
/// The rules:
/// - Transport failures (``HTTPClientError/timedOut(url:)``, ``HTTPClientError/couldNotConnect(url:reason:)``,
///   ``HTTPClientError/transport(url:reason:)``) and 5xx responses are retried after an exponential backoff
///   with jitter, honouring a `Retry-After` on a 5xx when it is within the cap.
/// - 429 waits the `Retry-After` seconds. Above ``maximumRetryAfter`` the 429 goes back to the caller at
///   once: waiting an hour inside a request helps nobody, the caller can reschedule the work instead.
///   Without a usable `Retry-After` the backoff applies.
/// - Everything else (2xx–4xx, cancellation, shutdown, invalid URLs) is returned or thrown as is.
/// - At most ``maximumAttempts`` requests are sent in total; then the last response or error is returned.
///
/// Note that Slack and Teams calls are POSTs: a retried timeout can, rarely, post a message twice. We accept
/// that over silently losing a nudge.
public struct RetryPolicy: Sendable, Equatable {
    /// Total requests sent, including the first. Default 3. Values below 1 behave as 1.
    public var maximumAttempts: Int
    /// Backoff before the second attempt; doubles for each later one. Default 250 ms.
    public var backoffBase: Duration
    /// Upper bound for one backoff delay (before jitter). Default 10 s.
    public var maximumBackoff: Duration
    /// The longest `Retry-After` we are willing to wait inside a request. Default 60 s.
    public var maximumRetryAfter: Duration

    public init(
        maximumAttempts: Int = 3,
        backoffBase: Duration = .milliseconds(250),
        maximumBackoff: Duration = .seconds(10),
        maximumRetryAfter: Duration = .seconds(60)
    ) {
        self.maximumAttempts = maximumAttempts
        self.backoffBase = backoffBase
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Why a retry happens; also the bounded `reason` dimension of the retry counter.
    public enum RetryReason: String, Sendable, Equatable {
        case rateLimited = "429"
        case serverError = "5xx"
        case transportError = "error"
    }

    /// What to do after an attempt.
    public enum Decision: Sendable, Equatable {
        /// Hand the response (or error) to the caller.
        case finish
        /// Wait, then send the request again.
        case retry(after: Duration, reason: RetryReason)
    }

    /// Decides what follows attempt number `attempt` (1-based) that ended with `outcome`.
    ///
    /// - Parameters:
    ///   - now: Used only to resolve an HTTP-date `Retry-After`.
    ///   - jitter: A number in `0...1`; the backoff used is `delay/2 + jitter * delay/2` ("equal jitter"), so
    ///     many clients hitting the same outage do not retry in lockstep yet never retry immediately.
    public func decision(
        after outcome: Result<HTTPResponseData, any Error>, attempt: Int, now: Date, jitter: Double
    ) -> Decision {
        guard attempt < maximumAttempts else { return .finish }
        switch outcome {
        case .success(let response):
            let status = response.status.code
            if status == 429 {
                guard let requested = RetryAfter.delay(in: response.headerFields, now: now) else {
                    return .retry(after: backoff(afterAttempt: attempt, jitter: jitter), reason: .rateLimited)
                }
                guard requested <= maximumRetryAfter else { return .finish }
                return .retry(after: requested, reason: .rateLimited)
            }
            if (500...599).contains(status) {
                if let requested = RetryAfter.delay(in: response.headerFields, now: now), requested <= maximumRetryAfter
                {
                    return .retry(after: requested, reason: .serverError)
                }
                return .retry(after: backoff(afterAttempt: attempt, jitter: jitter), reason: .serverError)
            }
            return .finish
        case .failure(let error):
            switch error as? HTTPClientError {
            case .timedOut, .couldNotConnect, .transport:
                return .retry(after: backoff(afterAttempt: attempt, jitter: jitter), reason: .transportError)
            case .cancelled, .clientShutDown, .invalidURL, nil:
                return .finish
            }
        }
    }

    /// `backoffBase * 2^(attempt-1)`, capped at ``maximumBackoff``, then jittered into its upper half.
    public func backoff(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let exponent = Swift.min(Swift.max(attempt - 1, 0), 30)
        var delay = backoffBase * (1 << exponent)
        if delay > maximumBackoff || delay < .zero {
            delay = maximumBackoff
        }
        let clampedJitter = Swift.min(Swift.max(jitter, 0), 1)
        return delay / 2 + (delay / 2) * clampedJitter
    }
}
