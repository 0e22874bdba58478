import DebriefCore
import DebriefStore
import Foundation

/// What Debrief reads from a Teams activity, wherever Teams happens to put it (reference `teams.md` §1.2).
extension Activity {
    /// The tenant: `conversation.tenantId`, else `channelData.tenant.id` (older payloads carry only the latter).
    public var tenantID: String? {
        Self.nonEmpty(conversation?.tenantId) ?? Self.nonEmpty(channelData?["tenant"]?["id"]?.stringValue)
    }

    /// A 1:1 chat between the bot and one person.
    public var isPersonal: Bool {
        conversation?.conversationType == "personal"
            || (conversation?.conversationType == nil && conversation?.isGroup != true)
    }

    /// The person who sent it, as Debrief keys people: the tenant and their Entra object id (stable, unlike the
    /// bot-specific `29:` id). Nil for activities without both.
    public var sender: PlatformUser? {
        guard let tenantID, let objectID = Self.nonEmpty(from?.aadObjectId) else { return nil }
        return PlatformUser(platform: .teams, workspace: tenantID, userID: objectID.lowercased())
    }

    /// The sender's IANA zone: `localTimezone`, else the `clientInfo` entity's `timezone`; only zones this
    /// system knows.
    public var senderTimeZone: String? {
        let clientInfo = entities?.first { $0["type"]?.stringValue == "clientInfo" }?["timezone"]?.stringValue
        for candidate in [localTimezone, clientInfo] {
            if let candidate, TimeZone(identifier: candidate) != nil { return candidate }
        }
        return nil
    }

    /// The sender's delivery address, with this personal conversation as where to reach them later. Nil outside
    /// personal chats (a channel message is no way to reach someone privately) and without a sender.
    public var senderAddress: DeliveryAddress? {
        guard let user = sender else { return nil }
        var address = DeliveryAddress(user)
        if isPersonal, let serviceUrl = Self.nonEmpty(serviceUrl), let conversationID = Self.nonEmpty(conversation?.id)
        {
            address.conversation = ConversationReference(
                serviceURL: serviceUrl, conversationID: conversationID, memberID: Self.nonEmpty(from?.id))
        }
        return address
    }

    /// The typed text without the `<at>Bot</at>` mention Teams adds in channels and group chats, HTML entities
    /// and tags Teams wraps around it removed, spaces trimmed.
    public var commandText: String {
        TeamsText.plain(text ?? "", droppingMentions: true).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The team a channel activity belongs to (`channelData.team.id`).
    public var teamID: String? { Self.nonEmpty(channelData?["team"]?["id"]?.stringValue) }

    /// The channel of a channel activity (`channelData.channel.id`).
    public var channelDataChannelID: String? { Self.nonEmpty(channelData?["channel"]?["id"]?.stringValue) }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
