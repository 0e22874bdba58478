/// Lets a long loop share Swift's cooperative thread pool and stop when its task is cancelled.
///
/// Why: the pool has one thread per core (two on a small server). A loop that works through 100,000
/// participants without suspending holds a thread for seconds, and with two such loops nothing else runs:
/// not `/healthz`, not a `/reflect` that Slack wants acknowledged within 3 seconds. Every `interval` steps,
/// ``step()`` checks for cancellation (so SIGTERM stops the loop) and yields (so waiting requests run).
/// A step is a counter increment otherwise; choose `interval` so that many steps take about a millisecond.
public struct CooperativePace: Sendable {
    /// Steps between two pauses.
    public let interval: Int
    private let pause: @Sendable () async throws -> Void
    private var steps = 0

    /// - Parameters:
    ///   - interval: Steps between two pauses; values below 1 behave as 1.
    ///   - pause: What a pause does; tests replace it to stop a loop at a known point.
    public init(
        every interval: Int, pause: @escaping @Sendable () async throws -> Void = CooperativePace.yieldUnlessCancelled
    ) {
        self.interval = max(1, interval)
        self.pause = pause
    }

    /// Throws `CancellationError` when the task was cancelled; otherwise lets other tasks run first.
    public static let yieldUnlessCancelled: @Sendable () async throws -> Void = {
        try Task.checkCancellation()
        await Task.yield()
    }

    /// Counts one unit of work; pauses after every `interval` of them.
    public mutating func step() async throws {
        steps += 1
        guard steps >= interval else { return }
        steps = 0
        try await pause()
    }

    /// Pauses now, whatever the count: between phases, or after a large unit of work.
    public mutating func pauseNow() async throws {
        steps = 0
        try await pause()
    }
}
