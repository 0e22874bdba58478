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

    /// Polls for an effect that must appear (a background checkpoint), returning as soon as it does.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("past its threshold the log reaches the database file without a checkpoint on the writer")
    func background() async throws {
        let path = try Self.databasePath()
        let pool = try DatabasePool(path: path)
        // The writer's backstop is far away, and SQLite's own auto-checkpoint (1,000 frames) is replaced: only
        // the background connection can move these few hundred frames into the file.
        let checkpointer = try WALCheckpointer(
            path: path, configuration: Configuration(), backgroundFrames: 50, writerFrames: 1_000_000)
        try await pool.writeWithoutTransaction { db in
            checkpointer.install(on: db)
            try db.execute(sql: "CREATE TABLE notes (text TEXT NOT NULL)")
        }
        let before = Self.fileSize(path)
        for index in 0..<120 {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO notes (text) VALUES (?)",
                    arguments: [String(repeating: "note \(index) ", count: 400)])
            }
        }
        #expect(try await Self.eventually { Self.fileSize(path) > before + 200_000 }, "the notes reached the file")
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 120)
        withExtendedLifetime(checkpointer) {}
    }

    @Test("the writer still checkpoints itself at its backstop")
    func backstop() async throws {
        let path = try Self.databasePath()
        let pool = try DatabasePool(path: path)
        // At the backstop the writer checkpoints in the committing call, before any background checkpoint.
        let checkpointer = try WALCheckpointer(
            path: path, configuration: Configuration(), backgroundFrames: 40, writerFrames: 40)
        try await pool.writeWithoutTransaction { db in
            checkpointer.install(on: db)
            try db.execute(sql: "CREATE TABLE notes (text TEXT NOT NULL)")
        }
        let before = Self.fileSize(path)
        for index in 0..<120 {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO notes (text) VALUES (?)",
                    arguments: [String(repeating: "note \(index) ", count: 400)])
            }
        }
        // Synchronous: by the time the last write returned, the writer had copied the log at least once.
        #expect(Self.fileSize(path) > before + 200_000)
        withExtendedLifetime(checkpointer) {}
    }
}
