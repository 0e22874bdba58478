import DebriefCore
import DebriefFakeSlack
import Foundation
import Synchronization

/// The Slack `debrief demo` runs against: the shared loopback ``FakeSlack`` loaded with the synthetic
/// organisation (users with names, e-mails and time zones, user groups, channel members), plus what the
/// simulation reads from it — the DMs people received (to react to nudges), the forms the server opened
/// (to submit them) and the channel posts (to print the digests). Nothing leaves the machine.
final class DemoSlack: Sendable {
    /// A person as the directory describes them.
    struct User: Sendable {
        var id: String
        var realName: String
        var displayName: String
        var email: String
        var timeZone: String
        var isBot = false
    }

    /// A DM the bot sent to a person (a nudge or another message).
    struct DirectMessage: Sendable {
        var userID: String
        /// The `value` of the "Reflect" button; nil for DMs that are not nudges.
        var nudgeID: String?
        /// The whole message as JSON text, to find which training a nudge is about.
        var body: String
        /// In Teams: the card's activity id, which an answer to it names as `replyToId`.
        var activityID: String?
    }

    /// A message the bot posted in a channel (digests and their thread replies).
    struct ChannelPost: Sendable {
        var channel: String
        var ts: String
        var threadTS: String?
        var text: String
        /// The message as `conversations.history` shows it (text, blocks, metadata).
        var payload: JSONValue
    }

    static let teamID = FakeSlack.teamID
    static let botUserID = FakeSlack.botUserID

    let slack: FakeSlack
    /// How many posted messages the inbox has already handed out.
    private let inboxCursor = Mutex(0)

    private init(slack: FakeSlack) { self.slack = slack }

    /// `http://127.0.0.1:PORT/api/`, for `SLACK_API_URL`.
    var baseURL: String { slack.baseURL }

    /// Where the server posts `response_url` answers.
    func responseURL(_ id: String) -> String { slack.responseURL(id: id) }

    /// Starts the fake on an ephemeral loopback port, loaded with the organisation.
    static func start(token: String, users: [User], usergroups: [String: [String]], channels: [String: [String]])
        async throws -> DemoSlack
    {
        let slack: FakeSlack
        do {
            slack = try await FakeSlack.start(token: token)
        } catch {
            throw DemoError("the in-process fake Slack could not start: \(error)")
        }
        slack.setAutoCreateUsers(false)
        slack.setUsers(
            users.map { user in
                FakeSlack.User(
                    id: user.id, email: user.email, name: user.realName, displayName: user.displayName,
                    timeZone: user.timeZone,
                    timeZoneOffsetSeconds: TimeZone(identifier: user.timeZone)?.secondsFromGMT() ?? 0, isBot: user.isBot
                )
            })
        for (id, members) in usergroups { slack.setUsergroup(id, users: members) }
        for (channel, members) in channels { slack.setMembers(channel: channel, members) }
        return DemoSlack(slack: slack)
    }

    func stop() async { await slack.stop() }

    // MARK: - What the simulation reads

    /// The DMs received since the last call, oldest first.
    func drainInbox() -> [DirectMessage] {
        let start = inboxCursor.withLock { $0 }
        let posted = slack.postedMessages(from: start)
        inboxCursor.withLock { $0 = start + posted.count }
        return posted.filter { $0.channel.hasPrefix("D") }.map { post in
            DirectMessage(
                userID: post.requestedChannel.hasPrefix("D")
                    ? "U" + post.requestedChannel.dropFirst() : post.requestedChannel,
                nudgeID: Self.nudgeID(in: post.message["blocks"]),
                body: String(decoding: post.message.encoded(), as: UTF8.self))
        }
    }

    /// The `private_metadata` of the view opened with `triggerID`, waiting (real time) up to `timeout`.
    func openedView(trigger triggerID: String, timeout: Duration = .seconds(15)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for call in slack.calls("views.open").reversed() where call.string("trigger_id") == triggerID {
                var view = call.argument("view")
                if let text = view?.stringValue { view = try? JSONValue.decode(Data(text.utf8)) }
                return view?["private_metadata"]?.stringValue ?? ""
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return nil
    }

    /// Messages posted in channels (not DMs), oldest first.
    var channelPosts: [ChannelPost] {
        slack.postedMessages().filter { !$0.channel.hasPrefix("D") }.map { post in
            ChannelPost(
                channel: post.channel, ts: post.message["ts"]?.stringValue ?? "",
                threadTS: post.message["thread_ts"]?.stringValue, text: post.message["text"]?.stringValue ?? "",
                payload: post.message)
        }
    }

    /// The value of the nudge's "Reflect" button, if the message has one.
    static func nudgeID(in blocks: JSONValue?) -> String? {
        for block in blocks?.arrayValue ?? [] {
            for element in block["elements"]?.arrayValue ?? []
            where element["action_id"]?.stringValue == "nudge_reflect" {
                return element["value"]?.stringValue
            }
        }
        return nil
    }
}

/// `application/x-www-form-urlencoded` bodies of the requests the simulated people send.
enum DemoForm {
    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}

struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
