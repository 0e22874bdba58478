import DebriefCore
import DebriefStore
import DebriefTestSupport
import Foundation
import GRDB
import Testing

@testable import DebriefStoreSQLite

/// The v6 migration on a database written by v5: every platform id stored in clear is sealed in place.
@Suite("Migration v6: sealed identifiers")
struct SealingMigrationTests {
    static let legacyKey = "legacy-kept-key-0123456789abcdef"
    let day = Date(timeIntervalSince1970: 1_795_000_000)

    /// `training.resolve` parameters as v5 wrote them.
    struct LegacyResolveParameters: Codable {
        var trainingID: String
        var participants: [ParticipantSource]
        var notifyUserID: String?
    }

    static func pseudonym(_ user: String) -> Pseudonym {
        Pseudonymizer(secret: legacyKey).pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0LEGACY", userID: user))
    }

    /// A v5 database as a zero-configuration server left it: the pseudonym key kept in the database, user ids in
    /// clear in addresses, nudge channels, resolution reports and queued resolution jobs.
    func legacyDatabase(at path: String) async throws -> SQLiteStore {
        let store = try SQLiteStore(location: .file(path: path))
        try SQLiteMigrations.migrator(keyring: store.keyring).migrate(store.writer, upTo: "v5-digest-indexes")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let pending = try encoder.encode(
            LegacyResolveParameters(
                trainingID: "t2",
                participants: [
                    .user(id: "U0LEGACY6"), .email("legacy.named@example.com"), .userGroup(id: "S0GROUP01"),
                ],
                notifyUserID: "U0LEGACY5"))
        let done = try encoder.encode(
            LegacyResolveParameters(trainingID: "t1", participants: [.user(id: "U0LEGACY7")], notifyUserID: "U0LEGACY8")
        )
        let p1 = Self.pseudonym("U0LEGACY1").value
        let p2 = Self.pseudonym("U0LEGACY2").value
        let time = day.timeIntervalSince1970
        try await store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO instance_secrets (name, value) VALUES ('pseudonym-key', ?);
                    INSERT INTO people (pseudonym, platform, first_seen_on) VALUES (?, 'slack', '2026-11-18'), (?, 'slack', '2026-11-18');
                    INSERT INTO delivery_addresses (platform, workspace, user_id, pseudonym, updated_at)
                        VALUES ('slack', 'T0LEGACY', 'U0LEGACY1', ?, ?), ('slack', 'T0LEGACY', 'U0LEGACY2', ?, ?);
                    INSERT INTO reflections (id, pseudonym, created_on, source, text, iso_week)
                        VALUES ('r1', ?, '2026-11-18', 'quick', 'kept through the migration', '2026-W47');
                    INSERT INTO trainings (id, workspace, title, ended_at, sequence_id, created_at, unresolved_count, resolution_report)
                        VALUES ('t1', 'T0LEGACY', 'Prompting', ?, 'default', ?, 2,
                            '{"resolved":1,"unknownEmails":["legacy.nobody@example.com"],"deactivatedUserIDs":["U0LEGACY3"],"unreadableSources":[]}');
                    INSERT INTO training_participants (training_id, pseudonym) VALUES ('t1', ?);
                    INSERT INTO nudge_sends (id, training_id, pseudonym, stage_id, kind, sent_at, channel, message_ts)
                        VALUES ('n1', 't1', ?, 'd1', 'primary', ?, 'D0LEGACY4', '1.2');
                    INSERT INTO jobs (kind, parameters, state, run_at, max_attempts, dedupe_key)
                        VALUES ('training.resolve', ?, 'pending', ?, 5, 'training-resolve:t2'),
                            ('training.resolve', ?, 'done', ?, 5, 'training-resolve:t1'),
                            ('nudge.send', ?, 'pending', ?, 5, 'nudge:x');
                    """,
                arguments: [
                    Self.legacyKey, p1, p2, p1, time, p2, time + 1, p1, time, time, p1, p1, time, pending, time, done,
                    time,
                    Data(#"{"person":"p_x"}"#.utf8), time,
                ])
        }
        return store
    }

    @Test("v6 seals what v5 stored in clear, keeps it usable, and leaves no plaintext in the files")
    func sealsLegacyRows() async throws {
        let path = ScratchDirectory.make("debrief-v6").appendingPathComponent("t.sqlite").path
        let legacy = try await legacyDatabase(at: path)
        let secrets = [
            "U0LEGACY1", "U0LEGACY2", "U0LEGACY3", "D0LEGACY4", "U0LEGACY5", "U0LEGACY6", "U0LEGACY7", "U0LEGACY8",
            "legacy.nobody@example.com", "legacy.named@example.com",
        ]
        #expect(PrivacyAtRestTests.found(secrets, in: path).count == secrets.count, "all in clear before")

        try await legacy.migrate()
        #expect(PrivacyAtRestTests.found(secrets, in: path) == [])

        // The same key as before (kept in the database), and everything still reads back.
        let store = try SQLiteStore(location: .file(path: path))
        try await store.migrate()
        #expect(try await store.pseudonymKey() == Self.legacyKey)
        let alice = Self.pseudonym("U0LEGACY1")
        #expect(
            try await store.deliveryAddress(of: alice, platform: .slack)
                == DeliveryAddress(platform: .slack, workspace: "T0LEGACY", userID: "U0LEGACY1"))
        let export = try #require(try await store.exportPerson(alice))
        #expect(export.addresses.map(\.userID) == ["U0LEGACY1"])
        #expect(export.reflections.map(\.text) == ["kept through the migration"])
        #expect(try await store.nudgeSend(id: "n1")?.channel == "D0LEGACY4")
        let report = try #require(try await store.resolutionReport(of: "t1"))
        #expect(report.unknownEmails == ["legacy.nobody@example.com"] && report.deactivatedUserIDs == ["U0LEGACY3"])

        let pending = try #require(try await store.job(id: 1))
        #expect(
            pending.identifiers
                == JobIdentifiers([
                    "users": ["U0LEGACY6"], "emails": ["legacy.named@example.com"], "notify": ["U0LEGACY5"],
                ]))
        let parameters = try pending.decodeParameters(LegacyResolveParameters.self)
        #expect(parameters.participants == [.userGroup(id: "S0GROUP01")] && parameters.notifyUserID == nil)
        let done = try #require(try await store.job(id: 2))
        #expect(done.identifiers == JobIdentifiers.none)
        #expect(try done.decodeParameters(LegacyResolveParameters.self).participants.isEmpty)
        #expect(try await store.job(id: 3)?.parameters == Data(#"{"person":"p_x"}"#.utf8), "other jobs are untouched")

        // Erasure finds the person by pseudonym alone and reaches the converted rows.
        try await store.erasePerson(
            alice, address: DeliveryAddress(platform: .slack, workspace: "T0LEGACY", userID: "U0LEGACY1"))
        #expect(try await store.nudgeSend(id: "n1") == nil)
        #expect(
            try await store.deliveryAddress(of: Self.pseudonym("U0LEGACY2"), platform: .slack)?.userID == "U0LEGACY2")
    }
}
