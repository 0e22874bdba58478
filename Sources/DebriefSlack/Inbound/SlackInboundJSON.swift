import Foundation

/// A string-keyed coding key, for reading Slack's snake_case keys explicitly.
struct SlackKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { self.stringValue = value }
}

typealias SlackContainer = KeyedDecodingContainer<SlackKey>

extension KeyedDecodingContainer where Key == SlackKey {
    /// A string, or nil when absent or null. Throws if present with another type.
    func string(_ key: SlackKey) throws -> String? {
        try decodeIfPresent(String.self, forKey: key)
    }

    /// A string that must be present and non-empty, else `malformed("<kind> has no `key`")`.
    func required(_ key: SlackKey, in kind: String) throws -> String {
        guard let value = try string(key), !value.isEmpty else {
            throw SlackPayloadError.malformed("\(kind) has no `\(key.stringValue)`")
        }
        return value
    }

    func bool(_ key: SlackKey) throws -> Bool? {
        try decodeIfPresent(Bool.self, forKey: key)
    }

    /// A number that Slack sends as an integer (sometimes as a string of digits).
    func integer(_ key: SlackKey) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key), let value = Int(text) { return value }
        if let value = try? decode(Double.self, forKey: key), value.isFinite, abs(value) < 1e15 { return Int(value) }
        throw SlackPayloadError.malformed("`\(key.stringValue)` is not a whole number")
    }

    /// The nested object under `key`, or nil when absent or null.
    func object(_ key: SlackKey) throws -> SlackContainer? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try nestedContainer(keyedBy: SlackKey.self, forKey: key)
    }

    /// `[{"value": …}]` option objects' values.
    func optionValues(_ key: SlackKey) throws -> [String] {
        guard contains(key), try !decodeNil(forKey: key) else { return [] }
        return try decode([SlackOption].self, forKey: key).compactMap(\.value)
    }

    func optionValue(_ key: SlackKey) throws -> String? {
        try decodeIfPresent(SlackOption.self, forKey: key)?.value
    }

    func strings(_ key: SlackKey) throws -> [String] {
        try decodeIfPresent([String].self, forKey: key) ?? []
    }
}

/// An option object; only its value matters (the text is our own label).
struct SlackOption: Decodable {
    var value: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SlackKey.self)
        value = try container.string("value")
    }
}

/// The whole JSON document, dispatched on `type` in a single parse.
struct InboundJSON: Decodable {
    var payload: SlackInboundPayload

    init(from decoder: any Decoder) throws {
        let root: SlackContainer
        do {
            root = try decoder.container(keyedBy: SlackKey.self)
        } catch {
            throw SlackPayloadError.malformed("JSON body is not an object")
        }
        guard let type = try root.string("type"), !type.isEmpty else {
            throw SlackPayloadError.malformed("payload has no `type`")
        }
        switch type {
        case "url_verification":
            guard let challenge = try root.string("challenge") else {
                throw SlackPayloadError.malformed("url_verification has no `challenge`")
            }
            payload = .urlVerification(challenge: challenge)
        case "event_callback":
            payload = .eventCallback(try Self.eventCallback(root))
        case "app_rate_limited":
            let team = try root.required("team_id", in: "app_rate_limited")
            guard let minute = try root.integer("minute_rate_limited") else {
                throw SlackPayloadError.malformed("app_rate_limited has no `minute_rate_limited`")
            }
            payload = .appRateLimited(teamID: team, minuteRateLimited: minute)
        case "block_actions":
            payload = .blockActions(try Self.blockActions(root))
        case "view_submission":
            payload = .viewSubmission(try Self.viewSubmission(root))
        case "view_closed":
            payload = .viewClosed(try Self.viewClosed(root))
        default:
            throw SlackPayloadError.unknownType(SlackInboundDecoder.safeType(type))
        }
    }

    // MARK: Interactions

    struct Identity {
        var userID: String
        var teamID: String
        var enterpriseID: String?
        var apiAppID: String?
    }

