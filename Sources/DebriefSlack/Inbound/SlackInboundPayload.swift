/// Everything Slack sends to Debrief's inbound URLs that Debrief acts on, decoded into plain values.
///
/// One enum for the three URLs (slash commands, interactivity, events) because Slack's own rule for
/// telling them apart is by body shape, not by URL, and handlers then switch exhaustively.
///
/// - Important: these values carry raw Slack user ids. Handlers turn them into pseudonyms before
///   storing anything and must never log them.
public enum SlackInboundPayload: Sendable, Equatable {
    /// Slack re-checking the slash command URL's certificate: answer 200 with an empty body.
    case sslCheck
    case slashCommand(SlashCommand)
    case blockActions(BlockActions)
    case viewSubmission(ViewSubmission)
    case viewClosed(ViewClosed)
    /// Sent when the Events URL is saved: answer with the challenge.
    case urlVerification(challenge: String)
    case eventCallback(EventCallback)
    /// Slack stopped delivering events for a workspace for the rest of this minute (over 30,000 events/hour).
    case appRateLimited(teamID: String, minuteRateLimited: Int)

    /// A short, bounded name of the payload kind, for metrics and logs.
    /// Every value ``kindLabel`` takes (for metrics made once, at start).
    public static let kindLabels = [
        "ssl_check", "slash_command", "block_actions", "view_submission", "view_closed", "url_verification",
        "event_callback", "app_rate_limited",
    ]

    public var kindLabel: String {
        switch self {
        case .sslCheck: "ssl_check"
        case .slashCommand: "slash_command"
        case .blockActions: "block_actions"
        case .viewSubmission: "view_submission"
        case .viewClosed: "view_closed"
        case .urlVerification: "url_verification"
        case .eventCallback: "event_callback"
        case .appRateLimited: "app_rate_limited"
        }
    }
}

/// A `/reflect` invocation (form fields Slack posts to the slash command URL).
public struct SlashCommand: Sendable, Equatable {
    public var teamID: String
    /// Only on Enterprise Grid.
    public var enterpriseID: String?
    public var channelID: String
    public var userID: String
    /// The command as typed, for example `/reflect`.
    public var command: String
    /// Everything after the command; empty when nothing was typed.
    public var text: String
    /// Accepts up to 5 posts within 30 minutes.
    public var responseURL: String
    /// Exchange with `views.open` within 3 seconds, once.
    public var triggerID: String
    public var apiAppID: String?
    public var isEnterpriseInstall: Bool

    public init(
        teamID: String, enterpriseID: String? = nil, channelID: String, userID: String, command: String,
        text: String, responseURL: String, triggerID: String, apiAppID: String? = nil,
        isEnterpriseInstall: Bool = false
    ) {
        self.teamID = teamID
        self.enterpriseID = enterpriseID
        self.channelID = channelID
        self.userID = userID
        self.command = command
        self.text = text
        self.responseURL = responseURL
        self.triggerID = triggerID
        self.apiAppID = apiAppID
        self.isEnterpriseInstall = isEnterpriseInstall
    }
}

/// A click on a button or a choice in a menu, in a message or in a view.
public struct BlockActions: Sendable, Equatable {
    public var userID: String
    /// `team.id`, or the user's `team_id` for org-wide installs where `team` is null.
    public var teamID: String
    public var enterpriseID: String?
    public var apiAppID: String?
    public var triggerID: String
    public var actions: [Action]
    public var container: Container
    /// Present for actions in messages; reply or replace the message through it.
    public var responseURL: String?
    /// Present for actions inside a modal or the Home tab.
    public var view: SlackViewReference?

    public init(
        userID: String, teamID: String, enterpriseID: String? = nil, apiAppID: String? = nil, triggerID: String,
        actions: [Action], container: Container, responseURL: String? = nil, view: SlackViewReference? = nil
    ) {
        self.userID = userID
        self.teamID = teamID
        self.enterpriseID = enterpriseID
        self.apiAppID = apiAppID
        self.triggerID = triggerID
        self.actions = actions
        self.container = container
        self.responseURL = responseURL
        self.view = view
    }

    /// One interactive element that fired.
    public struct Action: Sendable, Equatable {
        public var actionID: String
        public var blockID: String
        /// Element type, for example `button` or `static_select`.
        public var type: String
        /// A button's value.
        public var value: String?
        /// The chosen option of a select or radio group.
        public var selectedOption: String?
        /// The chosen options of a multi-select or checkbox group.
        public var selectedOptions: [String]
        public var actionTS: String?

        public init(
            actionID: String, blockID: String, type: String, value: String? = nil, selectedOption: String? = nil,
            selectedOptions: [String] = [], actionTS: String? = nil
        ) {
            self.actionID = actionID
            self.blockID = blockID
            self.type = type
            self.value = value
            self.selectedOption = selectedOption
            self.selectedOptions = selectedOptions
            self.actionTS = actionTS
        }
    }

