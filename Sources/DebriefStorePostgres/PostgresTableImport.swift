import DebriefStore
import Foundation
import PostgresNIO

/// The tables an installation copied from another backend is written into, with each column's PostgreSQL type:
/// the conversions of `debrief migrate --from sqlite://… --to postgres://…`.
///
/// Why a list of its own rather than PostgreSQL's catalogue: a column added by a later migration must be added here
/// on purpose, with its conversion; until then the copy refuses (the source's columns differ) instead of guessing.
/// The types are those of ``PostgresMigrations``: times are seconds since 1970 in both databases, so a REAL becomes
/// a DOUBLE PRECISION unchanged; SQLite's 0/1 flag becomes a BOOLEAN; blobs (sealed identifiers, documents, job
/// parameters) become BYTEA byte for byte; ids are inserted as they are.
enum PostgresTableImport {
    /// A PostgreSQL column type a stored value is converted to.
    enum ColumnType: String, Sendable {
        case text = "TEXT"
        case bytea = "BYTEA"
        case double = "DOUBLE PRECISION"
        case bigint = "BIGINT"
        case integer = "INTEGER"
        case boolean = "BOOLEAN"
    }

    struct Table: Sendable {
        let name: String
        let columns: [(name: String, type: ColumnType)]
        /// An identity column whose sequence must continue after the copied ids.
        var identity: String?

        var columnNames: [String] { columns.map(\.name) }
    }

    /// Every Debrief table, parents before children.
    static let tables: [Table] = [
        Table(
            name: "people",
            columns: [
                ("pseudonym", .text), ("platform", .text), ("first_seen_on", .text), ("paused_until", .double),
                ("stopped", .boolean), ("time_zone", .text), ("role_level", .text), ("team", .text),
            ]),
        Table(name: "delivery_addresses", columns: [("pseudonym", .text), ("platform", .text), ("address", .bytea)]),
        Table(
            name: "reflections",
            columns: [
                ("id", .text), ("pseudonym", .text), ("created_on", .text), ("source", .text), ("text", .text),
                ("task_category", .text), ("tool", .text), ("outcome", .text), ("minutes_saved", .text),
                ("confidence", .integer), ("blockers", .text), ("consent", .text), ("training_id", .text),
                ("iso_week", .text),
            ]),
        Table(
            name: "inbound_deliveries",
            columns: [
                ("platform", .text), ("workspace", .text), ("delivery_id", .text), ("kind", .text),
                ("received_at", .double),
            ]),
        Table(name: "instance_secrets", columns: [("name", .text), ("value", .text)]),
        Table(
            name: "installation_events",
            columns: [
                ("id", .bigint), ("platform", .text), ("workspace", .text), ("kind", .text), ("occurred_at", .double),
            ],
            identity: "id"),
        Table(
            name: "jobs",
            columns: [
                ("id", .bigint), ("kind", .text), ("parameters", .bytea), ("state", .text), ("run_at", .double),
                ("attempts", .integer), ("max_attempts", .integer), ("dedupe_key", .text), ("bucket", .text),
                ("claimed_by", .text), ("claimed_until", .double), ("last_error", .text), ("identifiers", .bytea),
            ],
            identity: "id"),
        Table(
            name: "trainings",
            columns: [
                ("id", .text), ("workspace", .text), ("title", .text), ("topic", .text), ("ended_at", .double),
                ("sequence_id", .text), ("created_at", .double), ("unresolved_count", .integer),
                ("resolution_report", .bytea),
            ]),
        Table(name: "training_participants", columns: [("training_id", .text), ("pseudonym", .text)]),
        Table(
            name: "nudge_sends",
            columns: [
                ("id", .text), ("training_id", .text), ("pseudonym", .text), ("stage_id", .text), ("kind", .text),
                ("sent_at", .double), ("channel", .bytea), ("message_ts", .text), ("response", .text),
                ("responded_at", .double),
            ]),
        Table(
            name: "digests",
            columns: [
                ("id", .text), ("target", .text), ("week", .text), ("document", .bytea), ("created_at", .double),
                ("posting_started_at", .double), ("posted_at", .double), ("channel", .text), ("message_ts", .text),
            ]),
        Table(name: "digest_releases", columns: [("week", .text), ("release", .bytea), ("created_at", .double)]),
        Table(
            name: "platform_channels",
            columns: [
                ("platform", .text), ("workspace", .text), ("team_id", .text), ("channel_id", .text), ("name", .text),
                ("service_url", .text), ("updated_at", .double),
            ]),
        Table(
            name: "leader_responses",
            columns: [
                ("id", .text), ("pseudonym", .text), ("week", .text), ("text", .text), ("themes", .text),
                ("audience_teams", .text), ("created_at", .double),
            ]),
        Table(
            name: "question_answers",
            columns: [
                ("seq", .bigint), ("id", .text), ("pseudonym", .text), ("reflection_id", .text),
                ("question_id", .text), ("choice", .text), ("text", .text), ("consent", .text), ("iso_week", .text),
            ],
            identity: "seq"),
        Table(
            name: "idea_marks", columns: [("reflection_id", .text), ("pseudonym", .text), ("marked_week", .text)]),
        Table(
            name: "habits",
            columns: [
                ("pseudonym", .text), ("status", .text), ("interval_days", .integer), ("since", .double),
                ("leader_asks_stopped", .boolean),
            ]),
        Table(
            name: "habit_prompts",
            columns: [
                ("id", .text), ("pseudonym", .text), ("slot", .text), ("kind", .text), ("sent_at", .double),
                ("answer", .text), ("answered_at", .double),
            ]),
    ]

