import DebriefStore
import DebriefStorePostgres
import DebriefStoreTestSupport
import Foundation
import Testing

/// What only PostgreSQL has: several replicas migrating one database at once, and telling an operator why a
/// connection failed. Runs when `DEBRIEF_TEST_POSTGRES_URL` names a server (CI starts one).
@Suite("PostgreSQL migrations and connections", .enabled(if: StoreBackend.postgresServer != nil))
struct PostgresMigrationTests {
    /// The SQLite store's migration identifiers, in order: both databases say the same thing about their schema.
    static let sqliteIdentifiers = [
        "v1-people-reflections", "v2-jobs", "v3-trainings", "v4-digests", "v5-digest-indexes",
        "v6-encrypted-addresses", "v7-digest-releases", "v8-platform-channels", "v9-leader-responses",
        "v10-question-answers",
        "v11-ideas",
        "v12-habits",
        "v13-ideas-consented-index",
        "v14-idea-contributors-index",
    ]

    @Test("replicas starting together migrate once, under the lock, and agree on one kept pseudonym key")
    func concurrentMigrations() async throws {
        let server = try #require(StoreBackend.postgresServer)
        let database = try await PostgresScratchDatabase.create(on: server)
        let stores = try (0..<4).map { _ in try PostgresStore(settings: database.settings) }
        defer { for store in stores { store.close() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { try await store.migrate() } }
            try await group.waitForAll()
        }
        var keys: Set<String> = []
        for store in stores {
            // `appliedMigrations` lists identifiers in the order they are applied ("v2-…" before "v10-…").
            #expect(try await store.appliedMigrations() == Self.sqliteIdentifiers)
            keys.insert(try await store.pseudonymKey())
        }
        #expect(keys.count == 1, "every replica seals with the same kept key")
        await database.drop()
    }

    @Test("a database migrated by a newer Debrief is refused, naming the unknown migration")
    func newerSchemaRefused() async throws {
        let server = try #require(StoreBackend.postgresServer)
        let database = try await PostgresScratchDatabase.create(on: server)
        let store = try PostgresStore(
            settings: database.settings, pseudonymKey: .configured("k" + String(repeating: "0", count: 31)))
        defer { store.close() }
        try await store.migrate()
        try await store.recordFutureMigrationForTests("v99-from-the-future")
        await #expect {
            try await store.migrate()
        } throws: { error in
            "\(error)".contains("v99-from-the-future") && "\(error)".contains("newer Debrief")
        }
        await database.drop()
    }

    @Test("a failed connection says why: refused, no such database, rejected credentials")
    func connectionProblems() async throws {
        let server = try #require(StoreBackend.postgresServer)
        var refused = server
        refused.port = 1
        await #expect(throws: PostgresConnectionProblem.refused("127.0.0.1:1/\(server.database)")) {
            try await PostgresStore.checkConnection(refused)
        }
        let missing = server.with(database: "debrief_no_such_database")
        await #expect(
            throws: PostgresConnectionProblem.databaseMissing("\(server.host):\(server.port)/debrief_no_such_database")
        ) {
            try await PostgresStore.checkConnection(missing)
        }
        var stranger = server
        stranger.username = "debrief_no_such_role"
        await #expect(
            throws: PostgresConnectionProblem.credentialsRejected("\(server.host):\(server.port)/\(server.database)")
        ) {
            try await PostgresStore.checkConnection(stranger)
        }
        try await PostgresStore.checkConnection(server)
    }
}
