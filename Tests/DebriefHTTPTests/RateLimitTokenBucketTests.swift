import Testing

@testable import DebriefHTTP

/// The rate-limit state machine on its own: instants in, slots out.
@Suite("TokenBucket (rate-limit state machine)")
struct RateLimitTokenBucketTests {
    let t0 = ContinuousClock.now

    func seconds(_ slots: [ContinuousClock.Instant]) -> [Double] {
        slots.map { slot in
            let offset = (slot - t0).components
            return Double(offset.seconds) + Double(offset.attoseconds) / 1e18
        }
    }

    @Test(
        "reservations: the burst at once, then one interval apart",
        arguments: [
            (1.0, 1, [0.0, 1, 2, 3, 4]),
            (1.0, 3, [0.0, 0, 0, 1, 2]),
            (4.0, 2, [0.0, 0, 0.25, 0.5, 0.75]),
            (0.0, 0, [0.0, 1_000, 2_000, 3_000, 4_000]),  // clamped to 0.001/s and a burst of 1
        ])
    func spacing(perSecond: Double, burst: Int, expected: [Double]) {
        var bucket = TokenBucket(rate: .init(perSecond: perSecond, burst: burst))
        let slots = (0..<5).map { bucket.reserve(UInt64($0), now: t0) }
        #expect(seconds(slots) == expected)
        #expect(bucket.waiting.count == expected.filter { $0 > 0 }.count)
    }

    @Test("a pause re-slots the waiting from its end, keeps their order and spends the burst")
    func pauseReslots() {
        var bucket = TokenBucket(rate: .init(perSecond: 1, burst: 3))
        for ticket in 0..<5 { _ = bucket.reserve(UInt64(ticket), now: t0) }  // slots 0, 0, 0, 1, 2
        bucket.pause(until: t0 + .seconds(30))
        #expect(seconds([3, 4].compactMap { bucket.slot(of: $0) }) == [30, 31])
        #expect(bucket.paused(at: t0 + .seconds(29)) == t0 + .seconds(30))
        #expect(bucket.paused(at: t0 + .seconds(30)) == nil)
        // A newcomer queues behind them, with no burst right after the pause.
        #expect(seconds([bucket.reserve(5, now: t0 + .seconds(1))]) == [32])
        #expect(seconds([bucket.reserve(6, now: t0 + .seconds(1))]) == [33])
        // Each goes ahead at its slot; long after, the bucket is as good as new.
        for (ticket, at) in [(3, 30), (4, 31), (5, 32), (6, 33)] {
            #expect(bucket.admit(UInt64(ticket), now: t0 + .seconds(at)) == nil, "ticket \(ticket)")
        }
        #expect(bucket.isIdle(at: t0 + .seconds(40)))
        #expect(seconds([bucket.reserve(7, now: t0 + .seconds(40))]) == [40])
    }

    @Test("cancelling the last waiter gives its slot back; cancelling one in the middle leaves a gap")
    func cancel() {
        var bucket = TokenBucket(rate: .init(perSecond: 1, burst: 1))
        _ = bucket.reserve(0, now: t0)  // 0
        _ = bucket.reserve(1, now: t0)  // 1
        _ = bucket.reserve(2, now: t0)  // 2
        bucket.cancel(1)
        #expect(seconds([bucket.reserve(3, now: t0)]) == [3])  // the gap at 1 s stays: others sleep till theirs
        bucket.cancel(3)
        #expect(seconds([bucket.reserve(4, now: t0)]) == [3])  // the last one's slot is reused
        bucket.cancel(99)  // unknown tickets are ignored
        #expect(bucket.waiting.count == 2)
    }

