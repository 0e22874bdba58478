import DebriefTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import DebriefStoreSQLite

/// The log is copied into the database file by a second connection, so the writer's commits never wait for it.
@Suite("SQLite: checkpoints beside the writer")
struct WALCheckpointerTests {
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func databasePath() throws -> String {
        let directory = ScratchDirectory.make("debrief-checkpoint")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("t.sqlite").path
    }

    /// A database with the checkpointer's hook on its writer, after 120 commits of about 3 KiB each (some 360
    /// frames of log); with the database file's size before those commits.
    /// With `holdingSnapshot`, a second connection keeps a read transaction open from before the notes, so the
    /// log cannot restart from its beginning while they are written.
    static func writeNotes(
        backgroundFrames: Int, spacingFrames: Int = 0, writerFrames: Int, holdingSnapshot: Bool = false
    ) async throws
        -> (path: String, pool: DatabasePool, checkpointer: WALCheckpointer, sizeBefore: Int)
    {
        let path = try databasePath()
        let pool = try DatabasePool(path: path)
        let checkpointer = try WALCheckpointer(
            path: path, configuration: Configuration(), backgroundFrames: backgroundFrames,
            spacingFrames: spacingFrames, writerFrames: writerFrames)
        try await pool.writeWithoutTransaction { db in
            checkpointer.install(on: db)
            try db.execute(sql: "CREATE TABLE notes (text TEXT NOT NULL)")
        }
        let before = fileSize(path)
        var readerConfiguration = Configuration()
        readerConfiguration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: path, configuration: readerConfiguration)
        if holdingSnapshot {
            try await reader.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN DEFERRED TRANSACTION")
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes")
            }
        }
        for index in 0..<120 {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO notes (text) VALUES (?)",
                    arguments: [String(repeating: "note \(index) ", count: 400)])
            }
        }
        if holdingSnapshot {
            try await reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        }
        return (path, pool, checkpointer, before)
    }

    @Test("past its threshold the log reaches the database file without a checkpoint on the writer")
    func background() async throws {
        // The writer's backstop is far away, and SQLite's own auto-checkpoint (1,000 frames) is replaced: only
        // the background connection can move these few hundred frames into the file.
        let written = try await Self.writeNotes(backgroundFrames: 50, writerFrames: 1_000_000)
        // Each poll commits once more: a passive checkpoint that met a transient lock gives up and is retried at
        // the next commit, as under real traffic.
        let reached = try await eventually(timeout: .seconds(20)) { () async throws -> Bool? in
            if Self.fileSize(written.path) > written.sizeBefore + 200_000 { return true }
            try await written.pool.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('poll')") }
            return nil
        }
        #expect(reached == true, "the notes reached the file")
        #expect(
            try await written.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes WHERE text <> 'poll'")
            } == 120)
        withExtendedLifetime(written.checkpointer) {}
    }

    @Test("the writer still checkpoints itself at its backstop")
    func backstop() async throws {
        // At the backstop the writer checkpoints in the committing call, before any background checkpoint.
        let written = try await Self.writeNotes(backgroundFrames: 40, writerFrames: 40)
        // Synchronous: by the time the last write returned, the writer had copied the log at least once.
        #expect(Self.fileSize(written.path) > written.sizeBefore + 200_000)
        withExtendedLifetime(written.checkpointer) {}
    }

    @Test("past the threshold, checkpoints are spaced by the log's growth, not back to back")
    func spacing() async throws {
        // The log cannot restart (a reader holds a snapshot from before), so it grows through the whole run: with
        // a spacing longer than the run, one checkpoint starts, however many commits follow the threshold.
        let spaced = try await Self.writeNotes(
            backgroundFrames: 50, spacingFrames: 1_000_000, writerFrames: 10_000_000, holdingSnapshot: true)
        #expect(spaced.checkpointer.backgroundCheckpointsStarted == 1)
    }

    @Test("a checkpoint is due past the threshold once the log grew by the spacing, or restarted")
    func due() {
        func due(_ frames: Int32, after lastStart: Int32) -> Bool {
            WALCheckpointer.isDue(
                frames: frames, lastStart: lastStart, threshold: 4_000, spacing: 1_000, backstop: 16_000)
        }
        #expect(!due(3_999, after: 0), "below the threshold")
        #expect(due(4_000, after: 0), "the first at the threshold")
        #expect(
            WALCheckpointer.isDue(frames: 4_000, lastStart: 0, threshold: 4_000, spacing: 100_000, backstop: 1_000_000),
            "the first at the threshold, whatever the spacing")
        #expect(!due(4_999, after: 4_000), "grown by less than the spacing")
        #expect(due(5_000, after: 4_000), "grown by the spacing")
        #expect(due(4_100, after: 15_000), "the log restarted and is past the threshold again")
        #expect(!due(3_000, after: 15_000), "restarted, below the threshold")
        #expect(
            WALCheckpointer.isDue(frames: 4_001, lastStart: 4_000, threshold: 4_000, spacing: 0, backstop: 16_000),
            "no spacing: back to back")
        #expect(!due(14_999, after: 14_500), "short of the backstop's last spacing: spaced")
        #expect(due(15_001, after: 14_990), "within a spacing of the backstop: back to back")
    }

    @Test("a truncating checkpoint waits for a running background checkpoint instead of failing")
    func truncationWaitsForBackground() async throws {
        // SQLite refuses a second checkpoint while one runs, without waiting. Hold the background connection in
        // a checkpoint: a RESTART waits (through its busy handler, holding the checkpoint lock) for a reader that
        // is released only once the truncation has asked to go.
        let path = try Self.databasePath()
        let pool = try DatabasePool(path: path)
        final class Flags: Sendable {
            let holding = Atomic<Bool>(false)
            let released = Atomic<Bool>(false)
        }
        let flags = Flags()
        var background = Configuration()
        background.busyMode = .callback { _ in
            flags.holding.store(true, ordering: .releasing)
            usleep(1_000)
            return true  // until the reader is gone, then the restart proceeds
        }
        let checkpointer = try WALCheckpointer(
            path: path, configuration: background, backgroundFrames: 1_000_000, spacingFrames: 0,
            writerFrames: 1_000_000)
        try await pool.writeWithoutTransaction { db in
            checkpointer.install(on: db)
            try db.execute(sql: "CREATE TABLE notes (text TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO notes (text) VALUES ('before the reader')")
        }
        var readerConfiguration = Configuration()
        readerConfiguration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: path, configuration: readerConfiguration)
        try await reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN DEFERRED TRANSACTION")
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes")
        }
        try await pool.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('after the reader')") }
        checkpointer.inBackground { db in
            _ = try db.checkpoint(.restart)
            flags.released.store(true, ordering: .releasing)
        }
        let holding = try await eventually(timeout: .seconds(10)) {
            flags.holding.load(ordering: .acquiring) ? true : nil
        }
        #expect(holding == true, "the background connection holds the checkpoint lock")

        let truncation = Task {
            try await pool.writeWithoutTransaction { db in
                try checkpointer.excludingBackground { try db.checkpoint(.truncate) }
            }
        }
        let waiting = try await eventually(timeout: .seconds(10)) { checkpointer.isExcludingBackground ? true : nil }
        #expect(waiting == true, "the truncation is waiting")
        try await reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        _ = try await truncation.value
        let backgroundFinished = flags.released.load(ordering: .acquiring)
        #expect(backgroundFinished, "the background checkpoint finished first")
        #expect(Self.fileSize(path + "-wal") == 0, "the log is truncated")
    }
}
