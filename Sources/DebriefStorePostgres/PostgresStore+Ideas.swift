import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

extension PostgresStore: IdeaStore {
    public func ideaContributorCount(upTo limit: Int) async throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            // Along `reflections_consented_pseudonym` (v14), stopping at the limit.
            try await connection.rows(
                """
                SELECT COUNT(*)::BIGINT FROM (
                    SELECT DISTINCT pseudonym FROM reflections
                    WHERE consent IN ('anonymous_quote', 'attributed') LIMIT \(limit)) AS contributors
                """
            ).first?.decode(Int.self) ?? 0
        }
    }

    /// Every filter is bound (NULL: not filtered); only the order, chosen from two constants, is spliced in. The
    /// topic reaches `to_tsquery` as a bound value made of letters and digits (``IdeaSearchTerms``).
    public func searchIdeas(_ search: IdeaSearch) async throws(StoreError) -> [IdeaCandidate] {
        let query: String? = search.terms.isEmpty ? nil : search.terms.tsQuery
        let category = search.category?.rawValue
        let week = search.sinceWeek
        let untilWeek = search.untilWeek
        let excludingTeam = search.excludingTeam
        let excluding = search.excluding?.value
        let teamSize = search.minimumTeamSize
        let limit = max(search.limit, 0)
        let order =
            switch search.order {
            case .newest: #"r.created_on COLLATE "C" DESC, r.ctid DESC"#
            case .mostUseful: #"useful DESC, r.created_on COLLATE "C" DESC, r.ctid DESC"#
            }
        return try await read { connection in
            let keys = try await keyring.keys(connection)
            return try await connection.rows(
                """
                SELECT r.id, r.iso_week, r.created_on, r.task_category, r.text, r.outcome, r.minutes_saved, r.consent,
                    r.pseudonym,
                    (SELECT COUNT(*) FROM idea_marks m WHERE m.reflection_id = r.id)::BIGINT AS useful,
                    CASE WHEN r.consent = 'attributed' THEN
                        (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym)
                    END AS address
                FROM reflections r JOIN people p ON p.pseudonym = r.pseudonym
                WHERE r.consent IN ('anonymous_quote', 'attributed')
                    AND (\(query)::TEXT IS NULL
                        OR r.search_vector @@ to_tsquery('debrief_ideas'::regconfig, \(query)::TEXT))
                    AND (\(category)::TEXT IS NULL OR r.task_category = \(category)::TEXT)
                    AND (\(week)::TEXT IS NULL OR r.iso_week COLLATE "C" >= \(week)::TEXT)
                    AND (\(untilWeek)::TEXT IS NULL OR r.iso_week COLLATE "C" <= \(untilWeek)::TEXT)
                    AND (\(excludingTeam)::TEXT IS NULL OR p.team IS NULL OR p.team <> \(excludingTeam)::TEXT)
                    AND (\(excluding)::TEXT IS NULL OR r.pseudonym <> \(excluding)::TEXT)
                    AND (\(teamSize)::BIGINT IS NULL OR p.team IS NULL
                        OR (SELECT COUNT(*) FROM people q WHERE q.team = p.team) >= \(teamSize)::BIGINT)
                ORDER BY \(unescaped: order) LIMIT \(limit)
                """
            ).compactMap { row -> IdeaCandidate? in
                let (id, isoWeek, createdOn, category, text, outcome, minutes, consentText, pseudonym, useful, sealed) =
                    try row.decode(
                        (
                            String, String?, String, String?, String, String?, String?, String, String, Int, Data?
                        ).self)
                guard let consent = Consent(rawValue: consentText) else { return nil }
                // Only an attributed author's address is opened (to show the name they chose to show).
                let address = sealed.flatMap { sealed in
                    try? Self.openAddress(sealed, of: Pseudonym(rawValue: pseudonym), keys: keys)
                }
                return IdeaCandidate(
                    id: id, week: isoWeek ?? StoredDay.isoWeek(createdOn) ?? "",
                    taskCategory: category.flatMap(TaskCategory.init(rawValue:)), text: text,
                    outcome: outcome.flatMap(Outcome.init(rawValue:)),
                    minutesSaved: minutes.flatMap(MinutesSaved.init(rawValue:)), consent: consent,
                    attributedUserID: consent == .attributed ? address?.userID : nil, usefulCount: useful)
            }
        }
    }

    public func markIdeaUseful(reflectionID: String, by person: Pseudonym, at now: Date) async throws(StoreError)
        -> IdeaMarkResult
    {
        let week = StoredDay.isoWeek(StoredDay.string(from: now)) ?? ""
        return try await write { connection in
            let markable = try await connection.count(
                """
                SELECT 1 FROM reflections r, people p
                WHERE r.id = \(reflectionID) AND r.pseudonym <> \(person.value)
                    AND r.consent IN ('anonymous_quote', 'attributed') AND p.pseudonym = \(person.value)
                """)
            guard markable == 1 else { return .unavailable }
            let inserted = try await connection.count(
                """
                INSERT INTO idea_marks (reflection_id, pseudonym, marked_week)
                VALUES (\(reflectionID), \(person.value), \(week))
                ON CONFLICT (reflection_id, pseudonym) DO NOTHING RETURNING 1
                """)
            return inserted == 1 ? .counted : .alreadyCounted
        }
    }

    public func ideaMarkCount(by person: Pseudonym) async throws(StoreError) -> Int {
        try await read { connection in
            try await connection.rows(
                "SELECT COUNT(*)::BIGINT FROM idea_marks WHERE pseudonym = \(person.value)"
            ).first?.decode(Int.self) ?? 0
        }
    }

    /// Whether any reflection's index entry holds `word` (after the configuration's folding), for tests that check
    /// an erased word is gone from the index itself.
    public func ideaIndexContains(_ word: String) async throws(StoreError) -> Bool {
        try await read { connection in
            try await connection.count(
                """
                SELECT 1 FROM reflections, unnest(search_vector) AS lexeme
                WHERE lexeme.lexeme = \(word) LIMIT 1
                """) == 1
        }
    }
}
