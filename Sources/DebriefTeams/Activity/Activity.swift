import DebriefCore
import Foundation

/// One Bot Framework activity, inbound (`POST /api/messages`) or outbound (Bot Connector REST), with the
/// fields Debrief reads or writes (reference `teams.md` §1.2). Every field is optional because the protocol
/// makes almost none of them mandatory and Teams adds new activity types at any time; callers check what
/// they need and answer 400 or ignore the activity. Unknown fields are dropped on decoding.
public struct Activity: Sendable, Equatable, Codable {
    /// `message`, `conversationUpdate`, `installationUpdate`, `invoke`, … (see ``ActivityType``).
    public var type: String?
    public var id: String?
    public var timestamp: String?
    public var localTimestamp: String?
    /// The sender's IANA zone (`Europe/Berlin`), when Teams sends it.
    public var localTimezone: String?
    /// Base URL for every outbound call about this conversation (regional; refreshed from every activity).
    public var serviceUrl: String?
    /// `msteams` in Teams; the JWT's signing key must be endorsed for it.
    public var channelId: String?
    public var from: ChannelAccount?
    public var recipient: ChannelAccount?
    public var conversation: ConversationAccount?
    public var text: String?
    public var textFormat: String?
    /// A preview for the activity feed.
    public var summary: String?
    public var locale: String?
    public var attachments: [Attachment]?
    public var entities: [JSONValue]?
    public var channelData: JSONValue?
    /// `Action.Submit` values, or the invoke payload (`adaptiveCard/action`).
    public var value: JSONValue?
    /// The invoke's name (`adaptiveCard/action`).
    public var name: String?
    /// `add` / `remove` on `installationUpdate`.
    public var action: String?
    public var membersAdded: [ChannelAccount]?
    public var membersRemoved: [ChannelAccount]?
    /// The bot message a card action came from (to update it).
    public var replyToId: String?

    public init(
        type: String? = nil, id: String? = nil, timestamp: String? = nil, localTimestamp: String? = nil,
        localTimezone: String? = nil, serviceUrl: String? = nil, channelId: String? = nil,
        from: ChannelAccount? = nil, recipient: ChannelAccount? = nil, conversation: ConversationAccount? = nil,
        text: String? = nil, textFormat: String? = nil, summary: String? = nil, locale: String? = nil,
        attachments: [Attachment]? = nil, entities: [JSONValue]? = nil, channelData: JSONValue? = nil,
        value: JSONValue? = nil, name: String? = nil, action: String? = nil, membersAdded: [ChannelAccount]? = nil,
        membersRemoved: [ChannelAccount]? = nil, replyToId: String? = nil
    ) {
        self.type = type
        self.id = id
        self.timestamp = timestamp
        self.localTimestamp = localTimestamp
        self.localTimezone = localTimezone
        self.serviceUrl = serviceUrl
        self.channelId = channelId
        self.from = from
        self.recipient = recipient
        self.conversation = conversation
        self.text = text
        self.textFormat = textFormat
        self.summary = summary
        self.locale = locale
        self.attachments = attachments
        self.entities = entities
        self.channelData = channelData
        self.value = value
        self.name = name
        self.action = action
        self.membersAdded = membersAdded
        self.membersRemoved = membersRemoved
        self.replyToId = replyToId
    }
}

/// The activity types Debrief acts on; anything else is acknowledged and ignored.
public enum ActivityType {
    public static let message = "message"
    public static let conversationUpdate = "conversationUpdate"
    public static let installationUpdate = "installationUpdate"
    public static let invoke = "invoke"
}

/// A user or the bot: `29:…` ids are per bot; `aadObjectId` is the person's stable Entra object id.
public struct ChannelAccount: Sendable, Equatable, Codable {
    public var id: String?
    public var name: String?
    public var aadObjectId: String?

    public init(id: String? = nil, name: String? = nil, aadObjectId: String? = nil) {
        self.id = id
        self.name = name
        self.aadObjectId = aadObjectId
    }
}

/// A conversation: `personal` (1:1), `groupChat` or `channel` (`19:…@thread.tacv2`, with `;messageid=` inside a
/// thread).
public struct ConversationAccount: Sendable, Equatable, Codable {
    public var id: String?
    public var conversationType: String?
    public var tenantId: String?
    public var isGroup: Bool?
    public var name: String?

    public init(
        id: String? = nil, conversationType: String? = nil, tenantId: String? = nil, isGroup: Bool? = nil,
        name: String? = nil
    ) {
        self.id = id
        self.conversationType = conversationType
        self.tenantId = tenantId
        self.isGroup = isGroup
        self.name = name
    }
}

/// A card or file attached to a message; Debrief sends Adaptive Cards only.
public struct Attachment: Sendable, Equatable, Codable {
    public static let adaptiveCardContentType = "application/vnd.microsoft.card.adaptive"

    public var contentType: String
    public var content: JSONValue?

    public init(contentType: String, content: JSONValue?) {
        self.contentType = contentType
        self.content = content
    }

    /// An Adaptive Card attachment.
    public static func adaptiveCard(_ card: JSONValue) -> Attachment {
        Attachment(contentType: adaptiveCardContentType, content: card)
    }
}
