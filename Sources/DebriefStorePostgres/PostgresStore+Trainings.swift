import DebriefCore
import DebriefStore
import Foundation
import NIOCore
import PostgresNIO

/// Trainings, their participants and the nudges sent for them: the SQLite store's behaviour
/// (`SQLiteStore+Trainings.swift`) in PostgreSQL.
///
/// Where replicas meet: a batch of participants is idempotent (people, addresses, participants and jobs are all
/// `ON CONFLICT DO NOTHING`), so two replicas resolving the same training store each person once; a training's
/// counts and report are one statement, so they come from one snapshot.
extension PostgresStore: TrainingStore {
    public func registerTraining(_ training: Training, participants: [TrainingParticipant], jobs: [NewJob])
        async throws(StoreError)
    {
        try await write { connection in
            let keys = try await keyring.keys(connection)
            try await connection.execute(
                """
                INSERT INTO trainings (id, workspace, title, topic, ended_at, sequence_id, created_at, unresolved_count)
                VALUES (\(training.id), \(training.workspace), \(training.title), \(training.topic),
                    \(training.endedAt.timeIntervalSince1970), \(training.sequenceID),
                    \(training.createdAt.timeIntervalSince1970), \(training.unresolvedCount))
                """)
            try await Self.insertParticipants(
                participants, trainingID: training.id, at: training.createdAt, connection: connection, keys: keys)
            _ = try await Self.trainingsInsertJobs(jobs, connection: connection, keys: keys)
        }
    }

    public func addTrainingParticipants(
        trainingID: String, workspace: String, participants: [TrainingParticipant], jobs: [NewJob], at now: Date
    ) async throws(StoreError) {
        try await write { connection in
            let updated = try await connection.count(
                "UPDATE trainings SET workspace = \(workspace) WHERE id = \(trainingID) RETURNING 1")
            guard updated == 1 else { throw StoreError.constraintViolated("unknown training") }
            let keys = try await keyring.keys(connection)
            try await Self.insertParticipants(
                participants, trainingID: trainingID, at: now, connection: connection, keys: keys)
            _ = try await Self.trainingsInsertJobs(jobs, connection: connection, keys: keys)
        }
    }

    /// Stores a batch of participants in a handful of statements (a batch holds hundreds of people; a round trip
    /// per person and table adds up): people, their sealed addresses (sealed only for people who have none: an
    /// address never changes, the pseudonym is derived from it), time zones, then the participant rows.
    ///
    /// Rows are written in pseudonym order, so two replicas storing overlapping batches lock them in the same
    /// order and do not deadlock each other.
    static func insertParticipants(
        _ participants: [TrainingParticipant], trainingID: String, at: Date, connection: PostgresConnection,
        keys: PostgresKeyring.Keys
    ) async throws {
        guard !participants.isEmpty else { return }
        // One entry per pseudonym; as in SQLite, the last time zone given for a person wins.
        var byPseudonym: [String: TrainingParticipant] = [:]
        var zones: [String: String] = [:]
        for participant in participants {
            if byPseudonym[participant.pseudonym.value] == nil {
                byPseudonym[participant.pseudonym.value] = participant
            }
            if let zone = participant.timeZone { zones[participant.pseudonym.value] = zone }
        }
        let pseudonyms = byPseudonym.keys.sorted()
        let platforms = pseudonyms.map { byPseudonym[$0]?.address.platform.rawValue ?? "" }
        let today = TrainingsDay.string(from: at)
        try await connection.execute(
            """
            INSERT INTO people (pseudonym, platform, first_seen_on)
            SELECT u.pseudonym, u.platform, \(today) FROM UNNEST(\(pseudonyms)::text[], \(platforms)::text[])
                AS u(pseudonym, platform)
            ORDER BY u.pseudonym
            ON CONFLICT (pseudonym) DO NOTHING
            """)

        var known: Set<String> = []
        for try await pseudonym in try await connection.query(
            "SELECT pseudonym FROM delivery_addresses WHERE pseudonym = ANY(\(pseudonyms))", logger: quiet
        ).decode(String.self) {
            known.insert(pseudonym)
        }
        var newPseudonyms: [String] = []
        var newPlatforms: [String] = []
        var newAddresses: [ByteBuffer] = []
        for pseudonym in pseudonyms where !known.contains(pseudonym) {
            guard let participant = byPseudonym[pseudonym] else { continue }
            newPseudonyms.append(pseudonym)
            newPlatforms.append(participant.address.platform.rawValue)
            newAddresses.append(
                ByteBuffer(
                    bytes: try trainingsSealAddress(participant.address, of: participant.pseudonym, keys: keys)))
        }
        if !newPseudonyms.isEmpty {
            try await connection.execute(
                """
                INSERT INTO delivery_addresses (pseudonym, platform, address)
                SELECT * FROM UNNEST(\(newPseudonyms)::text[], \(newPlatforms)::text[], \(newAddresses)::bytea[])
                ON CONFLICT (pseudonym) DO NOTHING
                """)
        }

        let zoned = zones.keys.sorted()
        if !zoned.isEmpty {
            let zoneValues = zoned.map { zones[$0] ?? "" }
            try await connection.execute(
                """
                UPDATE people SET time_zone = u.zone
                FROM UNNEST(\(zoned)::text[], \(zoneValues)::text[]) AS u(pseudonym, zone)
                WHERE people.pseudonym = u.pseudonym
                """)
        }

        try await connection.execute(
            """
            INSERT INTO training_participants (training_id, pseudonym)
            SELECT \(trainingID), u.pseudonym FROM UNNEST(\(pseudonyms)::text[]) AS u(pseudonym)
            ORDER BY u.pseudonym
            ON CONFLICT DO NOTHING
            """)
    }

