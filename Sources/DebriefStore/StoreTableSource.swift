/// A database whose tables are copied, row by row, into another backend (`debrief migrate --from … --to …`).
///
/// Why a protocol: the reader (SQLite) and the writer (PostgreSQL) live in modules that do not import each
/// other; the writer drives the copy inside its one transaction and pulls rows through this. Every method reads
/// the same, unchanging state of the source (one read transaction for the whole copy), so the counts it reports
/// are the counts of the rows it streams.
public protocol StoreTableSource: Sendable {
    /// The tables to copy, each after the tables it refers to.
    var tables: [String] { get }

    /// The columns the source's table has, in its own order.
    func columns(of table: String) async throws(StoreError) -> [String]

    /// How many rows the table holds.
    func rowCount(of table: String) async throws(StoreError) -> Int

    /// The highest id the table ever handed out (its AUTOINCREMENT counter, which stays above deleted rows), or nil
    /// when it keeps none. The target continues after it so an id is never used twice.
    func highestIssuedID(of table: String) async throws(StoreError) -> Int64?

    /// Streams the table's rows in batches of at most `batchSize`, each row's values in the order of `columns`,
    /// in a stable order (the source's row order).
    func rows(
        of table: String, columns: [String], batchSize: Int, _ body: ([[StoreValue]]) async throws -> Void
    ) async throws
}
