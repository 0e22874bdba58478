import DebriefCore
import DebriefStore
import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode, so `debrief serve` needs no database server.
///
/// A `Sendable` struct over one GRDB writer (a `DatabasePool` for files, a `DatabaseQueue` in memory).
/// Every method is one transaction; writes are serialized by GRDB, reads run concurrently under WAL.
///
/// Privacy at rest: platform identifiers (delivery addresses, nudge channels, participant lists of queued jobs,
/// resolution reports) are sealed with keys derived from the pseudonym key (``SQLiteKeyring``); every
/// connection runs with `secure_delete` so deleted content is overwritten, and an erasure ends with a
/// truncating WAL checkpoint so nothing erased stays in the `-wal` file.
public struct SQLiteStore: Store {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        case file(path: String)
        case inMemory
    }

    let writer: any DatabaseWriter
    let groupCommit: GroupCommitWriter
    let keyring: SQLiteKeyring
    /// Checkpoints the log beside the writer; nil for an in-memory database, which has no write-ahead log.
    let checkpointer: WALCheckpointer?
    /// Whether the database is a WAL file whose log must be checkpointed after an erasure.
    var usesWriteAheadLog: Bool { checkpointer != nil }

    /// Opens (and creates if needed) the database. Migrations are applied by ``migrate()``.
    /// - Parameter pseudonymKey: where the key comes from that platform identifiers are sealed with. The
    ///   default, a key kept in the database, is the zero-configuration start; production configures one.
    public init(location: Location, pseudonymKey: PseudonymKeySource = .keptInDatabase) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // NORMAL in WAL mode keeps commits durable across process crashes (the acknowledged-data
            // promise); only an OS crash or power loss can drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Deleted content is overwritten with zeros instead of lingering in free pages (erasure).
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            switch location {
            case .file(let path):
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Checkpoint past ~16 MiB of log instead of SQLite's 4 MiB, then once per 4 MiB more, hot index
                // pages rewritten in between going to the file once, and off the writer's thread
                // (`WALCheckpointer`); the writer itself only at 4 times that. Durability is the same: with WAL, a
                // commit is safe from a process crash when it is in the log.
                let checkpointer = try WALCheckpointer(
                    path: path, configuration: configuration, backgroundFrames: Self.walCheckpointPages,
                    spacingFrames: Self.walCheckpointPages / 4, writerFrames: 4 * Self.walCheckpointPages)
                // GRDB's pool can reset pragmas set in configuration; set them again on the writer and check
                // (``connectionSettings()``).
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                    try db.execute(sql: "PRAGMA secure_delete = ON")
                    checkpointer.install(on: db)
                }
                writer = pool
                self.checkpointer = checkpointer
            case .inMemory:
                writer = try DatabaseQueue(configuration: configuration)
                checkpointer = nil
            }
            groupCommit = GroupCommitWriter(writer: writer)
            keyring = SQLiteKeyring(source: pseudonymKey)
        } catch {
            throw StoreError.unavailable("cannot open SQLite database: \(Self.describe(error))")
        }
    }

    /// Pages of write-ahead log (4 KiB each) after which a commit has it checkpointed into the database file, beside
    /// the writer (`WALCheckpointer`).
    static let walCheckpointPages = 4_000

    /// The effective `synchronous` pragma of the writer connection (1 = NORMAL, 2 = FULL), for checks.
    public func synchronousMode() async throws(StoreError) -> Int {
        try await perform { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Whether `secure_delete` is on for the writer connection and for a reader connection, for checks.
    public func secureDelete() async throws(StoreError) -> (writer: Bool, reader: Bool) {
        let onWriter = try await perform { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0 }
        let onReader = try await read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0 }
        return (onWriter == 1, onReader == 1)
    }

    public func migrate() async throws(StoreError) {
        do {
            try await SQLiteMigrations.migrator(keyring: keyring).migrate(writer)
            if case .keptInDatabase = keyring.source {
                // From here on the key kept in the database exists (created now on a new database), committed
                // before anything is sealed with it.
                try await writer.write { db in
                    if try SQLiteKeyring.keptKey(db) == nil { _ = try SQLiteKeyring.storeNewKey(db) }
                }
            }
        } catch {
            throw StoreError.migrationFailed(Self.describe(error))
        }
        // Rows a migration converted (plaintext ids now sealed) must not stay in the write-ahead log.
        try await checkpoint()
    }

    public func pseudonymKey() async throws(StoreError) -> String {
        try await read { db in try keyring.keys(db).pseudonymKey }
    }

    public func checkHealth() async throws(StoreError) {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func recordInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.execute(
                sql: """
                    INSERT INTO inbound_deliveries (platform, workspace, delivery_id, kind, received_at)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """,
                arguments: [
                    delivery.platform.rawValue, delivery.workspace, delivery.deliveryID, delivery.kind,
                    delivery.receivedAt.timeIntervalSince1970,
                ])
            return db.changesCount == 1
        }
    }

    public func removeInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: "DELETE FROM inbound_deliveries WHERE platform = ? AND workspace = ? AND delivery_id = ?",
                arguments: [delivery.platform.rawValue, delivery.workspace, delivery.deliveryID])
        }
    }

    @discardableResult
    public func upsertPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, at now: Date) async throws(StoreError)
        -> PersonPreferences
    {
        try await perform { db in
            try Self.upsertPerson(db, address, pseudonym: pseudonym, at: now, keys: keyring.keys(db))
            return try Self.fetchPreferences(db, pseudonym) ?? PersonPreferences()
        }
    }

    public func refreshPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, timeZone: String?, at now: Date)
        async throws(StoreError)
    {
        try await perform { db in
            let keys = try keyring.keys(db)
            try Self.upsertPerson(db, address, pseudonym: pseudonym, at: now, keys: keys)
            let sealed = try Self.sealAddress(address, of: pseudonym, keys: keys)
            try db.execute(
                sql: "UPDATE delivery_addresses SET address = ? WHERE pseudonym = ? AND platform = ?",
                arguments: [sealed, pseudonym.value, address.platform.rawValue])
            if let timeZone {
                try db.execute(
                    sql: "UPDATE people SET time_zone = ? WHERE pseudonym = ?", arguments: [timeZone, pseudonym.value])
            }
        }
    }

    public func recordReflection(_ reflection: Reflection, from address: DeliveryAddress) async throws(StoreError) {
        try await perform { db in
            try Self.upsertPerson(
                db, address, pseudonym: reflection.person, at: reflection.createdAt, keys: keyring.keys(db))
            try db.cachedStatement(sql: Self.insertReflectionSQL).execute(arguments: Self.arguments(reflection))
            try db.cachedStatement(sql: Self.answerHabitPromptSQL).execute(
                arguments: [reflection.createdAt.timeIntervalSince1970, reflection.person.value])
        }
    }

    /// The person's latest unanswered habit prompt, answered by the reflection just stored (see
    /// ``HabitPromptReflection``); nothing when there is none or it is the offer.
    static let answerHabitPromptSQL = """
        UPDATE habit_prompts SET answer = \(HabitPromptReflection.answerExpression), answered_at = ?1
        WHERE id = (
            SELECT id FROM habit_prompts WHERE pseudonym = ?2 AND answer IS NULL ORDER BY sent_at DESC, id DESC LIMIT 1
        ) AND kind IN \(HabitPromptReflection.answeredKinds)
        """

    /// Creates the person and stores their sealed address. A pseudonym is derived from the address, so a
    /// stored address never changes: it is sealed and written only the first time.
    static func upsertPerson(
        _ db: Database, _ address: DeliveryAddress, pseudonym: Pseudonym, at now: Date, keys: SQLiteKeyring.Keys
    ) throws {
        // A stored address means a stored person (the address references the person): almost every reflection
        // comes from someone known, so one indexed lookup settles it.
        let known =
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM delivery_addresses WHERE pseudonym = ?"),
                arguments: [pseudonym.value]) ?? false
        guard !known else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO people (pseudonym, platform, first_seen_on) VALUES (?, ?, ?)
                ON CONFLICT (pseudonym) DO NOTHING
                """
        ).execute(arguments: [pseudonym.value, address.platform.rawValue, StoredDay.string(from: now)])
        let sealed = try sealAddress(address, of: pseudonym, keys: keys)
        try db.cachedStatement(
            sql: "INSERT INTO delivery_addresses (pseudonym, platform, address) VALUES (?, ?, ?)"
        ).execute(arguments: [pseudonym.value, address.platform.rawValue, sealed])
    }

    public func insertReflection(_ reflection: Reflection) async throws(StoreError) {
        try await perform { db in
            guard try Self.personExists(db, reflection.person) else { throw StoreError.personNotFound }
            try db.cachedStatement(sql: Self.insertReflectionSQL).execute(arguments: Self.arguments(reflection))
        }
    }

    public func replaceReflection(_ reflection: Reflection) async throws(StoreError) -> Bool {
        try await perform { db in
            let earlierConsent = try String.fetchOne(
                db, sql: "SELECT consent FROM reflections WHERE id = ? AND pseudonym = ?",
                arguments: [reflection.id, reflection.person.value])
            try db.execute(
                sql: """
                    UPDATE reflections SET source = ?, text = ?, task_category = ?, tool = ?, outcome = ?,
                        minutes_saved = ?, confidence = ?, blockers = ?, consent = ?, training_id = ?
                    WHERE id = ? AND pseudonym = ?
                    """,
                arguments: [
                    reflection.source.rawValue, StoredText.storable(reflection.text), reflection.taskCategory?.rawValue,
                    StoredText.storable(reflection.tool),
                    reflection.outcome?.rawValue, reflection.minutesSaved?.rawValue, reflection.confidence,
                    StoredBlockers.encode(reflection.blockers), reflection.consent.rawValue, reflection.trainingID,
                    reflection.id, reflection.person.value,
                ])
            let replaced = db.changesCount == 1
            // Consent withdrawn: the words leave the full-text index now, not at some later segment merge.
            if replaced, reflection.consent == .aggregateOnly, let earlierConsent,
                earlierConsent != Consent.aggregateOnly.rawValue
            {
                try Self.optimizeIdeaIndex(db)
            }
            return replaced
        }
    }

    public func reflection(id: String, of person: Pseudonym) async throws(StoreError) -> Reflection? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM reflections WHERE id = ? AND pseudonym = ?", arguments: [id, person.value]
            ).map(Self.reflection(from:))
        }
    }

    public func preferences(of person: Pseudonym) async throws(StoreError) -> PersonPreferences? {
        try await read { db in try Self.fetchPreferences(db, person) }
    }

    public func setPreferences(_ preferences: PersonPreferences, of person: Pseudonym) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: "UPDATE people SET paused_until = ?, stopped = ? WHERE pseudonym = ?",
                arguments: [preferences.pausedUntil?.timeIntervalSince1970, preferences.stopped, person.value])
            if db.changesCount == 0 { throw StoreError.personNotFound }
        }
    }

    public func exportPerson(_ person: Pseudonym) async throws(StoreError) -> PersonExport? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM people WHERE pseudonym = ?", arguments: [person.value])
            else { return nil }
            let addresses = try Row.fetchAll(
                db, sql: "SELECT address FROM delivery_addresses WHERE pseudonym = ? ORDER BY platform",
                arguments: [person.value]
            ).map { row in try Self.openAddress(row["address"], of: person, keys: keyring.keys(db)) }
            let reflections = try Row.fetchAll(
                db, sql: "SELECT * FROM reflections WHERE pseudonym = ? ORDER BY created_on, rowid",
                arguments: [person.value]
            ).map(Self.reflection(from:))
            var export = PersonExport(
                pseudonym: person, firstSeenAt: StoredDay.date(from: row["first_seen_on"]),
                addresses: addresses, preferences: Self.preferences(from: row), reflections: reflections)
            export.leaderResponses = try Self.leaderResponses(db, of: person)
            export.questionAnswers = try Self.questionAnswers(db, of: person)
            export.usefulMarks = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM idea_marks WHERE pseudonym = ?", arguments: [person.value])
            return export
        }
    }

    @discardableResult
    public func erasePerson(_ person: Pseudonym, address: DeliveryAddress) async throws(StoreError) -> Int {
        let reflections = try await perform { db in
            // Who the person is on their platform: as the caller knows them, and as stored (normally the same).
            var userIDs: Set<String> = [address.userID]
            // An address that cannot be opened (another key) does not stop the erasure.
            if let sealed = try Data.fetchOne(
                db, sql: "SELECT address FROM delivery_addresses WHERE pseudonym = ?", arguments: [person.value]),
                let stored = try? Self.openAddress(sealed, of: person, keys: keyring.keys(db))
            {
                userIDs.insert(stored.userID)
            }
            try db.execute(sql: "DELETE FROM reflections WHERE pseudonym = ?", arguments: [person.value])
            let reflections = db.changesCount
            try Self.optimizeIdeaIndex(db)
            try db.execute(sql: "DELETE FROM delivery_addresses WHERE pseudonym = ?", arguments: [person.value])
            try db.execute(sql: "DELETE FROM people WHERE pseudonym = ?", arguments: [person.value])
            // Pending nudges would otherwise still reach the erased person, and finished ones keep the
            // pseudonym in their key. A running send finishes (and finds no address to send to).
            _ = try Self.deleteJobs(
                db, dedupeKeyPrefix: NudgeJobKey.personPrefix(person), states: ["pending", "dead", "done"])
            _ = try Self.deleteJobs(
                db, dedupeKeyPrefix: HabitJobKey.personPrefix(person), states: ["pending", "dead", "done"])
            // A queued participant resolution that names them must not bring them back, and no list of
            // people who could not be reached keeps their id.
            let keys = try keyring.keys(db)
            try Self.removeFromJobIdentifiers(db, userIDs: userIDs, keys: keys)
            try Self.removeFromResolutionReports(db, userIDs: userIDs, keys: keys)
            return reflections
        }
        try await checkpoint()
        return reflections
    }

    /// Moves every committed page into the database file and truncates the write-ahead log, so content that
    /// was deleted (and overwritten, `secure_delete`) is not still readable in old log frames. Waits for
    /// readers up to the busy timeout.
    func checkpoint() async throws(StoreError) {
        guard let checkpointer else { return }
        do {
            // With the background checkpoints held off: SQLite would refuse this one while one of them runs.
            try await writer.writeWithoutTransaction { db in
                _ = try checkpointer.excludingBackground { try db.checkpoint(.truncate) }
            }
        } catch {
            throw StoreError.unavailable(
                "the write-ahead log could not be truncated (\(Self.describe(error))); it is retried at the next erasure"
            )
        }
    }

    public func recordInstallationEvent(_ event: InstallationEvent) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: "INSERT INTO installation_events (platform, workspace, kind, occurred_at) VALUES (?, ?, ?, ?)",
                arguments: [
                    event.platform.rawValue, event.workspace, event.kind.rawValue,
                    event.occurredAt.timeIntervalSince1970,
                ])
        }
    }

    public func installationEvents(workspace: String) async throws(StoreError) -> [InstallationEvent] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM installation_events WHERE workspace = ? ORDER BY id", arguments: [workspace]
            ).compactMap { row -> InstallationEvent? in
                guard let platform = Platform(rawValue: row["platform"]),
                    let kind = InstallationEvent.Kind(rawValue: row["kind"])
                else { return nil }
                return InstallationEvent(
                    platform: platform, workspace: row["workspace"], kind: kind,
                    occurredAt: Date(timeIntervalSince1970: row["occurred_at"]))
            }
        }
    }

    public func instanceSecret(named name: String, generate: @escaping @Sendable () -> String)
        async throws(StoreError) -> String
    {
        try await perform { db in
            if let existing = try String.fetchOne(
                db, sql: "SELECT value FROM instance_secrets WHERE name = ?", arguments: [name])
            {
                return existing
            }
            let value = generate()
            try db.execute(sql: "INSERT INTO instance_secrets (name, value) VALUES (?, ?)", arguments: [name, value])
            return value
        }
    }

    /// How many rows a table holds; for tests and the benchmark's "every acknowledged row stored" check.
    public func count(table: SQLiteTable) async throws(StoreError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.rawValue)") ?? 0 }
    }

    // MARK: - Plumbing

    func perform<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await groupCommit.write(work)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.map(error)
        }
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(work)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.map(error)
        }
    }

    static func map(_ error: any Error) -> StoreError {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_CONSTRAINT: return .constraintViolated(error.message ?? "constraint")
            case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY:
                return .unavailable(error.message ?? "\(error.resultCode)")
            default: return .unexpected(error.message ?? "\(error.resultCode)")
            }
        }
        return .unexpected(describe(error))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return String(describing: type(of: error))
    }

    static func personExists(_ db: Database, _ person: Pseudonym) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM people WHERE pseudonym = ?", arguments: [person.value]) ?? false
    }

    static func fetchPreferences(_ db: Database, _ person: Pseudonym) throws -> PersonPreferences? {
        try Row.fetchOne(
            db, sql: "SELECT paused_until, stopped FROM people WHERE pseudonym = ?", arguments: [person.value]
        ).map(preferences(from:))
    }

    static func preferences(from row: Row) -> PersonPreferences {
        let paused: Double? = row["paused_until"]
        return PersonPreferences(pausedUntil: paused.map(Date.init(timeIntervalSince1970:)), stopped: row["stopped"])
    }

    static let insertReflectionSQL = """
        INSERT INTO reflections (id, pseudonym, created_on, source, text, task_category, tool, outcome,
            minutes_saved, confidence, blockers, consent, training_id, iso_week)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func arguments(_ reflection: Reflection) -> StatementArguments {
        let day = StoredDay.string(from: reflection.createdAt)
        return [
            reflection.id, reflection.person.value, day,
            reflection.source.rawValue, StoredText.storable(reflection.text), reflection.taskCategory?.rawValue,
            StoredText.storable(reflection.tool),
            reflection.outcome?.rawValue, reflection.minutesSaved?.rawValue, reflection.confidence,
            StoredBlockers.encode(reflection.blockers), reflection.consent.rawValue, reflection.trainingID,
            StoredDay.isoWeek(day),
        ]
    }

    static func reflection(from row: Row) -> Reflection {
        let category: String? = row["task_category"]
        let outcome: String? = row["outcome"]
        let minutes: String? = row["minutes_saved"]
        let source: String = row["source"]
        let consent: String = row["consent"]
        return Reflection(
            id: row["id"], person: Pseudonym(rawValue: row["pseudonym"]),
            createdAt: StoredDay.date(from: row["created_on"]),
            source: ReflectionSource(rawValue: source) ?? .modal, text: row["text"],
            taskCategory: category.flatMap(TaskCategory.init(rawValue:)), tool: row["tool"],
            outcome: outcome.flatMap(Outcome.init(rawValue:)),
            minutesSaved: minutes.flatMap(MinutesSaved.init(rawValue:)), confidence: row["confidence"],
            blockers: StoredBlockers.decode(row["blockers"]), consent: Consent(rawValue: consent) ?? .aggregateOnly,
            trainingID: row["training_id"])
    }
}

/// Tables whose size may be inspected from outside the store.
public enum SQLiteTable: String, Sendable {
    case people, reflections
    case deliveryAddresses = "delivery_addresses"
    case inboundDeliveries = "inbound_deliveries"
}