    /// Appends one row in `COPY … FROM STDIN` text format: fields separated by tabs, `\N` for NULL, a newline at
    /// the end; each value converted to its column's type, or the column named when it holds what cannot go there.
    static func appendRow(_ row: [StoreValue], of table: Table, to buffer: inout ByteBuffer) throws(StoreCopyError) {
        guard row.count == table.columns.count else {
            throw .store(
                .unexpected("a row of \(table.name) has \(row.count) values for \(table.columns.count) columns"))
        }
        for (index, (value, column)) in zip(row, table.columns).enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            try appendField(value, as: column.type, to: &buffer, table: table.name, column: column.name)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// One field in COPY text format. Texts are written as their UTF-8 bytes with backslash, newline, carriage
    /// return and tab escaped (the four characters COPY's text format gives a meaning); blobs as `\\x` and hex (the
    /// backslash of bytea's hex form escaped for COPY); reals in Swift's shortest form that reads back as the same
    /// double.
    static func appendField(
        _ value: StoreValue, as type: ColumnType, to buffer: inout ByteBuffer, table: String, column: String
    ) throws(StoreCopyError) {
        func refuse(_ found: String, expected: String) -> StoreCopyError {
            .valueDoesNotFit(table: table, column: column, found: found, expected: expected)
        }
        switch (type, value) {
        case (_, .null):
            buffer.writeString("\\N")
        case (.text, .text(let text)):
            // PostgreSQL's text cannot hold U+0000 (SQLite's can).
            guard !text.utf8.contains(0) else {
                throw refuse("text with a NUL character", expected: "text without NUL characters")
            }
            appendEscaped(text, to: &buffer)
        case (.bytea, .blob(let data)):
            appendHex(data, to: &buffer)
        case (.bytea, .text(let text)):
            // A BLOB column of SQLite may hold text; its bytes are the value.
            appendHex(Data(text.utf8), to: &buffer)
        case (.double, .real(let real)):
            buffer.writeString(doubleText(real))
        case (.double, .integer(let integer)):
            guard let real = Double(exactly: integer) else {
                throw refuse("an integer beyond 2^53", expected: "a number of seconds")
            }
            buffer.writeString(doubleText(real))
        case (.bigint, .integer(let integer)):
            buffer.writeString(String(integer))
        case (.integer, .integer(let integer)):
            guard let small = Int32(exactly: integer) else {
                throw refuse("an integer beyond 32 bits", expected: "an INTEGER")
            }
            buffer.writeString(String(small))
        case (.boolean, .integer(let flag)) where flag == 0 || flag == 1:
            buffer.writeString(flag == 1 ? "t" : "f")
        case (.boolean, _):
            throw refuse("\(value.kind) other than 0 or 1", expected: "a flag (0 or 1)")
        default:
            throw refuse(value.kind, expected: type.rawValue)
        }
    }

    private static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        let special: (UInt8) -> Bool = { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard text.utf8.contains(where: special) else {
            buffer.writeString(text)
            return
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x5C: escaped += [0x5C, 0x5C]  // \\
            case 0x0A: escaped += [0x5C, UInt8(ascii: "n")]
            case 0x0D: escaped += [0x5C, UInt8(ascii: "r")]
            case 0x09: escaped += [0x5C, UInt8(ascii: "t")]
            default: escaped.append(byte)
            }
        }
        buffer.writeBytes(escaped)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ data: Data, to buffer: inout ByteBuffer) {
        var hex: [UInt8] = [0x5C, 0x5C, UInt8(ascii: "x")]  // \\x: bytea's hex form, its backslash escaped
        hex.reserveCapacity(3 + 2 * data.count)
        for byte in data {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        buffer.writeBytes(hex)
    }

    /// Swift prints the shortest digits that read back as the same double, and PostgreSQL reads them exactly.
    static func doubleText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }
}

/// One table of a finished copy: its rows in the source and in the target (equal, or the copy was rolled back).
public struct CopiedTable: Sendable, Equatable {
    public let table: String
    public let sourceRows: Int
    public let targetRows: Int
}

extension PostgresStore {
    /// Tables of Debrief's that hold rows, with their counts; tables not created yet count as empty, so this works on
    /// a database that was never migrated.
    public func nonEmptyTables() async throws(StoreCopyError) -> [StoreCopyError.TableCount] {
        do {
            return try await client.withConnection { connection in
                try await Self.nonEmptyTables(connection)
            }
        } catch let error as StoreCopyError {
            throw error
        } catch {
            throw .store(PostgresErrors.map(error))
        }
    }