    /// Where the element lives.
    public enum Container: Sendable, Equatable {
        /// A message; update it with `chat.update(channel:ts:)` unless it is ephemeral.
        case message(channelID: String, messageTS: String, isEphemeral: Bool)
        /// A modal or the Home tab.
        case view(viewID: String)
        case other(type: String)
    }
}

/// The parts of a view that an action or a close refers to.
public struct SlackViewReference: Sendable, Equatable {
    public var id: String
    /// `modal` or `home`.
    public var type: String?
    public var callbackID: String?
    /// Echoed back verbatim from when the view was opened.
    public var privateMetadata: String?
    public var hash: String?

    public init(
        id: String, type: String? = nil, callbackID: String? = nil, privateMetadata: String? = nil, hash: String? = nil
    ) {
        self.id = id
        self.type = type
        self.callbackID = callbackID
        self.privateMetadata = privateMetadata
        self.hash = hash
    }
}

/// A submitted modal. Errors must be returned in the HTTP response to this very request.
public struct ViewSubmission: Sendable, Equatable {
    public var userID: String
    public var teamID: String
    public var enterpriseID: String?
    public var apiAppID: String?
    public var triggerID: String?
    public var viewID: String
    public var callbackID: String
    public var privateMetadata: String
    public var hash: String?
    /// `state.values`: block id → action id → the input's value.
    public var values: [String: [String: SlackInputValue]]

    public init(
        userID: String, teamID: String, enterpriseID: String? = nil, apiAppID: String? = nil,
        triggerID: String? = nil, viewID: String, callbackID: String, privateMetadata: String = "",
        hash: String? = nil, values: [String: [String: SlackInputValue]]
    ) {
        self.userID = userID
        self.teamID = teamID
        self.enterpriseID = enterpriseID
        self.apiAppID = apiAppID
        self.triggerID = triggerID
        self.viewID = viewID
        self.callbackID = callbackID
        self.privateMetadata = privateMetadata
        self.hash = hash
        self.values = values
    }

    /// The value of the single input in `blockID`, or of `actionID` in it when given.
    public func value(block blockID: String, action actionID: String? = nil) -> SlackInputValue? {
        guard let block = values[blockID] else { return nil }
        if let actionID { return block[actionID] }
        return block.count == 1 ? block.first?.value : nil
    }
}

/// A modal closed with Cancel or ×; only sent for views opened with `notify_on_close`.
public struct ViewClosed: Sendable, Equatable {
    public var userID: String
    public var teamID: String
    public var enterpriseID: String?
    public var viewID: String
    public var callbackID: String
    public var privateMetadata: String
    /// True when the whole view stack was closed.
    public var isCleared: Bool

    public init(
        userID: String, teamID: String, enterpriseID: String? = nil, viewID: String, callbackID: String,
        privateMetadata: String = "", isCleared: Bool = false
    ) {
        self.userID = userID
        self.teamID = teamID
        self.enterpriseID = enterpriseID
        self.viewID = viewID
        self.callbackID = callbackID
        self.privateMetadata = privateMetadata
        self.isCleared = isCleared
    }
}

/// An Events API delivery. Deliveries are at-least-once: dedupe on ``eventID``.
public struct EventCallback: Sendable, Equatable {
    public var teamID: String
    public var enterpriseID: String?
    public var apiAppID: String?
    /// Idempotency key; the same on Slack's retries.
    public var eventID: String
    /// Epoch seconds.
    public var eventTime: Int
    public var event: SlackEvent

    public init(
        teamID: String, enterpriseID: String? = nil, apiAppID: String? = nil, eventID: String, eventTime: Int,
        event: SlackEvent
    ) {
        self.teamID = teamID
        self.enterpriseID = enterpriseID
        self.apiAppID = apiAppID
        self.eventID = eventID
        self.eventTime = eventTime
        self.event = event
    }

    /// The inner event's `type`.
    public var eventType: String { event.type }
}

/// The inner events Debrief subscribes to.
public enum SlackEvent: Sendable, Equatable {
    /// Someone opened the app's Home or Messages tab; publish the Home view.
    case appHomeOpened(user: String, channel: String?, tab: String?)
    /// Delete every installation detail for the workspace.
    case appUninstalled
    /// User ids (not tokens) whose user or bot tokens were revoked.
    case tokensRevoked(oauthUserIDs: [String], botUserIDs: [String])
    case other(type: String)

    /// The event's `type` as Slack names it.
    public var typeName: String { type }

    public var type: String {
        switch self {
        case .appHomeOpened: "app_home_opened"
        case .appUninstalled: "app_uninstalled"
        case .tokensRevoked: "tokens_revoked"
        case .other(let type): type
        }
    }
}
