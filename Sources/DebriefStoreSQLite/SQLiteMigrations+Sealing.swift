import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteMigrations {
    /// v6: platform identifiers sealed at rest (see `IdentifierSealer`), converting the rows already stored.
    ///
    /// - `delivery_addresses` becomes one sealed address per pseudonym (the pseudonym is a keyed hash of the
    ///   address, so "the address of user U" is found by U's pseudonym). The old table, with user ids in clear
    ///   next to pseudonyms, is dropped; its `updated_at` (the exact time of someone's last interaction) goes too.
    /// - `nudge_sends.channel` (a direct-message channel id) and `trainings.resolution_report` (unknown
    ///   e-mails and user ids) are sealed in place.
    /// - `jobs` gets sealed `identifiers`; queued `training.resolve` jobs, which carried user ids and e-mails in
    ///   their parameters until v5, have them moved there (lists `users`, `emails`, `notify`, as the
    ///   registrar reads them); finished ones keep none.
    ///
    /// It needs the pseudonym key, so the store is opened with it (`PseudonymKeySource`). Connections run with
    /// `secure_delete`, and `SQLiteStore.migrate()` truncates the write-ahead log afterwards, so the plaintext
    /// does not linger in free pages or old log frames.
    static func registerSealingMigrations(_ migrator: inout DatabaseMigrator, keyring: SQLiteKeyring) {
        migrator.registerMigration("v6-encrypted-addresses") { db in
            let keys = try keyring.keysCreatingIfNeeded(db)
            try sealAddresses(db, keys: keys)
            for row in try Row.fetchAll(db, sql: "SELECT id, channel FROM nudge_sends") {
                let id: String = row["id"]
                let channel: String = row["channel"]
                // The column keeps its TEXT declaration; SQLite stores the sealed BLOB as it is.
                try db.execute(
                    sql: "UPDATE nudge_sends SET channel = ? WHERE id = ?",
                    arguments: [try SQLiteStore.sealChannel(channel, nudgeID: id, keys: keys), id])
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT id, resolution_report FROM trainings WHERE resolution_report IS NOT NULL")
            {
                let id: String = row["id"]
                let text: String = row["resolution_report"]
                // A report that never decoded was never shown; it is dropped rather than kept in clear.
                let sealed = try (try? JSONDecoder().decode(TrainingResolutionReport.self, from: Data(text.utf8)))
                    .map { report in try SQLiteStore.sealReport(report, trainingID: id, keys: keys) }
                try db.execute(
                    sql: "UPDATE trainings SET resolution_report = ? WHERE id = ?", arguments: [sealed, id])
            }
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN identifiers BLOB")
            try moveIdentifiersOutOfResolveJobs(db, keys: keys)
        }
    }

    private static func sealAddresses(_ db: Database, keys: SQLiteKeyring.Keys) throws {
        try db.execute(
            sql: """
                CREATE TABLE sealed_delivery_addresses (
                    pseudonym TEXT PRIMARY KEY NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                    platform TEXT NOT NULL,
                    address BLOB NOT NULL
                )
                """)
        // Oldest first, so the newest address of a pseudonym wins (there is one per pseudonym in practice).
        for row in try Row.fetchAll(
            db, sql: "SELECT platform, workspace, user_id, pseudonym FROM delivery_addresses ORDER BY updated_at")
        {
            let platformText: String = row["platform"]
            guard let platform = Platform(rawValue: platformText) else { continue }
            let person = Pseudonym(rawValue: row["pseudonym"])
            let address = DeliveryAddress(platform: platform, workspace: row["workspace"], userID: row["user_id"])
            try db.execute(
                sql: "INSERT OR REPLACE INTO sealed_delivery_addresses (pseudonym, platform, address) VALUES (?, ?, ?)",
                arguments: [person.value, platformText, try SQLiteStore.sealAddress(address, of: person, keys: keys)])
        }
        try db.execute(sql: "DROP TABLE delivery_addresses")
        try db.execute(sql: "ALTER TABLE sealed_delivery_addresses RENAME TO delivery_addresses")
    }

    /// `training.resolve` parameters up to v5: `{"trainingID", "participants": [{"user": {"id"}}, {"email":
    /// {"_0"}}, {"userGroup": {"id"}}, {"channel": {"id"}}], "notifyUserID"}`. Users, e-mails and the admin to
    /// notify move to sealed identifiers; groups and channels stay.
    private static func moveIdentifiersOutOfResolveJobs(_ db: Database, keys: SQLiteKeyring.Keys) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, state, parameters FROM jobs WHERE kind = 'training.resolve'") {
            let id: Int64 = row["id"]
            let state: String = row["state"]
            let data: Data = row["parameters"]
            guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { continue }
            var users: [String] = []
            var emails: [String] = []
            var kept: [Any] = []
            for source in object["participants"] as? [Any] ?? [] {
                let entry = source as? [String: Any]
                if let id = (entry?["user"] as? [String: Any])?["id"] as? String {
                    users.append(id)
                } else if let email = (entry?["email"] as? [String: Any])?["_0"] as? String {
                    emails.append(email)
                } else {
                    kept.append(source)
                }
            }
            object["participants"] = kept
            let notify = (object.removeValue(forKey: "notifyUserID") as? String).map { [$0] } ?? []
            let identifiers = JobIdentifiers(["users": users, "emails": emails, "notify": notify])
            let parameters = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            let sealed = state == "done" ? nil : try SQLiteStore.sealIdentifiers(identifiers, jobID: id, keys: keys)
            try db.execute(
                sql: "UPDATE jobs SET parameters = ?, identifiers = ? WHERE id = ?",
                arguments: [parameters, sealed, id])
        }
    }
}
