/// Keeps outbound calls under a platform's rate limits, per key (a workspace or tenant and API tier).
///
/// Why: Slack allows roughly one message per second per channel with short bursts and throttles a whole
/// workspace once the app goes over; a 429 answered by every sender retrying at once is a 429 storm.
/// Sending at a configured rate, below the documented limit, is both the fastest way through a fan-out
/// (10,000 nudges) and the way to never be throttled. When a 429 arrives anyway, ``pause(_:for:)`` stops
/// that key for everyone for the `Retry-After` and the waiters resume one interval apart. Calls that
/// actually go ahead are spaced too: waiters that all wake late after a process stall go one interval apart
/// (after the burst), not together.
///
/// Waiters are served first come, first served. A key is, for example, `"slack:T0001:chat.postMessage"`;
/// the limiter does not interpret it beyond choosing a rate by prefix.
///
/// The clock and the sleep are injected so tests advance time by hand and never wait.
public actor BucketRateLimiter {
    public typealias Instant = ContinuousClock.Instant

    /// A sustained rate and how many calls may go at once after a quiet period.
    public struct Rate: Sendable, Equatable {
        /// Calls per second on average. Values below 0.001 (or NaN) behave as 0.001.
        public var perSecond: Double
        /// Calls allowed back to back when the key was idle. Values below 1 behave as 1.
        public var burst: Int

        public init(perSecond: Double, burst: Int) {
            self.perSecond = perSecond
            self.burst = burst
        }

        /// Slack `chat.postMessage` per workspace: one message per second with a burst of 3, well below
        /// Slack's documented limits so a workspace is never throttled by Debrief alone.
        public static let slackMessagesPerWorkspace = Rate(perSecond: 1, burst: 3)

        /// Time between two calls at the sustained rate.
        var interval: Duration {
            let rate = perSecond.isNaN || perSecond < 0.001 ? 0.001 : perSecond
            // Whole nanoseconds: exact for rates such as 10/s, where `.seconds(0.1)` is not.
            return .nanoseconds(Int64((1e9 / rate).rounded()))
        }

        var effectiveBurst: Int { Swift.max(burst, 1) }

        var clamped: Rate { Rate(perSecond: perSecond, burst: effectiveBurst) }
    }

    private let defaultRate: Rate
    /// Longest matching prefix first.
    private let prefixRates: [(prefix: String, rate: Rate)]
    private let now: @Sendable () -> Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private var buckets: [String: TokenBucket] = [:]
    private var nextTicket: UInt64 = 0

    /// - Parameters:
    ///   - defaultRate: The rate of keys no prefix matches.
    ///   - ratesByKeyPrefix: Rates for keys starting with a prefix (the longest matching prefix wins),
    ///     e.g. `["slack:": .slackMessagesPerWorkspace, "teams:": Rate(perSecond: 4, burst: 8)]`.
    ///   - now: The clock; defaults to `ContinuousClock.now`.
    ///   - sleep: Waits; must throw when the task is cancelled. Defaults to `Task.sleep(for:)`.
    public init(
        defaultRate: Rate = .slackMessagesPerWorkspace,
        ratesByKeyPrefix: [String: Rate] = [:],
        now: @escaping @Sendable () -> Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.defaultRate = defaultRate.clamped
        self.prefixRates = ratesByKeyPrefix.map { (prefix: $0.key, rate: $0.value.clamped) }
            .sorted { $0.prefix.count > $1.prefix.count }
        self.now = now
        self.sleep = sleep
    }

    /// The rate that applies to `key`.
    public nonisolated func rate(for key: String) -> Rate {
        prefixRates.first { key.hasPrefix($0.prefix) }?.rate ?? defaultRate
    }

    /// Returns when `key` allows one more call, waiting as long as needed (including for a pause).
    ///
    /// - Throws: `CancellationError` (or whatever the injected sleep throws) when the task is cancelled
    ///   while waiting; the slot it held is released.
    public func acquire(_ key: String) async throws {
        try Task.checkCancellation()
        let ticket = nextTicket
        nextTicket &+= 1
        if ticket % 1024 == 1023 { forgetIdleBuckets() }
        var current = now()
        var slot = buckets[key, default: TokenBucket(rate: rate(for: key))].reserve(ticket, now: current)
        while true {
            while slot > current {
                do {
                    try await sleep(slot - current)
                    try Task.checkCancellation()
                } catch {
                    buckets[key]?.cancel(ticket)
                    throw error
                }
                current = now()
                // A pause while asleep moves the slot later.
                guard let moved = buckets[key]?.slot(of: ticket) else { break }
                slot = moved
            }
            // Waking late together with others (a stalled process) must not turn into a burst.
            guard let later = buckets[key]?.admit(ticket, now: current) else { return }
            slot = later
        }
    }

    /// Stops `key` for everyone for `duration` (a 429's `Retry-After`), measured from now. Waiters keep
    /// their order and resume one interval apart after the pause. A shorter pause never shortens a longer
    /// one already in effect. Pauses are at most ``RetryAfter/maximumDelay`` (an hour): a longer one could
    /// only come from a broken header, and sleeping towards an instant centuries away traps.
    public func pause(_ key: String, for duration: Duration) {
        let until = now() + Swift.min(Swift.max(duration, .zero), RetryAfter.maximumDelay)
        buckets[key, default: TokenBucket(rate: rate(for: key))].pause(until: until)
    }

    /// When a pause of `key` ends, or nil when it is not paused. Handlers use it to reschedule a job
    /// rather than hold a worker for a long pause.
    public func pausedUntil(_ key: String) -> Instant? {
        buckets[key]?.paused(at: now())
    }

    /// How many callers are waiting for `key` (for tests and diagnostics).
    public func waitingCount(_ key: String) -> Int {
        buckets[key]?.waiting.count ?? 0
    }

    private func forgetIdleBuckets() {
        let current = now()
        buckets = buckets.filter { !$0.value.isIdle(at: current) }
    }
}
