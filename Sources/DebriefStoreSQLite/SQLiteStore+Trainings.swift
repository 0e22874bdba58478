import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteMigrations {
    static func registerTrainingMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-trainings") { db in
            try db.execute(
                sql: """
                    ALTER TABLE people ADD COLUMN time_zone TEXT;
                    CREATE TABLE trainings (
                        id TEXT PRIMARY KEY NOT NULL,
                        workspace TEXT NOT NULL,
                        title TEXT NOT NULL,
                        topic TEXT,
                        ended_at REAL NOT NULL,
                        sequence_id TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        unresolved_count INTEGER NOT NULL DEFAULT 0,
                        resolution_report TEXT
                    );
                    CREATE TABLE training_participants (
                        training_id TEXT NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        PRIMARY KEY (training_id, pseudonym)
                    );
                    CREATE INDEX training_participants_pseudonym ON training_participants(pseudonym);
                    CREATE TABLE nudge_sends (
                        id TEXT PRIMARY KEY NOT NULL,
                        training_id TEXT NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        stage_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        sent_at REAL NOT NULL,
                        channel TEXT NOT NULL,
                        message_ts TEXT NOT NULL,
                        response TEXT CHECK (response IN ('reflected', 'snoozed', 'skipped')),
                        responded_at REAL
                    );
                    CREATE INDEX nudge_sends_pseudonym ON nudge_sends(pseudonym);
                    """)
        }
    }
}

