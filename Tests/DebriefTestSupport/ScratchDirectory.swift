import Foundation
import Synchronization

/// Directories for a test's files (databases, prompt folders), removed when the test process exits.
///
/// Why at exit and not when each test ends: end-to-end tests stop a server and start another on the same
/// database to prove that nothing was lost, so no helper knows when a database is done with. Before this, every
/// test run left hundreds of databases in the temporary directory.
public enum ScratchDirectory {
    private static let created = Mutex<[URL]>([])
    private static let removalAtExit: Void = { atexit { ScratchDirectory.removeAll() } }()

    /// A new directory path under the temporary directory, named `<prefix>-<UUID>`; not created (SQLite and
    /// the test create what they need).
    public static func make(_ prefix: String) -> URL {
        _ = removalAtExit
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(UUID().uuidString)", isDirectory: true)
        created.withLock { $0.append(url) }
        return url
    }

    static func removeAll() {
        for url in created.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}
