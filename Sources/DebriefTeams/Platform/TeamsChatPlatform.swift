import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Logging

/// Microsoft Teams behind the chat-platform port: Adaptive Cards through the Bot Connector REST API.
///
/// What Teams cannot do the way the port asks, and what this adapter does instead (said in the README too):
/// - **No directory.** A bot sees no tenant-wide user list without Microsoft Graph; the directory here is the
///   rosters of the teams the bot was added to (`pagedmembers`), which is also where e-mail addresses and
///   team memberships are looked up.
/// - **No channel history.** ``findDigestPost(digestID:in:)`` cannot look for an earlier post, so it answers
///   `notFound`: a digest whose first attempt crashed between Microsoft's answer and Debrief's record would be
///   posted a second time (the window is one HTTP answer wide).
/// - **Proactive 1:1 messages need the app installed for the person.** Without a stored conversation the
///   adapter opens the 1:1 chat by the person's Entra object id; if the app is not installed, Teams answers 403
///   `BotNotInConversationRoster`, which the port reports as refused (no retries).
public struct TeamsChatPlatform: ChatPlatform {
    public var platform: Platform { .teams }
    public let connector: BotConnectorClient
    public let credentials: BotCredentials
    /// The Bot Connector for people and channels no activity has told us the regional one of.
    public let defaultServiceURL: String
    public let texts: TeamsTexts
    /// The digest templates written with ``TeamsMarkup``.
    let templates: DigestTemplates
    /// The teams and channels the bot is in (from the store), for posting digests and reading rosters.
    let channels: @Sendable () async -> [PlatformChannel]
    let logger: Logger
    /// Members per `pagedmembers` page.
    var pageSize = 500

    public init(
        connector: BotConnectorClient, credentials: BotCredentials, defaultServiceURL: String, texts: TeamsTexts,
        templates: DigestTemplates, channels: @escaping @Sendable () async -> [PlatformChannel], logger: Logger
    ) {
        self.connector = connector
        self.credentials = credentials
        self.defaultServiceURL = defaultServiceURL.hasSuffix("/") ? defaultServiceURL : defaultServiceURL + "/"
        self.texts = texts
        self.templates = templates
        self.channels = channels
        self.logger = logger
    }

    /// The digest templates as Teams writes them (previews without a connected tenant use these too).
    public static func digestTemplates(from promptsDirectory: URL) throws(PromptError) -> DigestTemplates {
        try DigestTemplates.load(from: promptsDirectory, markup: TeamsMarkup.markup)
    }

    public func workspaceID() async throws(ChatPlatformError) -> String {
        if let tenant = credentials.tenantID { return tenant }
        if let tenant = await channels().first?.workspace { return tenant }
        throw .unavailable(code: "no tenant: set MicrosoftAppTenantId")
    }

    // MARK: Nudges

