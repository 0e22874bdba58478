import DebriefCore
import DebriefFakeTeams
import Foundation
import Synchronization

/// The Microsoft Teams `debrief demo --platform teams|both` runs against: the shared loopback ``FakeTeams``
/// (Bot Connector and token endpoint) with the Bot Framework's OpenID metadata and signing keys mounted on the
/// same server (``FakeBotFrameworkIssuer``), loaded with the organisation's Teams people and teams. It reads
/// back what the simulation needs — the nudge cards people received, the cards answering their messages, the
/// digests posted into channels — and signs the activities people send. Nothing leaves the machine.
final class DemoTeams: Sendable {
    /// A person as Teams knows them: the per-bot id, the Entra object id and their 1:1 chat with the bot.
    struct Member: Sendable {
        var userID: String
        var memberID: String
        var objectID: String
        var name: String
        var email: String
        var chat: String
        var timeZone: String
    }

    /// A card the bot posted into a channel (a digest's main card, or its details in the thread).
    struct ChannelPost: Sendable {
        /// The channel (`19:…@thread.tacv2`), without the thread's `;messageid=…`.
        var channel: String
        var activityID: String
        /// The thread's root activity, for a reply in a thread; nil for a new thread.
        var threadRoot: String?
        /// The activity as posted.
        var payload: JSONValue
    }

    static let appID = FakeTeams.defaultAppID
    static let tenantID = FakeTeams.defaultTenantID

    let connector: FakeTeams
    let issuer: FakeBotFrameworkIssuer
    /// Demo user id (`U100001`) → member, and 1:1 chat → demo user id.
    let members: [String: Member]
    let chats: [String: String]
    /// How many posted activities the inbox has already handed out.
    private let inboxCursor = Mutex(0)

    private init(connector: FakeTeams, issuer: FakeBotFrameworkIssuer, members: [Member]) {
        self.connector = connector
        self.issuer = issuer
        var byUser: [String: Member] = [:]
        var chats: [String: String] = [:]
        for member in members {
            byUser[member.userID] = member
            chats[member.chat] = member.userID
        }
        self.members = byUser
        self.chats = chats
    }

    /// The Teams identity of the demo person `userID` (`U100001` → `29:u100001`, an Entra object id).
    static func member(userID: String, name: String, email: String, timeZone: String) -> Member {
        let number = Int(userID.dropFirst()) ?? 0
        return Member(
            userID: userID, memberID: "29:\(userID.lowercased())",
            objectID: String(format: "7faf8ab2-0000-4000-8000-%012d", number), name: name, email: email,
            chat: "a:chat-\(userID.lowercased())", timeZone: timeZone)
    }

    /// A Teams team id for a demo group id (`S0COHORT1` → `19:s0cohort1@thread.tacv2`); its General channel
    /// has the same id.
    static func teamID(group: String) -> String { "19:\(group.lowercased())@thread.tacv2" }

    /// Starts the fake on an ephemeral loopback port, loaded with the people (each with the app installed and
    /// a 1:1 chat) and the teams (Teams team id → member user ids).
    static func start(members: [Member], teams: [String: [String]]) async throws -> DemoTeams {
        let issuer: FakeBotFrameworkIssuer
        let connector: FakeTeams
        do {
            issuer = try FakeBotFrameworkIssuer()
            connector = try await FakeTeams.start(extraRoutes: { issuer.register(on: $0) })
        } catch {
            throw DemoError("the in-process fake Teams could not start: \(error)")
        }
        connector.addMembers(
            members.map {
                FakeTeams.Member(id: $0.memberID, name: $0.name, aadObjectId: $0.objectID, email: $0.email)
            })
        for member in members { connector.addConversation(id: member.chat, memberIDs: [member.memberID]) }
        let memberIDs = Dictionary(members.map { ($0.userID, $0.memberID) }, uniquingKeysWith: { first, _ in first })
        for (team, users) in teams {
            connector.setTeam(id: team, channels: [], memberIDs: users.compactMap { memberIDs[$0] })
        }
        return DemoTeams(connector: connector, issuer: issuer, members: members)
    }

    func stop() async { await connector.stop() }

    /// `http://127.0.0.1:PORT/`: the Bot Connector, and the `serviceUrl` of every activity.
    var serviceURL: String { connector.serviceURL }

    /// A Bot Connector token for this bot, signed with the fake issuer's key, issued at `now`.
    func token(at now: Date) throws -> String {
        try issuer.token(audience: Self.appID, serviceURL: connector.serviceURL, issuedAt: now)
    }

    // MARK: - What the simulation reads

    /// The nudge cards sent into people's 1:1 chats since the last call, oldest first.
    func drainInbox() -> [DemoSlack.DirectMessage] {
        let start = inboxCursor.withLock { $0 }
        let posted = connector.postedActivities(from: start)
        inboxCursor.withLock { $0 = start + posted.count }
        return posted.compactMap { activity in
            guard activity.route == .sendToConversation, let userID = chats[activity.conversationID],
                let json = try? JSONValue.decode(activity.body)
            else { return nil }
            return DemoSlack.DirectMessage(
                userID: userID, nudgeID: Self.nudgeID(in: Self.card(json)),
                body: String(decoding: activity.body, as: UTF8.self), activityID: activity.activityID)
        }
    }

