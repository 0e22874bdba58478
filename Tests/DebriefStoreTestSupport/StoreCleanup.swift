import Synchronization
import Testing

/// The storage the stores of one running test opened, to be removed when the test ends.
///
/// Set as a task local by ``StoreCleanup`` around each test case; ``StoreBackend/makeStore()`` registers with
/// the current one.
public final class StoreScratch: Sendable {
    @TaskLocal public static var current: StoreScratch?

    private let cleanups = Mutex<[@Sendable () async -> Void]>([])

    public init() {}

    func add(_ cleanup: @escaping @Sendable () async -> Void) {
        cleanups.withLock { $0.append(cleanup) }
    }

    /// Runs every registered cleanup once, newest first.
    public func cleanUp() async {
        let pending = cleanups.withLock { cleanups in
            defer { cleanups.removeAll() }
            return cleanups
        }
        for cleanup in pending.reversed() { await cleanup() }
    }
}

/// Removes the storage each test case's stores used (scratch files today, a PostgreSQL schema later) when the
/// case ends, passed or failed, so a contract run leaves nothing behind.
public struct StoreCleanup: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Called once for the suite (no case) and once per test case; scratch belongs to the cases.
        guard testCase != nil else { return try await function() }
        let scratch = StoreScratch()
        do {
            try await StoreScratch.$current.withValue(scratch) { try await function() }
        } catch {
            await scratch.cleanUp()
            throw error
        }
        await scratch.cleanUp()
    }
}

extension Trait where Self == StoreCleanup {
    /// Removes the storage of every store a test case made through ``StoreBackend/makeStore()``.
    public static var cleansUpStores: Self { StoreCleanup() }
}
