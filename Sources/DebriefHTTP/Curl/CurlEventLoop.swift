internal import CCurl
import Foundation
import HTTPTypes
import Logging
import Synchronization

/// The thread that drives libcurl's multi interface.
///
/// Why one thread: curl handles are not thread-safe, and curl's multi interface is built to be driven from a
/// single loop. This thread creates nothing it does not own: the multi handle and every easy handle are
/// touched only here. Other threads talk to it through ``Shared`` (a locked queue) and `curl_multi_wakeup`,
/// the one multi function documented as callable from any thread.
final class CurlEventLoop: @unchecked Sendable {
    private enum Phase {
        case running
        case stopping
        case stopped
    }

    /// State other threads may touch, always under `shared`'s lock.
    private struct Shared {
        var phase: Phase = .running
        /// Submitted, not yet picked up by the loop thread.
        var incoming: [CurlTransfer] = []
        /// Cancellation requests for transfers the loop thread already owns.
        var cancellations: [UInt64] = []
        /// Every transfer in `incoming` or owned by the loop thread and not yet completed.
        var registered: Set<UInt64> = []
        /// Cancellations that arrived before their transfer was submitted (a task cancelled just as it
        /// started its request).
        var cancelledBeforeSubmission: Set<UInt64> = []
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let shared = LockedState(Shared())
    private let nextID = Atomic<UInt64>(0)
    /// `CURLM *`; nil when libcurl could not be initialized, in which case every request fails.
    private let multi: UnsafeMutableRawPointer?
    private let configuration: CurlHTTPClient.Configuration
    private let metrics: HTTPClientMetrics
    private let logger: Logger

