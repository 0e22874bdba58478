import Foundation
import HTTPTypes
import Logging
import Metrics

/// The production ``HTTPClient``: libcurl's multi interface driven by one dedicated thread.
///
/// Why libcurl rather than a NIO client: it is the most battle-tested HTTP stack on Linux (TLS, HTTP/2,
/// proxies, connection reuse) and keeps the outbound side independent of the inbound server's event loops.
/// Why one thread: curl handles are not thread-safe; a single owner thread that callers only enqueue work
/// for (waking it with `curl_multi_wakeup`) needs no locking around curl itself and reuses connections
/// across every request the process makes.
///
/// Behaviour callers can rely on:
/// - Any status, including 429 and 5xx, is returned as a response (curl's `FAILONERROR` is never set) so
///   ``RetryingHTTPClient`` can decide what to do. Redirects are returned, not followed.
/// - Only `http` and `https` are allowed; TLS peers and host names are always verified.
/// - ``HTTPRequestSpec/timeout`` bounds the whole transfer and surfaces as ``HTTPClientError/timedOut(url:)``.
/// - Cancelling the calling task abandons the transfer and throws ``HTTPClientError/cancelled``.
/// - After ``shutdown()`` every pending and future request fails with ``HTTPClientError/clientShutDown``.
///
/// Run it as a swift-service-lifecycle `Service` (registered before the HTTP server, so it stops after it),
/// or call ``shutdown()`` yourself. Dropping the last reference also stops the thread.
///
/// - Important: Logs and errors carry ``HTTPRequestSpec/redactedURL`` only, never full URLs, headers or
///   bodies: they hold bot tokens and users' words.
public final class CurlHTTPClient: HTTPClient {
    /// Tuning knobs with defaults suitable for talking to Slack and Teams.
    public struct Configuration: Sendable {
        /// Upper bound for establishing a connection (DNS, TCP, TLS); the request's own timeout still
        /// applies when it is shorter. Default 10 s.
        public var connectTimeout: Duration
        /// Connections kept open in total, idle or busy (`CURLMOPT_MAXCONNECTS` and
        /// `CURLMOPT_MAX_TOTAL_CONNECTIONS`). Default 32.
        public var maximumConnections: Int
        /// Connections to one host at a time; further requests queue inside curl and reuse them
        /// (`CURLMOPT_MAX_HOST_CONNECTIONS`). Default 8.
        public var maximumConnectionsPerHost: Int
        /// Responses with a larger body fail with ``HTTPClientError/transport(url:reason:)`` instead of
        /// exhausting memory. Default 16 MiB.
        public var maximumResponseBodySize: Int
        /// Sent as `User-Agent` unless the request sets its own. Default `Debrief`.
        public var userAgent: String?
        /// Whether curl may use `http_proxy` / `https_proxy` / `no_proxy` from the environment. Default true.
        public var honoursProxyEnvironment: Bool

        public init(
            connectTimeout: Duration = .seconds(10),
            maximumConnections: Int = 32,
            maximumConnectionsPerHost: Int = 8,
            maximumResponseBodySize: Int = 16 * 1024 * 1024,
            userAgent: String? = "Debrief",
            honoursProxyEnvironment: Bool = true
        ) {
            self.connectTimeout = connectTimeout
            self.maximumConnections = maximumConnections
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.maximumResponseBodySize = maximumResponseBodySize
            self.userAgent = userAgent
            self.honoursProxyEnvironment = honoursProxyEnvironment
        }
    }

    private let loop: CurlEventLoop
    private let configuration: Configuration

    /// Creates the client and starts its thread. Calls ``Curl/globalInit()`` if `main` has not yet.
    ///
    /// - Parameters:
    ///   - configuration: Connection limits and timeouts.
    ///   - logger: Receives debug lines per request (method, redacted URL, status, duration) and errors
    ///     from curl itself.
    ///   - metricsFactory: Where `debrief_http_client_requests_total` is created; `nil` uses the
    ///     bootstrapped `MetricsSystem`.
    public init(
        configuration: Configuration = Configuration(),
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.configuration = configuration
        self.loop = CurlEventLoop(
            configuration: configuration, metrics: HTTPClientMetrics(factory: metricsFactory), logger: logger)
        loop.start()
    }

    deinit {
        loop.requestShutdown()
    }

    public func execute(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        guard Self.hasSupportedScheme(request.url) else {
            throw HTTPClientError.invalidURL(request.redactedURL)
        }
        let loop = self.loop
        let maximumBodySize = configuration.maximumResponseBodySize
        let id = loop.makeTransferID()
        defer { loop.forget(id) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                loop.submit(
                    CurlTransfer(
                        id: id, request: request, maxResponseBodySize: maximumBodySize, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(id)
        }
    }

    /// Stops the curl thread: pending and in-flight requests fail with ``HTTPClientError/clientShutDown``,
    /// every curl handle is released. Returns when that is done. Safe to call more than once.
    public func shutdown() async {
        await loop.shutdown()
    }

    private static func hasSupportedScheme(_ url: String) -> Bool {
        let lowercased = url.prefix(8).lowercased()
        return lowercased.hasPrefix("http://") || lowercased.hasPrefix("https://")
    }
}
