import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation

/// Slack behind the chat-platform port: Block Kit messages through the Web API.
///
/// Holds two clients on one connection pool: `api`, which waits out a short 429 itself, and `sendAPI` for
/// nudges, which does not — the server's per-workspace bucket pauses every sender instead, so one 429 slows
/// the whole fan-out rather than one job.
public struct SlackChatPlatform: ChatPlatform {
    public var platform: Platform { .slack }
    public let api: SlackWebAPIClient
    let sendAPI: SlackWebAPIClient
    /// The digest templates (`prompts/digests/`), written in Slack mrkdwn and escaped as Slack needs.
    let templates: DigestTemplates
    /// Above this many e-mail addresses, the directory is read once (`users.list`) instead of one
    /// `users.lookupByEmail` (Tier 3) per address.
    var emailDirectoryThreshold = 20

    public init(api: SlackWebAPIClient, templates: DigestTemplates) {
        self.api = api
        var sendAPI = api
        sendAPI.retryPolicy.maximumRetryAfter = .zero
        self.sendAPI = sendAPI
        self.templates = templates
    }

    /// Reads its digest templates from the prompts directory (`prompts/digests/`).
    public init(api: SlackWebAPIClient, promptsDirectory: URL) throws(PromptError) {
        self.init(api: api, templates: try Self.digestTemplates(from: promptsDirectory))
    }

    /// The digest templates as Slack writes them (previews without a connected workspace use these too).
    public static func digestTemplates(from promptsDirectory: URL) throws(PromptError) -> DigestTemplates {
        try DigestTemplates.load(from: promptsDirectory, markup: SlackMarkup.markup)
    }

    /// Slack errors that sending again will not fix.
    static let refusedCodes: Set<String> = [
        "user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "channel_not_found",
    ]

    public func workspaceID() async throws(ChatPlatformError) -> String {
        let identity = try await mapped { () async throws(SlackAPIError) in try await api.authTest() }
        guard let team = identity["team_id"]?.stringValue else { throw .unavailable(code: "auth.test without team_id") }
        return team
    }

    // MARK: Nudges

