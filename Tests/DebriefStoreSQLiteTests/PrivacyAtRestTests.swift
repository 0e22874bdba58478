import DebriefCore
import DebriefStore
import DebriefTestSupport
import Foundation
import GRDB
import Testing

@testable import DebriefStoreSQLite

/// What someone holding the database files — a backup, a copied volume — can read.
@Suite("Privacy at rest (SQLite)")
struct PrivacyAtRestTests {
    static let key = "privacy-at-rest-test-key-0123456789"
    let day = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    static func temporaryPath() -> String {
        ScratchDirectory.make("debrief-at-rest").appendingPathComponent("t.sqlite").path
    }

    /// Which of `needles` occur in the raw bytes of the database file, its WAL and its shared-memory index.
    static func found(_ needles: [String], in path: String) -> [String] {
        let files = [path, path + "-wal", path + "-shm"].compactMap { FileManager.default.contents(atPath: $0) }
        return needles.filter { needle in files.contains { $0.range(of: Data(needle.utf8)) != nil } }
    }

    static func address(_ user: String) -> DeliveryAddress {
        DeliveryAddress(platform: .slack, workspace: "T0AT0REST", userID: user)
    }

    static func pseudonym(_ user: String, key: String = key) -> Pseudonym {
        Pseudonymizer(secret: key).pseudonym(for: PlatformUser(platform: .slack, workspace: "T0AT0REST", userID: user))
    }

    func reflection(_ id: String, _ user: String, text: String, consent: Consent = .anonymousQuote) -> Reflection {
        Reflection(
            id: id, person: Self.pseudonym(user), createdAt: day, source: .modal, text: text, outcome: .savedTime,
            consent: consent)
    }

