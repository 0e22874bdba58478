import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteStore: IdeaStore {
    public func ideaContributorCount(upTo limit: Int) async throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        return try await read { db in
            // Along `reflections_consented_pseudonym` (v14), in person order, stopping at the limit.
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM (
                        SELECT DISTINCT pseudonym FROM reflections
                        WHERE consent IN ('anonymous_quote', 'attributed') LIMIT ?)
                    """,
                arguments: [limit]) ?? 0
        }
    }

    public func searchIdeas(_ search: IdeaSearch) async throws(StoreError) -> [IdeaCandidate] {
        var conditions = ["r.consent IN ('anonymous_quote', 'attributed')"]
        var arguments: StatementArguments = []
        if !search.terms.isEmpty {
            conditions.append("r.rowid IN (SELECT rowid FROM reflections_fts WHERE reflections_fts MATCH ?)")
            _ = arguments.append(contentsOf: [search.terms.ftsQuery])
        }
        if let category = search.category {
            conditions.append("r.task_category = ?")
            _ = arguments.append(contentsOf: [category.rawValue])
        }
        if let week = search.sinceWeek {
            conditions.append("r.iso_week >= ?")
            _ = arguments.append(contentsOf: [week])
        }
        if let week = search.untilWeek {
            conditions.append("r.iso_week <= ?")
            _ = arguments.append(contentsOf: [week])
        }
        if let team = search.excludingTeam {
            conditions.append("(p.team IS NULL OR p.team <> ?)")
            _ = arguments.append(contentsOf: [team])
        }
        if let person = search.excluding {
            conditions.append("r.pseudonym <> ?")
            _ = arguments.append(contentsOf: [person.value])
        }
        if let size = search.minimumTeamSize {
            conditions.append("(p.team IS NULL OR (SELECT COUNT(*) FROM people q WHERE q.team = p.team) >= ?)")
            _ = arguments.append(contentsOf: [size])
        }
        let order =
            switch search.order {
            case .newest: "r.created_on DESC, r.rowid DESC"
            case .mostUseful: "useful DESC, r.created_on DESC, r.rowid DESC"
            }
        _ = arguments.append(contentsOf: [max(search.limit, 0)])
        let sql = """
            SELECT r.id, r.iso_week, r.created_on, r.task_category, r.text, r.outcome, r.minutes_saved, r.consent,
                r.pseudonym,
                (SELECT COUNT(*) FROM idea_marks m WHERE m.reflection_id = r.id) AS useful,
                CASE WHEN r.consent = 'attributed' THEN
                    (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym)
                END AS address
            FROM reflections r JOIN people p ON p.pseudonym = r.pseudonym
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(order) LIMIT ?
            """
        let frozen = arguments
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: frozen).compactMap { row in ideaCandidate(row, db) }
        }
    }

    /// The candidate of a row of `searchIdeas`' columns; nil for a consent this version does not know.
    func ideaCandidate(_ row: Row, _ db: Database) -> IdeaCandidate? {
        let consentText: String = row["consent"]
        guard let consent = Consent(rawValue: consentText) else { return nil }
        // Only an attributed author's address is opened (to show the name they chose to show).
        let sealed: Data? = row["address"]
        let address = sealed.flatMap { sealed in
            try? Self.openAddress(sealed, of: Pseudonym(rawValue: row["pseudonym"]), keys: keyring.keys(db))
        }
        let category: String? = row["task_category"]
        let outcome: String? = row["outcome"]
        let minutes: String? = row["minutes_saved"]
        let week: String? = row["iso_week"]
        let day: String = row["created_on"]
        return IdeaCandidate(
            id: row["id"], week: week ?? StoredDay.isoWeek(day) ?? "",
            taskCategory: category.flatMap(TaskCategory.init(rawValue:)), text: row["text"],
            outcome: outcome.flatMap(Outcome.init(rawValue:)),
            minutesSaved: minutes.flatMap(MinutesSaved.init(rawValue:)), consent: consent,
            attributedUserID: consent == .attributed ? address?.userID : nil, usefulCount: row["useful"])
    }

    public func markIdeaUseful(reflectionID: String, by person: Pseudonym, at now: Date) async throws(StoreError)
        -> IdeaMarkResult
    {
        let week = StoredDay.isoWeek(StoredDay.string(from: now)) ?? ""
        return try await perform { db in
            guard
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM reflections WHERE id = ? AND pseudonym <> ?
                            AND consent IN ('anonymous_quote', 'attributed')
                        """,
                    arguments: [reflectionID, person.value]) ?? false,
                try Self.personExists(db, person)
            else { return .unavailable }
            try db.execute(
                sql: """
                    INSERT INTO idea_marks (reflection_id, pseudonym, marked_week) VALUES (?, ?, ?)
                    ON CONFLICT (reflection_id, pseudonym) DO NOTHING
                    """,
                arguments: [reflectionID, person.value, week])
            return db.changesCount == 1 ? .counted : .alreadyCounted
        }
    }

    public func ideaMarkCount(by person: Pseudonym) async throws(StoreError) -> Int {
        try await read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM idea_marks WHERE pseudonym = ?", arguments: [person.value]) ?? 0
        }
    }

    /// Merges the full-text index into one segment, which drops the entries of deleted reflections: after an
    /// erasure no older segment still holds the erased words (with `secure_delete`, the freed pages are zeroed).
    static func optimizeIdeaIndex(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO reflections_fts (reflections_fts) VALUES ('optimize')")
    }

    /// The raw pages of the full-text index, for tests that check an erased word is gone from the index itself.
    public func ideaIndexContains(_ bytes: String) async throws(StoreError) -> Bool {
        try await read { db in
            let needle = Data(bytes.utf8)
            for blob in try Data.fetchAll(db, sql: "SELECT block FROM reflections_fts_data WHERE block IS NOT NULL") {
                if blob.range(of: needle) != nil { return true }
            }
            return false
        }
    }
}

