import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteStore: ResponseStore {
    public func recordLeaderResponse(_ response: LeaderResponse) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: """
                    INSERT INTO leader_responses (id, pseudonym, week, text, themes, audience_teams, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    response.id, response.author.value, response.week, StoredText.storable(response.text),
                    StoredResponseFields.themes(response.themes),
                    StoredText.storable(StoredResponseFields.audience(response.audience)),
                    response.createdAt.timeIntervalSince1970,
                ])
        }
    }

    public func leaderResponses(createdFrom from: Date, before: Date) async throws(StoreError)
        -> [StoredLeaderResponse]
    {
        try await storedResponses(
            where: "r.created_at >= ? AND r.created_at < ? ORDER BY r.created_at, r.id",
            arguments: [from.timeIntervalSince1970, before.timeIntervalSince1970])
    }

    public func leaderResponses(answering weeks: [String]) async throws(StoreError) -> [StoredLeaderResponse] {
        guard !weeks.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: weeks.count).joined(separator: ", ")
        return try await storedResponses(
            where: "r.week IN (\(marks)) ORDER BY r.created_at, r.id", arguments: StatementArguments(weeks))
    }

    public func leaderResponses(of author: Pseudonym) async throws(StoreError) -> [LeaderResponse] {
        try await read { db in try Self.leaderResponses(db, of: author) }
    }

    /// The author's responses inside a transaction (the export reads them with the rest).
    static func leaderResponses(_ db: Database, of author: Pseudonym) throws -> [LeaderResponse] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM leader_responses WHERE pseudonym = ? ORDER BY created_at, id",
            arguments: [author.value]
        ).map(Self.leaderResponse(from:))
    }

    public func leaderResponsePage(before cursor: LeaderResponseCursor?, limit: Int) async throws(StoreError)
        -> [StoredLeaderResponse]
    {
        let bound = max(0, limit)
        if let cursor {
            return try await storedResponses(
                where: """
                    (r.created_at < ? OR (r.created_at = ? AND r.id < ?))
                    ORDER BY r.created_at DESC, r.id DESC LIMIT ?
                    """,
                arguments: [
                    cursor.createdAt.timeIntervalSince1970, cursor.createdAt.timeIntervalSince1970, cursor.id, bound,
                ])
        }
        return try await storedResponses(
            where: "1 ORDER BY r.created_at DESC, r.id DESC LIMIT ?", arguments: [bound])
    }

    /// Responses matching `condition` (which ends with their order), with the author's user id opened from the
    /// sealed delivery address when it can be.
    private func storedResponses(where condition: String, arguments: StatementArguments) async throws(StoreError)
        -> [StoredLeaderResponse]
    {
        try await read { db in
            let keys = try keyring.keys(db)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, (SELECT a.address FROM delivery_addresses a WHERE a.pseudonym = r.pseudonym LIMIT 1)
                        AS address
                    FROM leader_responses r WHERE \(condition)
                    """,
                arguments: arguments
            ).map { row in
                let response = Self.leaderResponse(from: row)
                let sealed: Data? = row["address"]
                let address = sealed.flatMap { try? Self.openAddress($0, of: response.author, keys: keys) }
                return StoredLeaderResponse(response: response, authorUserID: address?.userID)
            }
        }
    }

    static func leaderResponse(from row: Row) -> LeaderResponse {
        LeaderResponse(
            id: row["id"], author: Pseudonym(rawValue: row["pseudonym"]), week: row["week"], text: row["text"],
            themes: StoredResponseFields.themes(from: row["themes"]),
            audience: StoredResponseFields.audience(from: row["audience_teams"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
