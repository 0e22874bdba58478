import DebriefServer
import DebriefTestSupport
import Logging
import Synchronization
import Testing

/// Work after an acknowledgement runs in the background, a bounded number at a time.
@Suite("Background work: bounded")
struct BackgroundWorkTests {
    /// Holds every work item until opened, and counts how many ran at once.
    final class Gate: Sendable {
        private struct State {
            var open = false
            var waiting: [CheckedContinuation<Void, Never>] = []
            var running = 0
            var mostAtOnce = 0
            var finished = 0
        }
        private let state = Mutex(State())

        func pass() async {
            state.withLock {
                $0.running += 1
                $0.mostAtOnce = max($0.mostAtOnce, $0.running)
            }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            state.withLock {
                $0.running -= 1
                $0.finished += 1
            }
        }

        func open() {
            let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        var running: Int { state.withLock { $0.running } }
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
        var finished: Int { state.withLock { $0.finished } }
    }

    @Test("no more than its concurrency run at once; the rest wait their turn and all of them run")
    func bounded() async throws {
        let background = BackgroundWork(logger: Logger(label: "test"), capacity: 100, concurrency: 4)
        let runner = Task { await background.run() }
        let gate = Gate()
        for _ in 0..<50 {
            #expect(background.submit("test") { await gate.pass() })
        }
        // Generous bounds: in the full suite other tests keep the concurrency pool busy for long stretches.
        let atTheLimit = try await eventually(timeout: .seconds(180)) { gate.running == 4 ? true : nil }
        #expect(atTheLimit == true, "four started")
        gate.open()
        let allRan = try await eventually(timeout: .seconds(180)) { gate.finished == 50 ? true : nil }
        #expect(allRan == true)
        #expect(gate.mostAtOnce == 4, "never more than four at once")
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
