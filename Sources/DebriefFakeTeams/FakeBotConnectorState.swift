import Foundation
import Hummingbird

extension FakeTeams {
    /// Everything the fake remembers, behind one lock.
    struct State {
        struct Team {
            var channels: [Channel]
            var memberIDs: [String]
        }

        /// A token bucket: `burst` calls, refilled at `perSecond`.
        struct RateLimit {
            var perSecond: Double
            var burst: Double
            var tokens: Double
            var refilledAt: ContinuousClock.Instant
            var retryAfterSeconds: Int?

            mutating func take(at now: ContinuousClock.Instant) -> Bool {
                let elapsed = now - refilledAt
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                tokens = min(burst, tokens + max(0, seconds) * perSecond)
                refilledAt = now
                guard tokens >= 1 else { return false }
                tokens -= 1
                return true
            }
        }

        var appID: String
        var password: String
        var authorityTenants: Set<String>
        var tokenLifetimeSeconds: Int
        var tokenRequests = 0
        var issuedTokenCount = 0
        var validTokens: Set<String> = []
        var calls: [FakeBotConnectorCall] = []
        var recordsCalls = true
        var faults: [Route: [Fault]] = [:]
        var members: [String: Member] = [:]
        var installed: Set<String> = []
        var blocked: Set<String> = []
        var teams: [String: Team] = [:]
        var knownConversations: Set<String> = []
        var conversationMembers: [String: [String]] = [:]
        var personalConversations: [String: String] = [:]
        var conversationOwners: [String: String] = [:]
        var activityIDs: [String: Set<String>] = [:]
        var posted: [PostedActivity] = []
        var lastActivityID = 1_765_000_000_000
        var maximumPageSize = 500
        var messageSizeLimit = 40 * 1024
        var rateLimit: RateLimit?
        var traffic = Traffic()

        init(appID: String, password: String, authorityTenants: Set<String>, tokenLifetimeSeconds: Int) {
            self.appID = appID
            self.password = password
            self.authorityTenants = authorityTenants
            self.tokenLifetimeSeconds = tokenLifetimeSeconds
        }

        func member(byIDOrAAD key: String) -> Member? {
            if let member = members[key] { return member }
            let lowered = key.lowercased()
            return members.values.first { $0.aadObjectId?.lowercased() == lowered }
        }

        /// The same `a:…` id for the same person every time, as Teams does for an existing chat.
        mutating func personalConversation(for memberID: String) -> String {
            if let existing = personalConversations[memberID] { return existing }
            let id = "a:1fAkE" + String(personalConversations.count + 1, radix: 36) + "qhNsbnW0"
            personalConversations[memberID] = id
            conversationOwners[id] = memberID
            conversationMembers[id] = [memberID]
            knownConversations.insert(id)
            return id
        }

        func channelExists(_ id: String) -> Bool {
            teams.values.contains { team in team.channels.contains { $0.id == id } }
        }

        /// `{channelId};messageid={rootId}` where the root is a post the fake knows.
        func isThreadRoot(conversationID: String, activityID: String) -> Bool {
            guard let range = conversationID.range(of: ";messageid=") else { return false }
            return conversationID[range.upperBound...] == activityID
        }

        /// nil when the bot may write to the conversation, else the refusal Teams answers.
        func checkWritable(_ conversationID: String) -> Response? {
            let channel = conversationID.range(of: ";messageid=").map { String(conversationID[..<$0.lowerBound]) }
            guard
                knownConversations.contains(conversationID) || channelExists(conversationID)
                    || channel.map(channelExists) == true
            else {
                return FakeBotConnectorBackend.connectorError(
                    status: .notFound, code: "ConversationNotFound", message: "Conversation not found.")
            }
            if let owner = conversationOwners[conversationID] {
                if blocked.contains(owner) {
                    return FakeBotConnectorBackend.connectorError(
                        status: .forbidden, code: "ConversationBlockedByUser",
                        message: "User blocked the conversation with the bot.", subCode: "MessageWritesBlocked")
                }
                if !installed.contains(owner) {
                    return FakeBotConnectorBackend.connectorError(
                        status: .forbidden, code: "BotNotInConversationRoster",
                        message: "The bot is not part of the conversation roster.")
                }
            }
            return nil
        }

        /// 413 when an activity is over the size limit (UTF-16 units, as Teams counts).
        func checkSize(_ body: Data) -> Response? {
            guard String(decoding: body, as: UTF8.self).utf16.count > messageSizeLimit else { return nil }
            return FakeBotConnectorBackend.connectorError(
                status: .contentTooLarge, code: "MessageSizeTooBig", message: "Message size too big.")
        }

        /// Members of a team (by team id), a channel of it, or a conversation the fake knows.
        func memberIDs(of conversationID: String) -> [String]? {
            if let team = teams[conversationID] { return team.memberIDs }
            if let team = teams.values.first(where: { $0.channels.contains { $0.id == conversationID } }) {
                return team.memberIDs
            }
            return conversationMembers[conversationID]
        }

        mutating func nextActivityID() -> String {
            lastActivityID += 1
            return String(lastActivityID)
        }
    }
}
