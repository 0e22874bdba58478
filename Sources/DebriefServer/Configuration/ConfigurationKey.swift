/// Every setting `debrief` reads, spelled once: its YAML key (the raw value), and from it the environment name,
/// plus what the README's configuration table says about it (flag, default, meaning) and whether it is a secret.
///
/// The readers of each component read through these keys, `DebriefConfiguration.load` builds the environment
/// provider's secret list from ``isSecret``, error messages name ``environmentName``, and a test compares
/// ``readmeTable`` with the README, so code, errors and documentation cannot drift apart.
///
/// The keys keep the names of earlier releases: a component's keys may sit in either section (the Slack
/// send rate is `debrief.slackSendRate`), which is why components read through ``ConfigurationSource`` rather
/// than one section each.
public enum ConfigurationKey: String, CaseIterable, Sendable {
    case slackSigningSecret = "slack.signingSecret"
    case slackBotToken = "slack.botToken"
    case slackAPIURL = "slack.apiUrl"
    // Microsoft's own names (as the Bot Framework SDKs and Azure read them), in YAML and in the environment.
    case teamsAppID = "teams.MicrosoftAppId"
    case teamsAppPassword = "teams.MicrosoftAppPassword"
    case teamsTenantID = "teams.MicrosoftAppTenantId"
    case teamsAppType = "teams.MicrosoftAppType"
    case teamsOpenIDMetadataURL = "teams.openIdMetadataUrl"
    case teamsTokenURL = "teams.tokenUrl"
    case teamsIssuer = "teams.issuer"
    case teamsTokenScope = "teams.tokenScope"
    case teamsServiceURL = "teams.serviceUrl"
    case teamsSendRate = "teams.sendRate"
    case teamsAdminUsers = "teams.adminUsers"
    case databaseURL = "debrief.databaseUrl"
    case databasePool = "debrief.databasePool"
    case jobLease = "debrief.jobLease"
    case host = "debrief.host"
    case port = "debrief.port"
    case pseudonymKey = "debrief.pseudonymKey"
    case promptsDirectory = "debrief.promptsDir"
    case logLevel = "debrief.logLevel"
    case adminUsers = "debrief.adminUsers"
    case adminTokens = "debrief.adminTokens"
    case timeZone = "debrief.timezone"
    case holidays = "debrief.holidays"
    case slackSendRate = "debrief.slackSendRate"
    case maxNudgesPerWeek = "debrief.maxNudgesPerWeek"
    case maxParticipants = "debrief.maxParticipants"
    case habitInterval = "debrief.habitInterval"
    case roleGroups = "debrief.roleGroups"
    case teamGroups = "debrief.teamGroups"
    case leadershipChannel = "debrief.leadershipChannel"
    case teamChannels = "debrief.teamChannels"
    case teamsLeadershipChannel = "debrief.teamsLeadershipChannel"
    case teamsTeamChannels = "debrief.teamsTeamChannels"
    case digestTime = "debrief.digestTime"
    case anonymityThreshold = "debrief.anonymityThreshold"
    case quoteThreshold = "debrief.quoteThreshold"
    case noiseEpsilon = "debrief.noiseEpsilon"
    case publicURL = "debrief.publicUrl"
    case digestLinkSecret = "debrief.digestLinkSecret"
    case digestLinkDays = "debrief.digestLinkDays"
    case clockStart = "debrief.clockStart"
    case clockSpeed = "debrief.clockSpeed"
    /// Names the YAML file itself, so it is read from flags and the environment only.
    case configFile = "debrief.config"

    /// The top-level YAML mapping a key sits in; each is read through a reader scoped to it.
    public enum Section: String, Sendable, CaseIterable {
        case slack
        case teams
        case debrief
    }

    public var section: Section {
        Section.allCases.first { rawValue.hasPrefix($0.rawValue + ".") } ?? .debrief
    }

    /// The key inside its section (`signingSecret` for `slack.signingSecret`).
    public var name: String {
        String(rawValue.dropFirst(section.rawValue.count + 1))
    }

    /// The key in the YAML file; nil for the file's own path.
    public var yamlKey: String? { self == .configFile ? nil : rawValue }

