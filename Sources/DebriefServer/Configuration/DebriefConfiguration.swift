import Configuration
import DebriefCore
import DebriefStore
import SystemPackage
import Foundation

/// Everything `debrief serve` needs, read once at start and validated before anything listens.
///
/// Sources, highest precedence first: command-line flags, environment variables, the YAML file named by
/// `DEBRIEF_CONFIG` (or `--config`). Keys (environment name / YAML key — type — default):
/// - `SLACK_SIGNING_SECRET` / `slack.signingSecret` — secret — none; without it Slack routes answer 503.
/// - `SLACK_BOT_TOKEN` / `slack.botToken` — secret (`xoxb-…`) — none; required together with the secret.
/// - `SLACK_API_URL` / `slack.apiUrl` — URL — `https://slack.com/api/` (tests and GovSlack point elsewhere).
/// - `DEBRIEF_DATABASE_URL` / `debrief.databaseUrl` — `sqlite:///abs.sqlite`, `sqlite::memory:`, a path —
///   `debrief.sqlite` in the working directory.
/// - `DEBRIEF_HOST` / `debrief.host` (`--host`) — `127.0.0.1`.
/// - `DEBRIEF_PORT` / `debrief.port` (`--port`) — `8080`.
/// - `DEBRIEF_PSEUDONYM_KEY` / `debrief.pseudonymKey` — secret, ≥ 16 characters — generated once and kept in
///   the database when unset. Keys the pseudonyms and, through HKDF, the encryption of stored platform ids; set
///   it in production (and keep it stable) so a database copy alone cannot re-identify anyone.
/// - `DEBRIEF_PROMPTS_DIR` / `debrief.promptsDir` — `./prompts`, else found next to the executable.
/// - `DEBRIEF_LOG_LEVEL` / `debrief.logLevel` — `info`.
/// - `DEBRIEF_CLOCK_START` / `debrief.clockStart` — instant with `Z` or an offset (`2026-11-20T16:00:00Z`) —
///   unset (wall clock). Testing only: the server's clock starts at this instant.
/// - `DEBRIEF_CLOCK_SPEED` / `debrief.clockSpeed` — number from 0.001 to 100000 — `1`. Testing only: how many
///   times faster than real time the simulated clock runs.
/// - `DEBRIEF_ADMIN_USERS` / `debrief.adminUsers` — comma-separated Slack user ids allowed to run `/debrief`.
/// - `DEBRIEF_ADMIN_TOKENS` / `debrief.adminTokens` — secret, comma-separated bearer tokens for `/api/v1/…`.
/// - `DEBRIEF_TIMEZONE` / `debrief.timezone` — IANA zone — `UTC`; for people without a known zone and
///   admin-entered times.
/// - `DEBRIEF_HOLIDAYS` / `debrief.holidays` — comma-separated `YYYY-MM-DD` (real calendar days) — none.
/// - `DEBRIEF_SLACK_SEND_RATE` / `debrief.slackSendRate` — DMs per second per workspace, 0.001–1000 — `1`.
/// - `DEBRIEF_MAX_NUDGES_PER_WEEK` / `debrief.maxNudgesPerWeek` — `2`.
/// - `DEBRIEF_MAX_PARTICIPANTS` / `debrief.maxParticipants` — whole number, 1–1,000,000 — `100000`: the most
///   people one training may have; a longer list is refused, and user groups or channels that add up to more
///   stop the training (reported to the admin) instead of being cut short.
/// - `DEBRIEF_ROLE_GROUPS` / `debrief.roleGroups` — `leader=S01,manager=S02` — none (everyone `ic`).
/// - `DEBRIEF_TEAM_GROUPS` / `debrief.teamGroups` — `Sales=S10,Engineering=S11` — none.
/// - `DEBRIEF_LEADERSHIP_CHANNEL` / `debrief.leadershipChannel` — channel id, optionally `@` its own time
///   (`C10@MON 08:30`) — none.
/// - `DEBRIEF_TEAM_CHANNELS` / `debrief.teamChannels` — `Sales=C20,Engineering=C21@TUE 10:00 America/New_York`
///   (a team's own weekday, time and zone after `@`) — none.
/// - `DEBRIEF_DIGEST_TIME` / `debrief.digestTime` — `MON 09:00` (organisation zone): targets without their own.
/// - `DEBRIEF_ANONYMITY_THRESHOLD` / `debrief.anonymityThreshold` — `5`; `DEBRIEF_QUOTE_THRESHOLD` — `10`.
/// - `DEBRIEF_NOISE_EPSILON` / `debrief.noiseEpsilon` — number from 0.01 to 100 — none (no noise).
/// - `DEBRIEF_PUBLIC_URL` / `debrief.publicUrl` — `http://<host>:<port>`; base of digest page links.
/// - `DEBRIEF_DIGEST_LINK_SECRET` / `debrief.digestLinkSecret` — secret; derived from the pseudonym key.
/// - `DEBRIEF_DIGEST_LINK_DAYS` / `debrief.digestLinkDays` — whole days, 1–365 — `30`: how long a digest page
///   link in Slack keeps working.
/// - `DEBRIEF_CONFIG` (`--config`) — path of a YAML file with the keys above.
public struct DebriefConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    public var slack: SlackSettings?
    public var slackAPIURL: String
    public var pseudonymKey: String?
    public var promptsDirectory: String?
    public var logLevel: String
    /// Largest accepted inbound request body; Slack's own payloads are far smaller.
    public var maximumBodyBytes: Int
    /// Simulated time for demos and acceptance tests; nil means the wall clock.
    public var clockSimulation: DebriefClock.Simulation?
    /// Slack user ids allowed to run `/debrief …`.
    public var adminUserIDs: Set<String> = []
    /// Bearer tokens accepted by the admin HTTP API (`/api/v1/…`).
    public var adminTokens: [String] = []
    /// The organisation's time zone: default for people whose zone is unknown and for admin-entered times.
    public var organisationTimeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt
    /// Days on which no nudge is sent (local calendar dates, `YYYY-MM-DD`).
    public var holidays: [String] = []
    /// Nudge DMs per second per workspace; kept well below Slack's limits so there are no 429 storms.
    public var slackSendRatePerSecond: Double = 1
    /// At most this many nudges per person per calendar week, across all trainings.
    public var maximumNudgesPerWeek: Int = 2
    /// The most people one training may have: resolution and planning are linear, but a training of a
    /// million people is almost certainly a mistake (the whole workspace), and bounding it bounds the work.
    public var maximumParticipants: Int = DebriefConfiguration.defaultMaximumParticipants

    public static let defaultMaximumParticipants = 100_000
    /// The largest value `DEBRIEF_MAX_PARTICIPANTS` accepts.
    public static let participantsCeiling = 1_000_000
    /// Slack user groups whose members have a role level (`leader`, `manager`); everyone else is `ic`.
    public var roleGroups: [(role: String, group: String)] = []
    /// Slack user groups that are teams: team name → group id.
    public var teamGroups: [(team: String, group: String)] = []
    /// Where the org-wide digest goes (a channel id); nil means no leadership digest.
    public var leadershipChannel: String?
    /// Team digests: team name → channel id.
    public var teamChannels: [(team: String, channel: String)] = []
    /// When digests are posted unless a target has its own time: ISO weekday (1 = Monday) and time, in the
    /// organisation's zone.
    public var digestSchedule = DigestSchedule.standard
    /// Targets' own posting times, by target key (`leadership`, `team:Sales`).
    public var digestSchedules: [String: DigestSchedule] = [:]
    /// Anonymity threshold k, and the larger threshold for quotes.
    public var anonymityThreshold: Int = 5
    public var quoteThreshold: Int = 10
    /// Differential-privacy noise on digest counts; nil means none.
    public var noiseEpsilon: Double?
    /// Secret for signing digest page links; defaults to one derived from the pseudonym key.
    public var digestLinkSecret: String?
    /// How long a signed digest page link works.
    public var digestLinkLifetime: TimeInterval = DigestLink.defaultLifetime
    /// Public base URL for links in Slack messages (digest pages).
    public var publicURL: String?

    /// Slack credentials; both are needed for the Slack routes to work.
    public struct SlackSettings: Sendable {
        public var signingSecret: String
        public var botToken: String

        public init(signingSecret: String, botToken: String) {
            self.signingSecret = signingSecret
            self.botToken = botToken
        }
    }

    public static let slackNotConfiguredSentence =
        "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (environment or config file) and restart debrief."

    /// Logged once at start when no pseudonym key is configured.
    public static let pseudonymKeyNotConfiguredSentence =
        "DEBRIEF_PSEUDONYM_KEY is not set: the pseudonym key was generated and is kept in the database itself, so a "
        + "copy of the database (a backup, a stolen disk) can link every reflection to a Slack user. Set "
        + "DEBRIEF_PSEUDONYM_KEY (openssl rand -hex 32) and keep it apart from the database."

    /// Opens the configured database with the configured pseudonym key (or the one kept in the database).
    public func openStore() throws -> any DebriefDataStore {
        try database.openStore(pseudonymKey: PseudonymKeySource(configured: pseudonymKey))
    }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL = .defaultValue,
        slack: SlackSettings? = nil, slackAPIURL: String = "https://slack.com/api/", pseudonymKey: String? = nil,
        promptsDirectory: String? = nil, logLevel: String = "info", maximumBodyBytes: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.slack = slack
        self.slackAPIURL = slackAPIURL
        self.pseudonymKey = pseudonymKey
        self.promptsDirectory = promptsDirectory
        self.logLevel = logLevel
        self.maximumBodyBytes = maximumBodyBytes
        self.clockSimulation = nil
    }

    /// Reads and validates the configuration. Throws a ``ConfigurationError`` naming the key at fault.
    public init(reader config: ConfigReader) throws(ConfigurationError) {
        func text(_ key: ConfigKey, secret: Bool = false) -> String? {
            guard let value = config.string(forKey: key, isSecret: secret)?.trimmingCharacters(in: .whitespaces),
                !value.isEmpty
            else { return nil }
            return value
        }
        self.init()
        host = text("debrief.host") ?? host
        if let rawPort = text("debrief.port") {
            guard let value = Self.wholeNumber(rawPort), (0...65_535).contains(value) else {
                throw .invalid(key: "DEBRIEF_PORT", reason: "must be a port number between 0 and 65535, got '\(rawPort)'")
            }
            port = value
        }
        if let rawDatabase = text("debrief.databaseUrl") {
            database = try DatabaseURL(parsing: rawDatabase)
        }
        if let apiURL = text("slack.apiUrl") {
            guard apiURL.hasPrefix("http://") || apiURL.hasPrefix("https://") else {
                throw .invalid(key: "SLACK_API_URL", reason: "must start with https:// (or http:// for a local fake)")
            }
            slackAPIURL = apiURL.hasSuffix("/") ? apiURL : apiURL + "/"
        }
        let secret = text("slack.signingSecret", secret: true)
        let token = text("slack.botToken", secret: true)
        switch (secret, token) {
        case (let secret?, let token?):
            guard token.hasPrefix("xox") else {
                throw .invalid(key: "SLACK_BOT_TOKEN", reason: "does not look like a Slack bot token (xoxb-…)")
            }
            slack = SlackSettings(signingSecret: secret, botToken: token)
        case (nil, nil):
            slack = nil
        case (nil, _?):
            throw .missing(
                key: "SLACK_SIGNING_SECRET",
                hint: "SLACK_BOT_TOKEN is set, so the signing secret (app settings → Basic Information) is needed too")
        case (_?, nil):
            throw .missing(
                key: "SLACK_BOT_TOKEN",
                hint: "SLACK_SIGNING_SECRET is set, so the bot token (OAuth & Permissions, xoxb-…) is needed too")
        }
        if let key = text("debrief.pseudonymKey", secret: true) {
            guard key.utf8.count >= 16 else {
                throw .invalid(key: "DEBRIEF_PSEUDONYM_KEY", reason: "must be at least 16 characters long")
            }
            pseudonymKey = key
        }
        promptsDirectory = text("debrief.promptsDir")
        func list(_ key: ConfigKey, secret: Bool = false) -> [String] {
            (text(key, secret: secret) ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        adminUserIDs = Set(list("debrief.adminUsers"))
        adminTokens = list("debrief.adminTokens", secret: true)
        if adminTokens.contains(where: { $0.utf8.count < 16 }) {
            throw .invalid(key: "DEBRIEF_ADMIN_TOKENS", reason: "each token must be at least 16 characters long")
        }
        if let zone = text("debrief.timezone") {
            do {
                organisationTimeZone = try DateTimeInput.timeZone(zone)
            } catch {
                throw .invalid(key: "DEBRIEF_TIMEZONE", reason: error.reason)
            }
        }
        holidays = []
        for day in list("debrief.holidays") {
            do {
                holidays.append(try DateTimeInput.date(day).description)
            } catch {
                throw .invalid(key: "DEBRIEF_HOLIDAYS", reason: "entries " + error.reason)
            }
        }
        if let rate = text("debrief.slackSendRate") {
            guard let value = Double(rate), Self.sendRates.contains(value) else {
                throw .invalid(
                    key: "DEBRIEF_SLACK_SEND_RATE",
                    reason: "must be a number of messages per second from \(Self.words(Self.sendRates)), got '\(rate)'")
            }
            slackSendRatePerSecond = value
        }
        if let cap = text("debrief.maxNudgesPerWeek") {
            guard let value = Self.wholeNumber(cap), (1...7).contains(value) else {
                throw .invalid(key: "DEBRIEF_MAX_NUDGES_PER_WEEK", reason: "must be a whole number from 1 to 7")
            }
            maximumNudgesPerWeek = value
        }
        if let rawMaximum = text("debrief.maxParticipants") {
            guard let value = Int(rawMaximum), (1...Self.participantsCeiling).contains(value) else {
                throw .invalid(
                    key: "DEBRIEF_MAX_PARTICIPANTS",
                    reason: "must be a whole number of people from 1 to \(Self.participantsCeiling), got '\(rawMaximum)'")
            }
            maximumParticipants = value
        }
        func pairs(_ key: ConfigKey, name: String) throws(ConfigurationError) -> [(String, String)] {
            var result: [(String, String)] = []
            for entry in list(key) {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw .invalid(key: name, reason: "entries must look like name=ID, got '\(entry)'")
                }
                result.append((parts[0], parts[1]))
            }
            return result
        }
        roleGroups = try pairs("debrief.roleGroups", name: "DEBRIEF_ROLE_GROUPS").map { (role: $0.0.lowercased(), group: $0.1) }
        for entry in roleGroups where !["leader", "manager", "ic"].contains(entry.role) {
            throw .invalid(key: "DEBRIEF_ROLE_GROUPS", reason: "role '\(entry.role)' must be leader, manager or ic")
        }
        teamGroups = try pairs("debrief.teamGroups", name: "DEBRIEF_TEAM_GROUPS").map { (team: $0.0, group: $0.1) }
        /// `C20` or `C20@TUE 10:00[ Zone/Name]`: the channel, and its own schedule if given.
        func channelAndSchedule(_ value: String, name: String) throws(ConfigurationError) -> (String, DigestSchedule?) {
            let parts = value.split(separator: "@", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { return (value, nil) }
            guard !parts[0].isEmpty else {
                throw .invalid(key: name, reason: "needs a channel id before '@', such as C20@TUE 10:00, got '\(value)'")
            }
            do {
                return (parts[0], try DigestSchedule.parse(parts[1]))
            } catch {
                throw .invalid(key: name, reason: "entry '\(value)': the time after '@' " + error.reason)
            }
        }
        teamChannels = []
        digestSchedules = [:]
        for (team, value) in try pairs("debrief.teamChannels", name: "DEBRIEF_TEAM_CHANNELS") {
            let (channel, schedule) = try channelAndSchedule(value, name: "DEBRIEF_TEAM_CHANNELS")
            teamChannels.append((team: team, channel: channel))
            if let schedule { digestSchedules["team:\(team)"] = schedule }
        }
        if let value = text("debrief.leadershipChannel") {
            let (channel, schedule) = try channelAndSchedule(value, name: "DEBRIEF_LEADERSHIP_CHANNEL")
            leadershipChannel = channel
            if let schedule { digestSchedules["leadership"] = schedule }
        }
        if let time = text("debrief.digestTime") {
            do {
                digestSchedule = try DigestSchedule.parse(time)
            } catch {
                throw .invalid(key: "DEBRIEF_DIGEST_TIME", reason: error.reason)
            }
        }
        if let value = text("debrief.anonymityThreshold") {
            guard let k = Self.wholeNumber(value), k >= 3 else {
                throw .invalid(key: "DEBRIEF_ANONYMITY_THRESHOLD", reason: "must be a whole number of at least 3")
            }
            anonymityThreshold = k
        }
        if let value = text("debrief.quoteThreshold") {
            guard let k = Self.wholeNumber(value), k >= anonymityThreshold else {
                throw .invalid(key: "DEBRIEF_QUOTE_THRESHOLD", reason: "must be a whole number no smaller than the anonymity threshold")
            }
            quoteThreshold = k
        }
        quoteThreshold = max(quoteThreshold, anonymityThreshold)
        if let value = text("debrief.noiseEpsilon") {
            guard let epsilon = Double(value), Self.noiseEpsilons.contains(epsilon) else {
                throw .invalid(
                    key: "DEBRIEF_NOISE_EPSILON",
                    reason: "must be a number from \(Self.words(Self.noiseEpsilons)) (smaller is more noise), got '\(value)'")
            }
            noiseEpsilon = epsilon
        }
        publicURL = text("debrief.publicUrl").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        digestLinkSecret = text("debrief.digestLinkSecret", secret: true)
        if let days = text("debrief.digestLinkDays") {
            guard let value = Self.wholeNumber(days), (1...365).contains(value) else {
                throw .invalid(key: "DEBRIEF_DIGEST_LINK_DAYS", reason: "must be a whole number of days from 1 to 365")
            }
            digestLinkLifetime = TimeInterval(value) * 86_400
        }
        let clockStart = text("debrief.clockStart")
        let clockSpeed = text("debrief.clockSpeed")
        if clockStart != nil || clockSpeed != nil {
            var start = Date()
            if let clockStart {
                do {
                    start = try DateTimeInput.instant(clockStart)
                } catch {
                    throw .invalid(key: "DEBRIEF_CLOCK_START", reason: error.reason)
                }
            }
            var speed = 1.0
            if let clockSpeed {
                guard let parsed = Double(clockSpeed), Self.clockSpeeds.contains(parsed) else {
                    throw .invalid(
                        key: "DEBRIEF_CLOCK_SPEED",
                        reason: "must be a number from \(Self.words(Self.clockSpeeds)), got '\(clockSpeed)'")
                }
                speed = parsed
            }
            clockSimulation = DebriefClock.Simulation(start: start, speed: speed)
        }
        if let level = text("debrief.logLevel") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level.lowercased()) else {
                throw .invalid(key: "DEBRIEF_LOG_LEVEL", reason: "must be one of \(levels.joined(separator: ", "))")
            }
            logLevel = level.lowercased()
        }
    }

    /// `DEBRIEF_SLACK_SEND_RATE`: the rate limiter cannot space sends further apart than 1000 s.
    public static let sendRates: ClosedRange<Double> = 0.001...1_000
    /// `DEBRIEF_NOISE_EPSILON`: below 0.01 the noise drowns every count; above 100 there is none to speak of.
    public static let noiseEpsilons: ClosedRange<Double> = 0.01...100
    /// `DEBRIEF_CLOCK_SPEED`: at 100,000× a year passes in about five real minutes; faster only overflows.
    public static let clockSpeeds: ClosedRange<Double> = 0.001...100_000

    /// `0.001 to 1000`: a range as people write it (no `.0`, and no `Int(Double)` that could trap).
    public static func words(_ range: ClosedRange<Double>) -> String {
        func plain(_ value: Double) -> String { Int(exactly: value).map(String.init) ?? "\(value)" }
        return plain(range.lowerBound) + " to " + plain(range.upperBound)
    }

    /// A whole number written with ASCII digits only (no sign, no spaces), at most 9 of them; nil otherwise.
    static func wholeNumber(_ text: String) -> Int? {
        guard (1...9).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// Builds the provider hierarchy: flags, then environment, then the optional YAML file.
    public static func load(
        flags: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ConfigurationError) -> DebriefConfiguration {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            flagValues[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(
                .string(value), isSecret: false)
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .specific([
                    "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "DEBRIEF_PSEUDONYM_KEY", "DEBRIEF_ADMIN_TOKENS",
                    "DEBRIEF_DIGEST_LINK_SECRET",
                ])),
        ]
        if let path = flags["debrief.config"] ?? environment["DEBRIEF_CONFIG"], !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .unreadableFile(path: path, reason: "no such file (from DEBRIEF_CONFIG / --config)")
            }
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(path)))
            } catch {
                throw .unreadableFile(path: path, reason: String(describing: error))
            }
        }
        return try DebriefConfiguration(reader: ConfigReader(providers: providers))
    }
}
