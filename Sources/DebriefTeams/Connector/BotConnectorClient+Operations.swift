import DebriefCore
import DebriefPlatform
import Foundation
import HTTPTypes

extension BotConnectorClient {
    /// Posts an activity to a conversation (a 1:1 nudge, or a new post when `conversationID` is a channel id).
    ///
    /// - Returns: the new activity's id, needed to update or reply to it later.
    public func sendToConversation(
        serviceURL: String, conversationID: String, activity: Activity, tenantID: String? = nil
    ) async throws(ChatPlatformError) -> String {
        let url = ConnectorPath.url(
            serviceURL, [.literal("v3/conversations"), .id(conversationID), .literal("activities")])
        let body = try await perform(
            .sendToConversation, method: .post, url: url, body: Self.encode(activity), tenantID: tenantID)
        return try resourceID(body, operation: .sendToConversation)
    }

    /// Replies to an activity (threaded in channels).
    ///
    /// - Returns: the reply's activity id.
    public func replyToActivity(
        serviceURL: String, conversationID: String, activityID: String, activity: Activity, tenantID: String? = nil
    ) async throws(ChatPlatformError) -> String {
        var reply = activity
        if reply.replyToId == nil { reply.replyToId = activityID }
        let url = ConnectorPath.url(
            serviceURL, [.literal("v3/conversations"), .id(conversationID), .literal("activities"), .id(activityID)])
        let body = try await perform(
            .replyToActivity, method: .post, url: url, body: Self.encode(reply), tenantID: tenantID)
        return try resourceID(body, operation: .replyToActivity)
    }

    /// Replaces an activity the bot posted (for example the nudge card once answered). `activity` is the complete
    /// replacement.
    public func updateActivity(
        serviceURL: String, conversationID: String, activityID: String, activity: Activity, tenantID: String? = nil
    ) async throws(ChatPlatformError) {
        var replacement = activity
        if replacement.id == nil { replacement.id = activityID }
        let url = ConnectorPath.url(
            serviceURL, [.literal("v3/conversations"), .id(conversationID), .literal("activities"), .id(activityID)])
        _ = try await perform(
            .updateActivity, method: .put, url: url, body: Self.encode(replacement), tenantID: tenantID)
    }

    /// Creates (or gets) the bot's 1:1 conversation with a person who has the app installed.
    ///
    /// - Parameters:
    ///   - botID: `28:<appId>` (``BotCredentials/botID``).
    ///   - member: the person, by `29:` id or, when `id` is nil, by Entra object id (`aadObjectId`).
    /// - Returns: the conversation id (`a:…`); store it.
    /// - Throws: `.refused("BotNotInConversationRoster")` when the app is not installed for the person.
    public func createPersonalConversation(
        serviceURL: String, tenantID: String, botID: String, member: ChannelAccount
    ) async throws(ChatPlatformError) -> String {
        var account = member
        if account.id == nil || account.id?.isEmpty == true { account.id = member.aadObjectId }
        guard let id = account.id, !id.isEmpty else { throw .refused(code: "missing_member_id") }
        let request = CreateConversationRequest(
            bot: ChannelAccount(id: botID), members: [ChannelAccount(id: id)], isGroup: false,
            channelData: ["tenant": ["id": .string(tenantID)]], tenantId: tenantID, activity: nil)
        let body = try await perform(
            .createConversation, method: .post, url: ConnectorPath.url(serviceURL, [.literal("v3/conversations")]),
            body: Self.encode(request), tenantID: tenantID)
        let answer = try decode(ConversationResourceResponse.self, from: body, operation: .createConversation)
        guard let conversationID = answer.id, !conversationID.isEmpty else {
            throw .unavailable(code: "invalid_response")
        }
        return conversationID
    }

    /// Starts a new thread in a channel with `activity` as its first post (a digest).
    ///
    /// - Returns: the thread's conversation id (`{channelId};messageid={activityId}`, for replies in the thread) and
    ///   the post's activity id (to update it).
    public func createChannelThread(
        serviceURL: String, tenantID: String, channelID: String, activity: Activity
    ) async throws(ChatPlatformError) -> (conversationID: String, activityID: String) {
        let request = CreateConversationRequest(
            bot: nil, members: nil, isGroup: true,
            channelData: ["channel": ["id": .string(channelID)], "tenant": ["id": .string(tenantID)]],
            tenantId: tenantID, activity: activity)
        let body = try await perform(
            .createChannelThread, method: .post, url: ConnectorPath.url(serviceURL, [.literal("v3/conversations")]),
            body: Self.encode(request), tenantID: tenantID)
        let answer = try decode(ConversationResourceResponse.self, from: body, operation: .createChannelThread)
        let marker = ";messageid="
        var activityID = answer.activityId.flatMap { $0.isEmpty ? nil : $0 }
        if activityID == nil, let id = answer.id, let range = id.range(of: marker) {
            activityID = String(id[range.upperBound...])
        }
        guard let activityID, !activityID.isEmpty else { throw .unavailable(code: "invalid_response") }
        let conversationID =
            if let id = answer.id, id.contains(marker) { id } else { channelID + marker + activityID }
        return (conversationID, activityID)
    }

