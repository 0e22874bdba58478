import DebriefHTTP
import Foundation
import HTTPTypes
import Logging
import Metrics
import Synchronization

/// Records every delay the retry layer asks for and returns at once, so retry tests take no wall time.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    var recorded: [Duration] {
        delays.withLock { $0 }
    }

    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] delay in
            delays.withLock { $0.append(delay) }
            try Task.checkCancellation()
        }
    }
}

/// An ``HTTPClient`` double that answers from a fixed list of outcomes and counts calls.
final class ScriptedClient: HTTPClient {
    private let state: Mutex<(outcomes: [Result<HTTPResponseData, HTTPClientError>], calls: Int)>

    init(_ outcomes: [Result<HTTPResponseData, HTTPClientError>]) {
        state = Mutex((outcomes, 0))
    }

    var calls: Int {
        state.withLock { $0.calls }
    }

    func execute(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let outcome = state.withLock { state in
            state.calls += 1
            return state.outcomes.count > 1 ? state.outcomes.removeFirst() : state.outcomes[0]
        }
        return try outcome.get()
    }
}

/// Counts client calls on the way to a real client.
final class CountingClient: HTTPClient {
    let base: any HTTPClient
    private let count = Mutex(0)

    init(_ base: any HTTPClient) {
        self.base = base
    }

    var calls: Int {
        count.withLock { $0 }
    }

    func execute(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        count.withLock { $0 += 1 }
        return try await base.execute(request)
    }
}

/// A minimal in-memory metrics backend: counter values by label and dimensions.
final class RecordingMetrics: MetricsFactory {
    private let counters = Mutex<[String: RecordingCounter]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func value(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        counters.withLock { $0[Self.key(label, dimensions)]?.value ?? 0 }
    }

    /// Every counter created, including those never incremented: the set of series a backend would show.
    var counterKeys: Set<String> {
        counters.withLock { Set($0.keys) }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        counters.withLock { counters in
            let key = Self.key(label, dimensions)
            if let existing = counters[key] { return existing }
            let counter = RecordingCounter()
            counters[key] = counter
            return counter
        }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NoopRecorder()
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        NoopTimer()
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

final class RecordingCounter: CounterHandler {
    private let total = Mutex<Int64>(0)
    var value: Int64 { total.withLock { $0 } }
    func increment(by amount: Int64) { total.withLock { $0 += amount } }
    func reset() { total.withLock { $0 = 0 } }
}

final class NoopRecorder: RecorderHandler {
    func record(_ value: Int64) {}
    func record(_ value: Double) {}
}

final class NoopTimer: TimerHandler {
    func recordNanoseconds(_ duration: Int64) {}
}

extension Logger {
    static let test: Logger = {
        var logger = Logger(label: "debrief-http-tests")
        logger.logLevel = .warning
        return logger
    }()
}

/// Runs `body` and returns how long it took alongside its result (or error).
func measure<T>(_ body: () async throws -> T) async -> (Result<T, any Error>, Duration) {
    let start = ContinuousClock.now
    let result: Result<T, any Error>
    do {
        result = .success(try await body())
    } catch {
        result = .failure(error)
    }
    return (result, ContinuousClock.now - start)
}
