import DebriefCore
import DebriefStore
import Foundation
import GRDB

/// A SQLite installation read table by table, for copying it into PostgreSQL (`debrief migrate --from … --to …`).
///
/// Why its own reader rather than the store: the copy must never change the source (it is the operator's way back),
/// so the file is opened read-only — no migration, no kept key created, no checkpoint (SQLite only adds the empty
/// `-wal` and `-shm` files a WAL database is read through, when they are missing) — and everything is read in one
/// read transaction, so the counts and rows it reports belong to one state of the file even if a forgotten server
/// still writes to it. Values come out byte for byte: text is read as its stored bytes (not through C strings), and
/// sealed identifiers are the stored blobs, which open in the target with the same pseudonym key because they are
/// bound to pseudonyms, nudge, job and training ids the copy keeps.
public final class SQLiteTableExport: StoreTableSource {
    /// Every table of the final schema, each after the tables it refers to (foreign keys in the target hold at
    /// every insert).
    public static let copiedTables = [
        "people", "delivery_addresses", "reflections", "inbound_deliveries", "instance_secrets",
        "installation_events", "jobs", "trainings", "training_participants", "nudge_sends", "digests",
        "digest_releases", "platform_channels", "leader_responses",
        "question_answers", "idea_marks", "habits", "habit_prompts",
    ]

    /// SQLite's own tables that are not copied, and why (the command prints this).
    public static let tablesNotCopied: [(table: String, reason: String)] = [
        (
            "reflections_fts",
            "the full-text index of reflections (SQLite FTS5); the target indexes the copied reflections itself"
        ),
        ("reflections_fts_config", "part of the SQLite full-text index"),
        ("reflections_fts_data", "part of the SQLite full-text index"),
        ("reflections_fts_docsize", "part of the SQLite full-text index"),
        ("reflections_fts_idx", "part of the SQLite full-text index"),
        ("grdb_migrations", "SQLite's record of applied migrations; the target keeps its own (schema_migrations)"),
        (
            "sqlite_sequence",
            "SQLite's AUTOINCREMENT counters; the target's id sequences of jobs and installation_events continue "
                + "after them"
        ),
    ]

    public var tables: [String] { Self.copiedTables }

    private let queue: DatabaseQueue

    /// Opens the file read-only and starts the read transaction every later read belongs to.
    public init(path: String) throws(StoreCopyError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .sourceMissing("no file at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        // The one read transaction spans the whole copy, across accesses (GRDB refuses that unless asked).
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(5)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { db in
                try db.execute(sql: "BEGIN DEFERRED TRANSACTION")
                // A deferred transaction takes its snapshot at its first read; this is it.
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
            }
        } catch {
            throw .sourceMissing("\(path) is not a readable SQLite database (\(SQLiteStore.describe(error)))")
        }
    }

    /// Ends the read transaction (the connection closes when the export is released).
    public func close() {
        try? queue.inDatabase { db in
            if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        }
    }

    // MARK: - Checks before the copy

