import Synchronization

/// A wake-up that is never lost: a signal sent while nobody waits is kept for the next wait.
///
/// Why not an `AsyncStream`: the waiting side races the signal against a timer in a task group, and a
/// stream's iterator cannot be shared with a child task. One waiter at a time.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending) or when the task is cancelled.
    func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (resumeNow, displaced) = state.withLock {
                    state -> (Bool, CheckedContinuation<Void, Never>?) in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return (true, nil)
                    }
                    let displaced = state.waiter?.continuation
                    state.waiter = (id, continuation)
                    return (false, displaced)
                }
                displaced?.resume()
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume()
        }
    }
}
