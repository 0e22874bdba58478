import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// The fake's state and request handlers; shared by the router closures and ``FakeSlack``.
final class FakeSlackBackend: Sendable {
    let state: Mutex<FakeSlack.State>
    private let portBox = Mutex(0)

    init(tokens: Set<String>) {
        self.state = Mutex(FakeSlack.State(tokens: tokens))
    }

    func setPort(_ port: Int) { portBox.withLock { $0 = port } }

    /// Methods Slack only reads from form bodies (per its OpenAPI `consumes`); JSON bodies to them
    /// arrive with no arguments, as on the real API.
    static let formOnlyMethods: Set<String> = [
        "users.info", "users.lookupByEmail", "usergroups.users.list", "conversations.members", "oauth.v2.access",
    ]

    // MARK: - Routes

    func handleAPI(method: String, request: Request, body: Data) async -> Response {
        let arrived = ContinuousClock.now
        let call = record(method: method, responseID: nil, request: request, body: body)
        if let response = await applyFault(method: method) { return response }
        let tokenValid = state.withLock { state in
            state.traffic.calls[method, default: 0] += 1
            let valid = call.token.map { state.tokens.contains($0) } ?? false
            if !valid { state.traffic.unauthorized += 1 }
            return valid
        }
        guard call.token != nil else { return Self.error("not_authed") }
        guard tokenValid else { return Self.error("invalid_auth") }
        let allowed = state.withLock { state -> Bool in
            guard var limit = state.rateLimits[method] else { return true }
            defer { state.rateLimits[method] = limit }
            if limit.take(at: arrived) { return true }
            state.traffic.rateLimited.append(arrived)
            return false
        }
        guard allowed else { return Self.rateLimited(retryAfter: 1) }
        var arguments: [String: JSONValue] = [:]
        if call.isJSON {
            if !Self.formOnlyMethods.contains(method), case .object(let object) = call.json { arguments = object }
        } else {
            arguments = call.form.mapValues(JSONValue.string)
        }
        return handle(method: method, arguments: arguments)
    }