    /// Inserts jobs inside the caller's transaction, so a training and its nudges commit (or roll back)
    /// together. Jobs whose dedupe key exists are skipped; returns how many were new. Identifiers are sealed,
    /// bound to the new job's id. The job queue's `enqueue` statement exactly (the lead unifies the two).
    static func trainingsInsertJobs(_ jobs: [NewJob], connection: PostgresConnection, keys: PostgresKeyring.Keys)
        async throws -> Int
    {
        var inserted = 0
        for job in jobs {
            let attempts = max(job.maxAttempts, 1)
            let rows = try await connection.rows(
                """
                INSERT INTO jobs (kind, parameters, state, run_at, attempts, max_attempts, dedupe_key, bucket)
                VALUES (\(job.kind), \(job.parameters), 'pending', \(job.runAt.timeIntervalSince1970), 0,
                    \(attempts), \(job.dedupeKey), \(job.bucket))
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id
                """)
            guard let row = rows.first else { continue }
            inserted += 1
            guard !job.identifiers.isEmpty else { continue }
            let id = try row.decode(Int64.self)
            let sealed = try trainingsSealIdentifiers(job.identifiers, jobID: id, keys: keys)
            try await connection.execute("UPDATE jobs SET identifiers = \(sealed) WHERE id = \(id)")
        }
        return inserted
    }

    public func recordResolution(trainingID: String, workspace: String, report: TrainingResolutionReport)
        async throws(StoreError)
    {
        try await write { connection in
            let keys = try await keyring.keys(connection)
            let sealed = try Self.trainingsSealReport(report, trainingID: trainingID, keys: keys)
            let updated = try await connection.count(
                """
                UPDATE trainings SET workspace = \(workspace), unresolved_count = \(report.unresolvedCount),
                    resolution_report = \(sealed)
                WHERE id = \(trainingID) RETURNING 1
                """)
            guard updated == 1 else { throw StoreError.constraintViolated("unknown training") }
        }
    }

    /// Most pseudonyms bound in one array (small arrays plan well and keep each message small).
    static let planningChunk = 500

