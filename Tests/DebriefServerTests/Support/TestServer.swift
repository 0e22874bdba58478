import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefSlack
import DebriefStore
import DebriefStoreSQLite
import DebriefTestSupport
import Foundation
import HTTPTypes
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// Metrics are process-wide: the test process bootstraps them once, like the executable does.
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// `debrief serve`'s application running on an ephemeral loopback port against a fake Slack.
final class TestServer: Sendable {
    static let signingSecret = "reflectbot-test-signing-secret-01"
    static let botToken = "xoxb-test-bot-token"
    static let pseudonymKey = "test-pseudonym-key-0123456789"

    let port: Int
    let store: any DebriefDataStore
    let databasePath: String
    let slack: FakeSlack
    let clock: ManualClock
    let client: CurlHTTPClient
    let application: DebriefApplication
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(
        port: Int, store: any DebriefDataStore, databasePath: String, slack: FakeSlack, clock: ManualClock,
        client: CurlHTTPClient,
        application: DebriefApplication, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.port = port
        self.store = store
        self.databasePath = databasePath
        self.slack = slack
        self.clock = clock
        self.client = client
        self.application = application
        self.group = group
        self.task = task
    }

    static func temporaryDatabasePath() -> String {
        ScratchDirectory.make("debrief-e2e").appendingPathComponent("debrief.sqlite").path
    }

    static var promptsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("prompts").path
    }

    /// Starts the fake Slack and the server; `slackConfigured: false` starts without Slack secrets.
    static let adminToken = "admin-token-0123456789abcdef"
    static let adminUserID = "UADMIN01"

    static func start(
        slackConfigured: Bool = true, databasePath: String = temporaryDatabasePath(), logs: LogCapture? = nil,
        clockStart: Date = Date(), sendRate: Double = 50, configure: (inout DebriefConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        _ = TestMetrics.registry
        let slack = try await FakeSlack.start(token: botToken)
        let clock = ManualClock(clockStart)
        var configuration = DebriefConfiguration(
            database: .sqliteFile(path: databasePath), promptsDirectory: promptsDirectory,
            http: HTTPConfiguration(host: "127.0.0.1", port: 0),
            slack: SlackConfiguration(
                credentials: slackConfigured ? .init(signingSecret: signingSecret, botToken: botToken) : nil,
                apiURL: slack.baseURL),
            privacy: PrivacyConfiguration(pseudonymKey: pseudonymKey))
        configuration.slack.adminUserIDs = [adminUserID]
        configuration.http.adminTokens = [adminToken]
        configuration.organisationTimeZone = TimeZone(identifier: "Europe/Berlin") ?? .gmt
        configuration.slack.sendRatePerSecond = sendRate
        configure(&configuration)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = logs?.logger() ?? Logger(label: "debrief-test")
        if logs == nil { logger.logLevel = .warning }
        let client = CurlHTTPClient(logger: logger)
        let dependencies = DebriefDependencies(
            httpClient: client, clock: clock, metricsRegistry: TestMetrics.registry, logger: logger,
            onServerRunning: { port in portContinuation.yield(port) })
        let built = try await buildApplication(configuration, dependencies: dependencies)
        let group = ServiceGroup(
            configuration: .init(services: [built.application], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return TestServer(
            port: port, store: built.store, databasePath: databasePath, slack: slack, clock: clock, client: client,
            application: built, group: group, task: task)
    }

    /// Graceful shutdown, as SIGTERM does, then waits for the server to finish.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        await slack.stop()
    }

    var eventsURL: String { "http://127.0.0.1:\(port)/slack/events" }

    /// Sends a body signed like Slack does (timestamp from the server's clock unless given).
    func postSigned(
        _ body: String, contentType: String = "application/x-www-form-urlencoded", timestamp: Date? = nil,
        secret: String = TestServer.signingSecret, extraHeaders: [String: String] = [:], path: String = "/slack/events"
    ) async throws -> HTTPResponseData {
        let data = Data(body.utf8)
        let stamp = String(Int((timestamp ?? clock.now()).timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let name = HTTPField.Name("X-Slack-Request-Timestamp") { headers[name] = stamp }
        if let name = HTTPField.Name("X-Slack-Signature") {
            headers[name] = SlackSignatureVerifier(signingSecret: secret).sign(body: data, timestamp: stamp)
        }
        for (key, value) in extraHeaders {
            if let name = HTTPField.Name(key) { headers[name] = value }
        }
        return try await client.execute(
            HTTPRequestSpec(
                method: .post, url: "http://127.0.0.1:\(port)\(path)", headerFields: headers, body: data,
                timeout: .seconds(10)))
    }

    func get(_ path: String, token: String? = nil) async throws -> HTTPResponseData {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            HTTPRequestSpec(method: .get, url: "http://127.0.0.1:\(port)\(path)", headerFields: headers))
    }

    func postJSON(_ path: String, _ body: JSONValue, token: String? = TestServer.adminToken) async throws
        -> HTTPResponseData
    {
        try await sendJSON(.post, path, body.encoded(), token: token)
    }

    func putJSON(_ path: String, _ body: JSONValue, token: String? = TestServer.adminToken) async throws
        -> HTTPResponseData
    {
        try await sendJSON(.put, path, body.encoded(), token: token)
    }

    func sendJSON(_ method: HTTPRequest.Method, _ path: String, _ body: Data, token: String?) async throws
        -> HTTPResponseData
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            HTTPRequestSpec(method: method, url: "http://127.0.0.1:\(port)\(path)", headerFields: headers, body: body))
    }

    /// Waits until no job is due or running at the current simulated time.
    func settle(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let depth = try await store.queueDepth(now: clock.now())
            if depth.values.allSatisfy({ $0.pendingDue == 0 && $0.running == 0 }) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw SettleTimeout()
    }

    /// One digest-scheduler pass at the clock's current time, then ``settle(timeout:)``: afterwards whatever was
    /// due at this instant has run, so a test can assert that something did *not* happen without sleeping.
    func runDueWork() async throws {
        try await application.enqueueDueDigests()
        try await settle()
    }

    struct SettleTimeout: Error {}
}

extension HTTPResponseData {
    var text: String { String(decoding: body, as: UTF8.self) }

    var json: JSONValue? { try? JSONValue.decode(body) }
}
