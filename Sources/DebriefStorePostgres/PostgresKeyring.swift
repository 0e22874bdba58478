import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO
import Synchronization

/// The pseudonym key and the sealers derived from it, resolved once per store: the SQLite store's rules.
///
/// A configured key is known at once. A key kept in the database is generated only by ``PostgresStore/migrate()``
/// (under the migration lock, so replicas starting together agree on one key) and read by the first transaction
/// that needs it afterwards; it is cached only once read from a committed row.
final class PostgresKeyring: Sendable {
    /// The sealers of one pseudonym key: the same purposes and contexts as SQLite's, so sealed values copied from
    /// SQLite open here.
    struct Keys: Sendable {
        let pseudonymKey: String
        let addresses: IdentifierSealer
        let nudgeMessages: IdentifierSealer
        let jobIdentifiers: IdentifierSealer
        let reports: IdentifierSealer

        init(pseudonymKey: String) {
            self.pseudonymKey = pseudonymKey
            addresses = IdentifierSealer(pseudonymKey: pseudonymKey, purpose: .deliveryAddress)
            nudgeMessages = IdentifierSealer(pseudonymKey: pseudonymKey, purpose: .nudgeMessage)
            jobIdentifiers = IdentifierSealer(pseudonymKey: pseudonymKey, purpose: .jobIdentifiers)
            reports = IdentifierSealer(pseudonymKey: pseudonymKey, purpose: .resolutionReport)
        }
    }

    let source: PseudonymKeySource
    private let resolved: Mutex<Keys?>

    init(source: PseudonymKeySource) {
        self.source = source
        if case .configured(let key) = source {
            resolved = Mutex(Keys(pseudonymKey: key))
        } else {
            resolved = Mutex(nil)
        }
    }

    /// The keys; reads the key kept in the database on first use (``PostgresStore/migrate()`` creates it).
    func keys(_ connection: PostgresConnection) async throws -> Keys {
        if let keys = resolved.withLock({ $0 }) { return keys }
        guard let key = try await Self.keptKey(connection) else {
            throw StoreError.unavailable("no pseudonym key yet: apply the migrations first (debrief migrate)")
        }
        let keys = Keys(pseudonymKey: key)
        resolved.withLock { $0 = keys }
        return keys
    }

    /// The key kept in `instance_secrets`, if there is one.
    static func keptKey(_ connection: PostgresConnection) async throws -> String? {
        let name = PseudonymKeySource.instanceSecretName
        let rows = try await connection.query(
            "SELECT value FROM instance_secrets WHERE name = \(name)", logger: PostgresStore.quiet)
        for try await value in rows.decode(String.self) { return value }
        return nil
    }

    /// Stores a new kept key unless another replica stored one first; returns the one that is stored.
    static func storeNewKeyUnlessPresent(_ connection: PostgresConnection) async throws -> String {
        let name = PseudonymKeySource.instanceSecretName
        let value = randomSecret()
        try await connection.execute(
            "INSERT INTO instance_secrets (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO NOTHING")
        guard let stored = try await keptKey(connection) else {
            throw StoreError.unexpected("the pseudonym key could not be stored")
        }
        return stored
    }

    /// 32 random bytes as hex: what an operator would get from `openssl rand -hex 32`.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
