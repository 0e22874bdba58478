import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// People, their sealed addresses and reflections, inbound deliveries, installation events and instance secrets:
/// the SQLite store's behaviour, made safe for several replicas writing at once.
///
/// Where SQLite's single writer made a read-then-write correct, these statements say what must hold instead:
/// `ON CONFLICT DO NOTHING` for first contacts and deliveries (two replicas never both fail or both win), a
/// `FOR KEY SHARE` lock on the person while a reflection or address is written for them (an erasure in between
/// cannot turn the write into a foreign-key error, nor leave the write behind), and `FOR UPDATE` on every row an
/// erasure rewrites.
extension PostgresStore {
    public func recordInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) -> Bool {
        try await write { connection in
            let platform = delivery.platform.rawValue
            let receivedAt = delivery.receivedAt.timeIntervalSince1970
            // Exactly one transaction on any replica gets the row back; the others wait for it and get none.
            return try await connection.count(
                """
                INSERT INTO inbound_deliveries (platform, workspace, delivery_id, kind, received_at)
                VALUES (\(platform), \(delivery.workspace), \(delivery.deliveryID), \(delivery.kind), \(receivedAt))
                ON CONFLICT DO NOTHING RETURNING 1
                """) == 1
        }
    }

    public func removeInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) {
        try await write { connection in
            let platform = delivery.platform.rawValue
            try await connection.execute(
                """
                DELETE FROM inbound_deliveries
                WHERE platform = \(platform) AND workspace = \(delivery.workspace)
                    AND delivery_id = \(delivery.deliveryID)
                """)
        }
    }

    @discardableResult
    public func upsertPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, at now: Date) async throws(StoreError)
        -> PersonPreferences
    {
        try await write { connection in
            try await Self.upsertPerson(
                connection, address, pseudonym: pseudonym, at: now, keys: keyring.keys(connection))
            return try await Self.fetchPreferences(connection, pseudonym) ?? PersonPreferences()
        }
    }

    public func refreshPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, timeZone: String?, at now: Date)
        async throws(StoreError)
    {
        try await write { connection in
            let keys = try await keyring.keys(connection)
            try await Self.upsertPerson(connection, address, pseudonym: pseudonym, at: now, keys: keys)
            let sealed = try Self.sealAddress(address, of: pseudonym, keys: keys)
            let platform = address.platform.rawValue
            try await connection.execute(
                """
                UPDATE delivery_addresses SET address = \(sealed)
                WHERE pseudonym = \(pseudonym.value) AND platform = \(platform)
                """)
            if let timeZone {
                try await connection.execute(
                    "UPDATE people SET time_zone = \(timeZone) WHERE pseudonym = \(pseudonym.value)")
            }
        }
    }

    public func recordReflection(_ reflection: Reflection, from address: DeliveryAddress) async throws(StoreError) {
        // Almost every reflection comes from someone Debrief already knows: one statement, one round trip, its own
        // transaction. Only a first contact (or a person without an address) takes the transaction below.
        if try await autocommit({ connection in try await Self.insertForKnownPerson(reflection, connection) }) {
            return
        }
        try await write { connection in
            try await Self.upsertPerson(
                connection, address, pseudonym: reflection.person, at: reflection.createdAt,
                keys: keyring.keys(connection))
            try await Self.insert(reflection, connection)
            let answeredAt = reflection.createdAt.timeIntervalSince1970
            try await connection.execute(
                """
                UPDATE habit_prompts SET answer = \(unescaped: HabitPromptReflection.answerExpression),
                    answered_at = \(answeredAt)
                WHERE id = (
                    SELECT id FROM habit_prompts WHERE pseudonym = \(reflection.person.value) AND answer IS NULL
                    ORDER BY sent_at DESC, id DESC LIMIT 1
                ) AND kind IN \(unescaped: HabitPromptReflection.answeredKinds)
                """)
        }
    }

    public func insertReflection(_ reflection: Reflection) async throws(StoreError) {
        try await write { connection in
            guard try await Self.lockPerson(connection, reflection.person) else { throw StoreError.personNotFound }
            try await Self.insert(reflection, connection)
        }
    }

    public func replaceReflection(_ reflection: Reflection) async throws(StoreError) -> Bool {
        try await write { connection in
            let blockers = StoredBlockers.encode(reflection.blockers)
            return try await connection.count(
                """
                UPDATE reflections SET source = \(reflection.source.rawValue), text = \(StoredText.storable(reflection.text)),
                    task_category = \(reflection.taskCategory?.rawValue), tool = \(StoredText.storable(reflection.tool)),
                    outcome = \(reflection.outcome?.rawValue), minutes_saved = \(reflection.minutesSaved?.rawValue),
                    confidence = \(reflection.confidence), blockers = \(blockers),
                    consent = \(reflection.consent.rawValue), training_id = \(reflection.trainingID)
                WHERE id = \(reflection.id) AND pseudonym = \(reflection.person.value)
                RETURNING 1
                """) == 1
        }
    }

    public func reflection(id: String, of person: Pseudonym) async throws(StoreError) -> Reflection? {
        try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.reflectionColumns) FROM reflections
                WHERE id = \(id) AND pseudonym = \(person.value)
                """)
            return try rows.first.map(Self.reflection(from:))
        }
    }

    public func preferences(of person: Pseudonym) async throws(StoreError) -> PersonPreferences? {
        try await read { connection in try await Self.fetchPreferences(connection, person) }
    }

    public func setPreferences(_ preferences: PersonPreferences, of person: Pseudonym) async throws(StoreError) {
        try await write { connection in
            let pausedUntil = preferences.pausedUntil?.timeIntervalSince1970
            let changed = try await connection.count(
                """
                UPDATE people SET paused_until = \(pausedUntil), stopped = \(preferences.stopped)
                WHERE pseudonym = \(person.value) RETURNING 1
                """)
            if changed == 0 { throw StoreError.personNotFound }
        }
    }

    public func exportPerson(_ person: Pseudonym) async throws(StoreError) -> PersonExport? {
        try await read { connection in
            let people = try await connection.rows(
                "SELECT first_seen_on, paused_until, stopped FROM people WHERE pseudonym = \(person.value)")
            guard let row = people.first else { return nil }
            let (firstSeenOn, pausedUntil, stopped) = try row.decode((String, Double?, Bool).self)
            let keys = try await keyring.keys(connection)
            var addresses: [DeliveryAddress] = []
            for row in try await connection.rows(
                "SELECT address FROM delivery_addresses WHERE pseudonym = \(person.value) ORDER BY platform")
            {
                addresses.append(try Self.openAddress(try row.decode(Data.self), of: person, keys: keys))
            }
            // Within a day, in the order the rows were written (`ctid`, PostgreSQL's stand-in for SQLite's rowid).
            let reflections = try await connection.rows(
                """
                SELECT \(unescaped: Self.reflectionColumns) FROM reflections WHERE pseudonym = \(person.value)
                ORDER BY created_on, ctid
                """
            ).map(Self.reflection(from:))
            var export = PersonExport(
                pseudonym: person, firstSeenAt: StoredDay.date(from: firstSeenOn), addresses: addresses,
                preferences: PersonPreferences(
                    pausedUntil: pausedUntil.map(Date.init(timeIntervalSince1970:)), stopped: stopped),
                reflections: reflections)
            export.leaderResponses = try await Self.leaderResponses(connection, of: person)
            export.questionAnswers = try await Self.questionAnswers(connection, of: person)
            export.usefulMarks = try await connection.rows(
                "SELECT COUNT(*)::BIGINT FROM idea_marks WHERE pseudonym = \(person.value)"
            ).first?.decode(Int.self)
            return export
        }
    }

    @discardableResult
    public func erasePerson(_ person: Pseudonym, address: DeliveryAddress) async throws(StoreError) -> Int {
        try await write { connection in
            try await Self.holdForErasure(connection, person, platform: address.platform)
            let keys = try await keyring.keys(connection)
            // Who the person is on their platform: as the caller knows them, and as stored (normally the same).
            var userIDs: Set<String> = [address.userID]
            // An address that cannot be opened (another key) does not stop the erasure.
            for row in try await connection.rows(
                "SELECT address FROM delivery_addresses WHERE pseudonym = \(person.value)")
            {
                if let stored = try? Self.openAddress(try row.decode(Data.self), of: person, keys: keys) {
                    userIDs.insert(stored.userID)
                }
            }
            let reflections = try await connection.count(
                "DELETE FROM reflections WHERE pseudonym = \(person.value) RETURNING 1")
            try await connection.execute("DELETE FROM delivery_addresses WHERE pseudonym = \(person.value)")
            try await connection.execute("DELETE FROM people WHERE pseudonym = \(person.value)")
            // Pending nudges would otherwise still reach the erased person, and finished ones keep the pseudonym
            // in their key. A running send finishes (and finds no address to send to).
            _ = try await Self.deleteJobs(
                connection, dedupeKeyPrefix: NudgeJobKey.personPrefix(person), states: [.pending, .dead, .done])
            _ = try await Self.deleteJobs(
                connection, dedupeKeyPrefix: HabitJobKey.personPrefix(person), states: [.pending, .dead, .done])
            // A queued participant resolution that names them must not bring them back, and no list of people who
            // could not be reached keeps their id.
            try await Self.removeFromJobIdentifiers(connection, userIDs: userIDs, keys: keys)
            try await Self.removeFromResolutionReports(connection, userIDs: userIDs, keys: keys)
            return reflections
        }
    }

    public func recordInstallationEvent(_ event: InstallationEvent) async throws(StoreError) {
        try await write { connection in
            let occurredAt = event.occurredAt.timeIntervalSince1970
            try await connection.execute(
                """
                INSERT INTO installation_events (platform, workspace, kind, occurred_at)
                VALUES (\(event.platform.rawValue), \(event.workspace), \(event.kind.rawValue), \(occurredAt))
                """)
        }
    }

    public func installationEvents(workspace: String) async throws(StoreError) -> [InstallationEvent] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT platform, workspace, kind, occurred_at FROM installation_events
                WHERE workspace = \(workspace) ORDER BY id
                """
            ).compactMap { row -> InstallationEvent? in
                let (platform, workspace, kind, occurredAt) = try row.decode((String, String, String, Double).self)
                guard let platform = Platform(rawValue: platform), let kind = InstallationEvent.Kind(rawValue: kind)
                else { return nil }
                return InstallationEvent(
                    platform: platform, workspace: workspace, kind: kind,
                    occurredAt: Date(timeIntervalSince1970: occurredAt))
            }
        }
    }

    public func instanceSecret(named name: String, generate: @escaping @Sendable () -> String) async throws(StoreError)
        -> String
    {
        try await write { connection in
            if let existing = try await Self.secret(named: name, connection) { return existing }
            // Two replicas may both generate one; the first insert wins and both return the stored value.
            let value = generate()
            try await connection.execute(
                "INSERT INTO instance_secrets (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO NOTHING")
            guard let stored = try await Self.secret(named: name, connection) else {
                throw StoreError.unexpected("the instance secret could not be stored")
            }
            return stored
        }
    }

    // MARK: - Helpers

    /// Creates the person on first contact and stores their sealed address. A pseudonym is derived from the
    /// address, so a stored address never changes here: it is sealed and written only the first time.
    ///
    /// Why the loop: `ON CONFLICT DO NOTHING` lets two replicas meet the same newcomer at once without either
    /// failing; the person's row is then locked (`FOR KEY SHARE`) so an erasure cannot remove it before this
    /// transaction's rows that refer to it are written. When an erasure removed it in between, it is created
    /// again: the contact came after the erasure.
    static func upsertPerson(
        _ connection: PostgresConnection, _ address: DeliveryAddress, pseudonym: Pseudonym, at now: Date,
        keys: PostgresKeyring.Keys
    ) async throws {
        let platform = address.platform.rawValue
        let firstSeenOn = StoredDay.string(from: now)
        var present = false
        for _ in 0..<3 where !present {
            try await connection.execute(
                """
                INSERT INTO people (pseudonym, platform, first_seen_on)
                VALUES (\(pseudonym.value), \(platform), \(firstSeenOn))
                ON CONFLICT (pseudonym) DO NOTHING
                """)
            present = try await lockPerson(connection, pseudonym)
        }
        guard present else { throw StoreError.unavailable("the person was erased again and again while recorded") }
        let known = try await connection.count(
            "SELECT 1 FROM delivery_addresses WHERE pseudonym = \(pseudonym.value)")
        guard known == 0 else { return }
        let sealed = try sealAddress(address, of: pseudonym, keys: keys)
        try await connection.execute(
            """
            INSERT INTO delivery_addresses (pseudonym, platform, address)
            VALUES (\(pseudonym.value), \(platform), \(sealed))
            ON CONFLICT (pseudonym) DO NOTHING
            """)
    }

    /// Holds the person's row, creating it when it does not exist, with a lock no writer for them can pass until
    /// the erasure commits.
    ///
    /// Why create it: a writer that meets the person for the first time while they are being erased would
    /// otherwise create them between the erasure's statements, and the erasure's `DELETE FROM people` would take
    /// that writer's reflections with it without counting them. With the row held, a writer that was first waits
    /// for the erasure, finds the person gone and creates them again after it: the contact came after the
    /// erasure. The row is deleted with the person before anyone can see it.
    private static func holdForErasure(_ connection: PostgresConnection, _ person: Pseudonym, platform: Platform)
        async throws
    {
        let today = StoredDay.string(from: Date())
        for _ in 0..<3 {
            try await connection.execute(
                """
                INSERT INTO people (pseudonym, platform, first_seen_on)
                VALUES (\(person.value), \(platform.rawValue), \(today))
                ON CONFLICT (pseudonym) DO NOTHING
                """)
            // Nothing when another erasure deleted the row while this one waited for it: hold a new one.
            if try await connection.count("SELECT 1 FROM people WHERE pseudonym = \(person.value) FOR UPDATE") == 1 {
                return
            }
        }
        throw StoreError.unavailable("the person was erased by others again and again during this erasure")
    }

    /// Locks the person's row against deletion until the transaction ends; false when there is no such person.
    static func lockPerson(_ connection: PostgresConnection, _ person: Pseudonym) async throws -> Bool {
        try await connection.count("SELECT 1 FROM people WHERE pseudonym = \(person.value) FOR KEY SHARE") == 1
    }

    static func fetchPreferences(_ connection: PostgresConnection, _ person: Pseudonym) async throws
        -> PersonPreferences?
    {
        let rows = try await connection.rows(
            "SELECT paused_until, stopped FROM people WHERE pseudonym = \(person.value)")
        guard let row = rows.first else { return nil }
        let (pausedUntil, stopped) = try row.decode((Double?, Bool).self)
        return PersonPreferences(pausedUntil: pausedUntil.map(Date.init(timeIntervalSince1970:)), stopped: stopped)
    }

    static func insert(_ reflection: Reflection, _ connection: PostgresConnection) async throws {
        let createdOn = StoredDay.string(from: reflection.createdAt)
        let isoWeek = StoredDay.isoWeek(createdOn)
        let blockers = StoredBlockers.encode(reflection.blockers)
        try await connection.execute(
            """
            INSERT INTO reflections (id, pseudonym, created_on, source, text, task_category, tool, outcome,
                minutes_saved, confidence, blockers, consent, training_id, iso_week)
            VALUES (\(reflection.id), \(reflection.person.value), \(createdOn), \(reflection.source.rawValue),
                \(StoredText.storable(reflection.text)), \(reflection.taskCategory?.rawValue),
                \(StoredText.storable(reflection.tool)),
                \(reflection.outcome?.rawValue), \(reflection.minutesSaved?.rawValue), \(reflection.confidence),
                \(blockers), \(reflection.consent.rawValue), \(reflection.trainingID), \(isoWeek))
            """)
    }

    /// Stores the reflection when its person exists and has an address, in one statement (the person's row held
    /// `FOR KEY SHARE` as ``lockPerson(_:_:)`` does, so an erasure waits); returns false, having changed nothing,
    /// when the person or their address is missing.
    static func insertForKnownPerson(_ reflection: Reflection, _ connection: PostgresConnection) async throws -> Bool {
        let createdOn = StoredDay.string(from: reflection.createdAt)
        let isoWeek = StoredDay.isoWeek(createdOn)
        let blockers = StoredBlockers.encode(reflection.blockers)
        let answeredAt = reflection.createdAt.timeIntervalSince1970
        // One statement: the insert, and the habit prompt it answers (a data-modifying WITH runs once, whether or
        // not the outer query reads it), only when the insert happened.
        return try await connection.count(
            """
            WITH known AS (
                SELECT p.pseudonym FROM people p
                WHERE p.pseudonym = \(reflection.person.value)
                    AND EXISTS (SELECT 1 FROM delivery_addresses a WHERE a.pseudonym = p.pseudonym)
                FOR KEY SHARE OF p
            ), inserted AS (
                INSERT INTO reflections (id, pseudonym, created_on, source, text, task_category, tool, outcome,
                    minutes_saved, confidence, blockers, consent, training_id, iso_week)
                SELECT \(reflection.id), known.pseudonym, \(createdOn), \(reflection.source.rawValue),
                    \(StoredText.storable(reflection.text)), \(reflection.taskCategory?.rawValue),
                    \(StoredText.storable(reflection.tool)),
                    \(reflection.outcome?.rawValue), \(reflection.minutesSaved?.rawValue), \(reflection.confidence),
                    \(blockers), \(reflection.consent.rawValue), \(reflection.trainingID), \(isoWeek)
                FROM known
                RETURNING 1
            ), answered AS (
                UPDATE habit_prompts SET answer = \(unescaped: HabitPromptReflection.answerExpression),
                    answered_at = \(answeredAt)
                WHERE id = (
                    SELECT id FROM habit_prompts WHERE pseudonym = \(reflection.person.value) AND answer IS NULL
                    ORDER BY sent_at DESC, id DESC LIMIT 1
                ) AND kind IN \(unescaped: HabitPromptReflection.answeredKinds) AND EXISTS (SELECT 1 FROM inserted)
                RETURNING 1
            )
            SELECT 1 FROM inserted
            """) == 1
    }

    /// The columns ``reflection(from:)`` reads, in its order.
    static let reflectionColumns = """
        id, pseudonym, created_on, source, text, task_category, tool, outcome, minutes_saved, confidence, blockers,
        consent, training_id
        """

    static func reflection(from row: PostgresRow) throws -> Reflection {
        let (
            id, pseudonym, createdOn, source, text, category, tool, outcome, minutes, confidence, blockers, consent,
            trainingID
        ) = try row.decode(
            (
                String, String, String, String, String, String?, String?, String?, String?, Int?, String, String,
                String?
            ).self)
        return Reflection(
            id: id, person: Pseudonym(rawValue: pseudonym), createdAt: StoredDay.date(from: createdOn),
            source: ReflectionSource(rawValue: source) ?? .modal, text: text,
            taskCategory: category.flatMap(TaskCategory.init(rawValue:)), tool: tool,
            outcome: outcome.flatMap(Outcome.init(rawValue:)),
            minutesSaved: minutes.flatMap(MinutesSaved.init(rawValue:)), confidence: confidence,
            blockers: StoredBlockers.decode(blockers), consent: Consent(rawValue: consent) ?? .aggregateOnly,
            trainingID: trainingID)
    }

    private static func secret(named name: String, _ connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.rows("SELECT value FROM instance_secrets WHERE name = \(name)")
        return try rows.first?.decode(String.self)
    }
}
