import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteMigrations {
    static func registerDigestMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-digests") { db in
            try db.execute(
                sql: """
                    ALTER TABLE people ADD COLUMN role_level TEXT NOT NULL DEFAULT 'ic'
                        CHECK (role_level IN ('leader', 'manager', 'ic'));
                    ALTER TABLE people ADD COLUMN team TEXT;
                    ALTER TABLE reflections ADD COLUMN iso_week TEXT;
                    CREATE INDEX reflections_iso_week ON reflections(iso_week);
                    CREATE TABLE digests (
                        id TEXT PRIMARY KEY NOT NULL,
                        target TEXT NOT NULL,
                        week TEXT NOT NULL,
                        document BLOB NOT NULL,
                        created_at REAL NOT NULL,
                        posting_started_at REAL,
                        posted_at REAL,
                        channel TEXT,
                        message_ts TEXT,
                        UNIQUE (target, week)
                    );
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT id, created_on FROM reflections") {
                let day: String = row["created_on"]
                let id: String = row["id"]
                try db.execute(
                    sql: "UPDATE reflections SET iso_week = ? WHERE id = ?", arguments: [StoredDay.isoWeek(day), id])
            }
        }
    }
}

extension SQLiteMigrations {
    /// Covering indexes for the digest queries: cohort counts per training (otherwise a scan of every
    /// reflection per training) and a week's cells.
    static func registerDigestIndexMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-digest-indexes") { db in
            try db.execute(
                sql: """
                    CREATE INDEX reflections_training_cohort
                        ON reflections(training_id, pseudonym, iso_week, outcome) WHERE training_id IS NOT NULL;
                    CREATE INDEX reflections_week_consent ON reflections(iso_week, consent);
                    """)
        }
    }
}

extension SQLiteStore: DigestStore {
    /// Outcomes that count as "a real difference" for the perception gap.
    static let realDifference = ["saved_time", "better_quality", "new_capability"]

    /// Optional answers whose distinct answerers are counted per cell (a statistic needs k people behind it):
    /// the question's name in `GroupWeekStats.Question` and its column.
    static let answerColumns: [(question: String, column: String)] = [
        ("outcome", "outcome"), ("minutes_saved", "minutes_saved"), ("confidence", "confidence"),
        ("category", "task_category"),
    ]

    public func replaceRoles(_ assignments: [RoleAssignment], resettingRoleLevels: Bool, resettingTeams: Bool)
        async throws(StoreError) -> Int
    {
        try await perform { db in
            if resettingRoleLevels { try db.execute(sql: "UPDATE people SET role_level = 'ic'") }
            if resettingTeams { try db.execute(sql: "UPDATE people SET team = NULL") }
            return try Self.applyRoles(db, assignments)
        }
    }

    public func assignRoles(_ assignments: [RoleAssignment], at: Date) async throws(StoreError) -> Int {
        let today = StoredDay.string(from: at)
        return try await perform { db in
            for assignment in assignments {
                try db.execute(
                    sql: """
                        INSERT INTO people (pseudonym, platform, first_seen_on) VALUES (?, ?, ?)
                        ON CONFLICT (pseudonym) DO NOTHING
                        """,
                    arguments: [assignment.pseudonym.value, assignment.address.platform.rawValue, today])
            }
            return try Self.applyRoles(db, assignments)
        }
    }

    static func applyRoles(_ db: Database, _ assignments: [RoleAssignment]) throws -> Int {
        var updated = 0
        for assignment in assignments {
            var sets: [String] = []
            var arguments: StatementArguments = []
            if let role = assignment.roleLevel {
                sets.append("role_level = ?")
                _ = arguments.append(contentsOf: [role])
            }
            if let team = assignment.team {
                sets.append("team = ?")
                _ = arguments.append(contentsOf: [StoredText.storable(team)])
            }
            guard !sets.isEmpty else { continue }
            _ = arguments.append(contentsOf: [assignment.pseudonym.value])
            try db.execute(
                sql: "UPDATE people SET \(sets.joined(separator: ", ")) WHERE pseudonym = ?", arguments: arguments)
            updated += db.changesCount
        }
        return updated
    }

    static func columnKey(_ value: String) -> String {
        value.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: "+", with: "plus")
    }

    public func roleAndTeam(of person: Pseudonym) async throws(StoreError) -> (roleLevel: String, team: String?)? {
        let row = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT role_level, team FROM people WHERE pseudonym = ?", arguments: [person.value]
            )
            .map { row -> [String?] in [row["role_level"], row["team"]] }
        }
        guard let row, let role = row[0] else { return nil }
        return (roleLevel: role, team: row[1])
    }

    public func weeklyCells(weeks: [String]) async throws(StoreError) -> [WeeklyCellStats] {
        guard !weeks.isEmpty else { return [] }
        func sums(_ column: String, _ values: [String], prefix: String) -> String {
            values.map { "SUM(CASE WHEN r.\(column) = '\($0)' THEN 1 ELSE 0 END) AS \(prefix)_\(Self.columnKey($0))" }
                .joined(separator: ",\n")
        }
        let outcomes = Outcome.allCases.map(\.rawValue)
        let minutes = MinutesSaved.allCases.map(\.rawValue)
        let categories = TaskCategory.allCases.map(\.rawValue)
        let blockers = Blocker.allCases.map(\.rawValue)
        let difference = Self.realDifference.map { "'\($0)'" }.joined(separator: ", ")
        let placeholders = weeks.map { _ in "?" }.joined(separator: ", ")
        let sql = """
            SELECT r.iso_week AS week, p.team AS team, p.role_level AS role,
                COUNT(DISTINCT r.pseudonym) AS respondents,
                COUNT(*) AS reflections,
                COUNT(DISTINCT CASE WHEN r.outcome IN (\(difference)) THEN r.pseudonym END) AS difference,
                \(sums("outcome", outcomes, prefix: "o")),
                \(sums("minutes_saved", minutes, prefix: "m")),
                \(sums("task_category", categories, prefix: "c")),
                \((1...5).map { "SUM(CASE WHEN r.confidence = \($0) THEN 1 ELSE 0 END) AS conf_\($0)" }.joined(separator: ",\n")),
                \(blockers.map { "SUM(CASE WHEN ',' || r.blockers || ',' LIKE '%,\($0),%' THEN 1 ELSE 0 END) AS b_\($0)" }.joined(separator: ",\n")),
                \(Self.answerColumns.map { "COUNT(DISTINCT CASE WHEN r.\($0.column) IS NOT NULL THEN r.pseudonym END)" }.joined(separator: ",\n"))
            FROM reflections r JOIN people p ON p.pseudonym = r.pseudonym
            WHERE r.iso_week IN (\(placeholders))
            GROUP BY r.iso_week, p.team, p.role_level
            """
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(weeks)).map { row in
                // Columns by position, in the order of the SELECT above (by name costs a lookup per column).
                var column = 6
                func next() -> Int {
                    defer { column += 1 }
                    return row[column]
                }
                var outcomeCounts: [String: Int] = [:]
                for value in outcomes { outcomeCounts[value] = next() }
                var minuteCounts: [String: Int] = [:]
                for value in minutes { minuteCounts[value] = next() }
                var categoryCounts: [String: Int] = [:]
                for value in categories { categoryCounts[value] = next() }
                var confidence: [Int: Int] = [:]
                for value in 1...5 { confidence[value] = next() }
                var blockerCounts: [String: Int] = [:]
                for value in blockers { blockerCounts[value] = next() }
                var answeredBy: [String: Int] = [:]
                for answer in Self.answerColumns { answeredBy[answer.question] = next() }
                return WeeklyCellStats(
                    week: row["week"], team: row["team"], roleLevel: row["role"], respondents: row["respondents"],
                    reflections: row["reflections"], respondentsReportingDifference: row["difference"],
                    outcomes: outcomeCounts, minutesSaved: minuteCounts, confidence: confidence,
                    categories: categoryCounts, blockers: blockerCounts, answeredBy: answeredBy)
            }
        }
    }

    public func cohortStats(endedBefore: Date) async throws(StoreError) -> [TrainingCohortStats] {
        let difference = Self.realDifference.map { "'\($0)'" }.joined(separator: ", ")
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.title,
                        (SELECT COUNT(*) FROM training_participants tp WHERE tp.training_id = t.id) AS participants,
                        (SELECT COUNT(DISTINCT r.pseudonym) FROM reflections r
                            JOIN training_participants tp ON tp.pseudonym = r.pseudonym AND tp.training_id = t.id
                            WHERE r.training_id = t.id) AS reflected,
                        (SELECT COUNT(DISTINCT r.pseudonym) FROM reflections r
                            JOIN training_participants tp ON tp.pseudonym = r.pseudonym AND tp.training_id = t.id
                            WHERE r.training_id = t.id AND r.outcome IN (\(difference))) AS applied,
                        (SELECT COUNT(*) FROM (
                            SELECT r.pseudonym FROM reflections r
                            JOIN training_participants tp ON tp.pseudonym = r.pseudonym AND tp.training_id = t.id
                            WHERE r.training_id = t.id
                            GROUP BY r.pseudonym HAVING COUNT(DISTINCT r.iso_week) >= 2)) AS repeated
                    FROM trainings t WHERE t.ended_at < ? ORDER BY t.ended_at
                    """,
                arguments: [endedBefore.timeIntervalSince1970]
            ).map { row in
                TrainingCohortStats(
                    trainingID: row["id"], title: row["title"], participants: row["participants"],
                    reflected: row["reflected"], applied: row["applied"], repeated: row["repeated"])
            }
        }
    }

    public func quoteCandidates(week: String, limit: Int) async throws(StoreError) -> [QuoteRow] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.text, r.consent, p.team, p.role_level, r.pseudonym,
                        CASE WHEN r.consent = 'attributed' THEN
                            (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym)
                        END AS address
                    FROM reflections r JOIN people p ON p.pseudonym = r.pseudonym
                    WHERE r.iso_week = ? AND r.consent IN ('anonymous_quote', 'attributed')
                    ORDER BY r.created_on, r.rowid LIMIT ?
                    """,
                arguments: [week, limit]
            ).compactMap { row in
                let consentText: String = row["consent"]
                guard let consent = Consent(rawValue: consentText) else { return nil }
                // Only an attributed author's address is opened (to show the name they chose to show).
                let sealed: Data? = row["address"]
                let address = try sealed.map { sealed in
                    try Self.openAddress(sealed, of: Pseudonym(rawValue: row["pseudonym"]), keys: keyring.keys(db))
                }
                return QuoteRow(
                    text: row["text"], consent: consent, team: row["team"], roleLevel: row["role_level"],
                    userID: address?.userID)
            }
        }
    }

    public func digest(target: String, week: String) async throws(StoreError) -> StoredDigest? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM digests WHERE target = ? AND week = ?", arguments: [target, week])
                .map(Self.storedDigest(from:))
        }
    }

    public func digest(id: String) async throws(StoreError) -> StoredDigest? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM digests WHERE id = ?", arguments: [id]).map(
                Self.storedDigest(from:))
        }
    }

    public func createDigest(_ digest: StoredDigest) async throws(StoreError) -> StoredDigest {
        try await perform { db in
            try db.execute(
                sql: """
                    INSERT INTO digests (id, target, week, document, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (target, week) DO NOTHING
                    """,
                arguments: [
                    digest.id, digest.target, digest.week, digest.document, digest.createdAt.timeIntervalSince1970,
                ])
            guard
                let stored = try Row.fetchOne(
                    db, sql: "SELECT * FROM digests WHERE target = ? AND week = ?",
                    arguments: [digest.target, digest.week])
            else { throw StoreError.unexpected("digest vanished") }
            return Self.storedDigest(from: stored)
        }
    }

    public func markDigestPosting(id: String, startedAt: Date, staleBefore: Date) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.execute(
                sql: """
                    UPDATE digests SET posting_started_at = ?
                    WHERE id = ? AND posted_at IS NULL AND (posting_started_at IS NULL OR posting_started_at < ?)
                    """,
                arguments: [startedAt.timeIntervalSince1970, id, staleBefore.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    public func markDigestPosted(id: String, channel: String, ts: String, at: Date) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: "UPDATE digests SET posted_at = ?, channel = ?, message_ts = ? WHERE id = ? AND posted_at IS NULL",
                arguments: [at.timeIntervalSince1970, channel, ts, id])
        }
    }

    static func storedDigest(from row: Row) -> StoredDigest {
        let started: Double? = row["posting_started_at"]
        let posted: Double? = row["posted_at"]
        return StoredDigest(
            id: row["id"], target: row["target"], week: row["week"], document: row["document"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            postingStartedAt: started.map(Date.init(timeIntervalSince1970:)),
            postedAt: posted.map(Date.init(timeIntervalSince1970:)), channel: row["channel"],
            messageTS: row["message_ts"])
    }
}