    public func sendNudge(_ nudge: NudgeDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage
    {
        let message = NudgeMessage.message(
            text: nudge.text, trainingTitle: nudge.trainingTitle, nudgeID: nudge.nudgeID, texts: nudge.texts)
        let reference = try await mapped { () async throws(SlackAPIError) in
            try await sendAPI.chatPostMessage(
                channel: person.userID, text: message["text"]?.stringValue ?? nudge.text, blocks: message["blocks"])
        }
        return PostedMessage(channel: reference.channel, id: reference.ts)
    }

    public func sendHabitMessage(_ message: HabitDelivery, to person: DeliveryAddress) async throws(ChatPlatformError)
        -> PostedMessage
    {
        let payload = HabitMessage.message(message)
        let reference = try await mapped { () async throws(SlackAPIError) in
            try await sendAPI.chatPostMessage(
                channel: person.userID, text: payload["text"]?.stringValue ?? message.text, blocks: payload["blocks"])
        }
        return PostedMessage(channel: reference.channel, id: reference.ts)
    }

    public func markNudgeAnswered(
        _ message: PostedMessage, answer: NudgeAnswer, trainingTitle: String, texts: NudgeMessageTexts
    ) async throws(ChatPlatformError) {
        let replacement: JSONValue =
            switch answer {
            case .reflected: NudgeMessage.thanked(trainingTitle: trainingTitle, texts: texts)
            case .snoozed: NudgeMessage.snoozed(text: "", trainingTitle: trainingTitle, texts: texts)
            case .skipped: NudgeMessage.skipped(text: "", trainingTitle: trainingTitle, texts: texts)
            }
        try await mapped { () async throws(SlackAPIError) in
            try await api.chatUpdate(
                channel: message.channel, ts: message.id, text: replacement["text"]?.stringValue ?? "",
                blocks: replacement["blocks"])
        }
    }

    // MARK: Digests

    public func digestTexts(_ digest: DigestDelivery) -> DigestTexts {
        templates.render(digest.document, link: digest.link)
    }

    public func postDigest(_ digest: DigestDelivery, to channel: String) async throws(ChatPlatformError)
        -> PostedMessage
    {
        let texts = digestTexts(digest)
        guard
            case .object(var body) = DigestMessage.main(
                texts: texts, document: digest.document, link: digest.link, respondDigestID: digest.digestID)
        else { throw .unavailable(code: "digest message is not an object") }
        body["channel"] = .string(channel)
        body["unfurl_links"] = false
        body["metadata"] = ["event_type": "debrief_digest", "event_payload": ["digest_id": .string(digest.digestID)]]
        // One attempt only: a retry after a timeout could post twice.
        var postAPI = api
        postAPI.retryPolicy.maximumAttempts = 1
        let response = try await mapped { () async throws(SlackAPIError) in
            try await postAPI.call("chat.postMessage", json: .object(body))
        }
        guard let ts = response["ts"]?.stringValue else { throw .unavailable(code: "chat.postMessage without ts") }
        return PostedMessage(channel: response["channel"]?.stringValue ?? channel, id: ts)
    }

    public func postDigestDetails(_ digest: DigestDelivery, under message: PostedMessage)
        async throws(ChatPlatformError)
    {
        let texts = digestTexts(digest)
        guard DigestMessage.hasThreadReply(texts: texts, document: digest.document),
            case .object(var reply) = DigestMessage.threadReply(texts: texts, document: digest.document)
        else { return }
        reply["channel"] = .string(message.channel)
        reply["thread_ts"] = .string(message.id)
        _ = try await mapped { () async throws(SlackAPIError) in
            try await api.call("chat.postMessage", json: .object(reply))
        }
    }

    /// Reads the channel's last 200 messages; the digest's carries its id in its metadata, which
    /// `conversations.history` returns only when asked with `include_all_metadata`.
    public func findDigestPost(digestID: String, in channel: String) async -> EarlierDigestPost {
        let history: JSONValue
        do {
            history = try await api.call(
                "conversations.history",
                form: [("channel", channel), ("limit", "200"), ("include_all_metadata", "true")])
        } catch {
            return .unknown
        }
        for message in history["messages"]?.arrayValue ?? []
        where message["metadata"]?["event_payload"]?["digest_id"]?.stringValue == digestID {
            if let ts = message["ts"]?.stringValue { return .found(PostedMessage(channel: channel, id: ts)) }
        }
        return .notFound
    }

    // MARK: Directory

    public func readDirectory(page: ([DirectoryEntry]) -> Void) async throws(ChatPlatformError) {
        try await mapped { () async throws(SlackAPIError) in
            try await api.usersList(pageSize: 1_000) { members in page(members.map(Self.directoryEntry)) }
        }
    }

    /// A `users.list` member's names: `real_name`, then the profile's real and display names.
    static func directoryEntry(_ member: JSONValue) -> DirectoryEntry {
        let candidates = [
            member["real_name"]?.stringValue, member["profile"]?["real_name"]?.stringValue,
            member["profile"]?["display_name"]?.stringValue,
        ]
        return DirectoryEntry(userID: member["id"]?.stringValue ?? "", names: candidates.compactMap { $0 })
    }

    public func groupMembers(_ groupID: String) async throws(ChatPlatformError) -> [String] {
        try await mapped { () async throws(SlackAPIError) in try await api.usergroupsUsersList(usergroupID: groupID) }
    }

    public func userIDs(forEmails emails: Set<String>) async throws(ChatPlatformError) -> [String: String] {
        var found: [String: String] = [:]
        if emails.count > emailDirectoryThreshold {
            try await mapped { () async throws(SlackAPIError) in
                try await api.usersList(pageSize: 1_000) { members in
                    for member in members {
                        guard let email = member["profile"]?["email"]?.stringValue?.lowercased(),
                            emails.contains(email),
                            let id = member["id"]?.stringValue, member["deleted"]?.boolValue != true
                        else { continue }
                        found[email] = id
                    }
                }
            }
        } else {
            for email in emails {
                let id = try await mapped { () async throws(SlackAPIError) in try await api.usersLookupByEmail(email) }
                if let id { found[email] = id }
            }
        }
        return found
    }

    // MARK: Trainings

    public func resolveParticipants(_ sources: [ParticipantSource], limit: Int) async throws -> ParticipantResolution {
        try await SlackParticipantResolver(api: api, limit: limit).resolve(sources)
    }

    public func reportResolution(_ notice: TrainingResolutionNotice, to admin: String) async throws(ChatPlatformError) {
        _ = try await mapped { () async throws(SlackAPIError) in
            try await api.chatPostMessage(channel: admin, text: TrainingResolutionMessage.text(notice), blocks: nil)
        }
    }

    // MARK: Errors

    /// Runs a Web API call and reports its failure in the port's terms.
    private func mapped<T>(_ call: () async throws(SlackAPIError) -> T) async throws(ChatPlatformError) -> T {
        do {
            return try await call()
        } catch {
            throw Self.platformError(error)
        }
    }

    static func platformError(_ error: SlackAPIError) -> ChatPlatformError {
        switch error {
        case .rateLimited(let retryAfter): .rateLimited(retryAfter: retryAfter)
        case .cancelled: .cancelled
        case .platform(let code, _) where refusedCodes.contains(code): .refused(code: code)
        default: .unavailable(code: error.code ?? "error")
        }
    }
}