    @Test("waiters that all wake late (a stalled process) go the burst at once, then one interval apart")
    func lateWakersAreRespaced() {
        var bucket = TokenBucket(rate: .init(perSecond: 10, burst: 2))
        let slots = (0..<6).map { bucket.reserve(UInt64($0), now: t0) }
        #expect(seconds(slots) == [0, 0, 0.1, 0.2, 0.3, 0.4])
        // The process was stopped for a second: everyone wakes at t = 1 s with a slot in the past.
        let late = t0 + .seconds(1)
        var sent: [Double] = []
        var next: [UInt64: ContinuousClock.Instant] = [:]
        for ticket in UInt64(0)..<6 {
            if let retry = bucket.admit(ticket, now: late) { next[ticket] = retry } else { sent.append(1) }
        }
        #expect(sent.count == 2, "only the burst goes at once")
        // The others wait for the returned instants, which are one interval apart, and then go.
        #expect(seconds(next.keys.sorted().compactMap { next[$0] }) == [1.1, 1.1, 1.1, 1.1])
        var time = late
        var pending = next.keys.sorted()
        while let ticket = pending.first {
            time = time + .milliseconds(100)
            if let retry = bucket.admit(ticket, now: time) {
                Issue.record("ticket \(ticket) refused at \(seconds([time])) until \(seconds([retry]))")
                break
            }
            sent.append(seconds([time])[0])
            pending.removeFirst()
            for other in pending { #expect(bucket.admit(other, now: time) != nil, "one per interval") }
        }
        #expect(sent == [1, 1, 1.1, 1.2, 1.3, 1.4])
    }

    @Test(
        "burst 1: waiters that wake a little after their slots keep the rate (lateness does not add up), and two calls are never closer than half an interval",
        arguments: [[0.0], [0.3], [0.02, 0.3, 0.1, 0.45], [0.4, 0.0]])
    func lateWakeUpsKeepTheRate(lateness: [Double]) {
        // 100 calls at 10/s; waiter k wakes `lateness[k % count]` of an interval after its slot and, when
        // refused, the same lateness after the instant it was given (a loaded scheduler is late by varying
        // amounts; varying is what used to add up).
        var bucket = TokenBucket(rate: .init(perSecond: 10, burst: 1))
        let calls = 100
        let slots = (0..<calls).map { bucket.reserve(UInt64($0), now: t0) }
        var sent: [Double] = []
        for (ticket, slot) in slots.enumerated() {
            let late = Duration.microseconds(Int64((lateness[ticket % lateness.count] * 100_000).rounded()))
            var time = slot + late
            while let retry = bucket.admit(UInt64(ticket), now: time) { time = retry + late }
            sent.append(seconds([time])[0])
        }
        // Every call goes at its own slot plus its own lateness: nothing accumulated from earlier calls.
        for (ticket, at) in sent.enumerated() {
            let expected = Double(ticket) / 10 + lateness[ticket % lateness.count] / 10
            #expect(abs(at - expected) < 1e-6, "call \(ticket) at \(at) s, its slot plus lateness is \(expected) s")
        }
        let gaps = zip(sent.dropFirst(), sent).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 0.05 - 1e-9 }, "closest two calls: \(gaps.min() ?? 0) s")
        // No second holds more than the rate plus the half-call allowance.
        for start in stride(from: 0.0, through: 9.0, by: 0.05) {
            #expect(Double(sent.filter { $0 >= start && $0 < start + 1 }.count) <= 10 + 1.5)
        }
    }

    @Test("burst 1: after a stall, late waiters go half an interval apart, never together")
    func stalledBurstOneGoesHalfAnIntervalApart() {
        var bucket = TokenBucket(rate: .init(perSecond: 10, burst: 1))
        for ticket in UInt64(0)..<4 { _ = bucket.reserve(ticket, now: t0) }  // 0, 0.1, 0.2, 0.3
        let late = t0 + .seconds(1)
        #expect(bucket.admit(0, now: late) == nil)
        let retry = bucket.admit(1, now: late)
        #expect(retry.map { seconds([$0]) } == [1.05])
        #expect(bucket.admit(1, now: late + .milliseconds(50)) == nil)
        #expect(bucket.admit(2, now: late + .milliseconds(50)) != nil, "one call per half interval at most")
    }
}