    private static func nonEmptyTables(_ connection: PostgresConnection) async throws -> [StoreCopyError.TableCount] {
        var counts: [StoreCopyError.TableCount] = []
        for table in PostgresTableImport.tables {
            let name = table.name
            var exists = false
            for try await found in try await connection.query(
                "SELECT to_regclass(\(name)) IS NOT NULL", logger: quiet
            ).decode(Bool.self) {
                exists = found
            }
            guard exists else { continue }
            let rows = try await count(of: name, connection)
            if rows > 0 { counts.append(StoreCopyError.TableCount(table: name, rows: rows)) }
        }
        return counts
    }

    private static func count(of table: String, _ connection: PostgresConnection) async throws -> Int {
        // The name is one of PostgresTableImport.tables, never outside input.
        for try await rows in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: quiet
        ).decode(Int.self) {
            return rows
        }
        return 0
    }

    /// Copies every table of `source` into this database, which must be migrated (``migrate()``) and empty.
    ///
    /// One transaction: the tables are locked against writers (a replica started too early, a second copy), checked
    /// empty, filled by one `COPY … FROM STDIN` per table (PostgreSQL's bulk load, several times faster than INSERTs;
    /// the source is read `batchSize` rows at a time, so memory holds one batch), the id sequences
    /// set after the highest id the source ever issued, and the row counts compared with the source's; any failure
    /// rolls everything back, so the target is left as empty as it was found.
    public func importTables(
        from source: some StoreTableSource, batchSize: Int = 1_000
    ) async throws(StoreCopyError) -> [CopiedTable] {
        let known = Dictionary(uniqueKeysWithValues: PostgresTableImport.tables.map { ($0.name, $0) })
        var plan: [PostgresTableImport.Table] = []
        for name in source.tables {
            guard let table = known[name] else { throw .unknownTable(name) }
            plan.append(table)
        }
        do {
            return try await client.withConnection { connection in
                try await connection.execute("BEGIN")
                do {
                    let copied = try await Self.copy(plan, from: source, batchSize: batchSize, connection)
                    try await connection.execute("COMMIT")
                    return copied
                } catch {
                    try? await connection.execute("ROLLBACK")
                    throw error
                }
            }
        } catch let error as StoreCopyError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(PostgresErrors.map(error))
        }
    }

    private static func copy(
        _ plan: [PostgresTableImport.Table], from source: some StoreTableSource, batchSize: Int,
        _ connection: PostgresConnection
    ) async throws -> [CopiedTable] {
        let names = PostgresTableImport.tables.map(\.name).joined(separator: ", ")
        try await connection.execute(PostgresQuery(unsafeSQL: "LOCK TABLE \(names) IN EXCLUSIVE MODE"))
        let occupied = try await nonEmptyTables(connection)
        guard occupied.isEmpty else { throw StoreCopyError.targetNotEmpty(occupied) }
        var copied: [CopiedTable] = []
        for table in plan {
            let sourceColumns = try await source.columns(of: table.name)
            guard Set(sourceColumns) == Set(table.columnNames), sourceColumns.count == table.columns.count else {
                throw StoreCopyError.columnsDiffer(
                    table: table.name, source: sourceColumns, target: table.columnNames)
            }
            try await connection.copyFrom(table: table.name, columns: table.columnNames, logger: quiet) { writer in
                try await source.rows(of: table.name, columns: table.columnNames, batchSize: batchSize) { batch in
                    var buffer = ByteBuffer()
                    for row in batch { try PostgresTableImport.appendRow(row, of: table, to: &buffer) }
                    try await writer.write(buffer)
                }
            }
            if let identity = table.identity {
                try await continueSequence(of: table, column: identity, after: source, connection)
            }
            let sourceRows = try await source.rowCount(of: table.name)
            let targetRows = try await count(of: table.name, connection)
            guard sourceRows == targetRows else {
                throw StoreCopyError.countsDiffer(table: table.name, source: sourceRows, target: targetRows)
            }
            copied.append(CopiedTable(table: table.name, sourceRows: sourceRows, targetRows: targetRows))
        }
        return copied
    }

    /// Sets the identity sequence so the next id is above every copied id and above every id the source ever issued
    /// (SQLite's AUTOINCREMENT never reuses the id of a deleted job; neither does the target).
    private static func continueSequence(
        of table: PostgresTableImport.Table, column: String, after source: some StoreTableSource,
        _ connection: PostgresConnection
    ) async throws {
        var highest = try await source.highestIssuedID(of: table.name) ?? 0
        for try await copied in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT COALESCE(max(\(column)), 0) FROM \(table.name)"), logger: quiet
        ).decode(Int64.self) {
            highest = max(highest, copied)
        }
        guard highest >= 1 else { return }
        let name = table.name
        try await connection.execute("SELECT setval(pg_get_serial_sequence(\(name), \(column)), \(highest))")
    }

    /// Refreshes the planner's statistics of the copied tables (a bulk load leaves them empty until autovacuum
    /// comes by). Best effort: a failure changes nothing but the first queries' plans.
    public func analyzeCopiedTables() async {
        let names = PostgresTableImport.tables.map(\.name).joined(separator: ", ")
        _ = try? await client.withConnection { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "ANALYZE \(names)"))
        }
    }
}