    public func sendNudge(_ nudge: NudgeDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage
    {
        let card = NudgeCard.card(
            text: nudge.text, trainingTitle: nudge.trainingTitle, nudgeID: nudge.nudgeID, texts: nudge.texts)
        var activity = Self.cardMessage(card, summary: nudge.text)
        activity.channelData = ["notification": ["alert": true]]
        let location = try await personalConversation(of: person)
        let id = try await connector.sendToConversation(
            serviceURL: location.serviceURL, conversationID: location.conversationID, activity: activity,
            tenantID: person.workspace)
        return PostedMessage(channel: location.encoded, id: id)
    }

    public func sendHabitMessage(_ message: HabitDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage
    {
        var activity = Self.cardMessage(HabitCard.card(message), summary: message.text)
        activity.channelData = ["notification": ["alert": true]]
        let location = try await personalConversation(of: person)
        let id = try await connector.sendToConversation(
            serviceURL: location.serviceURL, conversationID: location.conversationID, activity: activity,
            tenantID: person.workspace)
        return PostedMessage(channel: location.encoded, id: id)
    }

    public func markNudgeAnswered(
        _ message: PostedMessage, answer: NudgeAnswer, trainingTitle: String, texts: NudgeMessageTexts
    ) async throws(ChatPlatformError) {
        let card: JSONValue =
            switch answer {
            case .reflected: NudgeCard.thanked(trainingTitle: trainingTitle, texts: texts)
            case .snoozed: NudgeCard.snoozed(text: "", trainingTitle: trainingTitle, texts: texts)
            case .skipped: NudgeCard.skipped(text: "", trainingTitle: trainingTitle, texts: texts)
            }
        try await updateCard(message, with: card)
    }

    /// Replaces a card the bot posted (a nudge after an `Action.Submit` answer).
    public func updateCard(_ message: PostedMessage, with card: JSONValue) async throws(ChatPlatformError) {
        guard let location = TeamsMessageLocation(encoded: message.channel) else {
            throw .refused(code: "not_a_teams_message")
        }
        try await connector.updateActivity(
            serviceURL: location.serviceURL, conversationID: location.conversationID, activityID: message.id,
            activity: Self.cardMessage(card, summary: nil), tenantID: credentials.tenantID)
    }

    /// Where to reach a person: their stored 1:1 conversation, else one opened now by their Entra object id.
    func personalConversation(of person: DeliveryAddress) async throws(ChatPlatformError) -> TeamsMessageLocation {
        if let conversation = person.conversation {
            return TeamsMessageLocation(
                conversationID: conversation.conversationID, serviceURL: conversation.serviceURL)
        }
        let id = try await connector.createPersonalConversation(
            serviceURL: defaultServiceURL, tenantID: person.workspace, botID: credentials.botID,
            member: ChannelAccount(aadObjectId: person.userID))
        return TeamsMessageLocation(conversationID: id, serviceURL: defaultServiceURL)
    }

    // MARK: Replies in a conversation (inbound commands)

    /// Answers an activity in its own conversation: in a 1:1 chat a new message, in a channel a reply in its
    /// thread.
    public func reply(to activity: Activity, card: JSONValue, summary: String? = nil) async throws(ChatPlatformError) {
        guard let serviceURL = activity.serviceUrl, let conversationID = activity.conversation?.id else {
            throw .refused(code: "activity_without_conversation")
        }
        let message = Self.cardMessage(card, summary: summary)
        if activity.isPersonal || activity.id == nil {
            _ = try await connector.sendToConversation(
                serviceURL: serviceURL, conversationID: conversationID, activity: message, tenantID: activity.tenantID)
        } else if let id = activity.id {
            _ = try await connector.replyToActivity(
                serviceURL: serviceURL, conversationID: conversationID, activityID: id, activity: message,
                tenantID: activity.tenantID)
        }
    }

    /// Posts a card to a person's 1:1 chat (the admin's report, a welcome).
    public func send(card: JSONValue, summary: String?, to person: DeliveryAddress) async throws(ChatPlatformError) {
        let location = try await personalConversation(of: person)
        _ = try await connector.sendToConversation(
            serviceURL: location.serviceURL, conversationID: location.conversationID,
            activity: Self.cardMessage(card, summary: summary), tenantID: person.workspace)
    }

    static func cardMessage(_ card: JSONValue, summary: String?) -> Activity {
        Activity(type: ActivityType.message, summary: summary, attachments: [.adaptiveCard(card)])
    }

    // MARK: Digests

    public func digestTexts(_ digest: DigestDelivery) -> DigestTexts {
        templates.render(digest.document, link: digest.link)
    }

    public func postDigest(_ digest: DigestDelivery, to channel: String) async throws(ChatPlatformError)
        -> PostedMessage
    {
        let card = DigestCard.main(
            texts: digestTexts(digest), document: digest.document, link: digest.link, teamsTexts: texts,
            respondDigestID: digest.digestID)
        var activity = Self.cardMessage(card, summary: nil)
        // Marks the post as this digest's, as Slack's metadata does (for people reading the raw activity).
        activity.channelData = ["debrief": ["digestId": .string(digest.digestID)]]
        let known = await channels().first { $0.channelID == channel }
        let serviceURL = known?.serviceURL ?? defaultServiceURL
        guard let tenant = known?.workspace ?? credentials.tenantID else {
            throw .refused(code: "unknown_tenant_for_channel")
        }
        let thread = try await connector.createChannelThread(
            serviceURL: serviceURL, tenantID: tenant, channelID: channel, activity: activity)
        return PostedMessage(
            channel: TeamsMessageLocation(conversationID: thread.conversationID, serviceURL: serviceURL).encoded,
            id: thread.activityID)
    }

    public func postDigestDetails(_ digest: DigestDelivery, under message: PostedMessage)
        async throws(ChatPlatformError)
    {
        let rendered = digestTexts(digest)
        guard DigestCard.hasDetails(texts: rendered) else { return }
        guard let location = TeamsMessageLocation(encoded: message.channel) else {
            throw .refused(code: "not_a_teams_message")
        }
        _ = try await connector.replyToActivity(
            serviceURL: location.serviceURL, conversationID: location.conversationID, activityID: message.id,
            activity: Self.cardMessage(DigestCard.details(texts: rendered, teamsTexts: texts), summary: nil),
            tenantID: credentials.tenantID)
    }

    /// Teams gives a bot no channel history without Graph: see the type's documentation.
    public func findDigestPost(digestID: String, in channel: String) async -> EarlierDigestPost { .notFound }

    // MARK: Directory

    /// The members of every team the bot is in, page by page.
    public func readDirectory(page: ([DirectoryEntry]) -> Void) async throws(ChatPlatformError) {
        for team in await teams() {
            try await readRoster(conversationID: team.teamID, serviceURL: team.serviceURL) { members in
                page(
                    members.compactMap { member in
                        guard let id = member.aadObjectId, let name = member.name, !name.isEmpty else { return nil }
                        return DirectoryEntry(userID: id.lowercased(), names: [name])
                    })
            }
        }
    }

    /// A team's members by Entra object id (the group id is the team's id).
    public func groupMembers(_ groupID: String) async throws(ChatPlatformError) -> [String] {
        let serviceURL = await channels().first { $0.teamID == groupID }?.serviceURL
        var ids: [String] = []
        try await readRoster(conversationID: groupID, serviceURL: serviceURL) { members in
            ids += members.compactMap { $0.aadObjectId?.lowercased() }
        }
        return ids
    }

    /// E-mail addresses (or user principal names) found in the rosters of the bot's teams.
    public func userIDs(forEmails emails: Set<String>) async throws(ChatPlatformError) -> [String: String] {
        var found: [String: String] = [:]
        guard !emails.isEmpty else { return found }
        try await readDirectoryMembers { member in
            guard let id = member.aadObjectId?.lowercased() else { return }
            for address in [member.email, member.userPrincipalName].compactMap({ $0?.lowercased() })
            where emails.contains(address) {
                found[address] = id
            }
        }
        return found
    }

    /// The teams the bot is in, each once, with the service URL last heard for it.
    func teams() async -> [PlatformChannel] {
        var seen: Set<String> = []
        return await channels().filter { seen.insert($0.teamID).inserted }
    }

    func readDirectoryMembers(_ visit: (TeamsMember) -> Void) async throws(ChatPlatformError) {
        for team in await teams() {
            try await readRoster(conversationID: team.teamID, serviceURL: team.serviceURL) { members in
                members.forEach(visit)
            }
        }
    }

    func readRoster(conversationID: String, serviceURL: String?, _ visit: ([TeamsMember]) -> Void)
        async throws(ChatPlatformError)
    {
        var token: String?
        repeat {
            let page = try await connector.pagedMembers(
                serviceURL: serviceURL ?? defaultServiceURL, conversationID: conversationID, pageSize: pageSize,
                continuationToken: token, tenantID: credentials.tenantID)
            visit(page.members)
            token = page.continuationToken
        } while token != nil
    }

    // MARK: Trainings

    public func resolveParticipants(_ sources: [ParticipantSource], limit: Int) async throws -> ParticipantResolution {
        try await TeamsParticipantResolver(platform: self, limit: limit).resolve(sources)
    }

    public func reportResolution(_ notice: TrainingResolutionNotice, to admin: String) async throws(ChatPlatformError) {
        let text = TeamsResolutionText.text(notice)
        let card = AdaptiveCard.card(body: [AdaptiveCard.text(text)], fallbackText: text)
        let tenant = try await workspaceID()
        try await send(
            card: card, summary: notice.training.title,
            to: DeliveryAddress(platform: .teams, workspace: tenant, userID: admin))
    }
}