    public func planningInputs(of people: [Pseudonym]) async throws(StoreError) -> [Pseudonym: PersonPlanningInput] {
        guard !people.isEmpty else { return [:] }
        let values = Array(Set(people.map(\.value)))
        return try await read { connection in
            let keys = try await keyring.keys(connection)
            var inputs: [Pseudonym: PersonPlanningInput] = [:]
            inputs.reserveCapacity(values.count)
            for start in stride(from: 0, to: values.count, by: Self.planningChunk) {
                let chunk = Array(values[start..<min(values.count, start + Self.planningChunk)])
                for try await (pseudonym, pausedUntil, stopped, timeZone) in try await connection.query(
                    "SELECT pseudonym, paused_until, stopped, time_zone FROM people WHERE pseudonym = ANY(\(chunk))",
                    logger: Self.quiet
                ).decode((String, Double?, Bool, String?).self) {
                    inputs[Pseudonym(rawValue: pseudonym)] = PersonPlanningInput(
                        preferences: PersonPreferences(
                            pausedUntil: pausedUntil.map(Date.init(timeIntervalSince1970:)), stopped: stopped),
                        timeZone: timeZone, trainingIDs: [], sends: [], trainingReflections: [])
                }
                for try await (pseudonym, trainingID) in try await connection.query(
                    """
                    SELECT pseudonym, training_id FROM training_participants WHERE pseudonym = ANY(\(chunk))
                    ORDER BY pseudonym COLLATE "C", training_id COLLATE "C"
                    """,
                    logger: Self.quiet
                ).decode((String, String).self) {
                    inputs[Pseudonym(rawValue: pseudonym)]?.trainingIDs.append(trainingID)
                }
                for row in try await connection.rows(
                    """
                    SELECT \(unescaped: Self.nudgeSendColumns) FROM nudge_sends WHERE pseudonym = ANY(\(chunk))
                    ORDER BY pseudonym COLLATE "C", sent_at
                    """)
                {
                    let send = try Self.nudgeSend(from: row, keys: keys)
                    inputs[send.person]?.sends.append(send)
                }
                for try await (pseudonym, trainingID, day) in try await connection.query(
                    """
                    SELECT pseudonym, training_id, created_on FROM reflections
                    WHERE pseudonym = ANY(\(chunk)) AND training_id IS NOT NULL
                    """,
                    logger: Self.quiet
                ).decode((String, String, String).self) {
                    inputs[Pseudonym(rawValue: pseudonym)]?.trainingReflections.append(
                        TrainingReflectionDay(trainingID: trainingID, day: TrainingsDay.date(from: day)))
                }
            }
            return inputs
        }
    }

    public func trainings(ids: [String]) async throws(StoreError) -> [String: Training] {
        guard !ids.isEmpty else { return [:] }
        let unique = Array(Set(ids))
        return try await read { connection in
            var trainings: [String: Training] = [:]
            for start in stride(from: 0, to: unique.count, by: Self.planningChunk) {
                let chunk = Array(unique[start..<min(unique.count, start + Self.planningChunk)])
                for row in try await connection.rows(
                    "SELECT \(unescaped: Self.trainingColumns) FROM trainings WHERE id = ANY(\(chunk))")
                {
                    let training = try Self.training(from: row)
                    trainings[training.id] = training
                }
            }
            return trainings
        }
    }

    public func trainingIDs(of person: Pseudonym) async throws(StoreError) -> [String] {
        try await read { connection in
            var ids: [String] = []
            for try await id in try await connection.query(
                """
                SELECT training_id FROM training_participants WHERE pseudonym = \(person.value)
                ORDER BY training_id COLLATE "C"
                """,
                logger: Self.quiet
            ).decode(String.self) {
                ids.append(id)
            }
            return ids
        }
    }

    public func resolutionReport(of trainingID: String) async throws(StoreError) -> TrainingResolutionReport? {
        try await read { connection in
            guard
                let row = try await connection.rows(
                    "SELECT resolution_report FROM trainings WHERE id = \(trainingID)"
                ).first,
                let sealed = try row.decode(Data?.self)
            else { return nil }
            return try await Self.trainingsOpenReport(sealed, trainingID: trainingID, keys: keyring.keys(connection))
        }
    }

