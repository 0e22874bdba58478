import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log into the database file on a second connection and thread, so that commits do not
/// wait for it.
///
/// Why: SQLite checkpoints on the committing connection once the log passes `wal_autocheckpoint`. The writer's
/// thread then copies the log and syncs both files before the batch's callers resume, and every write that
/// arrives meanwhile waits behind it: at 8,000 `/reflect`/s that was the 99th percentile (20–25 ms, against
/// 5–6 ms with no checkpoint during the run). Here the writer connection's log hook (which is what
/// `wal_autocheckpoint` installs, and which this replaces) starts a passive checkpoint on the second connection
/// once the log holds `backgroundFrames` frames, never two at once; a passive checkpoint takes no lock a writer
/// needs. Under a load that never pauses a passive checkpoint cannot let the log restart from its beginning, so
/// the writer keeps SQLite's own passive checkpoint as a backstop at `writerFrames`, by then with little left
/// to copy: the log stays under `writerFrames` pages (64 MiB in the store) instead of 16 MiB. Measured with
/// `bench ingest` (50,000 requests): p99 19–21 ms → 6–7 ms, slowest request 28 → 10–15 ms. Checkpointing only
/// once per `backgroundFrames` of log instead was tried: the backstop then had a quarter of the log to copy,
/// and the slowest requests waited 22 ms for it.
///
/// Past the threshold a checkpoint starts only once the log has grown by `spacingFrames` since the previous one
/// started. Back to back, each checkpoint copied the few batches committed since the last, so a hot index page
/// went to the file after nearly every batch, and every checkpoint synced both files: some 40 checkpoints and
/// 80 syncs a second at 8,000 `/reflect`/s, a tenth of the server's CPU. Spaced by 1,000 frames (4 MiB), a page
/// rewritten in between is copied once. Within one spacing of the backstop they run back to back again, so the
/// backstop, which every write waits for, still finds little left to copy (slowest `bench ingest` request 10–13 ms
/// instead of 14–16 ms with the spacing kept up to it).
///
/// A truncating checkpoint (after an erasure, after migrations) goes through ``excludingBackground(_:)``: SQLite
/// refuses a second checkpoint while one runs, without waiting.
///
/// Durability is unchanged: a commit is durable when it is in the log; a checkpoint only moves it.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let backgroundFrames: Int32
    private let spacingFrames: Int32
    private let writerFrames: Int32
    private let running = Atomic<Bool>(false)
    /// Background checkpoints run here, one at a time; ``excludingBackground(_:)`` waits on it.
    private let queue = DispatchQueue(label: "debrief.wal-checkpoints", qos: .utility)
    /// Callers inside ``excludingBackground(_:)``: no background checkpoint starts meanwhile.
    private let exclusions = Atomic<Int>(0)
    /// The log's length when the latest background checkpoint started.
    private let lastStartFrames = Atomic<Int32>(0)
    /// Background checkpoints started so far (for tests: the decision is made in the commit, so a test reads it
    /// right after the commit returns).
    private let started = Atomic<Int>(0)

    /// - Parameters:
    ///   - path: the database file, opened a second time for checkpoints.
    ///   - configuration: as the writer's (synchronous mode and busy timeout apply to the checkpoint).
    ///   - spacingFrames: how much the log grows between two background checkpoints (0: back to back).
    init(path: String, configuration: Configuration, backgroundFrames: Int, spacingFrames: Int, writerFrames: Int)
        throws
    {
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.backgroundFrames = Int32(clamping: backgroundFrames)
        self.spacingFrames = Int32(clamping: max(0, spacingFrames))
        self.writerFrames = Int32(clamping: max(writerFrames, backgroundFrames))
    }

    /// Installs the log hook on the writer connection `db`, replacing SQLite's auto-checkpoint.
    ///
    /// The hook holds the checkpointer weakly through a small box that lives as long as the process (the C
    /// callback cannot release it when the connection closes): once the store is gone, commits on a connection
    /// it left behind checkpoint nothing more.
    func install(on db: Database) {
        let box = Unmanaged.passRetained(WeakCheckpointer(self)).toOpaque()
        sqlite3_wal_hook(
            db.sqliteConnection,
            { context, connection, _, frames in
                guard let context,
                    let checkpointer = Unmanaged<WeakCheckpointer>.fromOpaque(context).takeUnretainedValue().value
                else { return SQLITE_OK }
                checkpointer.logHolds(frames, writer: connection)
                return SQLITE_OK
            }, box)
    }

    /// After a commit on the writer: the log holds `frames` frames.
    private func logHolds(_ frames: Int32, writer: OpaquePointer?) {
        if frames >= writerFrames {
            // The backstop, exactly what `wal_autocheckpoint` would do here.
            sqlite3_wal_checkpoint_v2(writer, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        // Past the threshold, one per `spacingFrames` of log while the log stays long (under a load that never
        // pauses), so that the backstop finds little left to copy; a log that restarted (shorter than at the last
        // start) counts as grown.
        guard
            Self.isDue(
                frames: frames, lastStart: lastStartFrames.load(ordering: .relaxed), threshold: backgroundFrames,
                spacing: spacingFrames, backstop: writerFrames),
            exclusions.load(ordering: .acquiring) == 0,
            running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        lastStartFrames.store(frames, ordering: .relaxed)
        started.add(1, ordering: .relaxed)
        queue.async { [self] in
            defer { running.store(false, ordering: .releasing) }
            guard exclusions.load(ordering: .acquiring) == 0 else { return }
            // A failure (a transient lock, say) is retried at the next commit.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
    }

    /// Runs `body` — a truncating checkpoint on the writer — with no background checkpoint running or starting.
    ///
    /// Why: SQLite lets one connection checkpoint at a time and refuses a second at once, without its busy
    /// timeout. An erasure's (or a migration's) truncation that met a background checkpoint failed: at start-up,
    /// with a long log left by the previous run, `migrate()` then refused to open the database. Here no new
    /// background checkpoint starts, one already queued or running is waited for, then `body` runs. Call it on the
    /// writer's thread (inside a write access): the writer commits nothing meanwhile, so its log hook starts none.
    func excludingBackground<T>(_ body: () throws -> T) rethrows -> T {
        exclusions.add(1, ordering: .acquiringAndReleasing)
        defer { exclusions.subtract(1, ordering: .acquiringAndReleasing) }
        queue.sync {}
        return try body()
    }
}

extension WALCheckpointer {
    /// Background checkpoints started so far.
    var backgroundCheckpointsStarted: Int { started.load(ordering: .relaxed) }

    /// Whether someone is inside ``excludingBackground(_:)`` (waiting or running).
    var isExcludingBackground: Bool { exclusions.load(ordering: .acquiring) > 0 }

    /// Runs `work` on the checkpoint connection where background checkpoints run (for tests: a checkpoint that
    /// holds SQLite's checkpoint lock as long as a test needs).
    func inBackground(_ work: @escaping @Sendable (Database) throws -> Void) {
        queue.async { [connection] in _ = try? connection.writeWithoutTransaction(work) }
    }

    /// Whether a log of `frames` frames is due a background checkpoint, the previous one having started at
    /// `lastStart` frames (0 before the first): past `threshold`, and the first, or grown by `spacing` since, or
    /// restarted (shorter than then). Within `spacing` of the writer's `backstop`, back to back: what the backstop
    /// finds left to copy, the writer copies while every write waits.
    static func isDue(frames: Int32, lastStart: Int32, threshold: Int32, spacing: Int32, backstop: Int32) -> Bool {
        guard frames >= threshold else { return false }
        let isFirst = lastStart < threshold
        let restarted = frames < lastStart
        let nearBackstop = frames >= backstop - min(spacing, backstop)
        return isFirst || restarted || nearBackstop || frames - lastStart >= spacing
    }
}

/// The log hook's context: a weak reference, so the hook never keeps a store's second connection open.
private final class WeakCheckpointer: Sendable {
    weak let value: WALCheckpointer?

    init(_ value: WALCheckpointer) { self.value = value }
}
