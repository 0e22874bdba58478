import DebriefHTTP
import Foundation
import Synchronization
import Testing

/// The limiter as a sender sees it, on a manual clock: nothing here waits for real time.
@Suite("BucketRateLimiter")
struct RateLimitBucketRateLimiterTests {
    @Test("N acquisitions take the burst at once, then one interval each")
    func rateHonoured() async throws {
        let clock = ManualClock(autoAdvance: true)
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 2, burst: 3), now: clock.now, sleep: clock.sleep)
        var grants: [Duration] = []
        for _ in 0..<10 {
            try await limiter.acquire("slack:T0001")
            grants.append(clock.elapsed)
        }
        #expect(grants == [0, 0, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5].map { .milliseconds(Int64($0 * 1000)) })
        // A quiet period refills the burst, and no more than the burst.
        clock.advance(by: .seconds(60))
        let before = clock.elapsed
        for _ in 0..<4 { try await limiter.acquire("slack:T0001") }
        #expect(clock.elapsed - before == .milliseconds(500))
    }

    @Test("keys have their own buckets and rates chosen by the longest prefix")
    func perKeyRates() async throws {
        let clock = ManualClock(autoAdvance: true)
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 1, burst: 1),
            ratesByKeyPrefix: [
                "teams:": .init(perSecond: 10, burst: 1), "teams:big:": .init(perSecond: 100, burst: 1),
            ],
            now: clock.now, sleep: clock.sleep)
        #expect(limiter.rate(for: "slack:T1") == .init(perSecond: 1, burst: 1))
        #expect(limiter.rate(for: "teams:small") == .init(perSecond: 10, burst: 1))
        #expect(limiter.rate(for: "teams:big:1") == .init(perSecond: 100, burst: 1))
        try await limiter.acquire("slack:T1")
        try await limiter.acquire("slack:T2")  // another workspace: its own bucket
        #expect(clock.elapsed == .zero)
        try await limiter.acquire("teams:small")
        try await limiter.acquire("teams:small")
        #expect(clock.elapsed == .milliseconds(100))
        #expect(BucketRateLimiter.Rate.slackMessagesPerWorkspace == .init(perSecond: 1, burst: 3))
    }

    @Test("a Retry-After pause blocks that key only, for everyone, until it ends")
    func pauseBlocksOneKey() async throws {
        let clock = ManualClock()
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 1, burst: 3), now: clock.now, sleep: clock.sleep)
        await limiter.pause("slack:A", for: .seconds(30))
        #expect(await limiter.pausedUntil("slack:A") == clock.origin + .seconds(30))
        #expect(await limiter.pausedUntil("slack:B") == nil)
        try await limiter.acquire("slack:B")  // not paused: at once
        let granted = RateLimitTestBox(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await limiter.acquire("slack:A")
                granted.withLock { $0 = true }
            }
            try await clock.waitForSleepers(1)
            clock.advance(by: .seconds(29))
            try await clock.waitForSleepers(1)
            #expect(granted.withLock { $0 } == false)
            try await limiter.acquire("slack:B")  // still free while A waits
            clock.advance(by: .seconds(1))
            try await group.waitForAll()
        }
        #expect(granted.withLock { $0 })
        #expect(clock.elapsed == .seconds(30))
        #expect(await limiter.pausedUntil("slack:A") == nil)
        // A shorter pause does not shorten a longer one.
        await limiter.pause("slack:A", for: .seconds(60))
        await limiter.pause("slack:A", for: .seconds(5))
        #expect(await limiter.pausedUntil("slack:A") == clock.origin + .seconds(90))
    }

    @Test(
        "a pause is at most an hour, however long the Retry-After asked for",
        arguments: [Duration.seconds(3_601), .seconds(1_000_000_000_000), .seconds(Int64.max)])
    func pauseIsCapped(duration: Duration) async {
        let clock = ManualClock()
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 1, burst: 1), now: clock.now, sleep: clock.sleep)
        await limiter.pause("slack:A", for: duration)
        #expect(await limiter.pausedUntil("slack:A") == clock.origin + RetryAfter.maximumDelay)
    }

    @Test("a sender waiting out the longest pause on the real clock waits (and can be cancelled) instead of trapping")
    func waitingOutAHugePauseDoesNotTrap() async throws {
        let limiter = BucketRateLimiter(defaultRate: .init(perSecond: 1, burst: 1))
        await limiter.pause("slack:A", for: .seconds(Int64.max))
        let waiter = Task { try await limiter.acquire("slack:A") }
        let deadline = ContinuousClock.now + .seconds(10)
        while await limiter.waitingCount("slack:A") == 0, ContinuousClock.now < deadline { await Task.yield() }
        #expect(await limiter.waitingCount("slack:A") == 1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test("after a pause, waiters resume one interval apart, in order, not all at once")
    func waitersSpacedAfterPause() async throws {
        let clock = ManualClock()
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 1, burst: 3), now: clock.now, sleep: clock.sleep)
        let key = "slack:T0001"
        // The burst goes at once; the next two wait for their slots (t = 1 s, 2 s).
        for _ in 0..<3 { try await limiter.acquire(key) }
        let grants = RateLimitTestBox<[(waiter: Int, at: Duration)]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for waiter in 0..<2 {
                group.addTask {
                    try await limiter.acquire(key)
                    grants.withLock { $0.append((waiter, clock.elapsed)) }
                }
                try await clock.waitForSleepers(waiter + 1)  // they queue in this order
            }
            // A 429 says: nothing for 10 s. Both waiters are moved behind the pause.
            await limiter.pause(key, for: .seconds(10))
            // Their old slots come and go: they wake, see the pause and sleep again.
            clock.advance(by: .seconds(5))
            try await clock.waitForSleepers(2)
            #expect(grants.withLock { $0.isEmpty })
            // Three more arrive during the pause and queue behind them.
            for waiter in 2..<5 {
                group.addTask {
                    try await limiter.acquire(key)
                    grants.withLock { $0.append((waiter, clock.elapsed)) }
                }
                try await clock.waitForSleepers(waiter + 1)
            }
            #expect(await limiter.waitingCount(key) == 5)
            for second in 10...14 {
                clock.advance(to: .seconds(second))
                try await eventually { grants.withLock { $0.count } == second - 9 }
            }
            try await group.waitForAll()
        }
        let recorded = grants.withLock { $0 }
        #expect(recorded.map(\.waiter) == [0, 1, 2, 3, 4])
        #expect(recorded.map(\.at) == (10...14).map { .seconds($0) })
        #expect(await limiter.waitingCount(key) == 0)
    }

    @Test("waiters that wake late together (the process stalled) still go one interval apart")
    func lateWakeIsNotABurst() async throws {
        let clock = ManualClock()
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 10, burst: 1), now: clock.now, sleep: clock.sleep)
        let key = "slack:T0001"
        try await limiter.acquire(key)
        let grants = RateLimitTestBox<[Duration]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for waiter in 0..<4 {
                group.addTask {
                    try await limiter.acquire(key)
                    grants.withLock { $0.append(clock.elapsed) }
                }
                try await clock.waitForSleepers(waiter + 1)
            }
            // Slots were 0.1–0.4 s; nobody ran until 1 s (a stall). One goes now, the rest one interval apart.
            clock.advance(to: .seconds(1))
            try await eventually { grants.withLock { $0.count } == 1 }
            try await clock.waitForSleepers(3)
            #expect(grants.withLock { $0.count } == 1, "the others wait instead of sending together")
            for step in 1...3 {
                clock.advance(to: .milliseconds(1_000 + 100 * Int64(step)))
                try await eventually { grants.withLock { $0.count } == step + 1 }
            }
            try await group.waitForAll()
        }
        #expect(grants.withLock { $0 } == [1_000, 1_100, 1_200, 1_300].map { .milliseconds($0) })
    }

    @Test("cancelling a waiting acquire throws, releases its slot and leaves the others alone")
    func cancellation() async throws {
        let clock = ManualClock()
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: 1, burst: 1), now: clock.now, sleep: clock.sleep)
        let key = "slack:T0001"
        try await limiter.acquire(key)
        let waiting = Task {
            try await limiter.acquire(key)
        }
        try await clock.waitForSleepers(1)
        #expect(await limiter.waitingCount(key) == 1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(await limiter.waitingCount(key) == 0)
        #expect(clock.sleeperCount == 0)
        // The released slot (t = 1 s) goes to the next caller instead of t = 2 s.
        let next = Task { try await limiter.acquire(key) }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        try await next.value
        #expect(clock.elapsed == .seconds(1))
        // A task cancelled before it asks never takes a slot.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire(key)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
    }
}

