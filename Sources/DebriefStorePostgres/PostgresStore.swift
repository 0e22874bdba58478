import DebriefCore
import DebriefStore
import Foundation
import Logging
import PostgresNIO

/// The store for organisations that run several replicas: PostgreSQL through postgres-nio's connection pool.
///
/// The same contract as the SQLite store, proven by the same contract suites. Every method is one transaction
/// (READ COMMITTED, PostgreSQL's default; the places where two replicas could race use row locks, `ON CONFLICT` or
/// `FOR UPDATE SKIP LOCKED`, never a read-then-write that assumes it is alone). Deadlocks and serialization
/// failures are retried a few times: another replica's transaction won, nothing went wrong.
///
/// Privacy at rest is the SQLite store's: platform identifiers are sealed with keys derived from the pseudonym key
/// (``PostgresKeyring``), by the same `IdentifierSealer` and the same contexts, so a database copied from SQLite
/// (`debrief migrate --from`) opens with the same key. Deleted rows are gone for every query at once; PostgreSQL
/// reclaims their space at the next vacuum, which an operator schedules (the README says so).
///
/// Its lifetime is the process's: the pool runs until ``close()`` (commands that end simply exit).
public struct PostgresStore: Store {
    let client: PostgresClient
    let keyring: PostgresKeyring
    let settings: PostgresConnectionSettings
    let logger: Logger
    /// Runs the pool (postgres-nio's `PostgresClient.run()` must run for as long as queries are made).
    private let poolRun: PoolRun

    /// Connects lazily: opening never fails for an unreachable server; the first query (``migrate()``,
    /// ``checkHealth()``) reports it.
    public init(
        settings: PostgresConnectionSettings, pseudonymKey: PseudonymKeySource = .keptInDatabase,
        logger: Logger = Logger(label: "debrief.store.postgres")
    ) throws(StoreError) {
        self.settings = settings
        self.logger = logger
        client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: Self.quiet)
        keyring = PostgresKeyring(source: pseudonymKey)
        poolRun = PoolRun(client: client)
    }

    /// Closes the pool: waits for nothing, fails queries that come after.
    public func close() {
        poolRun.stop()
    }

    public func checkHealth() async throws(StoreError) {
        try await read { connection in
            try await connection.execute("SELECT 1")
        }
    }

    public func pseudonymKey() async throws(StoreError) -> String {
        try await read { connection in try await keyring.keys(connection).pseudonymKey }
    }

    // MARK: - Plumbing

    /// Runs `work` in one read-write transaction on a pooled connection, retrying when PostgreSQL chose it as a
    /// deadlock victim or a serialization failure (another replica's transaction won; trying again is correct).
    func write<T: Sendable>(
        _ work: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        try await transaction(begin: "BEGIN", work)
    }

    /// Runs `work` in one read-only transaction (one snapshot for every statement in it).
    func read<T: Sendable>(
        _ work: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work)
    }

    /// Runs `work` outside an explicit transaction: each statement commits on its own. For a single statement that
    /// does everything (one round trip instead of three); retried like ``write(_:)``.
    func autocommit<T: Sendable>(
        _ work: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in try await work(connection) }
            } catch let error as StoreError {
                throw error
            } catch {
                if PostgresErrors.isRetryable(error), attempt < 4 { continue }
                throw PostgresErrors.map(error)
            }
        }
    }

    private func transaction<T: Sendable>(
        begin: String, _ work: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.execute(PostgresQuery(unsafeSQL: begin))
                    do {
                        let result = try await work(connection)
                        try await connection.execute("COMMIT")
                        return result
                    } catch {
                        try? await connection.execute("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as StoreError {
                throw error
            } catch {
                let mapped = PostgresErrors.map(error)
                if PostgresErrors.isRetryable(error), attempt < 4 { continue }
                throw mapped
            }
        }
    }

    /// Logs nothing: queries carry sealed values and pseudonyms, and the driver's own messages are not written for
    /// operators. Failures reach the operator as ``StoreError``s instead.
    static let quiet = Logger(label: "debrief.store.postgres.driver", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// The pool's run loop, started when the store is made and stopped by ``PostgresStore/close()``.
///
/// Why a task owned here rather than a service in the server's group: every command (`migrate`, `jobs`, `digest`,
/// `serve`) opens the store the same way and needs the pool at once; the pool lives exactly as long as the store.
final class PoolRun: Sendable {
    private let task: Task<Void, Never>

    init(client: PostgresClient) {
        task = Task { await client.run() }
    }

    func stop() { task.cancel() }

    deinit { task.cancel() }
}

/// What a PostgreSQL failure means to an operator, without the password (postgres-nio never puts it in an error)
/// and without the statement's parameters.
enum PostgresErrors {
    static func map(_ error: any Error) -> StoreError {
        guard let error = error as? PSQLError else {
            return .unexpected(String(describing: type(of: error)))
        }
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? state
            switch state {
            case let s where s.hasPrefix("23"): return .constraintViolated(message)
            // Data exceptions: a value PostgreSQL cannot store as given (a NUL in an id, a number out of range).
            // Free text is made storable before it gets here (`StoredText`); anything else is the caller's input.
            case let s where s.hasPrefix("22"): return .constraintViolated("a value cannot be stored (\(state))")
            case "28P01", "28000": return .unavailable("PostgreSQL refused the credentials (\(message))")
            case "3D000": return .unavailable("the database does not exist (\(message))")
            case "57P01", "57P02", "57P03", "53300", "08006", "08001", "08004":
                return .unavailable("PostgreSQL is not accepting work (\(message))")
            case let s where s.hasPrefix("53"): return .unavailable("PostgreSQL is out of resources (\(message))")
            default: return .unexpected("PostgreSQL error \(state): \(message)")
            }
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            return .unavailable("cannot reach PostgreSQL (\(describe(error.underlying)))")
        case .sslUnsupported:
            return .unavailable("the PostgreSQL server does not offer TLS, but sslmode asks for it")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return .unavailable("PostgreSQL authentication failed (\(error.code))")
        default:
            return .unexpected("PostgreSQL: \(error.code)")
        }
    }

    /// Deadlock victims and serialization failures: the transaction may simply run again.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// The kind of a connect failure (refused, timed out, name not found), never an address with credentials.
    static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "no further detail" }
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("timeout") || text.contains("Timeout") {
            return "connect timeout"
        }
        if text.contains("refused") || text.contains("Refused") { return "connection refused" }
        if text.contains("NXDOMAIN") || text.contains("resolve") || text.contains("Resolution") {
            return "host name not found"
        }
        return String(describing: type(of: error))
    }
}