    /// Refuses a source this version cannot copy whole: migrations missing (run `debrief migrate` on it first, which
    /// this reader never does), migrations of a newer Debrief, or a table it does not know.
    public func checkCopyable() async throws(StoreCopyError) {
        let known = SQLiteMigrations.migrator(keyring: SQLiteKeyring(source: .keptInDatabase)).migrations
        let (applied, present) = try await access { db in
            let applied: [String] =
                try db.tableExists("grdb_migrations")
                ? String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") : []
            let present = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            return (applied, present)
        }
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw .sourceNewer(unknown: unknown) }
        let missing = known.filter { !applied.contains($0) }
        guard missing.isEmpty else { throw .sourceNotMigrated(missing: missing) }
        let accounted = Set(Self.copiedTables + Self.tablesNotCopied.map(\.table))
        if let table = present.sorted().first(where: { !accounted.contains($0) }) {
            throw .unknownTable(table)
        }
    }

    /// The pseudonym key the copy keeps: the configured one (`DEBRIEF_PSEUDONYM_KEY`), else the one the source keeps.
    ///
    /// Why it is checked: pseudonyms are keyed hashes of platform ids and the sealed identifiers open only with the
    /// key they were sealed with, so a target run with another key would lose everyone. One sealed value of the
    /// source (a delivery address, else a nudge channel, job identifiers, a resolution report) must open with it.
    public func pseudonymKeyForCopy(configured: String?) async throws(StoreCopyError) -> String {
        let kept = try await access { db in try SQLiteKeyring.keptKey(db) }
        guard let key = configured ?? kept else { throw .noPseudonymKey }
        guard try await sealedValueOpens(withPseudonymKey: key) != false else {
            throw .pseudonymKeyDoesNotOpen(configured: configured != nil)
        }
        return key
    }

    /// Whether the source keeps a pseudonym key of its own (in `instance_secrets`, copied with the rest).
    public func keepsPseudonymKey() async throws(StoreCopyError) -> Bool {
        try await access { db in try SQLiteKeyring.keptKey(db) != nil }
    }

    /// Whether the first sealed value of the source opens with the key; nil when the source holds none.
    func sealedValueOpens(withPseudonymKey key: String) async throws(StoreCopyError) -> Bool? {
        let keys = SQLiteKeyring.Keys(pseudonymKey: key)
        return try await access { db -> Bool? in
            if let row = try Row.fetchOne(db, sql: "SELECT pseudonym, address FROM delivery_addresses LIMIT 1") {
                return Self.opens {
                    try SQLiteStore.openAddress(row["address"], of: Pseudonym(rawValue: row["pseudonym"]), keys: keys)
                }
            }
            if let row = try Row.fetchOne(db, sql: "SELECT id, channel FROM nudge_sends LIMIT 1") {
                return Self.opens { try SQLiteStore.openChannel(row["channel"], nudgeID: row["id"], keys: keys) }
            }
            if let row = try Row.fetchOne(
                db, sql: "SELECT id, identifiers FROM jobs WHERE identifiers IS NOT NULL LIMIT 1")
            {
                return Self.opens { try SQLiteStore.openIdentifiers(row["identifiers"], jobID: row["id"], keys: keys) }
            }
            if let row = try Row.fetchOne(
                db, sql: "SELECT id, resolution_report FROM trainings WHERE resolution_report IS NOT NULL LIMIT 1")
            {
                return Self.opens {
                    try SQLiteStore.openReport(row["resolution_report"], trainingID: row["id"], keys: keys)
                }
            }
            return nil
        }
    }

    private static func opens(_ open: () throws -> some Any) -> Bool {
        (try? open()) != nil
    }

    // MARK: - StoreTableSource

    public func columns(of table: String) async throws(StoreError) -> [String] {
        try Self.requireKnown(table)
        return try await read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
        }
    }

    public func rowCount(of table: String) async throws(StoreError) -> Int {
        try Self.requireKnown(table)
        return try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(Self.quoted(table))") ?? 0 }
    }

    public func highestIssuedID(of table: String) async throws(StoreError) -> Int64? {
        try await read { db in
            guard try db.tableExists("sqlite_sequence") else { return nil }
            return try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table])
        }
    }

    /// Pages through the table by `rowid` (every Debrief table has one), so memory holds one batch at a time.
    ///
    /// Text is selected as its stored bytes next to its storage class: GRDB reads text through C strings, which
    /// would cut a value at a NUL byte and repair invalid UTF-8 silently; here such text is found and named instead.
    public func rows(
        of table: String, columns: [String], batchSize: Int, _ body: ([[StoreValue]]) async throws -> Void
    ) async throws {
        let present = try await self.columns(of: table)
        if let unknown = columns.first(where: { !present.contains($0) }) {
            throw StoreError.unexpected("\(table) has no column \(unknown)")
        }
        let selected = columns.map { column in
            let name = Self.quoted(column)
            return "typeof(\(name)), CASE WHEN typeof(\(name)) = 'text' THEN CAST(\(name) AS BLOB) ELSE \(name) END"
        }
        let sql =
            "SELECT rowid, \(selected.joined(separator: ", ")) FROM \(Self.quoted(table)) "
            + "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        let limit = max(1, batchSize)
        var after = Int64.min
        while true {
            let start = after
            let page: (last: Int64, rows: [[StoreValue]])?
            do {
                page = try await queue.writeWithoutTransaction { db in
                    let fetched = try Row.fetchAll(db, sql: sql, arguments: [start, limit])
                    guard let last = fetched.last else { return nil }
                    let rows = try fetched.map { row in
                        try columns.indices.map { index in
                            try Self.value(row, at: 1 + 2 * index, table: table, column: columns[index])
                        }
                    }
                    return (last[0], rows)
                }
            } catch let error as StoreCopyError {
                throw error
            } catch {
                throw StoreError.unexpected("reading the SQLite source: \(SQLiteStore.describe(error))")
            }
            guard let page else { return }
            try await body(page.rows)
            guard page.rows.count == limit else { return }
            after = page.last
        }
    }

    /// The value at `index` (its storage class at `index`, the value after it), text decoded from its bytes.
    private static func value(_ row: Row, at index: Int, table: String, column: String) throws -> StoreValue {
        let storage: String = row[index]
        let value: DatabaseValue = row[index + 1]
        switch value.storage {
        case .null:
            return .null
        case .int64(let integer):
            return .integer(integer)
        case .double(let real):
            return .real(real)
        case .string(let text):
            return .text(text)
        case .blob(let data):
            guard storage == "text" else { return .blob(data) }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw StoreCopyError.valueDoesNotFit(
                    table: table, column: column, found: "text that is not valid UTF-8", expected: "UTF-8 text")
            }
            return .text(text)
        }
    }

    // MARK: - Plumbing

    private static func requireKnown(_ table: String) throws(StoreError) {
        guard copiedTables.contains(table) else { throw StoreError.unexpected("\(table) is not a copied table") }
    }

    /// A name as an SQL identifier (names come from the fixed list and from the file's own schema).
    private static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs `work` on the connection, inside the one read transaction opened by `init`.
    private func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await queue.writeWithoutTransaction(work)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unexpected("reading the SQLite source: \(SQLiteStore.describe(error))")
        }
    }

    private func access<T: Sendable>(
        _ work: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreCopyError) -> T {
        do {
            return try await read(work)
        } catch {
            throw .store(error)
        }
    }
}