    public func trainingReflections(of person: Pseudonym) async throws(StoreError) -> [(trainingID: String, day: Date)]
    {
        let rows = try await read { connection in
            var rows: [[String]] = []
            for try await (trainingID, day) in try await connection.query(
                """
                SELECT training_id, created_on FROM reflections
                WHERE pseudonym = \(person.value) AND training_id IS NOT NULL
                """,
                logger: Self.quiet
            ).decode((String, String).self) {
                rows.append([trainingID, day])
            }
            return rows
        }
        return rows.map { (trainingID: $0[0], day: TrainingsDay.date(from: $0[1])) }
    }

    public func training(id: String) async throws(StoreError) -> Training? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.trainingColumns) FROM trainings WHERE id = \(id)"
            ).first.map(Self.training(from:))
        }
    }

    public func trainingSummaries() async throws(StoreError) -> [TrainingSummary] {
        try await read { connection in
            let keys = try await keyring.keys(connection)
            return try await connection.rows(
                "\(unescaped: Self.summarySQL) ORDER BY t.ended_at DESC, t.id COLLATE \"C\""
            ).map { try Self.summary(from: $0, keys: keys) }
        }
    }

    public func trainingSummary(id: String) async throws(StoreError) -> TrainingSummary? {
        try await read { connection in
            let keys = try await keyring.keys(connection)
            return try await connection.rows("\(unescaped: Self.summarySQL) WHERE t.id = \(id)").first.map {
                try Self.summary(from: $0, keys: keys)
            }
        }
    }

    /// The training's columns in the order ``training(from:)`` reads them.
    static let trainingColumns =
        "id, workspace, title, topic, ended_at, sequence_id, created_at, unresolved_count"

    /// Counts, status and report in one statement, so they come from one snapshot of the database: the report
    /// (which makes a training "scheduled") is committed after its participants and nudge jobs.
    ///
    /// Pending nudges are found through the training's participants and the dedupe-key index, one range per
    /// person (`nudge:<pseudonym>/<training>/…`), so the cost grows with the training, not with the whole job
    /// table. The range is compared byte-wise (`COLLATE "C"`, SQLite's BINARY), whatever the database's
    /// collation: a linguistic collation orders `/` and `:` in ways a prefix range cannot rely on. `starts_with`
    /// keeps the count exact; the range is what lets an index in byte order serve it.
    static let summarySQL = """
        SELECT t.id, t.workspace, t.title, t.topic, t.ended_at, t.sequence_id, t.created_at, t.unresolved_count,
            t.resolution_report,
            (SELECT COUNT(*) FROM training_participants p WHERE p.training_id = t.id) AS participants,
            (SELECT COUNT(*) FROM nudge_sends s WHERE s.training_id = t.id) AS sent,
            (SELECT COUNT(*) FROM training_participants p
                CROSS JOIN LATERAL (SELECT 'nudge:' || p.pseudonym || '/' || t.id || '/' AS prefix) k
                JOIN jobs j ON j.dedupe_key COLLATE "C" >= k.prefix COLLATE "C"
                    AND j.dedupe_key COLLATE "C" < (k.prefix || chr(1114111)) COLLATE "C"
                    AND starts_with(j.dedupe_key, k.prefix)
                WHERE p.training_id = t.id AND j.state IN ('pending', 'running')) AS pending
        FROM trainings t
        """

    /// The report is sealed at rest (it names people who could not be reached); it is opened in the same read
    /// as the counts, so the status and the counts come from one snapshot.
    static func summary(from row: PostgresRow, keys: PostgresKeyring.Keys) throws -> TrainingSummary {
        let training = try training(from: row)
        let columns = row.makeRandomAccess()
        let sealed = try columns["resolution_report"].decode(Data?.self)
        return TrainingSummary(
            training: training, participants: try columns["participants"].decode(Int.self),
            nudgesSent: try columns["sent"].decode(Int.self), nudgesPending: try columns["pending"].decode(Int.self),
            resolution: try sealed.map { try trainingsOpenReport($0, trainingID: training.id, keys: keys) })
    }

    public func isParticipant(_ person: Pseudonym, of trainingID: String) async throws(StoreError) -> Bool {
        try await read { connection in
            try await connection.count(
                """
                SELECT 1 FROM training_participants WHERE training_id = \(trainingID) AND pseudonym = \(person.value)
                """) > 0
        }
    }

    public func timeZone(of person: Pseudonym) async throws(StoreError) -> String? {
        try await read { connection in
            try await connection.rows("SELECT time_zone FROM people WHERE pseudonym = \(person.value)").first?
                .decode(String?.self)
        }
    }

    public func deliveryAddress(of person: Pseudonym, platform: Platform) async throws(StoreError) -> DeliveryAddress? {
        try await read { connection in
            guard
                let row = try await connection.rows(
                    """
                    SELECT address FROM delivery_addresses
                    WHERE pseudonym = \(person.value) AND platform = \(platform.rawValue)
                    """
                ).first
            else { return nil }
            return try await Self.trainingsOpenAddress(
                row.decode(Data.self), of: person, keys: keyring.keys(connection))
        }
    }

    public func recordNudgeSent(_ record: NudgeSendRecord) async throws(StoreError) {
        try await write { connection in
            let sealed = try await Self.trainingsSealChannel(
                record.channel, nudgeID: record.id, keys: keyring.keys(connection))
            try await connection.execute(
                """
                INSERT INTO nudge_sends (id, training_id, pseudonym, stage_id, kind, sent_at, channel, message_ts)
                VALUES (\(record.id), \(record.trainingID), \(record.person.value), \(record.stageID),
                    \(record.kind.rawValue), \(record.sentAt.timeIntervalSince1970), \(sealed), \(record.messageTS))
                ON CONFLICT (id) DO NOTHING
                """)
        }
    }

    public func nudgeSend(id: String) async throws(StoreError) -> NudgeSendRecord? {
        try await read { connection in
            guard
                let row = try await connection.rows(
                    "SELECT \(unescaped: Self.nudgeSendColumns) FROM nudge_sends WHERE id = \(id)"
                ).first
            else { return nil }
            return try await Self.nudgeSend(from: row, keys: keyring.keys(connection))
        }
    }

    public func nudgeSends(to person: Pseudonym) async throws(StoreError) -> [NudgeSendRecord] {
        try await read { connection in
            let keys = try await keyring.keys(connection)
            return try await connection.rows(
                """
                SELECT \(unescaped: Self.nudgeSendColumns) FROM nudge_sends WHERE pseudonym = \(person.value)
                ORDER BY sent_at
                """
            ).map { try Self.nudgeSend(from: $0, keys: keys) }
        }
    }

    /// The latest answer is kept, as in SQLite (a snoozed nudge that is later answered by a reflection is
    /// `reflected`). One `UPDATE` is atomic across replicas: concurrent answers to the same nudge are applied one
    /// after the other on the row's lock, and each reports the nudge as known.
    public func recordNudgeResponse(id: String, response: NudgeResponse, at: Date) async throws(StoreError) -> Bool {
        try await write { connection in
            try await connection.count(
                """
                UPDATE nudge_sends SET response = \(response.rawValue), responded_at = \(at.timeIntervalSince1970)
                WHERE id = \(id) RETURNING 1
                """) == 1
        }
    }

    static func training(from row: PostgresRow) throws -> Training {
        let (id, workspace, title, topic, endedAt, sequenceID, createdAt, unresolvedCount) = try row.decode(
            (String, String, String, String?, Double, String, Double, Int).self)
        return Training(
            id: id, workspace: workspace, title: title, topic: topic, endedAt: Date(timeIntervalSince1970: endedAt),
            sequenceID: sequenceID, createdAt: Date(timeIntervalSince1970: createdAt),
            unresolvedCount: unresolvedCount)
    }

    /// A nudge send's columns in the order ``nudgeSend(from:keys:)`` reads them.
    static let nudgeSendColumns =
        "id, training_id, pseudonym, stage_id, kind, sent_at, channel, message_ts, response, responded_at"

    static func nudgeSend(from row: PostgresRow, keys: PostgresKeyring.Keys) throws -> NudgeSendRecord {
        let (id, trainingID, pseudonym, stageID, kind, sentAt, sealed, messageTS, response, respondedAt) =
            try row.decode((String, String, String, String, String, Double, Data, String, String?, Double?).self)
        return NudgeSendRecord(
            id: id, trainingID: trainingID, person: Pseudonym(rawValue: pseudonym), stageID: stageID,
            kind: NudgeKind(rawValue: kind) ?? .primary, sentAt: Date(timeIntervalSince1970: sentAt),
            channel: try trainingsOpenChannel(sealed, nudgeID: id, keys: keys), messageTS: messageTS,
            response: response.flatMap(NudgeResponse.init(rawValue:)),
            respondedAt: respondedAt.map(Date.init(timeIntervalSince1970:)))
    }
}

