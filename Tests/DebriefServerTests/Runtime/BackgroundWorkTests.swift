import DebriefServer
import DebriefTestSupport
import Logging
import Synchronization
import Testing

/// Work after an acknowledgement runs in the background, a bounded number at a time.
@Suite("Background work: bounded")
struct BackgroundWorkTests {
    /// How many work items run at once, and how many finished; each waits on a ``JobGate`` until the test opens it.
    final class Tally: Sendable {
        private let state = Mutex((running: 0, mostAtOnce: 0, finished: 0))
        let gate = JobGate()

        func pass() async {
            state.withLock {
                $0.running += 1
                $0.mostAtOnce = max($0.mostAtOnce, $0.running)
            }
            await gate.wait()
            state.withLock {
                $0.running -= 1
                $0.finished += 1
            }
        }

        var running: Int { state.withLock { $0.running } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
        var finished: Int { state.withLock { $0.finished } }
    }

    @Test("no more than its concurrency run at once; the rest wait their turn and all of them run")
    func bounded() async throws {
        let background = BackgroundWork(logger: Logger(label: "test"), capacity: 100, concurrency: 4)
        let runner = Task { await background.run() }
        let tally = Tally()
        for _ in 0..<50 {
            #expect(background.submit("test") { await tally.pass() })
        }
        // Generous bounds: in the full suite other tests keep the concurrency pool busy for long stretches.
        let atTheLimit = try await eventually(timeout: .seconds(180)) { tally.running == 4 ? true : nil }
        #expect(atTheLimit == true, "four started")
        tally.gate.open()
        let allRan = try await eventually(timeout: .seconds(180)) { tally.finished == 50 ? true : nil }
        #expect(allRan == true)
        #expect(tally.mostAtOnce == 4, "never more than four at once")
        background.finish()
        await runner.value
    }

    @Test("work beyond the queue's capacity is refused, not held")
    func capacity() async {
        // Not running: nothing is taken from the queue, so the third item finds it full.
        let background = BackgroundWork(logger: Logger(label: "test"), capacity: 2, concurrency: 1)
        #expect(background.submit("first") {})
        #expect(background.submit("second") {})
        #expect(!background.submit("third") {})
        background.finish()
    }
}
