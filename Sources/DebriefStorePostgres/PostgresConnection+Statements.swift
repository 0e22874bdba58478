import PostgresNIO

/// The two ways the store runs a statement: for its effect, or for the number of rows it touched.
///
/// Why the count comes from `RETURNING`: postgres-nio's row sequence does not expose the command tag, and a
/// statement that says what it changed (`UPDATE … RETURNING 1`) is the PostgreSQL way to learn it in one round trip.
extension PostgresConnection {
    /// Runs a statement and drops its rows.
    func execute(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: PostgresStore.quiet).collect()
    }

    /// Runs a statement and counts the rows it returned (write it with `RETURNING 1` to count changed rows).
    func count(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query, logger: PostgresStore.quiet).collect().count
    }

    /// Runs a query and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: PostgresStore.quiet).collect()
    }
}
