import Logging
import ServiceLifecycle

/// Work that must happen right after an acknowledgement but must never delay it (opening a modal with a
/// 3-second trigger, publishing a Home tab, answering through a `response_url`).
///
/// It is in memory on purpose: every item is either tied to a trigger that expires in seconds or is
/// re-derivable (the Home tab is re-published on the next visit). Durable work goes through the job queue.
/// On graceful shutdown it stops accepting and drains what was already accepted.
public final class BackgroundWork: Service, Sendable {
    public typealias Work = @Sendable () async -> Void

    private let stream: AsyncStream<Work>
    private let continuation: AsyncStream<Work>.Continuation
    private let logger: Logger

    public init(logger: Logger, capacity: Int = 10_000) {
        (stream, continuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingOldest(capacity))
        self.logger = logger
    }

    /// Queues work; returns false (and logs) when shutting down or over capacity.
    @discardableResult
    public func submit(_ label: String, _ work: @escaping Work) -> Bool {
        switch continuation.yield(work) {
        case .enqueued: return true
        case .dropped, .terminated:
            logger.warning("background work not accepted", metadata: ["work": "\(label)"])
            return false
        @unknown default: return false
        }
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await work in stream {
                    group.addTask { await work() }
                }
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    /// Stops accepting work; used when the service is not run inside a service group.
    public func finish() { continuation.finish() }
}
