import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import DebriefTeams
import Foundation
import Logging

/// What every command opens once: the migrated store, the checked prompts, the pseudonym key, the clock and
/// the chat platforms. `debrief serve` builds its features on it; `digest preview`, `jobs`, `migrate` and
/// `demo` use the same one, so no command assembles these parts its own way.
///
/// Opening is the explicit start-up step: migrations run here, before any feature is built or any port is
/// bound, and a broken prompt file stops the start with the file and line at fault.
public struct DebriefRuntime: Sendable {
    public let configuration: DebriefConfiguration
    public let store: any DebriefDataStore
    /// The reflection form, replies and Home tab texts (`prompts/slack/`).
    public let prompts: PromptLibrary
    /// The nudge sequences and the words around a nudge.
    public let nudges: NudgeLibrary
    /// The digest templates (`prompts/digests/`), as the Slack adapter writes digests.
    let digestTemplates: DigestTemplates
    /// The key pseudonyms are made with (configured, or the one kept in the database).
    public let pseudonymKey: String
    public let now: @Sendable () -> Date
    public let logger: Logger
    /// Outbound HTTP (curl in production); run as a service by `serve` when it is one.
    public let httpClient: any HTTPClient
    /// Slack behind the port, when configured. Its inbound routes need the concrete adapter.
    public let slack: SlackChatPlatform?
    /// Teams behind the port, when configured (`MicrosoftAppId` and its password). Its inbound route needs the
    /// concrete adapter.
    public let teams: TeamsChatPlatform?
    /// The rotating questions and the free-text themes (`prompts/questions/`).
    public var questions: QuestionLibrary = .empty
    /// The habit's messages per platform (`prompts/slack/habit.yaml`, `prompts/teams/habit.yaml`).
    public internal(set) var habitTexts: [Platform: HabitTexts] = [:]

    public var pseudonymizer: Pseudonymizer { Pseudonymizer(secret: pseudonymKey) }

    /// Every connected platform, for the code that serves them all (nudges, digests, the directory).
    public var platforms: ChatPlatforms {
        ChatPlatforms((slack.map { [$0] } ?? []) + (teams.map { [$0] } ?? []))
    }

    /// Opens the store (migrating it), loads and checks `prompts/`, and connects the configured platforms.
    public static func open(
        _ configuration: DebriefConfiguration, httpClient: any HTTPClient, now: @escaping @Sendable () -> Date,
        logger: Logger
    ) async throws -> DebriefRuntime {
        let store = try await openStore(configuration)
        let promptsDirectory = try PromptLocation.resolve(configuration.promptsDirectory)
        var promptIssues = PromptCheck.run(directory: promptsDirectory)
        let nudges = try NudgeLibrary.load(from: promptsDirectory)
        if configuration.teams.credentials != nil {
            promptIssues += TeamsPromptCheck.run(directory: promptsDirectory, nudgeLocales: Set(nudges.messages.keys))
        }
        guard promptIssues.isEmpty else { throw PromptError(issues: promptIssues) }
        let digestTemplates = try SlackChatPlatform.digestTemplates(from: promptsDirectory)
        var slack: SlackChatPlatform?
        if let settings = configuration.slack.credentials {
            let api = SlackWebAPIClient(
                http: httpClient, baseURL: configuration.slack.apiURL, token: settings.botToken, logger: logger)
            slack = SlackChatPlatform(api: api, templates: digestTemplates)
        }
        let teams = try configuration.teams.credentials.map { credentials in
            try connectTeams(
                configuration.teams, credentials: credentials, promptsDirectory: promptsDirectory,
                nudgeLocales: Set(nudges.messages.keys), store: store, httpClient: httpClient, now: now, logger: logger)
        }
        var runtime = DebriefRuntime(
            configuration: configuration, store: store, prompts: try PromptLibrary.load(from: promptsDirectory),
            nudges: nudges, digestTemplates: digestTemplates,
            pseudonymKey: try await store.pseudonymKey(),
            now: now, logger: logger, httpClient: httpClient, slack: slack, teams: teams,
            questions: try QuestionLibrary.load(from: promptsDirectory))
        runtime.habitTexts = try HabitTexts.loadAll(from: promptsDirectory)
        return runtime
    }

    /// The Teams adapter: the bot's token from Entra, the Bot Connector client, the Teams texts and templates.
    static func connectTeams(
        _ settings: TeamsConfiguration, credentials: TeamsConfiguration.Credentials, promptsDirectory: URL,
        nudgeLocales: Set<String>, store: any DebriefDataStore, httpClient: any HTTPClient,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) throws -> TeamsChatPlatform {
        let bot = BotCredentials(
            appID: credentials.appID, password: credentials.password, tenantID: credentials.tenantID,
            appType: credentials.appType == .multiTenant ? .multiTenant : .singleTenant)
        let tokens = BotTokenProvider(
            credentials: bot, http: httpClient, tokenBaseURL: settings.tokenURL, scope: settings.tokenScope,
            logger: logger, now: now)
        let connector = BotConnectorClient(
            http: httpClient, tokens: tokens,
            rateLimiter: BotConnectorClient.makeRateLimiter(
                rate: .init(perSecond: settings.sendRatePerSecond, burst: 5)),
            defaultTenantID: credentials.tenantID ?? "default", logger: logger, now: now)
        return TeamsChatPlatform(
            connector: connector, credentials: bot, defaultServiceURL: settings.serviceURL,
            texts: try TeamsTexts.load(from: promptsDirectory, requiredNudgeLocales: nudgeLocales),
            templates: try TeamsChatPlatform.digestTemplates(from: promptsDirectory),
            channels: { (try? await store.channels(platform: .teams)) ?? [] }, logger: logger)
    }

    /// Opens the configured store and applies its migrations: the first step of every command, and all that
    /// `debrief migrate` and `debrief jobs` need (they run without prompts or platforms).
    public static func openStore(_ configuration: DebriefConfiguration) async throws -> any DebriefDataStore {
        let store = try configuration.openStore()
        try await store.migrate()
        return store
    }

    /// Makes the ids of nudges and digests.
    let makeID: @Sendable () -> String = { UUID.systemRandom().lowercaseText }

    /// The anonymity rules every digest, receipt and preview follows.
    var privacySettings: PrivacySettings {
        PrivacySettings(
            k: configuration.privacy.anonymityThreshold, kQuotes: configuration.privacy.quoteThreshold,
            noiseEpsilon: configuration.privacy.noiseEpsilon)
    }

    /// Computes digests and signs their page links; `publicURL` is read when a link is made.
    func digestService(publicURL: @escaping @Sendable () -> String) -> DigestService {
        DigestService(
            store: store, settings: privacySettings,
            linkSecret: configuration.digests.linkSecret ?? "digest-links:" + pseudonymKey, publicURL: publicURL,
            linkLifetime: configuration.digests.linkLifetime, questions: questions)
    }
}

/// Finds the `prompts/` directory: the configured one, else `./prompts`, else beside the executable.
enum PromptLocation {
    static func resolve(_ configured: String?) throws -> URL {
        if let configured {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        if let found = PromptLibrary.locateDefaultDirectory() { return found }
        throw ConfigurationError.missing(
            key: ConfigurationKey.promptsDirectory.environmentName,
            hint: "no prompts/ folder in the working directory or beside the executable; point this at one")
    }
}
