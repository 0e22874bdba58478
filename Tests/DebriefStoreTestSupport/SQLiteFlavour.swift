import DebriefStoreSQLite
import Foundation

/// The two ways Debrief opens SQLite: a `DatabaseQueue` in memory and a WAL `DatabasePool` on a file. They
/// behave differently under concurrency, so every store test runs against both.
public enum SQLiteFlavour: String, CaseIterable, Sendable {
    case memory, file

    /// Opens an empty, unmigrated store of this flavour, and returns the function that removes its files (for a
    /// file flavour, the scratch directory holding the database, its WAL and shared memory files).
    public func open() throws -> (store: SQLiteStore, cleanup: @Sendable () -> Void) {
        switch self {
        case .memory:
            return (try SQLiteStore(location: .inMemory), {})
        case .file:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("debrief-store-\(UUID().uuidString)", isDirectory: true)
            let store = try SQLiteStore(location: .file(path: directory.appendingPathComponent("t.sqlite").path))
            return (store, { try? FileManager.default.removeItem(at: directory) })
        }
    }
}
