import DebriefServer
import DebriefStore
import Foundation
import Metrics
import Synchronization

/// A handler made of a closure, so each test states what its jobs do.
struct ClosureJobHandler: JobHandler {
    let body: @Sendable (Job) async throws -> JobOutcome

    func run(_ job: Job) async throws -> JobOutcome { try await body(job) }

    /// A slow handler: logs the start, finishes (`.done`) only once `gate` opens.
    static func waiting(for gate: JobGate, log: JobRunLog) -> ClosureJobHandler {
        ClosureJobHandler { job in
            log.started(job)
            await gate.wait()
            log.finished()
            return .done
        }
    }
}

/// Counts runs per job id and the largest number of handlers running at once.
final class JobRunLog: Sendable {
    private struct State {
        var runs: [Int64: Int] = [:]
        var running = 0
        var maximumRunning = 0
    }

    private let state = Mutex(State())

    var runs: [Int64: Int] { state.withLock { $0.runs } }
    var total: Int { state.withLock { $0.runs.values.reduce(0, +) } }
    var maximumRunning: Int { state.withLock { $0.maximumRunning } }

    func started(_ job: Job) {
        state.withLock {
            $0.runs[job.id, default: 0] += 1
            $0.running += 1
            $0.maximumRunning = max($0.maximumRunning, $0.running)
        }
    }

    func finished() { state.withLock { $0.running -= 1 } }
}

/// A one-shot gate a slow handler waits on until the test opens it.
final class JobGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let openNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if openNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Counters and gauges by label and dimensions, for asserting what operators would see.
final class JobTestMetrics: MetricsFactory {
    final class Value: CounterHandler, RecorderHandler, TimerHandler {
        private let value = Mutex<Double>(0)
        var current: Double { value.withLock { $0 } }
        func increment(by amount: Int64) { value.withLock { $0 += Double(amount) } }
        func reset() { value.withLock { $0 = 0 } }
        func record(_ value: Int64) { self.value.withLock { $0 = Double(value) } }
        func record(_ value: Double) { self.value.withLock { $0 = value } }
        func recordNanoseconds(_ duration: Int64) {}
    }

    private let values = Mutex<[String: Value]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func value(_ label: String, _ dimensions: [(String, String)]) -> Double {
        values.withLock { $0[Self.key(label, dimensions)]?.current ?? 0 }
    }

    var keys: Set<String> { values.withLock { Set($0.keys) } }

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Value {
        values.withLock { values in
            let key = Self.key(label, dimensions)
            if let existing = values[key] { return existing }
            let created = Value()
            values[key] = created
            return created
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { handler(label, dimensions) }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// Polls a condition with short naps, failing after a generous real-time bound (a minute: the whole suite runs
/// in parallel on two cores, and the bound only turns a hang into a failure).
func jobsEventually(
    _ condition: @Sendable () async throws -> Bool, within limit: Duration = .seconds(60)
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw JobTestTimeout() }
        try await Task.sleep(for: .milliseconds(2))
    }
}

struct JobTestTimeout: Error, CustomStringConvertible {
    var description: String { "condition not met within the time limit" }
}