    /// The environment variable operators set: Microsoft's own names for the Teams app's credentials (what the
    /// Azure portal and every Bot Framework sample call them), otherwise ``encodedEnvironmentName``.
    /// `DebriefConfiguration.load` copies a set Microsoft name to the encoded one the provider looks up.
    public var environmentName: String {
        switch self {
        case .teamsAppID: "MicrosoftAppId"
        case .teamsAppPassword: "MicrosoftAppPassword"
        case .teamsTenantID: "MicrosoftAppTenantId"
        case .teamsAppType: "MicrosoftAppType"
        case .teamsOpenIDMetadataURL: "DEBRIEF_TEAMS_OPENID_METADATA_URL"
        case .teamsTokenURL: "DEBRIEF_TEAMS_TOKEN_URL"
        case .teamsIssuer: "DEBRIEF_TEAMS_ISSUER"
        case .teamsTokenScope: "DEBRIEF_TEAMS_TOKEN_SCOPE"
        case .teamsServiceURL: "DEBRIEF_TEAMS_SERVICE_URL"
        case .teamsSendRate: "DEBRIEF_TEAMS_SEND_RATE"
        case .teamsAdminUsers: "DEBRIEF_TEAMS_ADMIN_USERS"
        default: encodedEnvironmentName
        }
    }

    /// `SLACK_SIGNING_SECRET` for `slack.signingSecret`: the name swift-configuration's
    /// `EnvironmentVariablesProvider` looks up (sections and camel-case words joined by `_`, upper-cased).
    public var encodedEnvironmentName: String {
        var words: [String] = []
        for component in [section.rawValue, name] {
            var word = ""
            var previousIsLowercase = false
            for character in component {
                if previousIsLowercase && character.isUppercase {
                    words.append(word)
                    word = ""
                }
                word.append(character)
                previousIsLowercase = character.isLowercase
            }
            words.append(word)
        }
        return words.map { $0.uppercased() }.joined(separator: "_")
    }

    /// Secrets are read with `isSecret` and redacted by the environment provider.
    public var isSecret: Bool { documentation.isSecret }

    /// The command-line flag that sets the key, if there is one.
    public var flag: String? { documentation.flag }

    /// What applies when the key is unset, as the README says it (Markdown).
    public var defaultDescription: String { documentation.defaultValue }

    /// What the key does and the form it takes, as the README says it (Markdown).
    public var meaning: String { documentation.meaning }

    /// What the README says about one key.
    struct Documentation {
        var defaultValue: String
        var meaning: String
        var flag: String? = nil
        var isSecret = false
    }

