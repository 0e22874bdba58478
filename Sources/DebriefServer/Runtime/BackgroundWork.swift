import Logging
import ServiceLifecycle

/// Work that must happen right after an acknowledgement but must never delay it (opening a modal with a
/// 3-second trigger, publishing a Home tab, answering through a `response_url`).
///
/// It is in memory on purpose: every item is either tied to a trigger that expires in seconds or is
/// re-derivable (the Home tab is re-published on the next visit). Durable work goes through the job queue.
/// On graceful shutdown it stops accepting and drains what was already accepted, until the server's shutdown
/// deadline (`DebriefApplication.maximumShutdown`, 4 s) cancels what is left.
///
/// At most `concurrency` items run at once; the rest wait in the queue, up to `capacity`, beyond which new work
/// is refused (and logged). Before, every item was started at once, so the queue never filled and its capacity
/// bounded nothing: 20,000 Teams messages in a burst held 20,000 outbound replies in flight, and the server's
/// memory rose to 323 MiB (`bench ingest --platform teams --requests 20000`). Now 64 run and the rest wait as
/// closures: 155 MiB, every reply delivered as soon as before (15 s after the last message), 0.77 instead of 1.09
/// ms of CPU per message. The capacity is 100,000 because a queued reply costs some 6 KiB, and a burst must not
/// lose replies: with 10,000, that run refused 5,282 of them.
public final class BackgroundWork: Service, Sendable {
    public typealias Work = @Sendable () async -> Void

    private let stream: AsyncStream<Work>
    private let continuation: AsyncStream<Work>.Continuation
    private let concurrency: Int
    private let logger: Logger

    public init(logger: Logger, capacity: Int = 100_000, concurrency: Int = 64) {
        (stream, continuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .bufferingOldest(capacity))
        self.concurrency = max(1, concurrency)
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
            await withTaskGroup(of: Void.self) { group in
                var started = 0
                for await work in stream {
                    // At the limit, the next item waits for one to finish (already finished ones return at once).
                    if started >= concurrency, await group.next() != nil { started -= 1 }
                    group.addTask { await work() }
                    started += 1
                }
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    /// Stops accepting work; used when the service is not run inside a service group.
    public func finish() { continuation.finish() }
}