    @Test(
        "a copy of the database without the pseudonym key holds no user id, e-mail or DM channel, and links no reflection to a person"
    )
    func copyWithoutKey() async throws {
        let path = Self.temporaryPath()
        let store = try SQLiteStore(location: .file(path: path), pseudonymKey: .configured(Self.key))
        try await store.migrate()
        try await store.recordReflection(
            reflection("r1", "U0SECRET1", text: "drafted a brief"), from: Self.address("U0SECRET1"))
        try await store.recordReflection(
            reflection("r2", "W0SECRET2", text: "led by example", consent: .attributed), from: Self.address("W0SECRET2")
        )
        let training = Training(
            id: "t1", workspace: "T0AT0REST", title: "Prompting", topic: nil, endedAt: day, sequenceID: "default",
            createdAt: day)
        try await store.registerTraining(training, participants: [], jobs: [])
        try await store.addTrainingParticipants(
            trainingID: "t1", workspace: "T0AT0REST",
            participants: [
                TrainingParticipant(
                    pseudonym: Self.pseudonym("U0SECRET3"), address: Self.address("U0SECRET3"), timeZone: nil)
            ],
            jobs: [], at: day)
        try await store.recordResolution(
            trainingID: "t1", workspace: "T0AT0REST",
            report: TrainingResolutionReport(
                resolved: 1, unknownEmails: ["nobody.secret@example.com"], deactivatedUserIDs: ["U0SECRET4"],
                unknownUserIDs: ["U0SECRET5"]))
        try await store.recordNudgeSent(
            NudgeSendRecord(
                id: "n1", trainingID: "t1", person: Self.pseudonym("U0SECRET3"), stageID: "d1", kind: .primary,
                sentAt: day, channel: "D0SECRET6", messageTS: "1.2"))
        try await store.enqueue([
            NewJob(
                kind: "training.resolve", parameters: Data(#"{"trainingID":"t2"}"#.utf8), runAt: day,
                identifiers: JobIdentifiers(["users": ["U0SECRET7"], "emails": ["queued.secret@example.com"]]))
        ])
        let secrets = [
            "U0SECRET1", "W0SECRET2", "U0SECRET3", "U0SECRET4", "U0SECRET5", "D0SECRET6", "U0SECRET7",
            "nobody.secret@example.com", "queued.secret@example.com",
        ]
        #expect(Self.found(secrets, in: path) == [])

        // With the key, everything still works.
        #expect(
            try await store.deliveryAddress(of: Self.pseudonym("U0SECRET3"), platform: .slack)
                == Self.address("U0SECRET3"))
        #expect(try await store.nudgeSend(id: "n1")?.channel == "D0SECRET6")
        #expect(try await store.resolutionReport(of: "t1")?.unknownEmails == ["nobody.secret@example.com"])
        #expect(try await store.quoteCandidates(week: "2026-W47", limit: 10).compactMap(\.userID) == ["W0SECRET2"])

        // A copy opened without the key (the database keeps none of its own here) can open nothing.
        let copy = Self.temporaryPath()
        try FileManager.default.createDirectory(
            atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
        }
        let thief = try SQLiteStore(location: .file(path: copy), pseudonymKey: .configured("a-guessed-key-0123456789"))
        await #expect(throws: StoreError.self) {
            _ = try await thief.deliveryAddress(of: Self.pseudonym("U0SECRET3"), platform: .slack)
        }
        await #expect(throws: StoreError.self) { _ = try await thief.exportPerson(Self.pseudonym("U0SECRET1")) }
        await #expect(throws: StoreError.self) { _ = try await thief.nudgeSend(id: "n1") }
        // Guessing a user id does not help either: its pseudonym needs the key.
        #expect(try await thief.exportPerson(Self.pseudonym("U0SECRET1", key: "a-guessed-key-0123456789")) == nil)
        let joinable = try await thief.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery_addresses").flatMap { row in
                row.databaseValues.compactMap { String.fromDatabaseValue($0) }
            }
        }
        #expect(joinable.allSatisfy { !$0.hasPrefix("U0") && !$0.hasPrefix("W0") }, "\(joinable)")
    }

    @Test("secure_delete is on for the writer and for readers of the pool")
    func secureDeleteEverywhere() async throws {
        let store = try SQLiteStore(location: .file(path: Self.temporaryPath()), pseudonymKey: .configured(Self.key))
        try await store.migrate()
        let modes = try await store.secureDelete()
        #expect(modes.writer)
        #expect(modes.reader)
        let memory = try SQLiteStore(location: .inMemory)
        try await memory.migrate()
        #expect(try await memory.secureDelete() == (writer: true, reader: true))
    }

    @Test("after erasure neither the user id nor the reflection text is in the database file, its WAL or its index")
    func erasureReachesTheDisk() async throws {
        let path = Self.temporaryPath()
        let store = try SQLiteStore(location: .file(path: path))
        try await store.migrate()
        let person = Self.pseudonym("U0ERASED1", key: try await store.pseudonymKey())
        let text = "Canary reflection 7f3a: used the assistant to rewrite the onboarding guide"
        try await store.recordReflection(
            Reflection(id: "gone", person: person, createdAt: day, source: .quick, text: text),
            from: Self.address("U0ERASED1"))
        let other = Self.pseudonym("U0KEPT001", key: try await store.pseudonymKey())
        try await store.recordReflection(
            Reflection(
                id: "kept", person: other, createdAt: day, source: .quick, text: "Someone else's reflection 91b"),
            from: Self.address("U0KEPT001"))
        #expect(Self.found([text], in: path) == [text], "the canary is on disk before the erasure")

        #expect(try await store.erasePerson(person, address: Self.address("U0ERASED1")) == 1)
        #expect(Self.found([text, "Canary reflection", "U0ERASED1"], in: path) == [])
        #expect(Self.found(["Someone else's reflection 91b"], in: path).count == 1, "other people's data stays")
    }

    @Test("erasure removes the person's id from queued jobs of every state and from resolution reports")
    func erasureReachesJobsAndReports() async throws {
        let store = try SQLiteStore(location: .inMemory, pseudonymKey: .configured(Self.key))
        try await store.migrate()
        func resolveJob(_ training: String) -> NewJob {
            NewJob(
                kind: "training.resolve", parameters: Data("{}".utf8), runAt: day,
                dedupeKey: "training-resolve:\(training)",
                maxAttempts: 1,
                identifiers: JobIdentifiers([
                    "users": ["U0ERASED1", "U0KEPT001"], "emails": ["kept@example.com"], "notify": ["U0ERASED1"],
                ]))
        }
        try await store.enqueue(["running", "dead", "pending", "done"].map(resolveJob))
        let claimed = try await store.claimJobs(kinds: nil, limit: 3, worker: "w", leaseFor: .seconds(60), now: day)
        #expect(claimed.count == 3)
        let running = claimed[0]
        let dead = claimed[1]
        let done = claimed[2]
        #expect(try await store.failJob(id: dead.id, worker: "w", error: "gave up", retryAt: nil) == .dead)
        #expect(try await store.completeJob(id: done.id, worker: "w"))
        #expect(try await store.job(id: done.id)?.identifiers == JobIdentifiers.none, "a finished job keeps no ids")
        let training = Training(
            id: "t1", workspace: "T0AT0REST", title: "Prompting", topic: nil, endedAt: day, sequenceID: "default",
            createdAt: day)
        try await store.registerTraining(training, participants: [], jobs: [])
        try await store.recordResolution(
            trainingID: "t1", workspace: "T0AT0REST",
            report: TrainingResolutionReport(
                deactivatedUserIDs: ["U0ERASED1", "U0OTHER01"], unknownUserIDs: ["U0ERASED1"]))
        #expect(try await store.training(id: "t1")?.unresolvedCount == 3)

        // The person never reflected: Debrief holds no address for them, only the queued ids.
        try await store.erasePerson(Self.pseudonym("U0ERASED1"), address: Self.address("U0ERASED1"))

        let expected = JobIdentifiers(["users": ["U0KEPT001"], "emails": ["kept@example.com"]])
        let pendingID = running.id + 3
        for id in [running.id, dead.id, pendingID] {
            #expect(try await store.job(id: id)?.identifiers == expected, "job \(id)")
        }
        #expect(try await store.job(id: done.id)?.identifiers == JobIdentifiers.none)
        let report = try #require(try await store.resolutionReport(of: "t1"))
        #expect(report.deactivatedUserIDs == ["U0OTHER01"] && report.unknownUserIDs.isEmpty)
        #expect(try await store.training(id: "t1")?.unresolvedCount == 1)
    }

    @Test("the pseudonym key: the configured one, or one generated once and kept in the database")
    func pseudonymKeySources() async throws {
        let configured = try SQLiteStore(location: .inMemory, pseudonymKey: .configured(Self.key))
        try await configured.migrate()
        #expect(try await configured.pseudonymKey() == Self.key)

        let path = Self.temporaryPath()
        let kept = try SQLiteStore(location: .file(path: path))
        try await kept.migrate()
        let generated = try await kept.pseudonymKey()
        #expect(generated.count == 64)
        let reopened = try SQLiteStore(location: .file(path: path))
        try await reopened.migrate()
        #expect(try await reopened.pseudonymKey() == generated)
    }
}