    var documentation: Documentation {
        switch self {
        case .slackSigningSecret:
            Documentation(
                defaultValue: "—",
                meaning: "Slack app signing secret; with the token, turns the Slack endpoint on", isSecret: true)
        case .slackBotToken:
            Documentation(defaultValue: "—", meaning: "bot token `xoxb-…`", isSecret: true)
        case .slackAPIURL:
            Documentation(
                defaultValue: "`\(SlackConfiguration.defaultAPIURL)`",
                meaning: "Web API base (GovSlack, or a local fake in tests)")
        case .teamsAppID:
            Documentation(
                defaultValue: "—",
                meaning: "the Azure Bot's Microsoft App ID; with the password, turns the Teams endpoint "
                    + "`/api/messages` on")
        case .teamsAppPassword:
            Documentation(defaultValue: "—", meaning: "the app registration's client secret", isSecret: true)
        case .teamsTenantID:
            Documentation(
                defaultValue: "—", meaning: "the bot's home tenant (Directory ID); required for `SingleTenant`")
        case .teamsAppType:
            Documentation(
                defaultValue: "`SingleTenant`",
                meaning: "`SingleTenant`, or `MultiTenant` for bots registered before August 2025")
        case .teamsOpenIDMetadataURL:
            Documentation(
                defaultValue: "`\(TeamsConfiguration.defaultOpenIDMetadataURL)`",
                meaning: "where Bot Framework signing keys are published (sovereign clouds, a local fake)")
        case .teamsTokenURL:
            Documentation(
                defaultValue: "`\(TeamsConfiguration.defaultTokenURL)`",
                meaning: "Entra token endpoint base for the bot's own token (sovereign clouds, a local fake)")
        case .teamsIssuer:
            Documentation(
                defaultValue: "`\(TeamsConfiguration.defaultIssuer)`",
                meaning: "who signs Teams' requests (`https://api.botframework.us` in US Government clouds)")
        case .teamsTokenScope:
            Documentation(
                defaultValue: "`\(TeamsConfiguration.defaultTokenScope)`",
                meaning: "what the bot's own token is for (`https://api.botframework.us/.default` in US Government "
                    + "clouds)")
        case .teamsServiceURL:
            Documentation(
                defaultValue: "`\(TeamsConfiguration.defaultServiceURL)`",
                meaning: "Bot Connector for people and channels not heard from yet (each activity's own "
                    + "`serviceUrl` wins)")
        case .teamsSendRate:
            Documentation(
                defaultValue: "`\(ConfigurationText.plain(TeamsConfiguration.defaultSendRate))`",
                meaning: "Teams messages per second per tenant from each process (0.001–1000; Teams allows about 50): "
                    + "with several replicas, give each its share")
        case .teamsAdminUsers:
            Documentation(
                defaultValue: "—",
                meaning: "Entra object ids (comma-separated) allowed to run `debrief training …` in Teams")
        case .databaseURL:
            Documentation(
                defaultValue: "`debrief.sqlite` in the working directory",
                meaning: "`sqlite:///abs/path.sqlite`, `sqlite::memory:`, a path, or "
                    + "`postgres://user:password@host:5432/db?sslmode=require` for several replicas (sslmode `disable`, "
                    + "`prefer`, `require`, `verify-ca` or `verify-full`); a secret, as it carries the password",
                flag: "--database-url", isSecret: true)
        case .databasePool:
            Documentation(
                defaultValue: "`\(DatabaseURL.defaultPoolSize)`",
                meaning: "PostgreSQL connections per replica (1–200)")
        case .jobLease:
            Documentation(
                defaultValue: "`\(DebriefConfiguration.defaultJobLeaseSeconds)`",
                meaning: "seconds a claimed job stays reserved for the process that claimed it (10–3600): when a "
                    + "process dies mid-job, another one (a replica, the restarted server) takes the job over after "
                    + "this; keep it above the slowest job")
        case .host:
            Documentation(
                defaultValue: "`\(HTTPConfiguration.defaultHost)`", meaning: "listen address", flag: "--host")
        case .port:
            Documentation(
                defaultValue: "`\(HTTPConfiguration.defaultPort)`", meaning: "listen port (`0` picks a free one)",
                flag: "--port")
        case .pseudonymKey:
            Documentation(
                defaultValue: "generated once, kept in the database",
                meaning: "secret (≥ 16 characters) for keyed-hash pseudonyms and the encryption of stored Slack IDs; "
                    + "set it in production (and keep it stable) so a copy of the database alone cannot re-identify "
                    + "anyone",
                isSecret: true)
        case .promptsDirectory:
            Documentation(defaultValue: "`./prompts`, else beside the executable", meaning: "the editable texts")
        case .logLevel:
            Documentation(defaultValue: "`\(DebriefConfiguration.defaultLogLevel)`", meaning: "`trace` … `critical`")
        case .adminUsers:
            Documentation(
                defaultValue: "—", meaning: "Slack user ids allowed to run `/debrief` (comma-separated)")
        case .adminTokens:
            Documentation(
                defaultValue: "—",
                meaning: "bearer tokens for `/api/v1/…` (comma-separated, ≥ 16 characters each)", isSecret: true)
        case .timeZone:
            Documentation(
                defaultValue: "`UTC`",
                meaning: "organisation zone, an IANA name such as `Europe/Berlin`: for people without a Slack zone "
                    + "and admin-entered times")
        case .holidays:
            Documentation(
                defaultValue: "—",
                meaning: "`2026-12-24,2026-12-25`: no nudges on these local dates (`YYYY-MM-DD`, real days only)")
        case .slackSendRate:
            Documentation(
                defaultValue: "`\(ConfigurationText.plain(SlackConfiguration.defaultSendRate))`",
                meaning: "nudge DMs per second per workspace from each process (0.001–1000): with several replicas, "
                    + "give each its share of the workspace's budget")
        case .maxNudgesPerWeek:
            Documentation(
                defaultValue: "`\(NudgeConfiguration.defaultMaximumPerWeek)`", meaning: "per person, across trainings")
        case .habitInterval:
            Documentation(
                defaultValue: "`2w`",
                meaning: "how often people who said yes after their last training get the light recurring prompt: "
                    + "`14d`, `2w` or days (7–182)")
        case .maxParticipants:
            Documentation(
                defaultValue: "`\(NudgeConfiguration.defaultMaximumParticipants)`",
                meaning: "most people in one training (1–1,000,000); longer lists are refused, larger groups stop "
                    + "the training")
        case .roleGroups:
            Documentation(defaultValue: "—", meaning: "`leader=S01,manager=S02` Slack user groups")
        case .teamGroups:
            Documentation(defaultValue: "—", meaning: "`Sales=S10,Support=S11`")
        case .leadershipChannel:
            Documentation(
                defaultValue: "—", meaning: "channel id for the org-wide digest, optionally `@MON 08:30`")
        case .teamChannels:
            Documentation(defaultValue: "—", meaning: "`Sales=C20,Support=C21@TUE 10:00 America/New_York`")
        case .teamsLeadershipChannel:
            Documentation(
                defaultValue: "—",
                meaning: "Teams channel id (`19:…@thread.tacv2`) for the org-wide digest, optionally `@MON 08:30`; "
                    + "with `DEBRIEF_LEADERSHIP_CHANNEL` both get it")
        case .teamsTeamChannels:
            Documentation(
                defaultValue: "—", meaning: "team digests in Teams channels: `Sales=19:…@thread.tacv2@TUE 10:00`")
        case .digestTime:
            Documentation(
                defaultValue: "`MON 09:00`",
                meaning: "when digests are posted: `MON`–`SUN`, `HH:MM` (00:00–23:59), optionally an IANA zone "
                    + "(else the organisation's), unless a target has its own")
        case .anonymityThreshold:
            Documentation(
                defaultValue: "`\(PrivacyConfiguration.defaultAnonymityThreshold)`",
                meaning: "k: how many people who reflected a group needs before a digest shows any number, trend or "
                    + "quote about it (at least 3)")
        case .quoteThreshold:
            Documentation(
                defaultValue: "`\(PrivacyConfiguration.defaultQuoteThreshold)`",
                meaning: "k for quotes: how many people who reflected a group needs before a digest quotes it (no "
                    + "smaller than k)")
        case .noiseEpsilon:
            Documentation(
                defaultValue: "off",
                meaning: "geometric noise on counts (ε from 0.01 to 100; smaller is more noise)")
        case .publicURL:
            Documentation(defaultValue: "`http://<host>:<port>`", meaning: "base of digest page links")
        case .digestLinkSecret:
            Documentation(
                defaultValue: "derived from the pseudonym key", meaning: "signs digest page links", isSecret: true)
        case .digestLinkDays:
            Documentation(
                defaultValue: "`\(DigestConfiguration.defaultLinkDays)`",
                meaning: "how long a digest page link keeps working (1–365 days)")
        case .clockStart:
            Documentation(
                defaultValue: "off",
                meaning: "simulated time, testing only: the server's clock starts at this instant, written with `Z` "
                    + "or an offset")
        case .clockSpeed:
            Documentation(
                defaultValue: "`1`",
                meaning: "simulated time, testing only: how many times faster than real time the clock runs "
                    + "(0.001–100000); set alone, the simulated clock starts now")
        case .configFile:
            Documentation(defaultValue: "—", meaning: "YAML configuration file", flag: "--config")
        }
    }

