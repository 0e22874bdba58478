/// Where a message the bot posted in Teams lives, as one string for ``PostedMessage/channel``: the
/// conversation id and the regional service URL it was reached through (a later update or reply must go to
/// the same Bot Connector). `a:1qhN…|https://smba.trafficmanager.net/emea/`.
///
/// Why one string: nudge sends and digests are stored with a channel and a message id, the same columns for
/// every platform; `|` occurs in neither a Teams conversation id nor a URL, so the pair splits back exactly.
public struct TeamsMessageLocation: Sendable, Equatable {
    public var conversationID: String
    public var serviceURL: String

    public init(conversationID: String, serviceURL: String) {
        self.conversationID = conversationID
        self.serviceURL = serviceURL
    }

    static let separator: Character = "|"

    public var encoded: String { conversationID + String(Self.separator) + serviceURL }

    /// Nil for a string that is not an encoded location (a Slack channel, a truncated value).
    public init?(encoded: String) {
        guard let separator = encoded.lastIndex(of: Self.separator) else { return nil }
        let conversationID = String(encoded[..<separator])
        let serviceURL = String(encoded[encoded.index(after: separator)...])
        guard !conversationID.isEmpty, serviceURL.hasPrefix("http") else { return nil }
        self.init(conversationID: conversationID, serviceURL: serviceURL)
    }
}
