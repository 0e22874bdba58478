import DebriefStore
import PostgresNIO

/// Tables whose size may be inspected from outside the store (the PostgreSQL twin of `SQLiteTable`).
public enum PostgresTable: String, Sendable {
    case people, reflections
    case deliveryAddresses = "delivery_addresses"
    case inboundDeliveries = "inbound_deliveries"
}

extension PostgresStore {
    /// How many rows a table holds; for tests and the benchmarks' "every acknowledged row stored" check.
    public func count(table: PostgresTable) async throws(StoreError) -> Int {
        try await read { connection in
            // The table name comes from the enum above, never from outside input.
            let rows = try await connection.rows(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.rawValue)"))
            guard let first = rows.first else { return 0 }
            return try first.decode(Int.self)
        }
    }
}