    /// Environment variables setting `values`, for starting a server process (`debrief-bench`).
    package static func environment(_ values: [ConfigurationKey: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.environmentName, $0.value) })
    }

    /// The environment with Microsoft's names (`MicrosoftAppId`) also under the names the provider looks up
    /// (`TEAMS_MICROSOFT_APP_ID`); an encoded name set explicitly wins.
    package static func aliasingMicrosoftNames(in environment: [String: String]) -> [String: String] {
        var environment = environment
        for key in allCases where key.environmentName != key.encodedEnvironmentName {
            if let value = environment[key.environmentName], environment[key.encodedEnvironmentName] == nil {
                environment[key.encodedEnvironmentName] = value
            }
        }
        return environment
    }

    /// The README's configuration table, one row per key in catalogue order.
    public static var readmeTable: String {
        var lines = [
            "| Environment | YAML key | Flag | Default | Meaning |",
            "| --- | --- | --- | --- | --- |",
        ]
        for key in allCases {
            let cells = [
                "`\(key.environmentName)`", key.yamlKey.map { "`\($0)`" } ?? "", key.flag.map { "`\($0)`" } ?? "",
                key.defaultDescription, key.meaning,
            ]
            lines.append("|" + cells.map { $0.isEmpty ? " " : " \($0) " }.joined(separator: "|") + "|")
        }
        return lines.joined(separator: "\n")
    }
}