/// Shared mutable state for child tasks (a `Mutex` itself cannot be captured by them).
final class RateLimitTestBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<T>(_ body: (inout sending Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

/// Polls a condition with yields and short naps, failing after a generous real-time bound.
func eventually(
    _ condition: @Sendable () -> Bool, within limit: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition not met in time", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        await Task.yield()
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// A clock tests move by hand. `sleep` suspends until ``advance(by:)`` passes its deadline (or, with
/// `autoAdvance`, moves time forward itself, for a single sequential caller), and throws on cancellation.
final class ManualClock: Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var elapsed: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        var cancelledEarly: Set<UInt64> = []
    }

    let origin = ContinuousClock.now
    let autoAdvance: Bool
    private let state = Mutex(State())

    init(autoAdvance: Bool = false) {
        self.autoAdvance = autoAdvance
    }

    var elapsed: Duration { state.withLock { $0.elapsed } }
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    var now: @Sendable () -> ContinuousClock.Instant {
        { [self] in origin + elapsed }
    }

    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in try await sleep(for: duration) }
    }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        if autoAdvance {
            state.withLock { $0.elapsed += max(duration, .zero) }
            return
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case wait, resume, cancel }
                let action = state.withLock { state -> Action in
                    if state.cancelledEarly.remove(id) != nil || Task.isCancelled { return .cancel }
                    let deadline = state.elapsed + duration
                    if deadline <= state.elapsed { return .resume }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .wait
                }
                switch action {
                case .wait: break
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelledEarly.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index).continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.elapsed += duration
            let now = state.elapsed
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    func advance(to elapsed: Duration) {
        advance(by: elapsed - self.elapsed)
    }

    /// Waits (for real, briefly) until `count` callers sleep on this clock.
    func waitForSleepers(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually({ self.sleeperCount >= count }, sourceLocation: sourceLocation)
    }
}
