import Foundation
import HTTPTypes
import Logging
import Metrics

/// An ``HTTPClient`` that retries another one according to a ``RetryPolicy``.
///
/// Why a wrapper rather than logic inside ``CurlHTTPClient``: platform clients and tests can opt in or out,
/// and the policy can be exercised against an in-memory client. The sleep is injected so tests assert on the
/// delays asked for instead of waiting for them.
///
/// Cancellation: if the calling task is cancelled while waiting between attempts, the wait ends at once and
/// ``HTTPClientError/cancelled`` is thrown (the same error the curl client throws for a cancelled transfer).
public struct RetryingHTTPClient: HTTPClient {
    private let base: any HTTPClient
    private let policy: RetryPolicy
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    private let now: @Sendable () -> Date
    private let jitter: @Sendable () -> Double
    private let retries: RetryCounters

    /// - Parameters:
    ///   - base: The client that actually sends requests.
    ///   - policy: When and how long to wait.
    ///   - logger: Receives one `info` line per retry (method, redacted URL, attempt, reason, delay).
    ///   - metricsFactory: Where `debrief_http_client_retries_total` is created; `nil` uses `MetricsSystem`.
    ///   - sleep: Waits between attempts; must throw when the task is cancelled. Defaults to `Task.sleep`.
    ///   - now: The current time, for HTTP-date `Retry-After` values.
    ///   - jitter: A random number in `0...1` per backoff.
    public init(
        wrapping base: any HTTPClient,
        policy: RetryPolicy = RetryPolicy(),
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.base = base
        self.policy = policy
        self.logger = logger
        self.sleep = sleep
        self.now = now
        self.jitter = jitter
        self.retries = RetryCounters(factory: metricsFactory)
    }

    public func execute(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        var attempt = 1
        while true {
            let outcome: Result<HTTPResponseData, any Error>
            do {
                outcome = .success(try await base.execute(request))
            } catch {
                outcome = .failure(error)
            }
            switch policy.decision(after: outcome, attempt: attempt, now: now(), jitter: jitter()) {
            case .finish:
                return try outcome.get()
            case .retry(let delay, let reason):
                retries.record(reason)
                logger.info(
                    "retrying HTTP request",
                    metadata: [
                        "http.method": "\(request.method.rawValue)", "http.url": "\(request.redactedURL)",
                        "attempt": "\(attempt)", "reason": "\(reason.rawValue)", "delay": "\(delay)",
                    ])
                do {
                    try await sleep(delay)
                } catch is CancellationError {
                    throw HTTPClientError.cancelled
                }
                if Task.isCancelled {
                    throw HTTPClientError.cancelled
                }
                attempt += 1
            }
        }
    }
}

/// One counter per retry reason, created once, so the series count stays fixed.
private struct RetryCounters: Sendable {
    private let counters: [RetryPolicy.RetryReason: Counter]

    init(factory: (any MetricsFactory)?) {
        var counters: [RetryPolicy.RetryReason: Counter] = [:]
        for reason in [RetryPolicy.RetryReason.rateLimited, .serverError, .transportError] {
            let label = "debrief_http_client_retries_total"
            let dimensions = [("reason", reason.rawValue)]
            counters[reason] =
                if let factory {
                    Counter(label: label, dimensions: dimensions, factory: factory)
                } else {
                    Counter(label: label, dimensions: dimensions)
                }
        }
        self.counters = counters
    }

    func record(_ reason: RetryPolicy.RetryReason) {
        counters[reason]?.increment()
    }
}
