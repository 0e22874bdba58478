import DebriefCore
import DebriefHTTP
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals
import Synchronization

/// What the application is built from besides configuration: the things tests and benchmarks replace.
public struct DebriefDependencies: Sendable {
    /// Outbound HTTP; the curl client in production. It is run as a service when it is one.
    public var httpClient: any HTTPClient
    /// The clock every timestamp and signature window uses.
    public var now: @Sendable () -> Date
    /// The registry `/metrics` serves (the one the executable bootstrapped swift-metrics with).
    public var metricsRegistry: PrometheusCollectorRegistry?
    public var logger: Logger
    /// Called with the bound port once the server listens (port 0 binds an ephemeral port).
    public var onServerRunning: @Sendable (Int) async -> Void
    /// How often the job worker looks for due jobs (real time).
    public var jobPollInterval: Duration = .milliseconds(200)
    /// How often (real time) the digest scheduler checks whether a weekly digest is due.
    public var digestTick: Duration = .seconds(5)

    public init(
        httpClient: any HTTPClient, now: @escaping @Sendable () -> Date = { Date() },
        metricsRegistry: PrometheusCollectorRegistry? = nil, logger: Logger = Logger(label: "debrief"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.httpClient = httpClient
        self.now = now
        self.metricsRegistry = metricsRegistry
        self.logger = logger
        self.onServerRunning = onServerRunning
    }
}

/// The assembled server and the store it uses (tests and `debrief bench` inspect the store).
public struct DebriefApplication: Sendable {
    public let application: Application<RouterResponder<BasicRequestContext>>
    public let store: any DebriefDataStore
    let logger: Logger

    /// Runs until SIGTERM or SIGINT, then stops accepting, drains in-flight work and returns.
    ///
    /// Every service stops on its own within a few seconds (the job worker gives running jobs a 2-second
    /// grace, then cancels them and puts them back in the queue); should one not, the group cancels
    /// everything after ``maximumShutdown``, so an orchestrator's SIGKILL (10–30 s later) never finds work
    /// half-recorded.
    public func runUntilSignalled() async throws {
        var configuration = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = Self.maximumShutdown
        try await ServiceGroup(configuration: configuration).run()
    }

