import DebriefCore
import Foundation

/// Leaders' responses to leadership digests ("You said, we did", issue #13): what a leader said will change, the
/// published themes it answers, who it is for. Kept under the author's pseudonym (never a platform id) and erased
/// with them (`/reflect forget`); `/reflect mine` lists them.
public protocol ResponseStore: Sendable {
    /// Stores a response; the author must exist (``Store/upsertPerson(_:pseudonym:at:)`` first). One transaction.
    func recordLeaderResponse(_ response: LeaderResponse) async throws(StoreError)

    /// Responses created in `[from, before)`, oldest first, each with its author's platform user id when their
    /// delivery address can be opened (to look up the display name in the directory, as leaders' notes do).
    func leaderResponses(createdFrom from: Date, before: Date) async throws(StoreError) -> [StoredLeaderResponse]

    /// Responses answering the leadership digests of `weeks`, oldest first (loop closure).
    func leaderResponses(answering weeks: [String]) async throws(StoreError) -> [StoredLeaderResponse]

    /// The person's own responses, oldest first (`/reflect mine`).
    func leaderResponses(of author: Pseudonym) async throws(StoreError) -> [LeaderResponse]

    /// A page of every response, newest first (the admin API): at most `limit`, strictly older than `cursor`.
    func leaderResponsePage(before cursor: LeaderResponseCursor?, limit: Int) async throws(StoreError)
        -> [StoredLeaderResponse]
}

/// One leader response as stored.
public struct LeaderResponse: Sendable, Equatable, Codable {
    public var id: String
    public var author: Pseudonym
    /// The ISO week of the leadership digest it answers (`2026-W47`).
    public var week: String
    public var text: String
    public var themes: [ResponseTheme]
    public var audience: ResponseAudience
    public var createdAt: Date

    public init(
        id: String, author: Pseudonym, week: String, text: String, themes: [ResponseTheme],
        audience: ResponseAudience, createdAt: Date
    ) {
        self.id = id
        self.author = author
        self.week = week
        self.text = text
        self.themes = themes
        self.audience = audience
        self.createdAt = createdAt
    }
}

/// A response with what it takes to name its author: their platform user id, opened from the sealed delivery
/// address only for the caller that resolves the display name; never stored outside that address.
public struct StoredLeaderResponse: Sendable, Equatable {
    public var response: LeaderResponse
    public var authorUserID: String?

    public init(response: LeaderResponse, authorUserID: String?) {
        self.response = response
        self.authorUserID = authorUserID
    }
}

/// Where a page of responses ends: the last one's creation time and id (ties broken by id).
public struct LeaderResponseCursor: Sendable, Equatable {
    public var createdAt: Date
    public var id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// How themes and audiences are kept in a text column, the same in every backend.
public enum StoredResponseFields {
    /// Theme keys separated by commas (keys never contain one).
    public static func themes(_ themes: [ResponseTheme]) -> String { themes.map(\.key).joined(separator: ",") }

    public static func themes(from text: String) -> [ResponseTheme] {
        text.split(separator: ",").compactMap { ResponseTheme(key: String($0)) }
    }

    /// NULL for all teams, else the team names as a JSON array (names may contain any character).
    public static func audience(_ audience: ResponseAudience) -> String? {
        guard case .teams(let teams) = audience,
            let data = try? JSONEncoder().encode(teams)
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public static func audience(from text: String?) -> ResponseAudience {
        guard let text, let teams = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            return .allTeams
        }
        return .teams(teams)
    }
}
