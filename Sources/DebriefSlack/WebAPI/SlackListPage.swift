import Foundation

/// One answer of a Slack list method (`users.list`, `conversations.members`, `usergroups.users.list`),
/// decoded into typed fields: the envelope (`ok`, `error`, …), the items (`members` or `users`) and the
/// cursor of the next page.
struct SlackListPage<Item: Decodable & Sendable>: Decodable, Sendable {
    var ok: Bool
    var error: String?
    var needed: String?
    var warning: String?
    var items: [Item]
    /// Empty on the last page.
    var nextCursor: String

    private enum CodingKeys: String, CodingKey {
        case ok, error, needed, warning, members, users
        case responseMetadata = "response_metadata"
    }

    private struct ResponseMetadata: Decodable {
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case nextCursor = "next_cursor"
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ok = try container.decodeIfPresent(Bool.self, forKey: .ok) ?? false
        error = try container.decodeIfPresent(String.self, forKey: .error)
        needed = try container.decodeIfPresent(String.self, forKey: .needed)
        warning = try container.decodeIfPresent(String.self, forKey: .warning)
        if let members = try container.decodeIfPresent([Item].self, forKey: .members) {
            items = members
        } else {
            items = try container.decodeIfPresent([Item].self, forKey: .users) ?? []
        }
        nextCursor = try container.decodeIfPresent(ResponseMetadata.self, forKey: .responseMetadata)?.nextCursor ?? ""
    }
}

/// What participant resolution needs of a `users.list` member: who, where, and whether they can be nudged.
public struct SlackUserSummary: Decodable, Sendable, Equatable {
    /// nil for a malformed entry, which is skipped.
    public var id: String?
    /// IANA zone, e.g. `Europe/Berlin`.
    public var timeZone: String?
    public var deleted: Bool
    public var isBot: Bool

    public init(id: String?, timeZone: String?, deleted: Bool, isBot: Bool) {
        self.id = id
        self.timeZone = timeZone
        self.deleted = deleted
        self.isBot = isBot
    }

    private enum CodingKeys: String, CodingKey {
        case id, tz, deleted
        case isBot = "is_bot"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        timeZone = try container.decodeIfPresent(String.self, forKey: .tz)
        deleted = try container.decodeIfPresent(Bool.self, forKey: .deleted) ?? false
        isBot = try container.decodeIfPresent(Bool.self, forKey: .isBot) ?? false
    }
}