    static func identity(_ root: SlackContainer, kind: String) throws -> Identity {
        guard let user = try root.object("user") else {
            throw SlackPayloadError.malformed("\(kind) has no `user`")
        }
        let userID = try user.required("id", in: "\(kind) user")
        let teamID = try root.object("team")?.string("id") ?? user.string("team_id")
        guard let teamID, !teamID.isEmpty else {
            throw SlackPayloadError.malformed("\(kind) has no `team.id`")
        }
        let enterpriseID = try root.object("enterprise")?.string("id") ?? user.string("enterprise_id")
        return Identity(
            userID: userID, teamID: teamID, enterpriseID: SlackInboundDecoder.nonEmpty(enterpriseID),
            apiAppID: try root.string("api_app_id"))
    }

    static func blockActions(_ root: SlackContainer) throws -> BlockActions {
        let kind = "block_actions"
        let who = try identity(root, kind: kind)
        let triggerID = try root.required("trigger_id", in: kind)
        guard root.contains("actions") else { throw SlackPayloadError.malformed("block_actions has no `actions`") }
        var actionsContainer = try root.nestedUnkeyedContainer(forKey: "actions")
        var actions: [BlockActions.Action] = []
        while !actionsContainer.isAtEnd {
            let action = try actionsContainer.nestedContainer(keyedBy: SlackKey.self)
            actions.append(
                BlockActions.Action(
                    actionID: try action.required("action_id", in: "block_actions action"),
                    blockID: try action.string("block_id") ?? "",
                    type: try action.string("type") ?? "",
                    value: try action.string("value"),
                    selectedOption: try action.optionValue("selected_option"),
                    selectedOptions: try action.optionValues("selected_options"),
                    actionTS: try action.string("action_ts")))
        }
        let view = try root.object("view").map(viewReference)
        let container: BlockActions.Container
        if let box = try root.object("container") {
            switch try box.string("type") ?? "" {
            case "message":
                let channel = try box.string("channel_id") ?? root.object("channel")?.string("id")
                guard let channel, let ts = try box.string("message_ts") else {
                    throw SlackPayloadError.malformed(
                        "block_actions message container has no `channel_id` or `message_ts`")
                }
                container = .message(
                    channelID: channel, messageTS: ts, isEphemeral: try box.bool("is_ephemeral") ?? false)
            case "view":
                guard let viewID = try box.string("view_id") ?? view?.id else {
                    throw SlackPayloadError.malformed("block_actions view container has no `view_id`")
                }
                container = .view(viewID: viewID)
            case let other:
                container = .other(type: SlackInboundDecoder.safeType(other))
            }
        } else if let view {
            container = .view(viewID: view.id)
        } else {
            throw SlackPayloadError.malformed("block_actions has no `container`")
        }
        return BlockActions(
            userID: who.userID, teamID: who.teamID, enterpriseID: who.enterpriseID, apiAppID: who.apiAppID,
            triggerID: triggerID, actions: actions, container: container,
            responseURL: SlackInboundDecoder.nonEmpty(try root.string("response_url")), view: view)
    }

    static func viewReference(_ view: SlackContainer) throws -> SlackViewReference {
        SlackViewReference(
            id: try view.required("id", in: "view"),
            type: try view.string("type"),
            callbackID: try view.string("callback_id"),
            privateMetadata: try view.string("private_metadata"),
            hash: try view.string("hash"))
    }

    static func viewSubmission(_ root: SlackContainer) throws -> ViewSubmission {
        let kind = "view_submission"
        let who = try identity(root, kind: kind)
        guard let view = try root.object("view") else {
            throw SlackPayloadError.malformed("view_submission has no `view`")
        }
        var values: [String: [String: SlackInputValue]] = [:]
        if let state = try view.object("state"), state.contains("values"), try !state.decodeNil(forKey: "values") {
            let raw = try state.decode([String: [String: WireInputValue]].self, forKey: "values")
            for (blockID, actions) in raw {
                values[blockID] = actions.mapValues(\.value)
            }
        }
        return ViewSubmission(
            userID: who.userID, teamID: who.teamID, enterpriseID: who.enterpriseID, apiAppID: who.apiAppID,
            triggerID: SlackInboundDecoder.nonEmpty(try root.string("trigger_id")),
            viewID: try view.required("id", in: "view_submission view"),
            callbackID: try view.string("callback_id") ?? "",
            privateMetadata: try view.string("private_metadata") ?? "",
            hash: try view.string("hash"),
            values: values)
    }