    // Owned by the loop thread only.
    private var active: [UInt64: CurlTransfer] = [:]
    private var activeByHandle: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(configuration: CurlHTTPClient.Configuration, metrics: HTTPClientMetrics, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        if Curl.globalInit(), let multi = curl_multi_init() {
            // Keep idle connections to Slack / Teams open between requests; cap the total so a burst cannot
            // exhaust file descriptors, and per host so we stay polite to a single API.
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maximumConnections)
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maximumConnections)
            _ = ccurl_multi_setopt_long(
                multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maximumConnectionsPerHost)
            self.multi = multi
        } else {
            logger.error("libcurl could not be initialized; every outbound HTTP request will fail")
            self.multi = nil
        }
    }

    /// Starts the dedicated thread. The thread keeps the loop alive until it has shut down.
    func start() {
        let thread = Thread { [self] in
            self.run()
        }
        thread.name = "debrief-curl"
        thread.start()
    }

    func makeTransferID() -> UInt64 {
        nextID.wrappingAdd(1, ordering: .relaxed).newValue
    }

    // MARK: Called from any thread

    /// Hands a transfer to the loop thread, or fails it at once if the loop is shutting down or the caller
    /// was cancelled before it got here.
    func submit(_ transfer: CurlTransfer) {
        let rejection: HTTPClientError? = shared.withLock { shared in
            guard shared.phase == .running, let multi else { return .clientShutDown }
            if shared.cancelledBeforeSubmission.remove(transfer.id) != nil {
                return .cancelled
            }
            shared.incoming.append(transfer)
            shared.registered.insert(transfer.id)
            // Under the lock: the loop thread destroys the multi handle only while holding it.
            _ = curl_multi_wakeup(multi)
            return nil
        }
        if let rejection {
            if rejection == .clientShutDown, multi == nil {
                transfer.resume(
                    with: .failure(.transport(url: transfer.redactedURL, reason: "libcurl is not initialized")))
            } else {
                transfer.resume(with: .failure(rejection))
            }
            metrics.record(.error)
        }
    }

    /// Asks for a transfer to be abandoned. Resumes its caller with ``HTTPClientError/cancelled`` exactly
    /// once: here if the loop thread has not picked it up yet, otherwise on the loop thread.
    func cancel(_ id: UInt64) {
        let notYetStarted: CurlTransfer? = shared.withLock { shared in
            if let index = shared.incoming.firstIndex(where: { $0.id == id }) {
                shared.registered.remove(id)
                return shared.incoming.remove(at: index)
            }
            if shared.registered.contains(id) {
                shared.cancellations.append(id)
                if shared.phase == .running, let multi {
                    _ = curl_multi_wakeup(multi)
                }
            } else if shared.phase == .running {
                shared.cancelledBeforeSubmission.insert(id)
            }
            return nil
        }
        if let notYetStarted {
            notYetStarted.resume(with: .failure(.cancelled))
            metrics.record(.error)
        }
    }

    /// Drops a cancellation marker left by a cancellation that arrived after the transfer had completed.
    func forget(_ id: UInt64) {
        shared.withLock { shared in
            _ = shared.cancelledBeforeSubmission.remove(id)
        }
    }

    /// Starts shutting down without waiting. In-flight and queued requests fail with
    /// ``HTTPClientError/clientShutDown``.
    func requestShutdown() {
        shared.withLock { shared in
            guard shared.phase == .running else { return }
            shared.phase = .stopping
            if let multi {
                _ = curl_multi_wakeup(multi)
            }
        }
    }

    /// Shuts down and returns once the loop thread has released every curl handle.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped: Bool = shared.withLock { shared in
                if shared.phase == .stopped { return true }
                shared.stopWaiters.append(continuation)
                if shared.phase == .running {
                    shared.phase = .stopping
                    if let multi {
                        _ = curl_multi_wakeup(multi)
                    }
                }
                return false
            }
            if alreadyStopped {
                continuation.resume()
            }
        }
    }

    // MARK: The loop thread

    private func run() {
        guard let multi else {
            finishShutdown()
            return
        }
        logger.debug("curl event loop started", metadata: ["libcurl": "\(Curl.versionDescription)"])
        var stillRunning: Int32 = 0
        while true {
            let (incoming, cancellations, stopping) = shared.withLock { shared in
                defer {
                    shared.incoming.removeAll()
                    shared.cancellations.removeAll()
                }
                return (shared.incoming, shared.cancellations, shared.phase != .running)
            }
            if stopping {
                for transfer in incoming {
                    complete(transfer, .failure(.clientShutDown))
                }
                break
            }
            for transfer in incoming {
                add(transfer, to: multi)
            }
            for id in cancellations {
                if let transfer = active[id] {
                    remove(transfer, from: multi)
                    complete(transfer, .failure(.cancelled))
                }
            }

            let performed = curl_multi_perform(multi, &stillRunning)
            if performed != CURLM_OK {
                logger.error("curl_multi_perform failed", metadata: ["error": "\(Self.describe(performed))"])
            }
            collectFinishedTransfers(multi)

            // Sleeps until a socket is ready, curl's next timer fires, another thread calls
            // curl_multi_wakeup, or the upper bound passes.
            var readyDescriptors: Int32 = 0
            let polled = curl_multi_poll(multi, nil, 0, 1_000, &readyDescriptors)
            if polled != CURLM_OK {
                logger.error("curl_multi_poll failed", metadata: ["error": "\(Self.describe(polled))"])
            }
        }

        for transfer in Array(active.values) {
            remove(transfer, from: multi)
            complete(transfer, .failure(.clientShutDown))
        }
        finishShutdown()
    }

    private func add(_ transfer: CurlTransfer, to multi: UnsafeMutableRawPointer) {
        guard let easy = curl_easy_init() else {
            complete(
                transfer, .failure(.transport(url: transfer.redactedURL, reason: "could not allocate a curl handle")))
            return
        }
        do {
            try transfer.configure(easy, configuration)
        } catch {
            transfer.releaseHandle()
            complete(transfer, .failure(error))
            return
        }
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            transfer.releaseHandle()
            complete(
                transfer,
                .failure(
                    .transport(url: transfer.redactedURL, reason: "curl_multi_add_handle: \(Self.describe(added))")))
            return
        }
        active[transfer.id] = transfer
        activeByHandle[easy] = transfer
    }

    private func remove(_ transfer: CurlTransfer, from multi: UnsafeMutableRawPointer) {
        active[transfer.id] = nil
        if let easy = transfer.easy {
            activeByHandle[easy] = nil
            _ = curl_multi_remove_handle(multi, easy)
        }
        transfer.releaseHandle()
    }

    private func collectFinishedTransfers(_ multi: UnsafeMutableRawPointer) {
        var remainingMessages: Int32 = 0
        while let message = curl_multi_info_read(multi, &remainingMessages) {
            // Copy out before remove_handle: it invalidates the message.
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let transfer = activeByHandle[easy] else { continue }
            let result = transfer.outcome(code)
            remove(transfer, from: multi)
            complete(transfer, result)
        }
    }

    /// Every transfer ends here exactly once: metrics, a debug line without secrets, and the caller resumed.
    private func complete(_ transfer: CurlTransfer, _ result: Result<HTTPResponseData, HTTPClientError>) {
        shared.withLock { shared in
            _ = shared.registered.remove(transfer.id)
        }
        let elapsed = ContinuousClock.now - transfer.startedAt
        switch result {
        case .success(let response):
            metrics.record(HTTPClientMetrics.Outcome(status: response.status))
            logger.debug(
                "HTTP request completed",
                metadata: [
                    "http.method": "\(transfer.request.method.rawValue)", "http.url": "\(transfer.redactedURL)",
                    "http.status": "\(response.status.code)", "http.duration": "\(elapsed)",
                ])
        case .failure(let error):
            metrics.record(.error)
            logger.debug(
                "HTTP request failed",
                metadata: [
                    "http.method": "\(transfer.request.method.rawValue)", "error": "\(error)",
                    "http.duration": "\(elapsed)",
                ])
        }
        transfer.resume(with: result)
    }

    /// Marks the loop stopped and destroys the multi handle under the lock, so no other thread can be
    /// inside `curl_multi_wakeup` at the same time; then wakes everyone waiting in ``shutdown()``.
    private func finishShutdown() {
        let (leftovers, waiters) = shared.withLock { shared in
            shared.phase = .stopped
            if let multi {
                _ = curl_multi_cleanup(multi)
            }
            let leftovers = shared.incoming
            shared.incoming.removeAll()
            shared.cancellations.removeAll()
            shared.registered.removeAll()
            shared.cancelledBeforeSubmission.removeAll()
            let waiters = shared.stopWaiters
            shared.stopWaiters.removeAll()
            return (leftovers, waiters)
        }
        for transfer in leftovers {
            transfer.resume(with: .failure(.clientShutDown))
        }
        logger.debug("curl event loop stopped")
        for waiter in waiters {
            waiter.resume()
        }
    }

    private static func describe(_ code: CURLMcode) -> String {
        guard let text = curl_multi_strerror(code) else { return "curl multi error \(code.rawValue)" }
        return String(cString: text)
    }
}