// MARK: - Private copies of shared helpers (the lead swaps them for PostgresStore+Sealing.swift's at merge)

extension PostgresStore {
    /// The SQLite store's sealers and contexts exactly (`SQLiteStore+Sealing.swift`).
    static func trainingsSealAddress(_ address: DeliveryAddress, of person: Pseudonym, keys: PostgresKeyring.Keys)
        throws -> Data
    {
        try trainingsSealed { () throws(SealingError) in try keys.addresses.seal(address, context: person.value) }
    }

    static func trainingsOpenAddress(_ sealed: Data, of person: Pseudonym, keys: PostgresKeyring.Keys) throws
        -> DeliveryAddress
    {
        try trainingsOpened { () throws(SealingError) in
            try keys.addresses.open(DeliveryAddress.self, from: sealed, context: person.value)
        }
    }

    static func trainingsSealChannel(_ channel: String, nudgeID: String, keys: PostgresKeyring.Keys) throws -> Data {
        try trainingsSealed { () throws(SealingError) in
            try keys.nudgeMessages.seal(Data(channel.utf8), context: nudgeID)
        }
    }

    static func trainingsOpenChannel(_ sealed: Data, nudgeID: String, keys: PostgresKeyring.Keys) throws -> String {
        String(
            decoding: try trainingsOpened { () throws(SealingError) in
                try keys.nudgeMessages.open(sealed, context: nudgeID)
            },
            as: UTF8.self)
    }

