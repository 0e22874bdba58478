import Foundation

/// A value guarded by a pthread-backed lock.
///
/// Why not `Synchronization.Mutex`: on Linux its futex path lives in an uninstrumented runtime library, so
/// ThreadSanitizer cannot see its happens-before edges and reports false races on the guarded state. `NSLock`
/// wraps `pthread_mutex_t`, which TSan understands, so a TSan run of the curl loop stays meaningful.
final class LockedState<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
