import DebriefStore
import Foundation
import Synchronization
import Testing

@testable import DebriefServer

@Suite("Server clocks")
struct ServerClockTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("a manual clock resumes exactly the sleepers whose instant has come, and never goes back")
    func manualClockResumesDueSleepers() async throws {
        let clock = ManualClock(t0)
        let woke = WokeLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for minutes in [1, 2, 3] {
                group.addTask {
                    try await clock.sleep(until: self.t0.addingTimeInterval(Double(minutes) * 60))
                    woke.append(minutes)
                }
            }
            try await jobsEventually { clock.sleeperCount == 3 }
            clock.advance(by: 120)
            try await jobsEventually { woke.all.count == 2 }
            #expect(Set(woke.all) == [1, 2])
            #expect(clock.sleeperCount == 1, "the three-minute sleeper still sleeps")
            clock.advance(to: t0)
            #expect(clock.now() == t0.addingTimeInterval(120), "advancing to the past changes nothing")
            clock.advance(to: t0.addingTimeInterval(180))
            try await group.waitForAll()
        }
        #expect(woke.all.count == 3)
        // An instant already reached returns at once.
        try await clock.sleep(until: t0)
    }

    @Test("cancelling a task that sleeps on a manual clock ends the sleep with CancellationError")
    func manualClockSleepIsCancellable() async throws {
        let clock = ManualClock(t0)
        let sleeper = Task { try await clock.sleep(until: t0.addingTimeInterval(86_400)) }
        try await jobsEventually { clock.sleeperCount == 1 }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    /// No real-time bound beyond the time limit: under the full suite on two cores even a 0.1 s sleep was seen
    /// to resume two minutes late (the cooperative pool busy with the 20,000-person resolution test). Sleeping
    /// the simulated hour in real time would exceed the limit.
    @Test(
        "a simulated clock sleeps the real time divided by its speed: a simulated hour at 36,000× is 0.1 s",
        .timeLimit(.minutes(10)))
    func simulatedSleepIsShortened() async throws {
        let clock = DebriefClock(simulation: .init(start: t0, speed: 36_000))
        let deadline = t0.addingTimeInterval(3_600)
        try await clock.sleep(until: deadline)
        #expect(clock.now() >= deadline)
    }

    @Test(
        "the digest scheduler's next wake-up is the next posting time of any target, this week's or next week's",
        arguments: [
            // Monday 08:45 Berlin (UTC+1): Monday 09:00 Berlin.
            ("2026-11-23T07:45:00Z", "2026-11-23T08:00:00Z"),
            // Exactly at the posting time: that one is done, next Monday's follows.
            ("2026-11-23T08:00:00Z", "2026-11-30T08:00:00Z"),
            // Sunday night: Monday morning, across the week boundary.
            ("2026-11-29T22:30:00Z", "2026-11-30T08:00:00Z"),
            // Across the end of summer time in Berlin (25 October 2026): still 09:00 local.
            ("2026-10-20T12:00:00Z", "2026-10-26T08:00:00Z"),
        ])
    func nextPostingTime(now: String, expected: String) throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let instant = try #require(ISO8601DateFormatter().date(from: now))
        let next = DigestScheduler.nextPostingTime(after: instant, zone: berlin, weekday: 1, hour: 9, minute: 0)
        #expect(next == ISO8601DateFormatter().date(from: expected))
    }
}

/// Which sleepers woke, shared with their tasks.
final class WokeLog: Sendable {
    private let state = Mutex<[Int]>([])

    var all: [Int] { state.withLock { $0 } }

    func append(_ value: Int) { state.withLock { $0.append(value) } }
}
