import Foundation
import Synchronization

/// A clock that moves only when told to: tests and `debrief demo` advance it, and every task sleeping until
/// an instant that has now come resumes.
///
/// Why: a test that shows "nothing happens before Monday 09:00" advances this clock to 08:59 and runs one
/// pass of the loop in question, instead of sleeping real time and hoping the loop had its chance.
public final class ManualClock: ServerClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(_ start: Date) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Moves the clock forward by `seconds` (negative values are ignored) and resumes the sleepers now due.
    public func advance(by seconds: TimeInterval) {
        set { $0.addingTimeInterval(max(0, seconds)) }
    }

    /// Moves the clock forward to `instant` (never back) and resumes the sleepers now due.
    public func advance(to instant: Date) {
        set { max($0, instant) }
    }

    /// How many tasks sleep on this clock right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.now >= deadline { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    private func set(_ move: (Date) -> Date) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = move(state.now)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }
}
