import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

@testable import DebriefStoreSQLite

/// The SQLite job queue's own entry points: the in-transaction enqueue other SQLite writes use (the contract
/// every backend shares is in DebriefStoreContractTests).
@Suite("JobQueue in SQLite transactions")
struct SQLiteJobQueueTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    func newJob(key: String) -> NewJob {
        NewJob(
            kind: "nudge.send", parameters: Data("{}".utf8), runAt: t0, dedupeKey: key, bucket: "slack:T0001",
            maxAttempts: 3)
    }

    @Test("jobs enqueued inside a caller's transaction commit or roll back with it", arguments: SQLiteFlavour.allCases)
    func enqueueInTransaction(flavour: SQLiteFlavour) async throws {
        struct Refused: Error {}
        let (store, cleanup) = try flavour.open()
        defer { cleanup() }
        try await store.migrate()
        try await store.migrate()  // idempotent
        let alice = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U0001")
        let alicePseudonym = Pseudonym(rawValue: "p_alice")
        let jobs = [newJob(key: "nudge:p_alice:t1:s1"), newJob(key: "nudge:p_alice:t1:s2")]
        let t0 = self.t0
        await #expect(throws: StoreError.self) {
            try await store.perform { db in
                try SQLiteStore.upsertPerson(db, alice, pseudonym: alicePseudonym, at: t0, keys: store.keyring.keys(db))
                _ = try SQLiteStore.enqueue(jobs, in: db, keyring: store.keyring)
                throw Refused()
            }
        }
        #expect(try await store.queueDepth(now: t0).isEmpty)
        #expect(try await store.preferences(of: alicePseudonym) == nil)

        let inserted = try await store.perform { db in
            try SQLiteStore.upsertPerson(db, alice, pseudonym: alicePseudonym, at: t0, keys: store.keyring.keys(db))
            return try SQLiteStore.enqueue(jobs, in: db, keyring: store.keyring)
        }
        #expect(inserted == 2)
        #expect(try await store.queueDepth(now: t0)["nudge.send"]?.pendingDue == 2)
        #expect(try await store.preferences(of: alicePseudonym) != nil)
    }

    @Test("the contract suites cut job errors at the length the SQLite store does")
    func errorLengthAgrees() {
        for flavour in SQLiteFlavour.allCases {
            #expect(StoreBackend.sqlite(flavour).maximumJobErrorLength == SQLiteStore.maximumJobErrorLength)
        }
    }
}
