import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization
import UnixSignals

/// What the application is built from besides configuration: the things tests and benchmarks replace.
public struct DebriefDependencies: Sendable {
    /// Outbound HTTP; the curl client in production. It is run as a service when it is one.
    public var httpClient: any HTTPClient
    /// The clock every timestamp, signature window, schedule and lease uses, and that background loops sleep
    /// on (``ServerClock``): the wall clock, a simulated one, or a ``ManualClock`` in tests and the demo.
    public var clock: any ServerClock
    /// Reads ``clock``, for code that only needs the time.
    public var now: @Sendable () -> Date {
        let clock = self.clock
        return { clock.now() }
    }
    /// The registry `/metrics` serves (the one the executable bootstrapped swift-metrics with).
    public var metricsRegistry: PrometheusCollectorRegistry?
    public var logger: Logger
    /// Called with the bound port once the server listens (port 0 binds an ephemeral port).
    public var onServerRunning: @Sendable (Int) async -> Void

    public init(
        httpClient: any HTTPClient, clock: any ServerClock = DebriefClock(),
        metricsRegistry: PrometheusCollectorRegistry? = nil, logger: Logger = Logger(label: "debrief"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.httpClient = httpClient
        self.clock = clock
        self.metricsRegistry = metricsRegistry
        self.logger = logger
        self.onServerRunning = onServerRunning
    }
}

/// The assembled server and the store it uses (the tests and `debrief demo` inspect the store).
public struct DebriefApplication: Sendable {
    public let application: Application<RouterResponder<BasicRequestContext>>
    public let store: any DebriefDataStore
    let logger: Logger
    /// Nil without a chat platform.
    let digestScheduler: DigestScheduler?

    /// One pass of the digest scheduler at the clock's current time; returns how many digest jobs were new.
    /// Why: a test (or the demo) that advanced a manual clock shows "nothing is due yet" with one pass instead
    /// of sleeping to give the scheduler a chance.
    @discardableResult
    public func enqueueDueDigests() async throws -> Int {
        try await digestScheduler?.tick() ?? 0
    }

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

/// Builds the whole server from configuration; `debrief serve`, `debrief demo` and the tests call it (the
/// benchmarks run `debrief serve` as a separate process).
///
/// Opens the ``DebriefRuntime`` (store and its migrations, prompts, pseudonym key, platforms), then composes
/// the features on it.
public func buildApplication(_ configuration: DebriefConfiguration, dependencies: DebriefDependencies)
    async throws -> DebriefApplication
{
    let runtime = try await DebriefRuntime.open(
        configuration, httpClient: dependencies.httpClient, now: dependencies.now, logger: dependencies.logger)
    return buildApplication(runtime, dependencies: dependencies)
}

/// Composes the server from its features. The HTTP server starts last and stops first, so in-flight
/// background work drains before the HTTP client shuts down.
/// `runtime.now` must read `dependencies.clock`: background loops sleep on the clock, handlers read the time
/// through the runtime.
public func buildApplication(_ runtime: DebriefRuntime, dependencies: DebriefDependencies) -> DebriefApplication {
    let configuration = runtime.configuration
    let logger = runtime.logger
    if configuration.privacy.pseudonymKey == nil {
        logger.warning("\(DebriefConfiguration.pseudonymKeyNotConfiguredSentence)")
    }
    if runtime.platforms.isEmpty { logger.warning("\(DebriefConfiguration.slackNotConfiguredSentence)") }
    let background = BackgroundWork(logger: logger)
    let boundPort = BoundPort(configuration.http.port)
    let wake = WakeBox()
    let trainings = TrainingsFeature(runtime: runtime, wake: wake)
    let digests = DigestsFeature(
        runtime: runtime, background: background,
        publicURL: { configuration.digests.publicURL ?? "http://\(configuration.http.host):\(boundPort.value)" },
        wake: wake, clock: dependencies.clock)
    let reflections = ReflectionService(store: runtime.store, pseudonymizer: runtime.pseudonymizer, now: runtime.now)
    let features: [any ServerFeature] =
        [
            OperationsRoutes(store: runtime.store, registry: dependencies.metricsRegistry),
            SlackFeature(
                runtime: runtime, reflections: reflections, background: background, trainings: trainings,
                digests: digests),
            TeamsFeature(
                runtime: runtime, reflections: reflections, background: background, trainings: trainings,
                digests: digests),
            AdminAPI(runtime: runtime, trainings: trainings), digests,
        ] + (trainings.map { [$0] } ?? [])

    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware())
    for feature in features { feature.register(on: router) }
    let onServerRunning = dependencies.onServerRunning
    var application = Application(
        router: router,
        configuration: configuration.http.application,
        onServerRunning: { channel in
            boundPort.value = channel.localAddress?.port ?? configuration.http.port
            await onServerRunning(boundPort.value)
        },
        logger: logger)
    if let service = dependencies.httpClient as? any Service { application.addServices(service) }
    application.addServices(background)
    let handlers = features.reduce(into: [JobKind: any JobHandler]()) { $0.merge($1.jobHandlers) { first, _ in first } }
    if !handlers.isEmpty {
        let worker = JobWorker(
            queue: runtime.store, handlers: handlers,
            // Leases are compared with the server's clock: under a simulated clock running N times faster, a
            // lease must be N times longer to last the same real time.
            // One participant resolution at a time: it is CPU-heavy (planning thousands of people), and two
            // of them could occupy both threads of a 2-core machine's cooperative pool.
            configuration: .init(
                maximumConcurrency: 16,
                lease: .seconds(
                    Double(configuration.jobLeaseSeconds) * max(1, configuration.clockSimulation?.speed ?? 1)),
                concurrencyByKind: [.trainingResolve: 1]),
            logger: logger, clock: dependencies.clock)
        wake.worker = worker
        application.addServices(worker)
        // Several replicas (PostgreSQL): work another replica queued wakes this worker at once.
        if let arrivals = runtime.store as? any JobArrivals {
            application.addServices(JobArrivalsService(arrivals: arrivals, wake: wake))
        }
    }
    for feature in features { application.addServices(feature.services) }
    return DebriefApplication(
        application: application, store: runtime.store, logger: logger, digestScheduler: digests.scheduler)
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
