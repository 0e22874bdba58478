/// The Slack side: the app's credentials, where its Web API is, how fast nudges go out, who may run `/debrief`.
public struct SlackConfiguration: Sendable {
    public static let defaultAPIURL = "https://slack.com/api/"
    public static let defaultSendRate: Double = 1
    /// `DEBRIEF_SLACK_SEND_RATE`: the rate limiter cannot space sends further apart than 1000 s.
    package static let sendRates: ClosedRange<Double> = 0.001...1_000

    /// The signing secret and bot token; both are needed for the Slack routes to work.
    public struct Credentials: Sendable {
        /// `SLACK_SIGNING_SECRET`.
        public var signingSecret: String
        /// `SLACK_BOT_TOKEN` (`xoxb-…`).
        public var botToken: String

        public init(signingSecret: String, botToken: String) {
            self.signingSecret = signingSecret
            self.botToken = botToken
        }
    }

    /// Nil: Slack is not configured, and its routes answer 503.
    public var credentials: Credentials?
    /// `SLACK_API_URL`, always ending in `/`.
    public var apiURL: String
    /// `DEBRIEF_SLACK_SEND_RATE`: nudge DMs per second per workspace; kept well below Slack's limits so there
    /// are no 429 storms.
    public var sendRatePerSecond: Double
    /// `DEBRIEF_ADMIN_USERS`: Slack user ids allowed to run `/debrief …`.
    public var adminUserIDs: Set<String>

    public init(
        credentials: Credentials? = nil, apiURL: String = defaultAPIURL, sendRatePerSecond: Double = defaultSendRate,
        adminUserIDs: Set<String> = []
    ) {
        self.credentials = credentials
        self.apiURL = apiURL
        self.sendRatePerSecond = sendRatePerSecond
        self.adminUserIDs = adminUserIDs
    }

    init(reading source: ConfigurationSource) throws(ConfigurationError) {
        self.init()
        apiURL =
            try source.read(.slackAPIURL) { text throws(InvalidConfigurationValue) in
                guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                    throw InvalidConfigurationValue("must start with https:// (or http:// for a local fake)")
                }
                return text.hasSuffix("/") ? text : text + "/"
            } ?? apiURL
        let secretKey = ConfigurationKey.slackSigningSecret.environmentName
        let tokenKey = ConfigurationKey.slackBotToken.environmentName
        switch (source.text(.slackSigningSecret), source.text(.slackBotToken)) {
        case (let secret?, let token?):
            guard token.hasPrefix("xox") else {
                throw .invalid(key: tokenKey, reason: "does not look like a Slack bot token (xoxb-…)")
            }
            credentials = Credentials(signingSecret: secret, botToken: token)
        case (nil, nil):
            credentials = nil
        case (nil, _?):
            throw .missing(
                key: secretKey,
                hint: "\(tokenKey) is set, so the signing secret (app settings → Basic Information) is needed too")
        case (_?, nil):
            throw .missing(
                key: tokenKey,
                hint: "\(secretKey) is set, so the bot token (OAuth & Permissions, xoxb-…) is needed too")
        }
        adminUserIDs = Set(source.list(.adminUsers))
        sendRatePerSecond =
            try source.read(.slackSendRate) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.number(
                    text, in: Self.sendRates,
                    otherwise: "must be a number of messages per second from "
                        + "\(ConfigurationText.words(Self.sendRates)), got '\(text)'")
            } ?? sendRatePerSecond
    }
}