    /// How long graceful shutdown may take before the remaining work is cancelled.
    public static let maximumShutdown = Duration.seconds(4)
}

/// Builds the whole server from configuration; `debrief serve`, the tests and the benchmark all call it.
///
/// Opens and migrates the store, loads and validates `prompts/` (refusing to start on a broken file),
/// resolves the pseudonym key, and registers routes and background services. The HTTP server starts
/// last and stops first, so in-flight background work drains before the HTTP client shuts down.
public func buildApplication(_ configuration: DebriefConfiguration, dependencies: DebriefDependencies)
    async throws -> DebriefApplication
{
    let logger = dependencies.logger
    let store = try configuration.openStore()
    try await store.migrate()
    let promptsDirectory = try PromptLocation.resolve(configuration.promptsDirectory)
    let promptIssues = PromptCheck.run(directory: promptsDirectory)
    guard promptIssues.isEmpty else { throw PromptError(issues: promptIssues) }
    let prompts = try PromptLibrary.load(from: promptsDirectory)
    let nudges = try NudgeLibrary.load(from: promptsDirectory)
    let digestTemplates = try DigestTemplates.load(from: promptsDirectory)
    let pseudonymKey = try await store.pseudonymKey()
    if configuration.pseudonymKey == nil {
        logger.warning("\(DebriefConfiguration.pseudonymKeyNotConfiguredSentence)")
    }
    let reflections = ReflectionService(
        store: store, pseudonymizer: Pseudonymizer(secret: pseudonymKey), now: dependencies.now)
    let background = BackgroundWork(logger: logger)

    let boundPort = BoundPort(configuration.port)
    let digestService = DigestService(
        store: store, templates: digestTemplates,
        settings: PrivacySettings(
            k: configuration.anonymityThreshold, kQuotes: configuration.quoteThreshold,
            noiseEpsilon: configuration.noiseEpsilon),
        linkSecret: configuration.digestLinkSecret ?? "digest-links:" + pseudonymKey,
        publicURL: { configuration.publicURL ?? "http://\(configuration.host):\(boundPort.value)" },
        linkLifetime: configuration.digestLinkLifetime)
    var slackEndpoint: SlackEndpoint?
    var trainingFeatures: TrainingFeatures?
    var worker: JobWorker?
    var digestScheduler: DigestScheduler?
    var slackAPI: SlackWebAPIClient?
    if let slack = configuration.slack {
        let api = SlackWebAPIClient(
            http: dependencies.httpClient, baseURL: configuration.slackAPIURL, token: slack.botToken, logger: logger)
        slackAPI = api
        let rules = CalendarRules(
            defaultTimeZone: configuration.organisationTimeZone,
            holidays: Set(configuration.holidays.compactMap { LocalDate($0) }),
            maximumPerWeek: configuration.maximumNudgesPerWeek)
        let scheduler = NudgeScheduler(store: store, nudges: nudges, rules: rules, logger: logger)
        // Nudge sends do not sleep through a 429 inside the client: the bucket pause makes every sender wait.
        var sendAPI = api
        sendAPI.retryPolicy.maximumRetryAfter = .zero
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: configuration.slackSendRatePerSecond, burst: 1))
        let wake = WakeBox()
        let digestNames = DigestDirectory(api: api, background: background)
        let makeID: @Sendable () -> String = { UUID().uuidString.lowercased() }
        let registrar = TrainingRegistrar(
            store: store, nudges: nudges, now: dependencies.now, makeID: makeID,
            maximumParticipants: configuration.maximumParticipants)
        let handlers: [String: any JobHandler] = [
            NudgeJobKey.kind: NudgeSendHandler(
                scheduler: scheduler, store: store, api: sendAPI, limiter: limiter, now: dependencies.now,
                makeID: makeID, logger: logger),
            TrainingRegistrar.resolveKind: TrainingResolveHandler(
                store: store, api: api, pseudonymizer: Pseudonymizer(secret: pseudonymKey), scheduler: scheduler,
                now: dependencies.now, logger: logger, onScheduled: { wake.wake() },
                maximumParticipants: configuration.maximumParticipants),
            DigestScheduler.jobKind: DigestPostHandler(
                service: digestService, store: store, api: api, now: dependencies.now, makeID: makeID, logger: logger,
                directory: DirectorySync(
                    store: store, api: api, pseudonymizer: Pseudonymizer(secret: pseudonymKey),
                    roleGroups: configuration.roleGroups, teamGroups: configuration.teamGroups, logger: logger),
                names: digestNames, targets: DigestTarget.targets(from: configuration)),
        ]
        let jobWorker = JobWorker(
            queue: store, handlers: handlers,
            // Leases are compared with the server's clock: under a simulated clock running N times faster, a
            // lease must be N times longer to last the same real time.
            // One participant resolution at a time: it is CPU-heavy (planning thousands of people), and two
            // of them could occupy both threads of a 2-core machine's cooperative pool.
            configuration: .init(
                pollInterval: dependencies.jobPollInterval, maximumConcurrency: 16,
                lease: .seconds(300 * max(1, configuration.clockSimulation?.speed ?? 1)),
                concurrencyByKind: [TrainingRegistrar.resolveKind: 1]),
            logger: logger, now: dependencies.now)
        wake.worker = jobWorker
        worker = jobWorker
        let features = TrainingFeatures(
            store: store, registrar: registrar, scheduler: scheduler, nudges: nudges,
            adminUserIDs: configuration.adminUserIDs, organisationTimeZone: configuration.organisationTimeZone,
            wakeWorker: { wake.wake() })
        trainingFeatures = features
        digestScheduler = DigestScheduler(
            store: store, targets: DigestTarget.targets(from: configuration), configuration: configuration,
            now: dependencies.now, tick: dependencies.digestTick, logger: logger, wakeWorker: { wake.wake() })
        slackEndpoint = SlackEndpoint(
            signingSecret: slack.signingSecret, reflections: reflections, store: store, api: api, prompts: prompts,
            background: background, now: dependencies.now, logger: logger, trainings: features,
            digests: digestService, digestNames: digestNames, organisationTimeZone: configuration.organisationTimeZone)
    } else {
        logger.warning("\(DebriefConfiguration.slackNotConfiguredSentence)")
    }

    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware())
    OperationsRoutes(store: store, registry: dependencies.metricsRegistry).register(on: router)
    SlackRoutes(endpoint: slackEndpoint, maximumBodyBytes: configuration.maximumBodyBytes).register(on: router)
    AdminRoutes(authenticator: AdminAuthenticator(tokens: configuration.adminTokens), features: trainingFeatures)
        .register(on: router)
    RoleRoutes(
        authenticator: AdminAuthenticator(tokens: configuration.adminTokens), store: store, api: slackAPI,
        pseudonymizer: Pseudonymizer(secret: pseudonymKey), roleLevelsFromGroups: !configuration.roleGroups.isEmpty,
        teamsFromGroups: !configuration.teamGroups.isEmpty, now: dependencies.now
    ).register(on: router)
    DigestPageRoutes(service: digestService, now: dependencies.now).register(on: router)

    let onServerRunning = dependencies.onServerRunning
    var application = Application(
        router: router,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "debrief"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            boundPort.value = port
            await onServerRunning(port)
        },
        logger: logger)
    if let service = dependencies.httpClient as? any Service {
        application.addServices(service)
    }
    application.addServices(background)
    if let worker { application.addServices(worker) }
    if let digestScheduler { application.addServices(digestScheduler) }
    return DebriefApplication(application: application, store: store, logger: logger)
}

/// Finds the `prompts/` directory: the configured one, else `./prompts`, else beside the executable.
enum PromptLocation {
    static func resolve(_ configured: String?) throws -> URL {
        if let configured {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        if let found = PromptLibrary.locateDefaultDirectory() { return found }
        throw ConfigurationError.missing(
            key: "DEBRIEF_PROMPTS_DIR",
            hint: "no prompts/ folder in the working directory or beside the executable; point this at one")
    }
}

/// Lets closures created before the worker wake it once it exists.
final class WakeBox: Sendable {
    private let target = Mutex<JobWorker?>(nil)

    var worker: JobWorker? {
        get { target.withLock { $0 } }
        set { target.withLock { $0 = newValue } }
    }

    func wake() { worker?.wake() }
}

/// The port the server actually listens on (differs from the configured one when that is 0).
final class BoundPort: Sendable {
    private let storage: Mutex<Int>

    init(_ port: Int) { storage = Mutex(port) }

    var value: Int {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
