import DebriefCore

/// Where a posted message lives, for a later `chat.update`.
///
/// The channel is the one Slack reports: posting to a user id lands in the app DM, whose `D…` id is
/// what `chat.update` needs.
public struct SlackMessageReference: Sendable, Equatable, Hashable {
    public var channel: String
    public var ts: String

    public init(channel: String, ts: String) {
        self.channel = channel
        self.ts = ts
    }
}

extension SlackWebAPIClient {
    /// Opens a modal; call within 3 s of receiving `triggerID`. Returns the opened view's id.
    @discardableResult
    public func viewsOpen(triggerID: String, view: JSONValue) async throws(SlackAPIError) -> String {
        let response = try await call("views.open", json: ["trigger_id": .string(triggerID), "view": view])
        return response["view"]?["id"]?.stringValue ?? ""
    }

    /// Replaces an open view (for example after an async save).
    public func viewsUpdate(viewID: String, view: JSONValue, hash: String? = nil) async throws(SlackAPIError) {
        var arguments: [String: JSONValue] = ["view_id": .string(viewID), "view": view]
        if let hash { arguments["hash"] = .string(hash) }
        _ = try await call("views.update", json: .object(arguments))
    }

    /// Publishes the Home tab for one person.
    public func viewsPublish(userID: String, view: JSONValue) async throws(SlackAPIError) {
        _ = try await call("views.publish", json: ["user_id": .string(userID), "view": view])
    }

    /// Posts a message; `text` is always sent as the notification and accessibility fallback.
    @discardableResult
    public func chatPostMessage(channel: String, text: String, blocks: JSONValue? = nil)
        async throws(SlackAPIError) -> SlackMessageReference
    {
        var arguments: [String: JSONValue] = ["channel": .string(channel), "text": .string(text)]
        if let blocks { arguments["blocks"] = blocks }
        let response = try await callForStatus("chat.postMessage", json: .object(arguments))
        guard let ts = response.ts else {
            throw .invalidResponse("chat.postMessage answered without `ts`")
        }
        return SlackMessageReference(channel: response.channel ?? channel, ts: ts)
    }

    /// Replaces a message the bot posted earlier.
    public func chatUpdate(channel: String, ts: String, text: String, blocks: JSONValue? = nil)
        async throws(SlackAPIError)
    {
        var arguments: [String: JSONValue] = ["channel": .string(channel), "ts": .string(ts), "text": .string(text)]
        if let blocks { arguments["blocks"] = blocks }
        _ = try await callForStatus("chat.update", json: .object(arguments))
    }

    /// Shows a message to one person in a channel they are in; not persistent, not updatable.
    public func chatPostEphemeral(channel: String, user: String, text: String, blocks: JSONValue? = nil)
        async throws(SlackAPIError)
    {
        var arguments: [String: JSONValue] = [
            "channel": .string(channel), "user": .string(user), "text": .string(text),
        ]
        if let blocks { arguments["blocks"] = blocks }
        _ = try await call("chat.postEphemeral", json: .object(arguments))
    }

    /// Opens (or finds) the app DM with a person; returns its `D…` channel id.
    public func conversationsOpen(userID: String) async throws(SlackAPIError) -> String {
        let response = try await call("conversations.open", json: ["users": .string(userID)])
        guard let id = response["channel"]?["id"]?.stringValue else {
            throw .invalidResponse("conversations.open answered without `channel.id`")
        }
        return id
    }

    /// A person's profile (`user.tz` is their IANA time zone).
    public func usersInfo(userID: String) async throws(SlackAPIError) -> JSONValue {
        let response = try await call("users.info", form: [("user", userID)])
        guard let user = response["user"] else { throw .invalidResponse("users.info answered without `user`") }
        return user
    }

    /// The user id for an email address, or nil when Slack has no such user (`users_not_found`).
    public func usersLookupByEmail(_ email: String) async throws(SlackAPIError) -> String? {
        do {
            let response = try await call("users.lookupByEmail", form: [("email", email)])
            return response["user"]?["id"]?.stringValue
        } catch .platform(code: "users_not_found", _) {
            return nil
        }
    }

