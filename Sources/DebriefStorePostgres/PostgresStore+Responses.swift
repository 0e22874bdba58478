import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// Leaders' responses, as the SQLite store keeps them (``ResponseStore``).
extension PostgresStore: ResponseStore {
    public func recordLeaderResponse(_ response: LeaderResponse) async throws(StoreError) {
        try await write { connection in
            let createdAt = response.createdAt.timeIntervalSince1970
            try await connection.execute(
                """
                INSERT INTO leader_responses (id, pseudonym, week, text, themes, audience_teams, created_at)
                VALUES (\(response.id), \(response.author.value), \(response.week),
                    \(StoredText.storable(response.text)), \(StoredResponseFields.themes(response.themes)),
                    \(StoredText.storable(StoredResponseFields.audience(response.audience))), \(createdAt))
                """)
        }
    }

    public func leaderResponses(createdFrom from: Date, before: Date) async throws(StoreError)
        -> [StoredLeaderResponse]
    {
        let start = from.timeIntervalSince1970
        let end = before.timeIntervalSince1970
        return try await storedResponses(
            """
            \(unescaped: Self.responseSelect)
            WHERE r.created_at >= \(start) AND r.created_at < \(end) ORDER BY r.created_at, r.id COLLATE "C"
            """)
    }

    public func leaderResponses(answering weeks: [String]) async throws(StoreError) -> [StoredLeaderResponse] {
        guard !weeks.isEmpty else { return [] }
        return try await storedResponses(
            """
            \(unescaped: Self.responseSelect)
            WHERE r.week = ANY(\(weeks)) ORDER BY r.created_at, r.id COLLATE "C"
            """)
    }

    public func leaderResponses(of author: Pseudonym) async throws(StoreError) -> [LeaderResponse] {
        try await read { connection in try await Self.leaderResponses(connection, of: author) }
    }

    /// The author's responses on `connection` (the export reads them with the rest).
    static func leaderResponses(_ connection: PostgresConnection, of author: Pseudonym) async throws
        -> [LeaderResponse]
    {
        try await connection.rows(
            """
            SELECT \(unescaped: Self.responseColumns) FROM leader_responses r
            WHERE r.pseudonym = \(author.value) ORDER BY r.created_at, r.id COLLATE "C"
            """
        ).map { try Self.leaderResponse(from: $0).response }
    }

    public func leaderResponsePage(before cursor: LeaderResponseCursor?, limit: Int) async throws(StoreError)
        -> [StoredLeaderResponse]
    {
        let bound = max(0, limit)
        guard let cursor else {
            return try await storedResponses(
                """
                \(unescaped: Self.responseSelect)
                ORDER BY r.created_at DESC, r.id COLLATE "C" DESC LIMIT \(bound)
                """)
        }
        let createdAt = cursor.createdAt.timeIntervalSince1970
        return try await storedResponses(
            """
            \(unescaped: Self.responseSelect)
            WHERE (r.created_at < \(createdAt) OR (r.created_at = \(createdAt) AND r.id COLLATE "C" < \(cursor.id)))
            ORDER BY r.created_at DESC, r.id COLLATE "C" DESC LIMIT \(bound)
            """)
    }

    static let responseColumns = "r.id, r.pseudonym, r.week, r.text, r.themes, r.audience_teams, r.created_at"

    /// The columns of a response and its author's sealed address, `FROM leader_responses r`.
    static let responseSelect = """
        SELECT r.id, r.pseudonym, r.week, r.text, r.themes, r.audience_teams, r.created_at,
            (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym LIMIT 1) AS address
        FROM leader_responses r
        """

    /// The rows of `query` (``responseSelect`` and a condition), with the author's user id opened from the
    /// sealed delivery address when it can be.
    private func storedResponses(_ query: PostgresQuery) async throws(StoreError) -> [StoredLeaderResponse] {
        try await read { connection in
            let keys = try await keyring.keys(connection)
            return try await connection.rows(query).map { row in
                var stored = try Self.leaderResponse(from: row)
                let sealed = try row.makeRandomAccess()[7].decode(Data?.self)
                if let sealed, let address = try? Self.openAddress(sealed, of: stored.response.author, keys: keys) {
                    stored.authorUserID = address.userID
                }
                return stored
            }
        }
    }

    static func leaderResponse(from row: PostgresRow) throws -> StoredLeaderResponse {
        let columns = try row.makeRandomAccess()
        let id = try columns[0].decode(String.self)
        let pseudonym = try columns[1].decode(String.self)
        let week = try columns[2].decode(String.self)
        let text = try columns[3].decode(String.self)
        let themes = try columns[4].decode(String.self)
        let audience = try columns[5].decode(String?.self)
        let createdAt = try columns[6].decode(Double.self)
        return StoredLeaderResponse(
            response: LeaderResponse(
                id: id, author: Pseudonym(rawValue: pseudonym), week: week, text: text,
                themes: StoredResponseFields.themes(from: themes),
                audience: StoredResponseFields.audience(from: audience),
                createdAt: Date(timeIntervalSince1970: createdAt)),
            authorUserID: nil)
    }
}