    static func trainingsSealIdentifiers(_ identifiers: JobIdentifiers, jobID: Int64, keys: PostgresKeyring.Keys)
        throws -> Data?
    {
        guard !identifiers.isEmpty else { return nil }
        return try trainingsSealed { () throws(SealingError) in
            try keys.jobIdentifiers.seal(identifiers, context: "job:\(jobID)")
        }
    }

    static func trainingsSealReport(_ report: TrainingResolutionReport, trainingID: String, keys: PostgresKeyring.Keys)
        throws -> Data
    {
        try trainingsSealed { () throws(SealingError) in try keys.reports.seal(report, context: trainingID) }
    }

    static func trainingsOpenReport(_ sealed: Data, trainingID: String, keys: PostgresKeyring.Keys) throws
        -> TrainingResolutionReport
    {
        try trainingsOpened { () throws(SealingError) in
            try keys.reports.open(TrainingResolutionReport.self, from: sealed, context: trainingID)
        }
    }

    private static func trainingsSealed(_ work: () throws(SealingError) -> Data) throws(StoreError) -> Data {
        do { return try work() } catch { throw StoreError.unexpected(error.description) }
    }

    private static func trainingsOpened<Value>(_ work: () throws(SealingError) -> Value) throws(StoreError) -> Value {
        do { return try work() } catch {
            throw StoreError.invalidConfiguration("\(error.description) (was DEBRIEF_PSEUDONYM_KEY changed?)")
        }
    }
}

/// Stored days (`created_on`, `first_seen_on`): `YYYY-MM-DD` of the UTC day, as the SQLite store writes them
/// (`SQLiteDay`). A private copy until the lead merges the shared one.
enum TrainingsDay {
    static let epoch = LocalDate(year: 1970, month: 1, day: 1)

    /// The UTC day of `date`.
    static func string(from date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        return epoch.map { $0.adding(days: days).description } ?? "1970-01-01"
    }

    /// Midnight UTC of a stored day; 1970-01-01 for text that is not a day (as SQLite's reader does).
    static func date(from string: String) -> Date {
        guard let epoch, let day = LocalDate(string) else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: Double(epoch.days(until: day)) * 86_400)
    }
}