extension SQLiteStore: TrainingStore {
    public func registerTraining(_ training: Training, participants: [TrainingParticipant], jobs: [NewJob])
        async throws(StoreError)
    {
        try await perform { db in
            try db.execute(
                sql: """
                    INSERT INTO trainings (id, workspace, title, topic, ended_at, sequence_id, created_at, unresolved_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    training.id, training.workspace, StoredText.storable(training.title),
                    StoredText.storable(training.topic),
                    training.endedAt.timeIntervalSince1970, training.sequenceID,
                    training.createdAt.timeIntervalSince1970, training.unresolvedCount,
                ])
            try Self.insertParticipants(
                db, participants, trainingID: training.id, at: training.createdAt, keys: keyring.keys(db))
            _ = try Self.enqueue(jobs, in: db, keyring: keyring)
        }
    }

    static func insertParticipants(
        _ db: Database, _ participants: [TrainingParticipant], trainingID: String, at: Date, keys: SQLiteKeyring.Keys
    ) throws {
        // Cached statements: a batch holds hundreds of people, and parsing SQL per person adds up.
        let setZone = try db.cachedStatement(sql: "UPDATE people SET time_zone = ? WHERE pseudonym = ?")
        let addParticipant = try db.cachedStatement(
            sql: "INSERT INTO training_participants (training_id, pseudonym) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for participant in participants {
            try upsertPerson(db, participant.address, pseudonym: participant.pseudonym, at: at, keys: keys)
            if let zone = participant.timeZone {
                try setZone.execute(arguments: [zone, participant.pseudonym.value])
            }
            try addParticipant.execute(arguments: [trainingID, participant.pseudonym.value])
        }
    }

    public func addTrainingParticipants(
        trainingID: String, workspace: String, participants: [TrainingParticipant], jobs: [NewJob], at now: Date
    ) async throws(StoreError) {
        try await perform { db in
            try db.execute(sql: "UPDATE trainings SET workspace = ? WHERE id = ?", arguments: [workspace, trainingID])
            guard db.changesCount == 1 else { throw StoreError.constraintViolated("unknown training") }
            try Self.insertParticipants(db, participants, trainingID: trainingID, at: now, keys: keyring.keys(db))
            _ = try Self.enqueue(jobs, in: db, keyring: keyring)
        }
    }

    public func recordResolution(trainingID: String, workspace: String, report: TrainingResolutionReport)
        async throws(StoreError)
    {
        try await perform { db in
            let keys = try keyring.keys(db)
            try db.execute(
                sql: "UPDATE trainings SET workspace = ?, unresolved_count = ?, resolution_report = ? WHERE id = ?",
                arguments: [
                    workspace, report.unresolvedCount, try Self.sealReport(report, trainingID: trainingID, keys: keys),
                    trainingID,
                ])
            guard db.changesCount == 1 else { throw StoreError.constraintViolated("unknown training") }
        }
    }

    /// Most pseudonyms bound in one `IN (…)` list (SQLite allows 32,766 variables; small lists plan well).
    static let planningChunk = 500

    public func planningInputs(of people: [Pseudonym]) async throws(StoreError) -> [Pseudonym: PersonPlanningInput] {
        guard !people.isEmpty else { return [:] }
        let values = Array(Set(people.map(\.value)))
        return try await read { db in try planningInputs(of: values, in: db) }
    }

    /// ``planningInputs(of:)`` inside a read that is already open.
    func planningInputs(of values: [String], in db: Database) throws -> [Pseudonym: PersonPlanningInput] {
        let keys = try keyring.keys(db)
        var inputs: [Pseudonym: PersonPlanningInput] = [:]
        inputs.reserveCapacity(values.count)
        for start in stride(from: 0, to: values.count, by: Self.planningChunk) {
            let chunk = Array(values[start..<min(values.count, start + Self.planningChunk)])
            let list = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let arguments = StatementArguments(chunk)
            // One person (a nudge send re-planning, many a second) reuses compiled statements; batches vary
            // in size, so theirs are compiled each time rather than filling the statement cache.
            func rows(_ sql: String) throws -> [Row] {
                chunk.count == 1
                    ? try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
                    : try Row.fetchAll(db, sql: sql, arguments: arguments)
            }
            for row in try rows(
                "SELECT pseudonym, paused_until, stopped, time_zone FROM people WHERE pseudonym IN (\(list))")
            {
                inputs[Pseudonym(rawValue: row["pseudonym"])] = PersonPlanningInput(
                    preferences: Self.preferences(from: row), timeZone: row["time_zone"], trainingIDs: [],
                    sends: [],
                    trainingReflections: [])
            }
            for row in try rows(
                """
                SELECT pseudonym, training_id FROM training_participants WHERE pseudonym IN (\(list))
                ORDER BY pseudonym, training_id
                """)
            {
                inputs[Pseudonym(rawValue: row["pseudonym"])]?.trainingIDs.append(row["training_id"])
            }
            for row in try rows(
                "SELECT * FROM nudge_sends WHERE pseudonym IN (\(list)) ORDER BY pseudonym, sent_at")
            {
                let send = try Self.nudgeSend(from: row, keys: keys)
                inputs[send.person]?.sends.append(send)
            }
            for row in try rows(
                """
                SELECT pseudonym, training_id, created_on FROM reflections
                WHERE pseudonym IN (\(list)) AND training_id IS NOT NULL
                """)
            {
                inputs[Pseudonym(rawValue: row["pseudonym"])]?.trainingReflections.append(
                    TrainingReflectionDay(
                        trainingID: row["training_id"], day: StoredDay.date(from: row["created_on"])))
            }
        }
        return inputs
    }

    public func trainings(ids: [String]) async throws(StoreError) -> [String: Training] {
        guard !ids.isEmpty else { return [:] }
        let unique = Array(Set(ids))
        return try await read { db in try Self.trainings(ids: unique, in: db) }
    }

    /// ``trainings(ids:)`` inside a read that is already open; `unique` holds no id twice.
    static func trainings(ids unique: [String], in db: Database) throws -> [String: Training] {
        var trainings: [String: Training] = [:]
        for start in stride(from: 0, to: unique.count, by: Self.planningChunk) {
            let chunk = Array(unique[start..<min(unique.count, start + Self.planningChunk)])
            let list = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM trainings WHERE id IN (\(list))", arguments: StatementArguments(chunk))
            {
                let training = Self.training(from: row)
                trainings[training.id] = training
            }
        }
        return trainings
    }

    public func trainingIDs(of person: Pseudonym) async throws(StoreError) -> [String] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT training_id FROM training_participants WHERE pseudonym = ? ORDER BY training_id",
                arguments: [person.value])
        }
    }

    public func resolutionReport(of trainingID: String) async throws(StoreError) -> TrainingResolutionReport? {
        try await read { db in
            guard
                let sealed = try Data.fetchOne(
                    db, sql: "SELECT resolution_report FROM trainings WHERE id = ?", arguments: [trainingID])
            else { return nil }
            return try Self.openReport(sealed, trainingID: trainingID, keys: keyring.keys(db))
        }
    }

    public func trainingReflections(of person: Pseudonym) async throws(StoreError) -> [(trainingID: String, day: Date)]
    {
        let rows = try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT training_id, created_on FROM reflections WHERE pseudonym = ? AND training_id IS NOT NULL",
                arguments: [person.value]
            ).map { row -> [String] in [row["training_id"], row["created_on"]] }
        }
        return rows.map { (trainingID: $0[0], day: StoredDay.date(from: $0[1])) }
    }

    public func training(id: String) async throws(StoreError) -> Training? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM trainings WHERE id = ?", arguments: [id]).map(Self.training(from:))
        }
    }

    public func trainingSummaries() async throws(StoreError) -> [TrainingSummary] {
        try await read { db in
            let keys = try keyring.keys(db)
            return try Row.fetchAll(db, sql: Self.summarySQL + " ORDER BY t.ended_at DESC, t.id").map {
                try Self.summary(from: $0, keys: keys)
            }
        }
    }

    public func trainingSummary(id: String) async throws(StoreError) -> TrainingSummary? {
        try await read { db in
            let keys = try keyring.keys(db)
            return try Row.fetchOne(db, sql: Self.summarySQL + " WHERE t.id = ?", arguments: [id]).map {
                try Self.summary(from: $0, keys: keys)
            }
        }
    }

    /// Counts, status and report in one statement, so they come from one snapshot of the database: the
    /// report (which makes a training "scheduled") is committed after its participants and nudge jobs.
    /// Pending nudges are found through the training's participants and the dedupe-key index (one range per
    /// person: `nudge:<pseudonym>/<training>/…`), so the cost grows with the training, not with the whole job
    /// table (a `LIKE '%…%'` scan of a million jobs per training made one status request take seconds).
    static let summarySQL = """
        SELECT t.*,
            (SELECT COUNT(*) FROM training_participants p WHERE p.training_id = t.id) AS participants,
            (SELECT COUNT(*) FROM nudge_sends s WHERE s.training_id = t.id) AS sent,
            (SELECT COUNT(*) FROM training_participants p CROSS JOIN jobs j
                WHERE p.training_id = t.id
                    AND j.dedupe_key >= 'nudge:' || p.pseudonym || '/' || t.id || '/'
                    AND j.dedupe_key < 'nudge:' || p.pseudonym || '/' || t.id || '/' || X'FF'
                    AND +j.state IN ('pending', 'running')) AS pending
        FROM trainings t
        """

    /// The report is sealed at rest (it names people who could not be reached); it is opened in the same read
    /// as the counts, so the status and the counts come from one snapshot.
    static func summary(from row: Row, keys: SQLiteKeyring.Keys) throws -> TrainingSummary {
        let training = training(from: row)
        let sealed: Data? = row["resolution_report"]
        return TrainingSummary(
            training: training, participants: row["participants"], nudgesSent: row["sent"],
            nudgesPending: row["pending"],
            resolution: try sealed.map { try openReport($0, trainingID: training.id, keys: keys) })
    }

    public func isParticipant(_ person: Pseudonym, of trainingID: String) async throws(StoreError) -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM training_participants WHERE training_id = ? AND pseudonym = ?",
                arguments: [trainingID, person.value]) ?? false
        }
    }

    public func timeZone(of person: Pseudonym) async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT time_zone FROM people WHERE pseudonym = ?", arguments: [person.value])
        }
    }

    public func deliveryAddress(of person: Pseudonym, platform: Platform) async throws(StoreError) -> DeliveryAddress? {
        try await read { db in try deliveryAddress(of: person, platform: platform, in: db) }
    }

    func deliveryAddress(of person: Pseudonym, platform: Platform, in db: Database) throws -> DeliveryAddress? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT address FROM delivery_addresses WHERE pseudonym = ? AND platform = ?"),
            arguments: [person.value, platform.rawValue]
        ).map { sealed in try Self.openAddress(sealed, of: person, keys: keyring.keys(db)) }
    }

    /// One read, so one snapshot and one hop to a reader thread; the statements are cached (a send runs them
    /// hundreds of times a second).
    public func nudgeSendContext(of person: Pseudonym, trainingID: String, platform: Platform)
        async throws(StoreError) -> NudgeSendContext
    {
        try await read { db in
            let training = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM trainings WHERE id = ?"), arguments: [trainingID]
            ).map(Self.training(from:))
            let planning = try planningInputs(of: [person.value], in: db)[person]
            let ids = Array(Set(planning?.trainingIDs ?? []))
            // Most people take part in the job's training only: its row was just read.
            let trainings: [String: Training]
            if ids == [trainingID], let training {
                trainings = [trainingID: training]
            } else {
                trainings = try Self.trainings(ids: ids, in: db)
            }
            let roleLevel = try String.fetchOne(
                db.cachedStatement(sql: "SELECT role_level FROM people WHERE pseudonym = ?"), arguments: [person.value])
            return NudgeSendContext(
                training: training, planning: planning, trainings: trainings,
                address: try deliveryAddress(of: person, platform: platform, in: db), roleLevel: roleLevel)
        }
    }

    public func recordNudgeSent(_ record: NudgeSendRecord) async throws(StoreError) {
        try await perform { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO nudge_sends (id, training_id, pseudonym, stage_id, kind, sent_at, channel, message_ts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                    """
            ).execute(
                arguments: [
                    record.id, record.trainingID, record.person.value, record.stageID, record.kind.rawValue,
                    record.sentAt.timeIntervalSince1970,
                    try Self.sealChannel(record.channel, nudgeID: record.id, keys: keyring.keys(db)), record.messageTS,
                ])
        }
    }