    /// One page of a team's or conversation's members.
    ///
    /// - Parameters:
    ///   - pageSize: members per page (Teams allows up to 500; it may return fewer).
    ///   - continuationToken: nil for the first page, then the previous page's token.
    public func pagedMembers(
        serviceURL: String, conversationID: String, pageSize: Int = 200, continuationToken: String? = nil,
        tenantID: String? = nil
    ) async throws(ChatPlatformError) -> TeamsMembersPage {
        var query = [("pageSize", String(min(max(pageSize, 1), 500)))]
        if let continuationToken, !continuationToken.isEmpty { query.append(("continuationToken", continuationToken)) }
        let url = ConnectorPath.url(
            serviceURL, [.literal("v3/conversations"), .id(conversationID), .literal("pagedmembers")], query: query)
        let body = try await perform(.pagedMembers, method: .get, url: url, tenantID: tenantID)
        let page = try decode(PagedMembersResponse.self, from: body, operation: .pagedMembers)
        let members = (page.members ?? []).compactMap(\.member)
        let next = page.continuationToken.flatMap { $0.isEmpty ? nil : $0 }
        return TeamsMembersPage(members: members, continuationToken: next)
    }

    /// The channels of a team (the app must be installed in it).
    public func teamChannels(serviceURL: String, teamID: String, tenantID: String? = nil)
        async throws(ChatPlatformError) -> [TeamsChannel]
    {
        let url = ConnectorPath.url(serviceURL, [.literal("v3/teams"), .id(teamID), .literal("conversations")])
        let body = try await perform(.teamChannels, method: .get, url: url, tenantID: tenantID)
        let answer = try decode(ConversationList.self, from: body, operation: .teamChannels)
        return (answer.conversations ?? []).compactMap { channel in
            guard let id = channel.id, !id.isEmpty else { return nil }
            return TeamsChannel(id: id, name: channel.name)
        }
    }

    // MARK: - Wire shapes

    private func resourceID(_ body: Data, operation: TeamsAPIMetrics.Operation) throws(ChatPlatformError) -> String {
        let answer = try decode(ResourceResponse.self, from: body, operation: operation)
        guard let id = answer.id, !id.isEmpty else { throw .unavailable(code: "invalid_response") }
        return id
    }
}

/// `ConversationParameters` (swagger `ConnectorAPI.json`); nil fields are left out.
private struct CreateConversationRequest: Encodable {
    var bot: ChannelAccount?
    var members: [ChannelAccount]?
    var isGroup: Bool
    var channelData: JSONValue
    var tenantId: String
    var activity: Activity?
}

/// `{"id": "…"}`.
package struct ResourceResponse: Decodable {
    package var id: String?
}

/// `{"id": "…", "activityId": "…", "serviceUrl": "…"}`.
package struct ConversationResourceResponse: Decodable {
    package var id: String?
    package var activityId: String?
}

/// `{"members": [TeamsChannelAccount], "continuationToken": "…"}`.
package struct PagedMembersResponse: Decodable {
    package var members: [WireMember]?
    package var continuationToken: String?
}

/// A member with every field optional, so one odd entry does not fail the page.
package struct WireMember: Decodable {
    var id: String?
    var name: String?
    var aadObjectId: String?
    var email: String?
    var userPrincipalName: String?
    var tenantId: String?

    package var member: TeamsMember? {
        guard let id, !id.isEmpty else { return nil }
        return TeamsMember(
            id: id, name: name, aadObjectId: aadObjectId, email: email, userPrincipalName: userPrincipalName,
            tenantId: tenantId)
    }
}

/// `{"conversations": [{"id": "19:…", "name": "…"}]}`.
package struct ConversationList: Decodable {
    package var conversations: [WireChannel]?

    package struct WireChannel: Decodable {
        package var id: String?
        package var name: String?
    }
}
