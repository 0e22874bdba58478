import Configuration
import DebriefCore
import DebriefStore
import Foundation
import SystemPackage

/// Everything `debrief serve` needs, read once at start and validated before anything listens.
///
/// Sources, highest precedence first: command-line flags, environment variables, the YAML file named by
/// `DEBRIEF_CONFIG` (or `--config`). Every key — its environment name, YAML key, flag, default and meaning —
/// is listed once, in ``ConfigurationKey`` (which the README's table is checked against).
///
/// Each feature reads its own slice: ``http``, ``slack``, ``nudges``, ``digests``, ``privacy``. What every
/// part of the process shares stays here: the database and the prompts (opened before any feature is built),
/// the log level (set up by the executable before anything else), the simulated clock (the whole process
/// runs on it), and the organisation's time zone (nudges, digests and admin-entered times all use it).
public struct DebriefConfiguration: Sendable {
    public static let defaultLogLevel = "info"
    /// `DEBRIEF_CLOCK_SPEED`: at 100,000× a year passes in about five real minutes; faster only overflows.
    package static let clockSpeeds: ClosedRange<Double> = 0.001...100_000
    /// `DEBRIEF_JOB_LEASE`: the job worker's lease, in real seconds (scaled by a simulated clock's speed).
    public static let defaultJobLeaseSeconds = 300
    package static let jobLeaseSeconds: ClosedRange<Int> = 10...3600
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public var http: HTTPConfiguration
    public var slack: SlackConfiguration
    public var teams: TeamsConfiguration
    public var nudges: NudgeConfiguration
    public var digests: DigestConfiguration
    public var privacy: PrivacyConfiguration
    /// `DEBRIEF_DATABASE_URL`.
    public var database: DatabaseURL
    /// `DEBRIEF_PROMPTS_DIR`; nil means `./prompts`, else the one beside the executable.
    public var promptsDirectory: String?
    /// `DEBRIEF_LOG_LEVEL`, lower-cased: one of `trace` … `critical`.
    public var logLevel: String
    /// `DEBRIEF_CLOCK_START` / `DEBRIEF_CLOCK_SPEED`: simulated time for demos and acceptance tests; nil means
    /// the wall clock.
    public var clockSimulation: DebriefClock.Simulation?
    /// `DEBRIEF_JOB_LEASE`: how long (real seconds) a job claim lasts before another process may take the job over.
    /// Why configurable: the default five minutes is the whole delay a crash adds; the multi-process benchmark
    /// (`debrief bench replicas`) shortens it so a killed replica's jobs are taken over within its run.
    public var jobLeaseSeconds: Int
    /// `DEBRIEF_TIMEZONE`: the organisation's time zone, the default for people whose zone is unknown, for
    /// admin-entered times and for digest schedules that name none.
    public var organisationTimeZone: TimeZone

    public static let slackNotConfiguredSentence =
        "Slack is not configured: set \(ConfigurationKey.slackSigningSecret.environmentName) and "
        + "\(ConfigurationKey.slackBotToken.environmentName) (environment or config file) and restart debrief."
    public static let teamsNotConfiguredSentence =
        "Teams is not configured: set \(ConfigurationKey.teamsAppID.environmentName), "
        + "\(ConfigurationKey.teamsAppPassword.environmentName) and \(ConfigurationKey.teamsTenantID.environmentName) "
        + "(environment or config file) and restart debrief."

    /// Logged once at start when no pseudonym key is configured.
    public static let pseudonymKeyNotConfiguredSentence =
        "\(ConfigurationKey.pseudonymKey.environmentName) is not set: the pseudonym key was generated and is kept in "
        + "the database itself, so a copy of the database (a backup, a stolen disk) can link every reflection to a "
        + "Slack user. Set \(ConfigurationKey.pseudonymKey.environmentName) (openssl rand -hex 32) and keep it apart "
        + "from the database."

    /// Opens the configured database with the configured pseudonym key (or the one kept in the database).
    public func openStore() throws -> any DebriefDataStore {
        try database.openStore(pseudonymKey: PseudonymKeySource(configured: privacy.pseudonymKey))
    }