    public func nudgeSend(id: String) async throws(StoreError) -> NudgeSendRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM nudge_sends WHERE id = ?", arguments: [id]).map { row in
                try Self.nudgeSend(from: row, keys: keyring.keys(db))
            }
        }
    }

    public func nudgeSends(to person: Pseudonym) async throws(StoreError) -> [NudgeSendRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM nudge_sends WHERE pseudonym = ? ORDER BY sent_at", arguments: [person.value]
            ).map { row in try Self.nudgeSend(from: row, keys: keyring.keys(db)) }
        }
    }

    public func recordNudgeResponse(id: String, response: NudgeResponse, at: Date) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.execute(
                sql: "UPDATE nudge_sends SET response = ?, responded_at = ? WHERE id = ?",
                arguments: [response.rawValue, at.timeIntervalSince1970, id])
            return db.changesCount == 1
        }
    }

    static func training(from row: Row) -> Training {
        Training(
            id: row["id"], workspace: row["workspace"], title: row["title"], topic: row["topic"],
            endedAt: Date(timeIntervalSince1970: row["ended_at"]), sequenceID: row["sequence_id"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), unresolvedCount: row["unresolved_count"])
    }

    static func nudgeSend(from row: Row, keys: SQLiteKeyring.Keys) throws -> NudgeSendRecord {
        let response: String? = row["response"]
        let respondedAt: Double? = row["responded_at"]
        let id: String = row["id"]
        let channel = try openChannel(row["channel"], nudgeID: id, keys: keys)
        return NudgeSendRecord(
            id: row["id"], trainingID: row["training_id"], person: Pseudonym(rawValue: row["pseudonym"]),
            stageID: row["stage_id"], kind: NudgeKind(rawValue: row["kind"]) ?? .primary,
            sentAt: Date(timeIntervalSince1970: row["sent_at"]),
            channel: channel, messageTS: row["message_ts"], response: response.flatMap(NudgeResponse.init(rawValue:)),
            respondedAt: respondedAt.map(Date.init(timeIntervalSince1970:)))
    }
}
