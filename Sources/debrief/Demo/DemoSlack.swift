import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// The in-process Slack Web API `debrief demo` runs against: a Hummingbird router on 127.0.0.1 with an
/// ephemeral port, answering the methods the server calls in Slack's documented shapes.
///
/// It knows the synthetic organisation (users with names, e-mails and time zones, user groups, channel
/// members), records what the bot posted (nudge DMs into an inbox the simulated people read; channel
/// messages for the digest printout) and the views it opened (so a simulated person can submit the form
/// that `views.open` showed them). Nothing leaves the machine.
final class DemoSlack: Sendable {
    /// A user as `users.info` and `users.list` describe them.
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
        /// The whole posted body, to find which training a nudge is about.
        var body: String
    }

    /// A message the bot posted in a channel (digests and their thread replies).
    struct ChannelPost: Sendable {
        var channel: String
        var ts: String
        var threadTS: String?
        var text: String
        var payload: JSONValue
    }

    struct Counts: Sendable {
        var calls: [String: Int] = [:]
        var unauthorized = 0
    }

    private struct State {
        var users: [String: User] = [:]
        var userOrder: [String] = []
        var emails: [String: String] = [:]
        var usergroups: [String: [String]] = [:]
        var channelMembers: [String: [String]] = [:]
        var inbox: [DirectMessage] = []
        var posts: [ChannelPost] = []
        var history: [String: [JSONValue]] = [:]
        var views: [String: String] = [:]
        var nextTimestamp = 1_761_000_000_000_100
        var nextView = 1
        var counts = Counts()
        /// `users.list` never changes during a run: encoded once (digests ask for it every time).
        var usersList = Data()
    }

    static let teamID = "T0DEMO01"
    static let botUserID = "UDEMOBOT1"

    let port: Int
    let token: String
    private let holder: StateHolder
    private let server: Mutex<Task<Void, any Error>?>

    private init(port: Int, token: String, holder: StateHolder, server: Task<Void, any Error>) {
        self.port = port
        self.token = token
        self.holder = holder
        self.server = Mutex(server)
    }

    /// `http://127.0.0.1:PORT/api/`, for `SLACK_API_URL`.
    var baseURL: String { "http://127.0.0.1:\(port)/api/" }

    /// Where the server posts `response_url` answers.
    func responseURL(_ id: String) -> String { "http://127.0.0.1:\(port)/response/\(id)" }

    /// Starts the fake on an ephemeral loopback port and returns once it listens.
    static func start(token: String, users: [User], usergroups: [String: [String]], channels: [String: [String]])
        async throws -> DemoSlack
    {
        var initial = State()
        for user in users {
            initial.users[user.id] = user
            initial.userOrder.append(user.id)
            initial.emails[user.email.lowercased()] = user.id
        }
        initial.usersList = StateHolder.okValue(
            ["members": .array(users.map(StateHolder.userJSON)), "response_metadata": ["next_cursor": ""]]).encoded()
        initial.usergroups = usergroups
        initial.channelMembers = channels
        let holder = StateHolder(state: initial)
        var logger = Logger(label: "debrief-demo-slack")
        logger.logLevel = .critical
        let router = Router()
        router.post("/api/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = try await request.body.collect(upTo: 8 << 20)
            return holder.handle(
                method: method, authorization: request.headers[.authorization],
                contentType: request.headers[.contentType], body: Data(body.readableBytesView), token: token)
        }
        router.post("/response/:id") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "DemoSlack"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        guard port > 0 else {
            task.cancel()
            _ = await task.result
            throw DemoError("the in-process fake Slack could not bind to 127.0.0.1")
        }
        return DemoSlack(port: port, token: token, holder: holder, server: task)
    }

    func stop() async {
        let task = server.withLock { task in
            defer { task = nil }
            return task
        }
        guard let task else { return }
        task.cancel()
        _ = await task.result
    }

    // MARK: - What the simulation reads

    /// The DMs received since the last call, oldest first.
    func drainInbox() -> [DirectMessage] {
        holder.state.withLock { state in
            defer { state.inbox.removeAll(keepingCapacity: true) }
            return state.inbox
        }
    }

    /// The `private_metadata` of the view opened with `triggerID`, waiting (real time) up to `timeout`.
    func openedView(trigger triggerID: String, timeout: Duration = .seconds(15)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let metadata = holder.state.withLock({ $0.views.removeValue(forKey: triggerID) }) { return metadata }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return nil
    }

    var channelPosts: [ChannelPost] { holder.state.withLock { $0.posts } }

    var counts: Counts { holder.state.withLock { $0.counts } }

    // MARK: - Requests

    /// Holds the state until the fake is constructed; the router's closures share it.
    private final class StateHolder: Sendable {
        let state: Mutex<State>

        init(state: State) { self.state = Mutex(state) }

        func handle(method: String, authorization: String?, contentType: String?, body: Data, token: String) -> Response {
            guard authorization == "Bearer \(token)" else {
                state.withLock { $0.counts.unauthorized += 1 }
                return Self.error("invalid_auth")
            }
            state.withLock { $0.counts.calls[method, default: 0] += 1 }
            var arguments: [String: JSONValue] = [:]
            if contentType?.lowercased().hasPrefix("application/json") == true {
                arguments = (try? JSONValue.decode(body))?.objectValue ?? [:]
            } else {
                arguments = DemoForm.decode(body).mapValues(JSONValue.string)
            }
            func string(_ name: String) -> String? {
                guard let value = arguments[name]?.stringValue, !value.isEmpty else { return nil }
                return value
            }
            switch method {
            case "auth.test":
                return Self.ok([
                    "url": "https://debrief-demo.invalid/", "team": "Debrief Demo", "user": "debrief",
                    "team_id": .string(DemoSlack.teamID), "user_id": .string(DemoSlack.botUserID), "bot_id": "BDEMO01",
                ])
            case "usergroups.users.list":
                guard let id = string("usergroup"), let users = state.withLock({ $0.usergroups[id] }) else {
                    return Self.error("no_such_subteam")
                }
                return Self.ok(["users": .array(users.map(JSONValue.string))])
            case "conversations.members":
                guard let channel = string("channel"), let members = state.withLock({ $0.channelMembers[channel] }) else {
                    return Self.error("channel_not_found")
                }
                return Self.ok(["members": .array(members.map(JSONValue.string)), "response_metadata": ["next_cursor": ""]])
            case "users.info":
                guard let id = string("user"), let user = state.withLock({ $0.users[id] }) else {
                    return Self.error("user_not_found")
                }
                return Self.ok(["user": Self.userJSON(user)])
            case "users.lookupByEmail":
                guard let email = string("email")?.lowercased(),
                    let user = state.withLock({ state in state.emails[email].flatMap { state.users[$0] } })
                else { return Self.error("users_not_found") }
                return Self.ok(["user": Self.userJSON(user)])
            case "users.list":
                return Self.json(state.withLock { $0.usersList })
            case "chat.postMessage":
                guard let channel = string("channel") else { return Self.error("channel_not_found") }
                guard string("text") != nil || arguments["blocks"] != nil else { return Self.error("no_text") }
                return postMessage(channel: channel, arguments: arguments, body: body)
            case "chat.update":
                guard let channel = string("channel"), let ts = string("ts") else { return Self.error("invalid_arguments") }
                return Self.ok(["channel": .string(channel), "ts": .string(ts)])
            case "chat.postEphemeral":
                return Self.ok(["message_ts": .string(nextTimestamp())])
            case "conversations.open":
                guard let users = string("users") else { return Self.error("not_enough_users") }
                return Self.ok(["channel": ["id": .string(Self.directChannel(users))]])
            case "conversations.history":
                guard let channel = string("channel") else { return Self.error("channel_not_found") }
                let messages = state.withLock { $0.history[channel] ?? [] }
                return Self.ok(["messages": .array(messages.reversed()), "has_more": false])
            case "views.open", "views.push":
                guard let trigger = string("trigger_id") else { return Self.error("invalid_arguments") }
                var view = arguments["view"]
                if let text = view?.stringValue { view = try? JSONValue.decode(Data(text.utf8)) }
                guard case .object(var object) = view else { return Self.error("invalid_arguments") }
                let metadata = object["private_metadata"]?.stringValue ?? ""
                let id = state.withLock { state -> String in
                    state.views[trigger] = metadata
                    defer { state.nextView += 1 }
                    return "VDEMO\(state.nextView)"
                }
                object["id"] = .string(id)
                return Self.ok(["view": .object(object)])
            case "views.update", "views.publish":
                return Self.ok(["view": arguments["view"] ?? [:]])
            default:
                return Self.error("unknown_method")
            }
        }

        func postMessage(channel: String, arguments: [String: JSONValue], body: Data) -> Response {
            let ts = nextTimestamp()
            let text = arguments["text"]?.stringValue ?? ""
            if channel.hasPrefix("U") || channel.hasPrefix("W") {
                let nudgeID = Self.nudgeID(in: arguments["blocks"])
                state.withLock {
                    $0.inbox.append(
                        DirectMessage(userID: channel, nudgeID: nudgeID, body: String(decoding: body, as: UTF8.self)))
                }
                return Self.ok(["channel": .string(Self.directChannel(channel)), "ts": .string(ts)])
            }
            var message: [String: JSONValue] = [
                "type": "message", "text": .string(text), "user": .string(DemoSlack.botUserID), "ts": .string(ts),
            ]
            if let blocks = arguments["blocks"] { message["blocks"] = blocks }
            if let thread = arguments["thread_ts"] { message["thread_ts"] = thread }
            if let metadata = arguments["metadata"] { message["metadata"] = metadata }
            state.withLock { state in
                state.posts.append(
                    ChannelPost(
                        channel: channel, ts: ts, threadTS: arguments["thread_ts"]?.stringValue, text: text,
                        payload: .object(arguments)))
                if arguments["thread_ts"] == nil { state.history[channel, default: []].append(.object(message)) }
            }
            return Self.ok(["channel": .string(channel), "ts": .string(ts)])
        }

        func nextTimestamp() -> String {
            let value = state.withLock { state -> Int in
                defer { state.nextTimestamp += 1 }
                return state.nextTimestamp
            }
            let micros = String(value % 1_000_000)
            return "\(value / 1_000_000)." + String(repeating: "0", count: max(0, 6 - micros.count)) + micros
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

        static func directChannel(_ user: String) -> String { "D" + user.dropFirst() }

        static func userJSON(_ user: User) -> JSONValue {
            let offset = TimeZone(identifier: user.timeZone)?.secondsFromGMT() ?? 0
            return [
                "id": .string(user.id), "team_id": .string(DemoSlack.teamID), "name": .string(user.displayName),
                "real_name": .string(user.realName), "deleted": false, "is_bot": .bool(user.isBot),
                "tz": .string(user.timeZone), "tz_label": .string(user.timeZone), "tz_offset": .number(Double(offset)),
                "profile": [
                    "real_name": .string(user.realName), "display_name": .string(user.displayName),
                    "email": .string(user.email),
                ],
            ]
        }

        static func ok(_ fields: [String: JSONValue]) -> Response { json(okValue(fields)) }

        static func okValue(_ fields: [String: JSONValue]) -> JSONValue {
            var object = fields
            object["ok"] = true
            return .object(object)
        }

        static func error(_ code: String) -> Response { json(["ok": false, "error": .string(code)]) }

        static func json(_ value: JSONValue) -> Response { json(value.encoded()) }

        static func json(_ data: Data) -> Response {
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

/// `application/x-www-form-urlencoded`, both ways.
enum DemoForm {
    static func decode(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

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