    static func viewClosed(_ root: SlackContainer) throws -> ViewClosed {
        let kind = "view_closed"
        let who = try identity(root, kind: kind)
        guard let view = try root.object("view") else { throw SlackPayloadError.malformed("view_closed has no `view`") }
        return ViewClosed(
            userID: who.userID, teamID: who.teamID, enterpriseID: who.enterpriseID,
            viewID: try view.required("id", in: "view_closed view"),
            callbackID: try view.string("callback_id") ?? "",
            privateMetadata: try view.string("private_metadata") ?? "",
            isCleared: try root.bool("is_cleared") ?? false)
    }

    // MARK: Events

    static func eventCallback(_ root: SlackContainer) throws -> EventCallback {
        let kind = "event_callback"
        let teamID = try SlackInboundDecoder.nonEmpty(root.string("team_id")) ?? root.string("context_team_id")
        guard let teamID, !teamID.isEmpty else { throw SlackPayloadError.malformed("event_callback has no `team_id`") }
        let eventID = try root.required("event_id", in: kind)
        guard let eventTime = try root.integer("event_time") else {
            throw SlackPayloadError.malformed("event_callback has no `event_time`")
        }
        guard let event = try root.object("event") else {
            throw SlackPayloadError.malformed("event_callback has no `event`")
        }
        let type = try event.required("type", in: "event_callback event")
        let inner: SlackEvent
        switch type {
        case "app_home_opened":
            inner = .appHomeOpened(
                user: try event.required("user", in: "app_home_opened"),
                channel: try event.string("channel"), tab: try event.string("tab"))
        case "app_uninstalled":
            inner = .appUninstalled
        case "tokens_revoked":
            let tokens = try event.object("tokens")
            inner = .tokensRevoked(
                oauthUserIDs: try tokens?.strings("oauth") ?? [], botUserIDs: try tokens?.strings("bot") ?? [])
        default:
            inner = .other(type: SlackInboundDecoder.safeType(type))
        }
        return EventCallback(
            teamID: teamID, enterpriseID: SlackInboundDecoder.nonEmpty(try root.string("enterprise_id")),
            apiAppID: try root.string("api_app_id"), eventID: eventID, eventTime: eventTime, event: inner)
    }
}

/// One entry of `state.values`, decoded by its element `type`.
struct WireInputValue: Decodable {
    var value: SlackInputValue

    init(from decoder: any Decoder) throws {
        let box = try decoder.container(keyedBy: SlackKey.self)
        let type = try box.string("type") ?? ""
        switch type {
        case "plain_text_input", "email_text_input", "url_text_input", "number_input":
            value = .text(try box.string("value"))
        case "static_select", "external_select", "radio_buttons":
            value = .option(try box.optionValue("selected_option"))
        case "multi_static_select", "multi_external_select", "checkboxes":
            value = .options(try box.optionValues("selected_options"))
        case "datepicker":
            value = .date(try box.string("selected_date"))
        case "timepicker":
            value = .time(try box.string("selected_time"))
        case "datetimepicker":
            value = .dateTime(try box.integer("selected_date_time"))
        case "users_select":
            value = .user(try box.string("selected_user"))
        case "multi_users_select":
            value = .users(try box.strings("selected_users"))
        case "conversations_select":
            value = .conversation(try box.string("selected_conversation"))
        case "multi_conversations_select":
            value = .conversations(try box.strings("selected_conversations"))
        case "channels_select":
            value = .channel(try box.string("selected_channel"))
        case "multi_channels_select":
            value = .channels(try box.strings("selected_channels"))
        default:
            value = .other(type: SlackInboundDecoder.safeType(type))
        }
    }
}
