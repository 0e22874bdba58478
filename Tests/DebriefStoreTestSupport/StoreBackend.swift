import DebriefStore
import DebriefStorePostgres
import DebriefStoreSQLite
import Foundation

/// Everything a Debrief store implements: what the server opens and what the contract suites exercise.
///
/// The same composition as `DebriefServer.DebriefDataStore`, spelled here so the store tests need not import the
/// server.
public typealias StoreUnderTest = Store & JobQueue & TrainingStore & DigestStore & ReleaseStore & ChannelStore
    & ResponseStore
    & QuestionAnswerStore & IdeaStore & HabitStore

/// One store implementation the contract suites run against.
///
/// Why: every behaviour promised by the protocols in `DebriefStore` must hold for every backend. The suites in
/// `DebriefStoreContractTests` take `arguments: StoreBackend.all`; a new backend (PostgreSQL, issue #12) joins
/// them by adding one value to ``all``, without touching a suite.
public struct StoreBackend: Sendable {
    /// Shown in test output next to each case, e.g. `sqlite-file`.
    public let name: String
    /// How long a stored job error may be before the store cuts it (`JobQueue.failJob` cuts "long texts").
    public let maximumJobErrorLength: Int
    private let open: @Sendable () async throws -> OpenedStore

    /// A store opened on fresh, empty storage and the function that removes that storage again.
    public struct OpenedStore: Sendable {
        public let store: any StoreUnderTest
        public let cleanup: @Sendable () async -> Void

        public init(store: any StoreUnderTest, cleanup: @escaping @Sendable () async -> Void) {
            self.store = store
            self.cleanup = cleanup
        }
    }

    public init(
        name: String, maximumJobErrorLength: Int, open: @escaping @Sendable () async throws -> OpenedStore
    ) {
        self.name = name
        self.maximumJobErrorLength = maximumJobErrorLength
        self.open = open
    }

    /// A new, empty store, migrated twice (migrations must be idempotent). Its storage is removed after the test
    /// when the test runs under the ``StoreCleanup`` trait (`.cleansUpStores`); otherwise it stays, as a
    /// temporary file does.
    public func makeStore() async throws -> any StoreUnderTest {
        let opened = try await open()
        StoreScratch.current?.add(opened.cleanup)
        try await opened.store.migrate()
        try await opened.store.migrate()  // idempotent
        return opened.store
    }

    /// Every backend the contract suites run against on this machine.
    ///
    /// SQLite always, in memory and in a file (WAL, a pool of readers); PostgreSQL when `DEBRIEF_TEST_POSTGRES_URL`
    /// names a server (`.ci/run` starts one; `.ci/postgres start DIR` does it by hand).
    public static var all: [StoreBackend] {
        SQLiteFlavour.allCases.map(StoreBackend.sqlite) + (postgres.map { [$0] } ?? [])
    }

    /// The PostgreSQL server the tests may use, from `DEBRIEF_TEST_POSTGRES_URL` (a URL of its maintenance
    /// database, e.g. `postgres://debrief@127.0.0.1:54329/postgres?sslmode=disable`); nil when unset.
    public static var postgresServer: PostgresConnectionSettings? {
        guard let url = ProcessInfo.processInfo.environment["DEBRIEF_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return try? PostgresConnectionSettings(url: url, poolSize: 4)
    }

    /// PostgreSQL, each store in a database of its own created for it and dropped after the test.
    public static var postgres: StoreBackend? {
        guard let server = postgresServer else { return nil }
        return StoreBackend(name: "postgres", maximumJobErrorLength: PostgresStore.maximumJobErrorLength) {
            let database = try await PostgresScratchDatabase.create(on: server)
            let store = try PostgresStore(settings: database.settings)
            return OpenedStore(store: store) {
                store.close()
                await database.drop()
            }
        }
    }

    /// The embedded SQLite store in one of its two flavours.
    public static func sqlite(_ flavour: SQLiteFlavour) -> StoreBackend {
        // SQLiteStore.maximumJobErrorLength (internal); DebriefStoreSQLiteTests checks the two agree.
        StoreBackend(name: "sqlite-\(flavour.rawValue)", maximumJobErrorLength: 500) {
            let (store, cleanup) = try flavour.open()
            return OpenedStore(store: store, cleanup: cleanup)
        }
    }
}
