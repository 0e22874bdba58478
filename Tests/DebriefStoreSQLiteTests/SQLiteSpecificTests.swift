import DebriefCore
import DebriefStore
import DebriefStoreSQLite
import DebriefTestSupport
import Foundation
import Testing

@Suite("SQLite specifics")
struct SQLiteSpecificTests {
    @Test("file databases run in WAL with synchronous=NORMAL, and data survives reopening")
    func durability() async throws {
        let path = ScratchDirectory.make("debrief-wal").appendingPathComponent("t.sqlite").path
        let store = try SQLiteStore(location: .file(path: path))
        try await store.migrate()
        #expect(try await store.synchronousMode() == 1)
        let person = Pseudonym(rawValue: "p_x")
        try await store.upsertPerson(
            DeliveryAddress(platform: .slack, workspace: "T", userID: "U"), pseudonym: person, at: Date())
        try await store.insertReflection(
            Reflection(id: "r", person: person, createdAt: Date(), source: .quick, text: "kept"))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try SQLiteStore(location: .file(path: path))
        #expect(try await reopened.reflection(id: "r", of: person)?.text == "kept")
    }

    @Test("an unwritable location is reported as unavailable")
    func unwritable() {
        #expect(throws: StoreError.self) {
            try SQLiteStore(location: .file(path: "/proc/debrief-cannot-write/x.sqlite"))
        }
    }
}
