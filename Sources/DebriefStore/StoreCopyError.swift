/// Why copying an installation into another database (`debrief migrate --from … --to …`) was refused or failed.
///
/// Every case leaves the source untouched (it is opened read-only) and the target without a row of Debrief's
/// (the copy is one transaction). Messages name tables and columns, never a value: values are reflections,
/// pseudonyms and sealed identifiers.
public enum StoreCopyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source file does not exist or is not a database.
    case sourceMissing(String)
    /// The source lacks migrations this version has: it must be migrated by this version first.
    case sourceNotMigrated(missing: [String])
    /// The source has migrations this version does not know: it was migrated by a newer Debrief.
    case sourceNewer(unknown: [String])
    /// The source has a table the copy does not know, so copying would lose it.
    case unknownTable(String)
    /// The source's table has other columns than the target's, so copying would lose or invent values.
    case columnsDiffer(table: String, source: [String], target: [String])
    /// No pseudonym key: the source keeps none and none is configured, so pseudonyms and sealed identifiers could
    /// not be kept.
    case noPseudonymKey
    /// The pseudonym key the copy would use does not open the source's sealed identifiers.
    case pseudonymKeyDoesNotOpen(configured: Bool)
    /// The target already holds rows: the copy writes only into an empty database.
    case targetNotEmpty([TableCount])
    /// A source value does not fit the target's column (a text with a NUL character, a flag other than 0 or 1).
    case valueDoesNotFit(table: String, column: String, found: String, expected: String)
    /// The target's row count differs from the source's after the copy (nothing was committed).
    case countsDiffer(table: String, source: Int, target: Int)
    /// The source or the target failed.
    case store(StoreError)

    /// A table's name and how many rows it holds.
    public struct TableCount: Sendable, Equatable {
        public let table: String
        public let rows: Int

        public init(table: String, rows: Int) {
            self.table = table
            self.rows = rows
        }
    }

    public var description: String {
        switch self {
        case .sourceMissing(let reason):
            "cannot read the source: \(reason)"
        case .sourceNotMigrated(let missing):
            "the source lacks the migrations \(missing.joined(separator: ", ")): run `debrief migrate` on it with "
                + "this version first (DEBRIEF_DATABASE_URL set to the SQLite file), then copy"
        case .sourceNewer(let unknown):
            "the source has migrations this version does not know (\(unknown.joined(separator: ", "))): it was "
                + "migrated by a newer Debrief; copy it with that version (or newer)"
        case .unknownTable(let table):
            "the source has a table this version does not copy (\(table)); copying would lose it"
        case .columnsDiffer(let table, let source, let target):
            "the columns of \(table) differ (source: \(source.joined(separator: ", ")); target: "
                + "\(target.joined(separator: ", "))); copying would lose values"
        case .noPseudonymKey:
            "the source keeps no pseudonym key, so it ran with DEBRIEF_PSEUDONYM_KEY: set the same key for the copy "
                + "(and for every server on the new database), or pseudonyms and sealed identifiers would be lost"
        case .pseudonymKeyDoesNotOpen(let configured):
            configured
                ? "DEBRIEF_PSEUDONYM_KEY does not open the source's sealed identifiers: it is not the key the source "
                    + "was run with; set that key (or unset it if the source kept its own)"
                : "the key kept in the source does not open its sealed identifiers: the source ran with "
                    + "DEBRIEF_PSEUDONYM_KEY; set that key for the copy"
        case .targetNotEmpty(let counts):
            "the target database is not empty ("
                + counts.map { "\($0.table): \($0.rows) \($0.rows == 1 ? "row" : "rows")" }.joined(separator: ", ")
                + "); the copy writes only into an empty database, and nothing was written. "
                + (counts.map(\.table) == ["instance_secrets"]
                    ? "If that is only a pseudonym key `debrief migrate` generated there, nothing is sealed with it "
                        + "yet: drop the database, create it again and copy"
                    : "Copy into a new, empty database")
        case .valueDoesNotFit(let table, let column, let found, let expected):
            "\(table).\(column) holds \(found) where the target expects \(expected); nothing was copied"
        case .countsDiffer(let table, let source, let target):
            "\(table) has \(source) rows in the source but \(target) in the target; nothing was copied"
        case .store(let error):
            error.description
        }
    }
}