    public init(
        database: DatabaseURL = .defaultValue, promptsDirectory: String? = nil, logLevel: String = defaultLogLevel,
        clockSimulation: DebriefClock.Simulation? = nil, jobLeaseSeconds: Int = defaultJobLeaseSeconds,
        organisationTimeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt, http: HTTPConfiguration = .init(),
        slack: SlackConfiguration = .init(), teams: TeamsConfiguration = .init(), nudges: NudgeConfiguration = .init(),
        digests: DigestConfiguration = .init(), privacy: PrivacyConfiguration = .init()
    ) {
        self.database = database
        self.promptsDirectory = promptsDirectory
        self.logLevel = logLevel
        self.clockSimulation = clockSimulation
        self.jobLeaseSeconds = jobLeaseSeconds
        self.organisationTimeZone = organisationTimeZone
        self.http = http
        self.slack = slack
        self.teams = teams
        self.nudges = nudges
        self.digests = digests
        self.privacy = privacy
    }

    /// Reads and validates the configuration. Throws a ``ConfigurationError`` naming the key at fault.
    public init(reader config: ConfigReader) throws(ConfigurationError) {
        let source = ConfigurationSource(config)
        self.init()
        http = try HTTPConfiguration(reading: source)
        if let raw = source.text(.databaseURL) {
            database = try DatabaseURL(parsing: raw)
        }
        if let pool = try source.read(
            .databasePool,
            { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(text, in: 1...200, otherwise: "must be a whole number from 1 to 200")
            })
        {
            database = database.withPool(size: pool)
        }
        slack = try SlackConfiguration(reading: source)
        teams = try TeamsConfiguration(reading: source)
        privacy = try PrivacyConfiguration(reading: source)
        promptsDirectory = source.text(.promptsDirectory)
        organisationTimeZone = try source.read(.timeZone, as: TimeZone.self) ?? organisationTimeZone
        nudges = try NudgeConfiguration(reading: source)
        digests = try DigestConfiguration(reading: source)
        clockSimulation = try Self.clockSimulation(reading: source)
        jobLeaseSeconds =
            try source.read(.jobLease) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(
                    text, in: Self.jobLeaseSeconds,
                    otherwise: "must be a whole number of seconds from \(Self.jobLeaseSeconds.lowerBound) to "
                        + "\(Self.jobLeaseSeconds.upperBound)")
            } ?? jobLeaseSeconds
        logLevel =
            try source.read(.logLevel) { text throws(InvalidConfigurationValue) in
                guard Self.logLevels.contains(text.lowercased()) else {
                    throw InvalidConfigurationValue("must be one of \(Self.logLevels.joined(separator: ", "))")
                }
                return text.lowercased()
            } ?? logLevel
    }

    /// Nil unless `DEBRIEF_CLOCK_START` or `DEBRIEF_CLOCK_SPEED` is set; a speed alone starts the simulated
    /// clock now.
    private static func clockSimulation(reading source: ConfigurationSource) throws(ConfigurationError)
        -> DebriefClock.Simulation?
    {
        let start = try source.read(.clockStart) { text throws(InvalidConfigurationValue) in
            do throws(DateTimeInputError) {
                return try DateTimeInput.instant(text)
            } catch {
                throw InvalidConfigurationValue(error.reason)
            }
        }
        let speed = try source.read(.clockSpeed) { text throws(InvalidConfigurationValue) in
            try ConfigurationText.number(
                text, in: clockSpeeds, otherwise: "must be a number from \(words(clockSpeeds)), got '\(text)'")
        }
        guard start != nil || speed != nil else { return nil }
        return DebriefClock.Simulation(start: start ?? Date(), speed: speed ?? 1)
    }

    /// `0.001 to 1000`: a range as people write it (no `.0`, and no `Int(Double)` that could trap).
    package static func words(_ range: ClosedRange<Double>) -> String {
        ConfigurationText.words(range)
    }

    /// Builds the provider hierarchy: flags (keyed by YAML key), then environment, then the optional YAML file.
    public static func load(
        flags: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(ConfigurationError) -> DebriefConfiguration {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            flagValues[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(
                .string(value), isSecret: ConfigurationKey(rawValue: key)?.isSecret ?? false)
        }
        let environment = ConfigurationKey.aliasingMicrosoftNames(in: environment)
        let secrets = ConfigurationKey.allCases.filter(\.isSecret).flatMap {
            [$0.environmentName, $0.encodedEnvironmentName]
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific(Set(secrets))),
        ]
        let file = ConfigurationKey.configFile
        if let path = flags[file.rawValue] ?? environment[file.environmentName], !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .unreadableFile(
                    path: path, reason: "no such file (from \(file.environmentName) / \(file.flag ?? "--config"))")
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
