import DebriefTestSupport
import Foundation
import GRDB
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
            backgroundFrames: 50, spacingFrames: 1_000_000, writerFrames: 1_000_000, holdingSnapshot: true)
        #expect(spaced.checkpointer.backgroundCheckpointsStarted == 1)
    }

    @Test("a checkpoint is due past the threshold once the log grew by the spacing, or restarted")
    func due() {
        func due(_ frames: Int32, after lastStart: Int32) -> Bool {
            WALCheckpointer.isDue(frames: frames, lastStart: lastStart, threshold: 4_000, spacing: 1_000)
        }
        #expect(!due(3_999, after: 0), "below the threshold")
        #expect(due(4_000, after: 0), "the first at the threshold")
        #expect(
            WALCheckpointer.isDue(frames: 4_000, lastStart: 0, threshold: 4_000, spacing: 100_000),
            "the first at the threshold, whatever the spacing")
        #expect(!due(4_999, after: 4_000), "grown by less than the spacing")
        #expect(due(5_000, after: 4_000), "grown by the spacing")
        #expect(due(4_100, after: 15_000), "the log restarted and is past the threshold again")
        #expect(!due(3_000, after: 15_000), "restarted, below the threshold")
        #expect(
            WALCheckpointer.isDue(frames: 4_001, lastStart: 4_000, threshold: 4_000, spacing: 0),
            "no spacing: back to back")
    }
}
