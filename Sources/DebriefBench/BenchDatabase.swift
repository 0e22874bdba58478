import DebriefServer
import DebriefStore
import DebriefStorePostgres
import DebriefStoreSQLite
import Foundation

/// The database one bench run's servers share, made fresh for the run and removed after it: a SQLite file in the
/// run's temporary directory, or a new database `debrief_bench_<random>` on a PostgreSQL server.
///
/// Why fresh every time: the benchmarks count what is in the database afterwards (every acknowledged reflection
/// stored, every nudge recorded once), which only means something in a database the run alone wrote to. Why a
/// database of its own on PostgreSQL rather than the one in the URL: the URL names a server an operator gave the
/// bench (usually its maintenance database `postgres`), which the bench must not fill or drop.
struct BenchDatabase: Sendable {
    enum Location: Sendable {
        case sqlite(path: String)
        /// `server` names the maintenance database the bench was given; `settings` the run's own database.
        case postgres(server: PostgresConnectionSettings, settings: PostgresConnectionSettings, url: String)
    }

    let location: Location

    /// What the report header says: the backend and where, without a password.
    var backend: String {
        switch location {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(_, let settings, _): "PostgreSQL \(settings.description)"
        }
    }

    /// Short name of the backend for side-by-side tables.
    var backendName: String {
        switch location {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// `DEBRIEF_DATABASE_URL` for the servers (with the password, if the bench was given one).
    var url: String {
        switch location {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(_, _, let url): url
        }
    }

    /// A fresh database: a SQLite file `<name>.sqlite` in `directory` when `option` is nil or a `sqlite` URL (its
    /// path is not used), else a new database on the PostgreSQL server that `option` names.
    static func create(option: String?, directory: URL, name: String) async throws -> BenchDatabase {
        guard let option, option.hasPrefix("postgres://") || option.hasPrefix("postgresql://") else {
            return BenchDatabase(location: .sqlite(path: directory.appendingPathComponent("\(name).sqlite").path))
        }
        let server = try PostgresConnectionSettings(url: option)
        let database =
            "debrief_bench_"
            + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            .prefix(12)
        try await PostgresDatabases.create(database, on: server)
        return BenchDatabase(
            location: .postgres(
                server: server, settings: server.with(database: database),
                url: try replacingDatabase(in: option, with: database)))
    }

    /// Checks `--database-url` before anything starts: nil, a `sqlite` URL, or a PostgreSQL URL that parses.
    static func validate(option: String?) throws {
        guard let option else { return }
        if option == "sqlite" || option.hasPrefix("sqlite:") { return }
        do {
            _ = try PostgresConnectionSettings(url: option)
        } catch {
            throw BenchServer.StartError(description: "--database-url: \(error)")
        }
    }

    /// `postgres://user:pw@host:port/OLD?params` with `OLD` replaced: the server's URL as given (password, sslmode
    /// and all), pointing at the run's database.
    static func replacingDatabase(in url: String, with database: String) throws -> String {
        guard let scheme = url.range(of: "://") else {
            throw BenchServer.StartError(description: "--database-url has no scheme")
        }
        let afterScheme = url[scheme.upperBound...]
        let query = afterScheme.firstIndex(of: "?") ?? url.endIndex
        guard let slash = afterScheme[..<query].firstIndex(of: "/") else {
            throw BenchServer.StartError(description: "--database-url names no database")
        }
        return String(url[..<slash]) + "/" + database + String(url[query...])
    }

    /// Opens the run's database the way the servers do (same pseudonym key), for reading the queue and counts.
    func open(pseudonymKey: String) throws -> BenchDatabaseReader {
        switch location {
        case .sqlite(let path):
            .sqlite(try SQLiteStore(location: .file(path: path), pseudonymKey: .configured(pseudonymKey)))
        case .postgres(_, let settings, _):
            .postgres(try PostgresStore(settings: settings, pseudonymKey: .configured(pseudonymKey)))
        }
    }

    /// Drops the PostgreSQL database (SQLite files go with the run's directory). Never throws: the report is what
    /// matters; a database left behind is named so it can be dropped by hand.
    func drop() async {
        guard case .postgres(let server, let settings, _) = location else { return }
        do {
            try await PostgresDatabases.drop(settings.database, on: server)
        } catch {
            print("warning: could not drop database \(settings.database): \(error)")
        }
    }

    /// The database's name on its server (PostgreSQL) or its file (SQLite), for `--keep`.
    var name: String {
        switch location {
        case .sqlite(let path): path
        case .postgres(_, let settings, _): settings.database
        }
    }
}

/// The bench's own connection to a run's database: the job queue's depth and table counts.
enum BenchDatabaseReader: Sendable {
    case sqlite(SQLiteStore)
    case postgres(PostgresStore)

    var queue: any JobQueue {
        switch self {
        case .sqlite(let store): store
        case .postgres(let store): store
        }
    }

    func reflections() async throws -> Int {
        switch self {
        case .sqlite(let store): try await store.count(table: .reflections)
        case .postgres(let store): try await store.count(table: .reflections)
        }
    }

    func close() {
        if case .postgres(let store) = self { store.close() }
    }
}
