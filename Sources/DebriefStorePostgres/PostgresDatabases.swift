import DebriefStore
import Foundation
import Logging
import PostgresNIO

/// Creating and dropping whole databases on a server: the contract tests' temporary database per store, and the
/// multi-process proof's. Runs on the maintenance database the settings name (usually `postgres`).
public enum PostgresDatabases {
    /// Creates an empty database named `name` (letters, digits and `_` only: it is spliced into the statement).
    public static func create(_ name: String, on settings: PostgresConnectionSettings) async throws(StoreError) {
        let quoted = try identifier(name)
        try await onMaintenance(settings) { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoted)"))
        }
    }

    /// Drops the database, closing any session still connected to it.
    public static func drop(_ name: String, on settings: PostgresConnectionSettings) async throws(StoreError) {
        let quoted = try identifier(name)
        try await onMaintenance(settings) { connection in
            try await connection.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)"))
        }
    }

    private static func onMaintenance(
        _ settings: PostgresConnectionSettings, _ work: @Sendable (PostgresConnection) async throws -> Void
    ) async throws(StoreError) {
        do {
            let configuration = try settings.connectionConfiguration()
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 1, logger: PostgresStore.quiet)
            do {
                try await work(connection)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresErrors.map(error)
        }
    }

    private static func identifier(_ name: String) throws(StoreError) -> String {
        guard !name.isEmpty, name.count <= 63,
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0)) })
        else {
            throw .invalidConfiguration("a database name is 1 to 63 letters, digits or _")
        }
        return "\"\(name)\""
    }
}
