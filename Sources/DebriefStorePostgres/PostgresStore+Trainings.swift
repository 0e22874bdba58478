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
                VALUES (\(training.id), \(training.workspace), \(StoredText.storable(training.title)), \(StoredText.storable(training.topic)),
                    \(training.endedAt.timeIntervalSince1970), \(training.sequenceID),
                    \(training.createdAt.timeIntervalSince1970), \(training.unresolvedCount))
                """)
            try await Self.insertParticipants(
                participants, trainingID: training.id, at: training.createdAt, connection: connection, keys: keys)
            _ = try await Self.enqueue(jobs, in: connection, keyring: keyring)
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
            _ = try await Self.enqueue(jobs, in: connection, keyring: keyring)
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
        let today = StoredDay.string(from: at)
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
                    bytes: try sealAddress(participant.address, of: participant.pseudonym, keys: keys)))
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

    public func recordResolution(trainingID: String, workspace: String, report: TrainingResolutionReport)
        async throws(StoreError)
    {
        try await write { connection in
            let keys = try await keyring.keys(connection)
            let sealed = try Self.sealReport(report, trainingID: trainingID, keys: keys)
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
                        TrainingReflectionDay(trainingID: trainingID, day: StoredDay.date(from: day)))
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
            return try await Self.openReport(sealed, trainingID: trainingID, keys: keyring.keys(connection))
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
        return rows.map { (trainingID: $0[0], day: StoredDay.date(from: $0[1])) }
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
    /// table. The per-person count is a scalar subquery, run once per participant through the index whatever the
    /// planner's statistics say: as a join, a fresh database without statistics was planned as a nested loop over
    /// every job for every participant (17 s for a 2,000-person training, seen by `bench replicas`). The range is compared byte-wise (`COLLATE "C"`, SQLite's BINARY), whatever the database's
    /// collation: a linguistic collation orders `/` and `:` in ways a prefix range cannot rely on. `starts_with`
    /// keeps the count exact; the range is what lets an index in byte order serve it.
    static let summarySQL = """
        SELECT t.id, t.workspace, t.title, t.topic, t.ended_at, t.sequence_id, t.created_at, t.unresolved_count,
            t.resolution_report,
            (SELECT COUNT(*) FROM training_participants p WHERE p.training_id = t.id) AS participants,
            (SELECT COUNT(*) FROM nudge_sends s WHERE s.training_id = t.id) AS sent,
            (SELECT COALESCE(SUM((
                    SELECT COUNT(*) FROM jobs j
                    WHERE j.dedupe_key >= k.prefix AND j.dedupe_key < (k.prefix || chr(1114111))
                        AND starts_with(j.dedupe_key, k.prefix) AND j.state IN ('pending', 'running'))), 0)
                FROM training_participants p
                CROSS JOIN LATERAL (SELECT 'nudge:' || p.pseudonym || '/' || t.id || '/' AS prefix) k
                WHERE p.training_id = t.id)::BIGINT AS pending
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
            resolution: try sealed.map { try openReport($0, trainingID: training.id, keys: keys) })
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
            return try await Self.openAddress(
                row.decode(Data.self), of: person, keys: keyring.keys(connection))
        }
    }

    /// The reads one by one: each is a round trip to the server, which replicas make anyway; PostgreSQL has no
    /// per-read thread hop to save as SQLite has.
    public func nudgeSendContext(of person: Pseudonym, trainingID: String, platform: Platform)
        async throws(StoreError) -> NudgeSendContext
    {
        let planning = try await planningInputs(of: [person])[person]
        return NudgeSendContext(
            training: try await training(id: trainingID), planning: planning,
            trainings: try await trainings(ids: planning?.trainingIDs ?? []),
            address: try await deliveryAddress(of: person, platform: platform),
            roleLevel: try await roleAndTeam(of: person)?.roleLevel)
    }

    public func recordNudgeSent(_ record: NudgeSendRecord) async throws(StoreError) {
        try await write { connection in
            let sealed = try await Self.sealChannel(
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
            channel: try openChannel(sealed, nudgeID: id, keys: keys), messageTS: messageTS,
            response: response.flatMap(NudgeResponse.init(rawValue:)),
            respondedAt: respondedAt.map(Date.init(timeIntervalSince1970:)))
    }
}