    /// How many activities the bot has posted so far (a cursor for ``card(in:after:where:timeout:)``).
    var postedCount: Int { connector.postedActivities().count }

    /// The first card posted into `conversation` after `cursor` that satisfies `matches`, waiting (real time)
    /// up to `timeout`: answers to typed messages go out in the background, after the activity was
    /// acknowledged.
    func card(
        in conversation: String, after cursor: Int, timeout: Duration = .seconds(15),
        where matches: (JSONValue) -> Bool
    ) async -> (activityID: String, card: JSONValue)? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for activity in connector.postedActivities(from: cursor) where activity.conversationID == conversation {
                guard let card = Self.card(try? JSONValue.decode(activity.body)), matches(card) else { continue }
                return (activity.activityID, card)
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    /// The cards posted into `conversation` after `cursor`, in order.
    func cards(in conversation: String, after cursor: Int) -> [JSONValue] {
        connector.postedActivities(from: cursor).filter { $0.conversationID == conversation }.compactMap {
            Self.card(try? JSONValue.decode($0.body))
        }
    }

    /// Digest cards posted into channels (new threads and their replies), oldest first.
    var channelPosts: [ChannelPost] {
        connector.postedActivities().compactMap { activity in
            guard activity.conversationID.hasPrefix("19:"), let json = try? JSONValue.decode(activity.body) else {
                return nil
            }
            let parts = activity.conversationID.components(separatedBy: ";messageid=")
            switch activity.route {
            case .createConversation:
                return ChannelPost(channel: parts[0], activityID: activity.activityID, threadRoot: nil, payload: json)
            case .replyToActivity where parts.count == 2:
                return ChannelPost(
                    channel: parts[0], activityID: activity.activityID, threadRoot: parts[1], payload: json)
            default:
                return nil
            }
        }
    }

    /// Activities the bot sent, by where they went: 1:1 chats, new channel threads, replies in threads.
    var sentCounts: (chats: Int, threads: Int, replies: Int, updates: Int) {
        var counts = (chats: 0, threads: 0, replies: 0, updates: 0)
        for activity in connector.postedActivities() {
            switch activity.route {
            case .sendToConversation: counts.chats += 1
            case .createConversation: counts.threads += 1
            case .replyToActivity: counts.replies += 1
            case .updateActivity: counts.updates += 1
            default: continue
            }
        }
        return counts
    }

    /// The Adaptive Card an activity carries.
    static func card(_ activity: JSONValue?) -> JSONValue? { activity?["attachments"]?[0]?["content"] }

    /// The `nudge_id` of a nudge card's "Reflect" button, if the card has one.
    static func nudgeID(in card: JSONValue?) -> String? {
        for action in card?["actions"]?.arrayValue ?? []
        where action["verb"]?.stringValue == DemoTeamsRequests.Verb.reflect {
            return action["data"]?["nudge_id"]?.stringValue
        }
        return nil
    }

    /// Whether a card is the reflection form (it has the reflection's text input).
    static func isForm(_ card: JSONValue?) -> Bool { inputIDs(card).contains("text") }

    /// The ids of a card's inputs.
    static func inputIDs(_ card: JSONValue?) -> [String] {
        var ids: [String] = []
        func visit(_ value: JSONValue?) {
            switch value {
            case .object(let object)?:
                if let type = object["type"]?.stringValue, type.hasPrefix("Input."), let id = object["id"]?.stringValue
                {
                    ids.append(id)
                }
                for key in object.keys.sorted() { visit(object[key]) }
            case .array(let items)?:
                for item in items { visit(item) }
            default:
                break
            }
        }
        visit(card)
        return ids
    }

    /// A card as a reader sees it: its text blocks in order, then its buttons (links with their signature
    /// hidden).
    static func rendered(_ card: JSONValue?) -> String {
        var parts: [String] = []
        func visit(_ value: JSONValue?) {
            switch value {
            case .object(let object)?:
                if object["type"]?.stringValue == "TextBlock", let text = object["text"]?.stringValue {
                    parts.append(text)
                } else {
                    for key in ["items", "columns", "body"] { visit(object[key]) }
                }
            case .array(let items)?:
                for item in items { visit(item) }
            default:
                break
            }
        }
        visit(card?["body"])
        for action in card?["actions"]?.arrayValue ?? [] {
            let title = action["title"]?.stringValue ?? "button"
            let url = (action["url"]?.stringValue ?? "").replacingOccurrences(
                of: #"sig=[^&]+"#, with: "sig=…", options: .regularExpression)
            parts.append("[\(title)] \(url)")
        }
        return parts.joined(separator: "\n\n")
    }

    /// The URL of the card's "Open the full digest" button.
    static func pageLink(in card: JSONValue?) -> String? {
        card?["actions"]?.arrayValue?.compactMap { $0["url"]?.stringValue }.first { $0.contains("/digests/") }
    }
}