    func handleResponseURL(id: String, request: Request, body: Data) async -> Response {
        let call = record(method: FakeSlack.responseURLMethod, responseID: id, request: request, body: body)
        if let response = await applyFault(method: FakeSlack.responseURLMethod) { return response }
        guard call.json != nil else {
            return Response(
                status: .badRequest, headers: [.contentType: "text/plain"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "invalid_payload")))
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok"))
        )
    }

    private func record(method: String, responseID: String?, request: Request, body: Data) -> RecordedCall {
        var token: String?
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            token = String(authorization.dropFirst("Bearer ".count))
        }
        let contentType = request.headers[.contentType]
        let isJSON = contentType?.lowercased().hasPrefix("application/json") ?? false
        let json = isJSON ? try? JSONValue.decode(body) : nil
        let form = isJSON ? [:] : Self.decodeForm(body)
        let call = RecordedCall(
            method: method, responseID: responseID, token: token, contentType: contentType, body: body, json: json,
            form: form)
        state.withLock { if $0.recordsCalls { $0.calls.append(call) } }
        return call
    }

    private func applyFault(method: String) async -> Response? {
        let fault: FakeSlack.Fault? = state.withLock { state in
            guard var queue = state.faults[method], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            state.faults[method] = queue
            return first
        }
        switch fault {
        case nil:
            return nil
        case .platformError(let code):
            return Self.error(code)
        case .rateLimited(let seconds):
            return Self.rateLimited(retryAfter: seconds)
        case .serverError(let status):
            return Self.json(["ok": false, "error": "internal_error"], status: HTTPResponse.Status(code: status))
        case .delay(let duration):
            try? await Task.sleep(for: duration)
            return nil
        }
    }

    /// HTTP 429 as Slack sends it.
    static func rateLimited(retryAfter seconds: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.retryAfter] = String(seconds)
        return Response(
            status: .tooManyRequests, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"ok":false,"error":"ratelimited"}"#)))
    }

    // MARK: - Methods

    private func handle(method: String, arguments: [String: JSONValue]) -> Response {
        func string(_ name: String) -> String? {
            guard let value = arguments[name]?.stringValue, !value.isEmpty else { return nil }
            return value
        }
        switch method {
        case "auth.test":
            return Self.ok([
                "url": "https://fake.slack.com/", "team": "Fake Workspace", "user": "debrief",
                "team_id": .string(FakeSlack.teamID), "user_id": .string(FakeSlack.botUserID), "bot_id": "B0001",
                "is_enterprise_install": false,
            ])

        case "views.open", "views.push":
            guard let trigger = string("trigger_id") else { return Self.error("invalid_arguments") }
            if state.withLock({ $0.expiredTriggers.contains(trigger) }) { return Self.error("expired_trigger_id") }
            return viewResponse(arguments["view"], expectedType: "modal")

        case "views.update":
            guard string("view_id") != nil || string("external_id") != nil else {
                return Self.error("invalid_arguments")
            }
            return viewResponse(arguments["view"], expectedType: "modal")

        case "views.publish":
            guard string("user_id") != nil else { return Self.error("invalid_arguments") }
            return viewResponse(arguments["view"], expectedType: "home")

        case "chat.postMessage":
            guard let channel = string("channel") else { return Self.error("channel_not_found") }
            guard string("text") != nil || arguments["blocks"] != nil else { return Self.error("no_text") }
            let resolved = Self.resolveChannel(channel)
            let ts = nextTimestamp()
            state.withLock { _ = $0.postedMessages.insert(resolved + "/" + ts) }
            var message: [String: JSONValue] = [
                "type": "message", "text": arguments["text"] ?? "", "user": .string(FakeSlack.botUserID),
                "ts": .string(ts),
            ]
            if let blocks = arguments["blocks"] { message["blocks"] = blocks }
            if let thread = arguments["thread_ts"] { message["thread_ts"] = thread }
            if let metadata = arguments["metadata"] { message["metadata"] = metadata }
            let stored = JSONValue.object(message)
            state.withLock {
                $0.channelHistory[resolved, default: []].append(stored)
                $0.posted.append(FakeSlack.PostedMessage(requestedChannel: channel, channel: resolved, message: stored))
                $0.traffic.acceptedPosts.append(ContinuousClock.now)
                $0.traffic.recipients.insert(resolved)
            }
            return Self.ok(["channel": .string(resolved), "ts": .string(ts), "message": stored])

        case "conversations.history":
            // Newest first, like Slack; `oldest` filters by ts; no pagination needed for tests.
            guard let channel = string("channel") else { return Self.error("channel_not_found") }
            let oldest = Double(string("oldest") ?? "0") ?? 0
            // Message metadata comes back only when asked for, as on Slack.
            let withMetadata = string("include_all_metadata") == "true"
            let messages = state.withLock { $0.channelHistory[channel] ?? [] }
                .filter { (Double($0["ts"]?.stringValue ?? "0") ?? 0) >= oldest && $0["thread_ts"] == nil }
                .map { message -> JSONValue in
                    guard !withMetadata, case .object(var object) = message else { return message }
                    object["metadata"] = nil
                    return .object(object)
                }
            return Self.ok(["messages": .array(messages.reversed()), "has_more": false])

        case "users.list":
            // Paginated like Slack: `limit` (capped like conversations.members here) and an opaque cursor.
            // Only the page's users become JSON: a workspace of 100,000 is read in 100 pages.
            let ids = state.withLock { state -> [String] in
                if state.sortedUserIDs == nil { state.sortedUserIDs = state.users.keys.sorted() }
                return state.sortedUserIDs ?? []
            }
            return page(count: ids.count, cursor: string("cursor"), limit: string("limit")) { range in
                state.withLock { state in ids[range].compactMap { state.users[$0] } }.map(Self.userJSON)
            }

        case "chat.update":
            guard let channel = string("channel"), let ts = string("ts") else { return Self.error("invalid_arguments") }
            guard state.withLock({ $0.postedMessages.contains(channel + "/" + ts) }) else {
                return Self.error("message_not_found")
            }
            return Self.ok(["channel": .string(channel), "ts": .string(ts), "text": arguments["text"] ?? ""])

        case "chat.postEphemeral":
            guard string("channel") != nil else { return Self.error("channel_not_found") }
            guard string("user") != nil else { return Self.error("user_not_found") }
            guard string("text") != nil || arguments["blocks"] != nil else { return Self.error("no_text") }
            return Self.ok(["message_ts": .string(nextTimestamp())])

        case "conversations.open":
            guard let users = string("users") else { return Self.error("not_enough_users") }
            let first = users.split(separator: ",").first.map(String.init) ?? users
            return Self.ok(["channel": ["id": .string(Self.resolveChannel(first))]])

        case "users.info":
            guard let id = string("user"), let user = findUser(id: id) else { return Self.error("user_not_found") }
            return Self.ok(["user": Self.userJSON(user)])

        case "users.lookupByEmail":
            guard let email = string("email")?.lowercased(),
                let user = state.withLock({ $0.users.values.first { $0.email?.lowercased() == email } })
            else { return Self.error("users_not_found") }
            return Self.ok(["user": Self.userJSON(user)])

        case "usergroups.users.list":
            guard let id = string("usergroup"), let users = state.withLock({ $0.usergroups[id] }) else {
                return Self.error("no_such_subteam")
            }
            return Self.ok(["users": .array(users.map(JSONValue.string))])

        case "conversations.members":
            return membersPage(channel: string("channel"), cursor: string("cursor"), limit: string("limit"))

        default:
            return Self.error("unknown_method")
        }
    }

    private func viewResponse(_ view: JSONValue?, expectedType: String) -> Response {
        var view = view
        // Slack accepts `view` as a JSON-encoded string too.
        if let text = view?.stringValue { view = try? JSONValue.decode(Data(text.utf8)) }
        guard case .object(var object) = view else { return Self.invalidArguments("view must be an object") }
        guard object["type"]?.stringValue == expectedType else {
            return Self.invalidArguments("must be a valid enum value [json-pointer:/view/type]")
        }
        let blocks = object["blocks"]?.arrayValue ?? []
        if blocks.count > 100 {
            return Self.invalidArguments("no more than 100 items allowed [json-pointer:/view/blocks]")
        }
        if expectedType == "modal" {
            guard let title = object["title"]?["text"]?.stringValue, !title.isEmpty, title.utf16.count <= 24 else {
                return Self.invalidArguments("must be less than 25 characters [json-pointer:/view/title/text]")
            }
            let hasInputs = blocks.contains { $0["type"]?.stringValue == "input" }
            if hasInputs && object["submit"] == nil {
                return Self.invalidArguments(
                    "submit is required when an input block is present [json-pointer:/view/submit]")
            }
        }
        let id = state.withLock { state -> String in
            defer { state.nextViewID += 1 }
            return String(format: "V%08d", state.nextViewID)
        }
        object["id"] = .string(id)
        object["team_id"] = .string(FakeSlack.teamID)
        object["hash"] = .string("1735689600.\(id)")
        return Self.ok(["view": .object(object)])
    }

    private func membersPage(channel: String?, cursor: String?, limit: String?) -> Response {
        guard let channel, let members = state.withLock({ $0.channelMembers[channel] }) else {
            return Self.error("channel_not_found")
        }
        return page(count: members.count, cursor: cursor, limit: limit) { range in
            members[range].map(JSONValue.string)
        }
    }

    /// One page of a cursor-paginated list (`members` plus `response_metadata.next_cursor`) of `count` items;
    /// `items` builds the page's slice only, so paging through a long list stays linear.
    private func page(count: Int, cursor: String?, limit: String?, items: (Range<Int>) -> [JSONValue]) -> Response {
        var offset = 0
        if let cursor {
            guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
                text.hasPrefix("offset:"), let value = Int(text.dropFirst("offset:".count)),
                (0...count).contains(value)
            else { return Self.error("invalid_cursor") }
            offset = value
        }
        let maximum = state.withLock { $0.maximumMembersPageSize }
        let requested = limit.flatMap { Int($0) }.map { $0 > 0 ? $0 : 100 } ?? 100
        let size = min(requested, maximum)
        let end = min(count, offset + size)
        let next = end < count ? Data("offset:\(end)".utf8).base64EncodedString() : ""
        return Self.ok([
            "members": .array(items(offset..<end)), "response_metadata": ["next_cursor": .string(next)],
        ])
    }

    private func findUser(id: String) -> FakeSlack.User? {
        state.withLock { state in
            if let user = state.users[id] { return user }
            return state.autoCreateUsers ? FakeSlack.User(id: id) : nil
        }
    }

    private func nextTimestamp() -> String {
        let value = state.withLock { state -> Int in
            defer { state.nextTimestamp += 1 }
            return state.nextTimestamp
        }
        let seconds = value / 1_000_000
        let micros = value % 1_000_000
        return "\(seconds)." + String(format: "%06d", micros)
    }

    // MARK: - Shapes

    static func resolveChannel(_ channel: String) -> String {
        if channel.hasPrefix("U") || channel.hasPrefix("W") { return "D" + channel.dropFirst() }
        return channel
    }

    static func userJSON(_ user: FakeSlack.User) -> JSONValue {
        var profile: [String: JSONValue] = [
            "real_name": .string(user.name), "display_name": .string(user.displayName ?? user.name),
        ]
        if let email = user.email { profile["email"] = .string(email) }
        return [
            "id": .string(user.id), "team_id": .string(FakeSlack.teamID), "name": .string(user.name),
            "real_name": .string(user.name),
            "deleted": .bool(user.deleted), "is_bot": .bool(user.isBot),
            "tz": user.timeZone.map(JSONValue.string) ?? .null,
            "tz_label": .string(user.timeZone ?? "Coordinated Universal Time"),
            "tz_offset": .number(Double(user.timeZoneOffsetSeconds)), "profile": .object(profile),
        ]
    }

    static func ok(_ fields: [String: JSONValue]) -> Response {
        var object = fields
        object["ok"] = true
        return json(.object(object))
    }

    static func error(_ code: String) -> Response {
        json(["ok": false, "error": .string(code)])
    }

    static func invalidArguments(_ message: String) -> Response {
        json([
            "ok": false, "error": "invalid_arguments",
            "response_metadata": ["messages": [.string("[ERROR] " + message)]],
        ])
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }

    /// `application/x-www-form-urlencoded`; first value wins.
    static func decodeForm(_ body: Data) -> [String: String] {
        var fields: [String: String] = [:]
        let text = String(decoding: body, as: UTF8.self)
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }
}
