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
    static func writeNotes(backgroundFrames: Int, writerFrames: Int) async throws
        -> (path: String, pool: DatabasePool, checkpointer: WALCheckpointer, sizeBefore: Int)
    {
        let path = try databasePath()
        let pool = try DatabasePool(path: path)
        let checkpointer = try WALCheckpointer(
            path: path, configuration: Configuration(), backgroundFrames: backgroundFrames, writerFrames: writerFrames)
        try await pool.writeWithoutTransaction { db in
            checkpointer.install(on: db)
            try db.execute(sql: "CREATE TABLE notes (text TEXT NOT NULL)")
        }
        let before = fileSize(path)
        for index in 0..<120 {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO notes (text) VALUES (?)",
                    arguments: [String(repeating: "note \(index) ", count: 400)])
            }
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
}