extension SQLiteStore {
    /// Every team's "Try this" from one ordered pass per category, instead of a search per team: each search
    /// reads and orders every consented reflection of the history again (with a team count per row), which for
    /// 200 teams and two million reflections took minutes.
    ///
    /// The order of `searchIdeas` `.mostUseful` is walked in two parts: the reflections with "Useful" marks (few;
    /// read with their counts and sorted), then the unmarked ones newest first along `reflections_created_on`
    /// (the same order, as they all count 0), stopping as soon as every team has its example: the first
    /// reflection in that order not by one of its own members. Authors in a team smaller than `minimumTeamSize`
    /// are skipped, from one count of every team.
    public func tryThisExamples(_ requests: [TryThisRequest], untilWeek: String, minimumTeamSize: Int)
        async throws(StoreError) -> [TryThisRequest: IdeaCandidate]
    {
        let byCategory = Dictionary(grouping: Set(requests), by: \.category)
        guard !byCategory.isEmpty else { return [:] }
        return try await read { db in
            // Team names compare as SQLite compares them (bytes), not by Unicode equivalence.
            var sizes: [[UInt8]: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT team, COUNT(*) AS size FROM people WHERE team IS NOT NULL GROUP BY team")
            {
                let team: String = row["team"]
                sizes[Array(team.utf8)] = row["size"]
            }
            var examples: [TryThisRequest: IdeaCandidate] = [:]
            for (category, wanted) in byCategory {
                var pending = wanted.map { (team: $0.team, bytes: Array($0.team.utf8)) }
                for marked in [true, false] where !pending.isEmpty {
                    var arguments: StatementArguments = [untilWeek]
                    if let category { _ = arguments.append(contentsOf: [category.rawValue]) }
                    let before = marked ? nil : StoredDay.firstDay(after: untilWeek)
                    if let before { _ = arguments.append(contentsOf: [before]) }
                    let rows = try Row.fetchCursor(
                        db,
                        sql: Self.tryThisSQL(marked: marked, byCategory: category != nil, seeksDay: before != nil),
                        arguments: arguments)
                    while !pending.isEmpty, let row = try rows.next() {
                        let author: String? = row["team"]
                        let authorBytes = author.map { Array($0.utf8) }
                        if let authorBytes, sizes[authorBytes, default: 0] < minimumTeamSize { continue }
                        let served = pending.filter { $0.bytes != authorBytes }
                        guard !served.isEmpty else { continue }
                        pending.removeAll { $0.bytes != authorBytes }
                        // A row `searchIdeas` would drop (a consent this version does not know) leaves them none,
                        // as its limit of one would.
                        guard let candidate = ideaCandidate(row, db) else { continue }
                        for team in served { examples[TryThisRequest(team: team.team, category: category)] = candidate }
                    }
                }
            }
            return examples
        }
    }

    /// The ordered consented reflections up to a week (bound first, then the category if `byCategory`), in
    /// `searchIdeas`' columns plus the author's team: the marked ones by marks, newest first; or the unmarked
    /// ones newest first, read along the `created_on` index so that stopping early costs only what was read —
    /// from the first day after the week when `seeksDay` (bound last): a digest of an earlier week, such as a
    /// preview or a job that runs late, would otherwise read every newer reflection to discard it.
    static func tryThisSQL(marked: Bool, byCategory: Bool, seeksDay: Bool = false) -> String {
        let columns = """
            r.id, r.iso_week, r.created_on, r.task_category, r.text, r.outcome, r.minutes_saved, r.consent,
                r.pseudonym, p.team,
                CASE WHEN r.consent = 'attributed' THEN
                    (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym)
                END AS address
            """
        let filter = """
            r.consent IN ('anonymous_quote', 'attributed') AND r.iso_week <= ?
            \(byCategory ? "AND r.task_category = ?" : "")
            """
        if marked {
            return """
                SELECT \(columns), m.useful AS useful
                FROM (SELECT reflection_id, COUNT(*) AS useful FROM idea_marks GROUP BY reflection_id) m
                JOIN reflections r ON r.id = m.reflection_id
                JOIN people p ON p.pseudonym = r.pseudonym
                WHERE \(filter)
                ORDER BY m.useful DESC, r.created_on DESC, r.rowid DESC
                """
        }
        return """
            SELECT \(columns), 0 AS useful
            FROM reflections r INDEXED BY reflections_created_on
            JOIN people p ON p.pseudonym = r.pseudonym
            WHERE \(filter) AND NOT EXISTS (SELECT 1 FROM idea_marks m WHERE m.reflection_id = r.id)
            \(seeksDay ? "AND r.created_on < ?" : "")
            ORDER BY r.created_on DESC, r.rowid DESC
            """
    }
}
