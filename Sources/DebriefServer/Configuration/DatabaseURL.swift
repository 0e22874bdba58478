import DebriefStore
import DebriefStorePostgres
import DebriefStoreSQLite
import Foundation

/// Where the data lives, parsed from `DEBRIEF_DATABASE_URL`.
///
/// Accepted forms: a bare path (`debrief.sqlite`, relative to the working directory), `sqlite:///abs/path.sqlite`,
/// `sqlite://relative.sqlite`, `sqlite::memory:`, and `postgres://user:password@host:5432/db?sslmode=…` (or
/// `postgresql://…`) for the PostgreSQL store that several replicas share.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    /// Parsed when the configuration is read, so a wrong port or sslmode stops the start with the key's name.
    case postgres(PostgresConnectionSettings)

    public static let defaultValue = DatabaseURL.sqliteFile(path: "debrief.sqlite")

    /// PostgreSQL connections per replica unless `DEBRIEF_DATABASE_POOL` says otherwise.
    public static let defaultPoolSize = PostgresConnectionSettings.defaultPoolSize

    /// The same database with a pool of `size` connections (PostgreSQL only; SQLite has one writer).
    func withPool(size: Int) -> DatabaseURL {
        guard case .postgres(var settings) = self else { return self }
        settings.poolSize = size
        return .postgres(settings)
    }

    public init(parsing raw: String, workingDirectory: String = FileManager.default.currentDirectoryPath)
        throws(ConfigurationError)
    {
        let value = raw.trimmingCharacters(in: .whitespaces)
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        }
        if value.isEmpty {
            throw .invalid(
                key: ConfigurationKey.databaseURL.environmentName,
                reason: "is empty; leave it unset for the default debrief.sqlite")
        } else if value == "sqlite::memory:" || value == "sqlite://:memory:" {
            self = .sqliteMemory
        } else if value.hasPrefix("sqlite://") {
            let path = String(value.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw .invalid(
                    key: ConfigurationKey.databaseURL.environmentName, reason: "has no file path after sqlite://")
            }
            self = .sqliteFile(path: absolute(path))
        } else if value.hasPrefix("sqlite:") {
            self = .sqliteFile(path: absolute(String(value.dropFirst("sqlite:".count))))
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            do {
                self = .postgres(try PostgresConnectionSettings(url: value))
            } catch {
                throw .invalid(key: ConfigurationKey.databaseURL.environmentName, reason: error.reason)
            }
        } else if value.contains("://") {
            throw .invalid(
                key: ConfigurationKey.databaseURL.environmentName,
                reason: "uses an unknown scheme; use sqlite:///path.sqlite, sqlite::memory: or postgres://…")
        } else {
            self = .sqliteFile(path: absolute(value))
        }
    }

    /// Without credentials, for logs.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let settings): settings.description
        }
    }

    /// Opens the store this URL names, sealing platform identifiers with keys derived from `pseudonymKey`.
    public func openStore(pseudonymKey: PseudonymKeySource) throws -> any DebriefDataStore {
        switch self {
        case .sqliteFile(let path): try SQLiteStore(location: .file(path: path), pseudonymKey: pseudonymKey)
        case .sqliteMemory: try SQLiteStore(location: .inMemory, pseudonymKey: pseudonymKey)
        case .postgres(let settings): try PostgresStore(settings: settings, pseudonymKey: pseudonymKey)
        }
    }
}

extension StoreError {
    /// The message without the "invalid database configuration:" prefix, for a configuration error that names
    /// the key itself.
    var reason: String {
        if case .invalidConfiguration(let reason) = self { return reason }
        return description
    }
}
