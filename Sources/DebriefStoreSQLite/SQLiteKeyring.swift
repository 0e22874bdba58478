import DebriefCore
import DebriefStore
import Foundation
import GRDB
import Synchronization

/// The pseudonym key and the sealers derived from it, resolved once per store.
///
/// A configured key is known at once. A key kept in the database is generated only by ``SQLiteStore/migrate()``
/// (in its own committed transaction, or inside the migration that first needs it) and read by the first
/// transaction that needs it afterwards. It is cached only once read from the database, never while a
/// transaction that created it could still roll back — a cached key that was never stored would seal data
/// nobody could open after a restart.
final class SQLiteKeyring: Sendable {
    /// The sealers of one pseudonym key.
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

    /// The keys; reads the key kept in the database on first use (it must exist: ``SQLiteStore/migrate()``
    /// creates it).
    func keys(_ db: Database) throws -> Keys {
        if let keys = resolved.withLock({ $0 }) { return keys }
        guard let key = try Self.keptKey(db) else {
            throw StoreError.unavailable("no pseudonym key yet: apply the migrations first (debrief migrate)")
        }
        let keys = Keys(pseudonymKey: key)
        resolved.withLock { $0 = keys }
        return keys
    }

    /// The keys for a migration: the configured key, or the kept one, generated in the migration's transaction
    /// when there is none yet. Not cached (the migration may still roll back).
    func keysCreatingIfNeeded(_ db: Database) throws -> Keys {
        if let keys = resolved.withLock({ $0 }) { return keys }
        return Keys(pseudonymKey: try Self.keptKey(db) ?? Self.storeNewKey(db))
    }

    /// The key kept in `instance_secrets`, if there is one.
    static func keptKey(_ db: Database) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT value FROM instance_secrets WHERE name = ?",
            arguments: [PseudonymKeySource.instanceSecretName])
    }

    static func storeNewKey(_ db: Database) throws -> String {
        let value = randomSecret()
        try db.execute(
            sql: "INSERT INTO instance_secrets (name, value) VALUES (?, ?)",
            arguments: [PseudonymKeySource.instanceSecretName, value])
        return value
    }

    /// 32 random bytes as hex: what an operator would get from `openssl rand -hex 32`.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
