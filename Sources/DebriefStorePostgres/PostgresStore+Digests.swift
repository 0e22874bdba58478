import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// The digest aggregates and the digest rows: the SQLite store's queries (`SQLiteStore+Digests.swift`) in
/// PostgreSQL, with the same results for the same data.
///
/// Aggregation happens in the database: callers get counts per (week, team, role level) cell, never rows. Posting
/// once per target and week holds across replicas: the digest row is unique per (target, week) and created with
/// `ON CONFLICT DO NOTHING`, and the right to post is claimed by one conditional `UPDATE`, which only one replica's
/// transaction can win.
extension PostgresStore: DigestStore {
    /// Outcomes that count as "a real difference" for the perception gap.
    static let realDifference = ["saved_time", "better_quality", "new_capability"]

    /// Optional answers whose distinct answerers are counted per cell (a statistic needs k people behind it):
    /// the question's name in `GroupWeekStats.Question` and its column.
    static let answerColumns: [(question: String, column: String)] = [
        ("outcome", "outcome"), ("minutes_saved", "minutes_saved"), ("confidence", "confidence"),
        ("category", "task_category"),
    ]

    @discardableResult
    public func replaceRoles(_ assignments: [RoleAssignment], resettingRoleLevels: Bool, resettingTeams: Bool)
        async throws(StoreError) -> Int
    {
        try await write { connection in
            if resettingRoleLevels { try await connection.execute("UPDATE people SET role_level = 'ic'") }
            if resettingTeams { try await connection.execute("UPDATE people SET team = NULL") }
            return try await Self.applyRoles(assignments, connection: connection)
        }
    }

    @discardableResult
    public func assignRoles(_ assignments: [RoleAssignment], at: Date) async throws(StoreError) -> Int {
        let today = StoredDay.string(from: at)
        return try await write { connection in
            for assignment in assignments {
                try await connection.execute(
                    """
                    INSERT INTO people (pseudonym, platform, first_seen_on)
                    VALUES (\(assignment.pseudonym.value), \(assignment.address.platform.rawValue), \(today))
                    ON CONFLICT (pseudonym) DO NOTHING
                    """)
            }
            return try await Self.applyRoles(assignments, connection: connection)
        }
    }

    /// Sets the fields an assignment names, one person at a time in the given order (a person named twice ends
    /// with the last assignment, as in SQLite); returns how many updates found their person.
    static func applyRoles(_ assignments: [RoleAssignment], connection: PostgresConnection) async throws -> Int {
        var updated = 0
        for assignment in assignments where assignment.roleLevel != nil || assignment.team != nil {
            updated += try await connection.count(
                """
                UPDATE people SET role_level = COALESCE(\(assignment.roleLevel), role_level),
                    team = COALESCE(\(StoredText.storable(assignment.team)), team)
                WHERE pseudonym = \(assignment.pseudonym.value) RETURNING 1
                """)
        }
        return updated
    }

    public func roleAndTeam(of person: Pseudonym) async throws(StoreError) -> (roleLevel: String, team: String?)? {
        let row = try await read { connection in
            try await connection.rows("SELECT role_level, team FROM people WHERE pseudonym = \(person.value)")
                .first.map { row -> [String?] in
                    let (role, team) = try row.decode((String, String?).self)
                    return [role, team]
                }
        }
        guard let row, let role = row[0] else { return nil }
        return (roleLevel: role, team: row[1])
    }

    /// The SELECT list of ``weeklyCells(weeks:)`` after week, team and role, in the order it is read: fixed text
    /// made from the answer enums only (no outside input is spliced in; the weeks are bound).
    static let weeklyCellColumns: String = {
        func counts(_ column: String, _ values: [String]) -> [String] {
            values.map { "COUNT(*) FILTER (WHERE r.\(column) = '\($0)')" }
        }
        let difference = realDifference.map { "'\($0)'" }.joined(separator: ", ")
        let columns =
            [
                "COUNT(DISTINCT r.pseudonym)",
                "COUNT(*)",
                "COUNT(DISTINCT r.pseudonym) FILTER (WHERE r.outcome IN (\(difference)))",
            ]
            + counts("outcome", Outcome.allCases.map(\.rawValue))
            + counts("minutes_saved", MinutesSaved.allCases.map(\.rawValue))
            + counts("task_category", TaskCategory.allCases.map(\.rawValue))
            + (1...5).map { "COUNT(*) FILTER (WHERE r.confidence = \($0))" }
            // Stored comma-separated; matched as a whole item (",no_time," in ",policy_unclear,no_time,").
            + Blocker.allCases.map {
                "COUNT(*) FILTER (WHERE strpos(',' || r.blockers || ',', ',\($0.rawValue),') > 0)"
            }
            + answerColumns.map { "COUNT(DISTINCT r.pseudonym) FILTER (WHERE r.\($0.column) IS NOT NULL)" }
        return columns.joined(separator: ",\n    ")
    }()