    /// The user ids in a user group (not paginated by Slack).
    public func usergroupsUsersList(usergroupID: String) async throws(SlackAPIError) -> [String] {
        try await callList("usergroups.users.list", form: [("usergroup", usergroupID)], of: String.self).items
    }

    /// Every member of a channel, following `next_cursor` until it is empty.
    ///
    /// - Parameter maximumPages: a guard against a cursor that never ends.
    public func conversationsMembers(channelID: String, pageSize: Int = 200, maximumPages: Int = 500)
        async throws(SlackAPIError) -> [String]
    {
        var members: [String] = []
        try await conversationsMembers(channelID: channelID, pageSize: pageSize, maximumPages: maximumPages) { page in
            members += page
            return true
        }
        return members
    }

    /// The members of a channel one page at a time, for channels too large to hold as one list: `page` sees
    /// each page's user ids and returns `false` to stop reading (a training that is already too large).
    public func conversationsMembers(
        channelID: String, pageSize: Int, maximumPages: Int, page: ([String]) -> Bool
    ) async throws(SlackAPIError) {
        try await paginateList(
            "conversations.members", form: [("channel", channelID)], of: String.self, pageSize: pageSize,
            maximumPages: maximumPages, page: page)
    }

    /// Every user of the workspace (`users.list`, all pages, deactivated people and bots included), one page at a time: `page` sees each page's members and keeps what it
    /// needs, so a large workspace is never held in memory as JSON all at once.
    public func usersList(
        pageSize: Int = 200, maximumPages: Int = 2_000, page: ([JSONValue]) -> Void
    ) async throws(SlackAPIError) {
        var cursor = ""
        for _ in 0..<maximumPages {
            var pageForm = [("limit", String(pageSize))]
            if !cursor.isEmpty { pageForm.append(("cursor", cursor)) }
            let response = try await call("users.list", form: pageForm)
            page(response["members"]?.arrayValue ?? [])
            cursor = response["response_metadata"]?["next_cursor"]?.stringValue ?? ""
            if cursor.isEmpty { return }
        }
        throw .invalidResponse("users.list did not finish within \(maximumPages) pages")
    }

    /// `users.list` reduced to what participant resolution needs (id, time zone, deactivated, bot), page by
    /// page. Far cheaper than ``usersList(pageSize:maximumPages:page:)`` for a workspace of 100,000 people.
    public func usersDirectory(
        pageSize: Int = 1_000, maximumPages: Int = 2_000, page: ([SlackUserSummary]) -> Void
    ) async throws(SlackAPIError) {
        try await paginateList(
            "users.list", form: [], of: SlackUserSummary.self, pageSize: pageSize, maximumPages: maximumPages
        ) {
            page($0)
            return true
        }
    }

    /// Calls a list method page after page, following `next_cursor` until it is empty or `page` returns `false`.
    func paginateList<Item: Decodable & Sendable>(
        _ method: String, form: [(String, String)], of item: Item.Type, pageSize: Int, maximumPages: Int,
        page: ([Item]) -> Bool
    ) async throws(SlackAPIError) {
        var cursor = ""
        for _ in 0..<maximumPages {
            var pageForm = form + [("limit", String(pageSize))]
            if !cursor.isEmpty { pageForm.append(("cursor", cursor)) }
            let answer = try await callList(method, form: pageForm, of: item)
            guard page(answer.items) else { return }
            cursor = answer.nextCursor
            if cursor.isEmpty { return }
        }
        throw .invalidResponse("\(method) did not finish within \(maximumPages) pages")
    }

    /// The bot's own identity for the token (`team_id`, `user_id`, `bot_id`).
    public func authTest() async throws(SlackAPIError) -> JSONValue {
        try await call("auth.test", json: [:])
    }
}
