import DebriefStore
import DebriefStorePostgres
import Foundation

/// A database created for one test on the test server and dropped afterwards.
public struct PostgresScratchDatabase: Sendable {
    public let name: String
    /// The server's settings pointed at this database.
    public let settings: PostgresConnectionSettings
    private let server: PostgresConnectionSettings

    /// Creates `debrief_test_<random>` on the server.
    public static func create(on server: PostgresConnectionSettings) async throws(StoreError) -> Self {
        let name = "debrief_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.create(name, on: server)
        return PostgresScratchDatabase(name: name, settings: server.with(database: name), server: server)
    }

    /// Drops the database; a failure leaves a database named `debrief_test_…` behind, which is all it costs.
    public func drop() async {
        try? await PostgresDatabases.drop(name, on: server)
    }
}