    public func weeklyCells(weeks: [String]) async throws(StoreError) -> [WeeklyCellStats] {
        guard !weeks.isEmpty else { return [] }
        let outcomes = Outcome.allCases.map(\.rawValue)
        let minutes = MinutesSaved.allCases.map(\.rawValue)
        let categories = TaskCategory.allCases.map(\.rawValue)
        let blockers = Blocker.allCases.map(\.rawValue)
        return try await read { connection in
            try await connection.rows(
                """
                SELECT r.iso_week, p.team, p.role_level,
                    \(unescaped: Self.weeklyCellColumns)
                FROM reflections r JOIN people p ON p.pseudonym = r.pseudonym
                WHERE r.iso_week = ANY(\(weeks))
                GROUP BY r.iso_week, p.team, p.role_level
                """
            ).map { row in
                // Columns by position, in the order of the SELECT above.
                let columns = row.makeRandomAccess()
                var column = 0
                func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
                    defer { column += 1 }
                    return try columns[column].decode(Value.self)
                }
                let week: String = try next()
                let team: String? = try next()
                let role: String = try next()
                let respondents: Int = try next()
                let reflections: Int = try next()
                let difference: Int = try next()
                var outcomeCounts: [String: Int] = [:]
                for value in outcomes { outcomeCounts[value] = try next() }
                var minuteCounts: [String: Int] = [:]
                for value in minutes { minuteCounts[value] = try next() }
                var categoryCounts: [String: Int] = [:]
                for value in categories { categoryCounts[value] = try next() }
                var confidence: [Int: Int] = [:]
                for value in 1...5 { confidence[value] = try next() }
                var blockerCounts: [String: Int] = [:]
                for value in blockers { blockerCounts[value] = try next() }
                var answeredBy: [String: Int] = [:]
                for answer in Self.answerColumns { answeredBy[answer.question] = try next() }
                return WeeklyCellStats(
                    week: week, team: team, roleLevel: role, respondents: respondents, reflections: reflections,
                    respondentsReportingDifference: difference, outcomes: outcomeCounts, minutesSaved: minuteCounts,
                    confidence: confidence, categories: categoryCounts, blockers: blockerCounts,
                    answeredBy: answeredBy)
            }
        }
    }

    /// Per training that ended before the date: its participants, and of those who reflected on it, how many
    /// reported a real difference and how many reflected in two or more ISO weeks. One pass over the training's
    /// reflections per training (the cohort index), grouped per person first.
    public func cohortStats(endedBefore: Date) async throws(StoreError) -> [TrainingCohortStats] {
        let difference = Self.realDifference.map { "'\($0)'" }.joined(separator: ", ")
        return try await read { connection in
            try await connection.rows(
                """
                SELECT t.id, t.title,
                    (SELECT COUNT(*) FROM training_participants tp WHERE tp.training_id = t.id),
                    c.reflected, c.applied, c.repeated
                FROM trainings t CROSS JOIN LATERAL (
                    SELECT COUNT(*) AS reflected,
                        COUNT(*) FILTER (WHERE person.applied) AS applied,
                        COUNT(*) FILTER (WHERE person.weeks >= 2) AS repeated
                    FROM (
                        SELECT bool_or(r.outcome IN (\(unescaped: difference))) AS applied,
                            COUNT(DISTINCT r.iso_week) AS weeks
                        FROM reflections r
                        JOIN training_participants tp ON tp.pseudonym = r.pseudonym AND tp.training_id = t.id
                        WHERE r.training_id = t.id
                        GROUP BY r.pseudonym
                    ) person
                ) c
                WHERE t.ended_at < \(endedBefore.timeIntervalSince1970)
                ORDER BY t.ended_at, t.id COLLATE "C"
                """
            ).map { row in
                let (id, title, participants, reflected, applied, repeated) = try row.decode(
                    (String, String, Int, Int, Int, Int).self)
                return TrainingCohortStats(
                    trainingID: id, title: title, participants: participants, reflected: reflected, applied: applied,
                    repeated: repeated)
            }
        }
    }

    /// The week's quotable texts, oldest day first. Within a day, in storage order (`ctid`): PostgreSQL keeps no
    /// insertion order like SQLite's `rowid`, and a row's place in the table is the nearest thing (an edited
    /// reflection may move later).
    public func quoteCandidates(week: String, limit: Int) async throws(StoreError) -> [QuoteRow] {
        // SQLite reads a negative LIMIT as "no limit"; PostgreSQL refuses one, and reads NULL as "no limit".
        let bound: Int? = limit < 0 ? nil : limit
        return try await read { connection in
            let keys = try await keyring.keys(connection)
            return try await connection.rows(
                """
                SELECT r.text, r.consent, p.team, p.role_level, r.pseudonym,
                    CASE WHEN r.consent = 'attributed' THEN
                        (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym)
                    END AS address
                FROM reflections r JOIN people p ON p.pseudonym = r.pseudonym
                WHERE r.iso_week = \(week) AND r.consent IN ('anonymous_quote', 'attributed')
                ORDER BY r.created_on COLLATE "C", r.ctid LIMIT \(bound)
                """
            ).compactMap { row -> QuoteRow? in
                let (text, consentText, team, role, pseudonym, sealed) = try row.decode(
                    (String, String, String?, String, String, Data?).self)
                guard let consent = Consent(rawValue: consentText) else { return nil }
                // Only an attributed author's address is opened (to show the name they chose to show).
                let address = try sealed.map { sealed in
                    try Self.openAddress(sealed, of: Pseudonym(rawValue: pseudonym), keys: keys)
                }
                return QuoteRow(text: text, consent: consent, team: team, roleLevel: role, userID: address?.userID)
            }
        }
    }

    public func digest(target: String, week: String) async throws(StoreError) -> StoredDigest? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.digestColumns) FROM digests WHERE target = \(target) AND week = \(week)"
            ).first.map(Self.storedDigest(from:))
        }
    }

    public func digest(id: String) async throws(StoreError) -> StoredDigest? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.digestColumns) FROM digests WHERE id = \(id)")
                .first.map(Self.storedDigest(from:))
        }
    }

    /// Insert unless present, then read what is stored: under READ COMMITTED the read sees the row of whichever
    /// replica won (`ON CONFLICT DO NOTHING` waits for a concurrent insert of the same key to commit or roll
    /// back), so every caller gets the same digest back.
    public func createDigest(_ digest: StoredDigest) async throws(StoreError) -> StoredDigest {
        try await write { connection in
            try await connection.execute(
                """
                INSERT INTO digests (id, target, week, document, created_at)
                VALUES (\(digest.id), \(digest.target), \(digest.week), \(digest.document),
                    \(digest.createdAt.timeIntervalSince1970))
                ON CONFLICT (target, week) DO NOTHING
                """)
            guard
                let stored = try await connection.rows(
                    """
                    SELECT \(unescaped: Self.digestColumns) FROM digests
                    WHERE target = \(digest.target) AND week = \(digest.week)
                    """
                ).first
            else { throw StoreError.unexpected("digest vanished") }
            return try Self.storedDigest(from: stored)
        }
    }

    /// One conditional `UPDATE`: of replicas claiming at once, the first takes the row lock and sets the start;
    /// the others re-check the condition against the committed row and find a fresh start, so exactly one wins.
    public func markDigestPosting(id: String, startedAt: Date, staleBefore: Date) async throws(StoreError) -> Bool {
        try await write { connection in
            try await connection.count(
                """
                UPDATE digests SET posting_started_at = \(startedAt.timeIntervalSince1970)
                WHERE id = \(id) AND posted_at IS NULL
                    AND (posting_started_at IS NULL OR posting_started_at < \(staleBefore.timeIntervalSince1970))
                RETURNING 1
                """) == 1
        }
    }

    public func markDigestPosted(id: String, channel: String, ts: String, at: Date) async throws(StoreError) {
        try await write { connection in
            try await connection.execute(
                """
                UPDATE digests SET posted_at = \(at.timeIntervalSince1970), channel = \(channel), message_ts = \(ts)
                WHERE id = \(id) AND posted_at IS NULL
                """)
        }
    }

    /// A digest's columns in the order ``storedDigest(from:)`` reads them.
    static let digestColumns =
        "id, target, week, document, created_at, posting_started_at, posted_at, channel, message_ts"

    static func storedDigest(from row: PostgresRow) throws -> StoredDigest {
        let (id, target, week, document, createdAt, started, posted, channel, messageTS) = try row.decode(
            (String, String, String, Data, Double, Double?, Double?, String?, String?).self)
        return StoredDigest(
            id: id, target: target, week: week, document: document,
            createdAt: Date(timeIntervalSince1970: createdAt),
            postingStartedAt: started.map(Date.init(timeIntervalSince1970:)),
            postedAt: posted.map(Date.init(timeIntervalSince1970:)), channel: channel, messageTS: messageTS)
    }
}
