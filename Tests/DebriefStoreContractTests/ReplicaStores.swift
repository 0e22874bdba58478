import DebriefStore
import DebriefStorePostgres
import DebriefStoreTestSupport
import Foundation

/// The stores that share one database in a test, as the replicas of a deployment do.
///
/// Why: a promise such as "exactly one claimer wins" must hold between replicas, not only between tasks of one
/// process. PostgreSQL is the backend for several replicas, so it gets two stores (two connection pools) on one
/// scratch database; an SQLite file is owned by one process, so SQLite gets its one store.
struct ReplicaStores {
    /// One or two stores on the same data; every test uses them all.
    let stores: [any StoreUnderTest]
    /// Where the PostgreSQL replicas' database is (to open yet another store on it); nil for SQLite.
    let postgresSettings: PostgresConnectionSettings?
    private let closeAll: @Sendable () async -> Void

    /// The store of replica `index`, round robin over ``stores``.
    func replica(_ index: Int) -> any StoreUnderTest { stores[index % stores.count] }

    /// Opens the replicas of `backend`, runs `body` with them and closes them (and drops PostgreSQL's scratch
    /// database) whether `body` passes or throws.
    static func with<Result: Sendable>(
        _ backend: StoreBackend, _ body: (ReplicaStores) async throws -> Result
    ) async throws -> Result {
        let replicas = try await open(backend)
        do {
            let result = try await body(replicas)
            await replicas.closeAll()
            return result
        } catch {
            await replicas.closeAll()
            throw error
        }
    }

    private static func open(_ backend: StoreBackend) async throws -> ReplicaStores {
        guard backend.name == StoreBackend.postgres?.name, let server = StoreBackend.postgresServer else {
            // SQLite: the store the backend's cleanup trait removes.
            return ReplicaStores(stores: [try await backend.makeStore()], postgresSettings: nil, closeAll: {})
        }
        let database = try await PostgresScratchDatabase.create(on: server)
        do {
            let first = try PostgresStore(settings: database.settings)
            let second = try PostgresStore(settings: database.settings)
            do {
                // Both migrate at once, as replicas starting together do.
                async let migrated: Void = first.migrate()
                try await second.migrate()
                try await migrated
            } catch {
                first.close()
                second.close()
                throw error
            }
            return ReplicaStores(stores: [first, second], postgresSettings: database.settings) {
                first.close()
                second.close()
                await database.drop()
            }
        } catch {
            await database.drop()
            throw error
        }
    }
}
