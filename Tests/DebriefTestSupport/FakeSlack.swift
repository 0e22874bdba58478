import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A loopback stand-in for the Slack Web API and response URLs, for tests that go over real HTTP.
///
/// It answers in Slack's documented shapes (reference `slack.md` §6), checks the bearer token,
/// records every call for assertions, and can be told to fail the next call to a method the ways
/// Slack does (an error code, 429 with `Retry-After`, a 5xx, or a slow answer). Everything runs on
/// 127.0.0.1 with an ephemeral port, so tests can run in parallel.
public final class FakeSlack: Sendable {
    /// The token accepted unless a test adds others.
    public static let defaultToken = "xoxb-fake-token"
    /// The `method` recorded for posts to a response URL.
    public static let responseURLMethod = "response_url"
    /// The `team_id` the fake reports in `auth.test` and synthesized users.
    public static let teamID = "T0001"
    /// The bot's own user id.
    public static let botUserID = "UBOT0001"

    /// A user the fake knows, for `users.info` and `users.lookupByEmail`.
    public struct User: Sendable, Equatable {
        public var id: String
        public var email: String?
        public var name: String
        public var timeZone: String?
        public var timeZoneOffsetSeconds: Int
        public var isBot: Bool
        public var deleted: Bool

        public init(
            id: String, email: String? = nil, name: String? = nil, timeZone: String? = "Europe/Berlin",
            timeZoneOffsetSeconds: Int = 3600, isBot: Bool = false, deleted: Bool = false
        ) {
            self.id = id
            self.email = email
            self.name = name ?? id.lowercased()
            self.timeZone = timeZone
            self.timeZoneOffsetSeconds = timeZoneOffsetSeconds
            self.isBot = isBot
            self.deleted = deleted
        }
    }

    /// A way to fail the next call to a method.
    public enum Fault: Sendable, Equatable {
        /// HTTP 200 `{"ok": false, "error": code}`.
        case platformError(String)
        /// HTTP 429 with `Retry-After: seconds` and `{"ok": false, "error": "ratelimited"}`.
        case rateLimited(retryAfter: Int)
        /// The given 5xx (or any) status with `{"ok": false, "error": "internal_error"}`.
        case serverError(Int)
        /// Answer normally, but only after this long.
        case delay(Duration)
    }

    public enum FakeSlackError: Error, CustomStringConvertible {
        case couldNotStart
        case timedOut(method: String, expected: Int, received: Int)

        public var description: String {
            switch self {
            case .couldNotStart: "FakeSlack could not bind to 127.0.0.1"
            case .timedOut(let method, let expected, let received):
                "FakeSlack: waited for \(expected) call(s) to \(method), got \(received)"
            }
        }
    }

    struct State {
        var tokens: Set<String>
        var calls: [RecordedCall] = []
        var faults: [String: [Fault]] = [:]
        var expiredTriggers: Set<String> = []
        var users: [String: User] = [:]
        var autoCreateUsers = true
        var channelMembers: [String: [String]] = [:]
        var maximumMembersPageSize = 1000
        var usergroups: [String: [String]] = [:]
        var nextTimestamp = 1_735_689_600_000_100
        var nextViewID = 1
        var postedMessages: Set<String> = []
        /// Messages per channel, oldest first, for `conversations.history`.
        var channelHistory: [String: [JSONValue]] = [:]
    }

    let backend: FakeSlackBackend
    /// The port the fake listens on.
    public let port: Int
    private let server: Mutex<Task<Void, any Error>?>

    private init(backend: FakeSlackBackend, port: Int, server: Task<Void, any Error>) {
        self.backend = backend
        self.port = port
        self.server = Mutex(server)
    }

    /// `http://127.0.0.1:PORT/api/`, to use as the Web API base URL.
    public var baseURL: String { "http://127.0.0.1:\(port)/api/" }

    /// A response URL served by the fake; posts to it are recorded with ``responseURLMethod``.
    public func responseURL(id: String) -> String { "http://127.0.0.1:\(port)/response/\(id)" }

    /// Starts the fake on 127.0.0.1 with an ephemeral port, accepting one bot token.
    public static func start(token: String, logger: Logger? = nil) async throws -> FakeSlack {
        try await start(tokens: [token], logger: logger)
    }

    /// Starts the fake on 127.0.0.1 with an ephemeral port.
    public static func start(
        tokens: Set<String> = [FakeSlack.defaultToken], logger: Logger? = nil
    ) async throws -> FakeSlack {
        let box = FakeSlackBackend(tokens: tokens)
        var quietLogger = logger ?? Logger(label: "FakeSlack")
        // Cancelling the server task logs shutdown noise at error level; only show real trouble.
        if logger == nil { quietLogger.logLevel = .critical }
        let router = Router()
        router.post("/api/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = try await request.body.collect(upTo: 8 << 20)
            return await box.handleAPI(method: method, request: request, body: Data(body.readableBytesView))
        }
        router.post("/response/:id") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            let body = try await request.body.collect(upTo: 8 << 20)
            return await box.handleResponseURL(id: id, request: request, body: Data(body.readableBytesView))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "FakeSlack"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: quietLogger)
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        guard port > 0 else {
            task.cancel()
            _ = await task.result
            throw FakeSlackError.couldNotStart
        }
        box.setPort(port)
        return FakeSlack(backend: box, port: port, server: task)
    }

    /// Stops the server and waits until it has.
    public func stop() async {
        let task = server.withLock { task in
            defer { task = nil }
            return task
        }
        guard let task else { return }
        task.cancel()
        _ = await task.result
    }

    // MARK: - Configuration

    public func addToken(_ token: String) {
        backend.state.withLock { _ = $0.tokens.insert(token) }
    }

    public func removeToken(_ token: String) {
        backend.state.withLock { _ = $0.tokens.remove(token) }
    }

    /// The next call to `method` fails this way; several calls queue up in order.
    public func failNext(method: String, with fault: Fault) {
        backend.state.withLock { $0.faults[method, default: []].append(fault) }
    }

    /// `views.open` with this trigger id answers `expired_trigger_id`.
    public func expireTrigger(_ triggerID: String) {
        backend.state.withLock { _ = $0.expiredTriggers.insert(triggerID) }
    }

    public func setUser(_ user: User) {
        backend.state.withLock { $0.users[user.id] = user }
    }

    /// When true (the default), `users.info` for an unknown id answers with a made-up person in
    /// Europe/Berlin instead of `user_not_found`.
    public func setAutoCreateUsers(_ enabled: Bool) {
        backend.state.withLock { $0.autoCreateUsers = enabled }
    }

    /// The members `conversations.members` returns for a channel, paginated.
    public func setMembers(channel: String, _ members: [String]) {
        backend.state.withLock { $0.channelMembers[channel] = members }
    }

    /// The largest page `conversations.members` returns, whatever `limit` asks for.
    public func setMaximumMembersPageSize(_ size: Int) {
        backend.state.withLock { $0.maximumMembersPageSize = max(1, size) }
    }

    public func setUsergroup(_ id: String, users: [String]) {
        backend.state.withLock { $0.usergroups[id] = users }
    }

    // MARK: - Inspection

    /// Every recorded call, in arrival order.
    public var allCalls: [RecordedCall] { backend.state.withLock { $0.calls } }

    /// The calls to one method, in arrival order.
    public func calls(_ method: String) -> [RecordedCall] {
        backend.state.withLock { $0.calls.filter { $0.method == method } }
    }

    /// The posts to one response URL.
    public func responsePosts(id: String) -> [RecordedCall] {
        backend.state.withLock { $0.calls.filter { $0.method == Self.responseURLMethod && $0.responseID == id } }
    }

    /// Waits (polling every 10 ms) until `method` has been called, and returns the first such call.
    public func waitForCall(method: String, timeout: Duration = .seconds(5)) async throws -> RecordedCall {
        let calls = try await waitForCalls(method: method, count: 1, timeout: timeout)
        guard let first = calls.first else { throw FakeSlackError.timedOut(method: method, expected: 1, received: 0) }
        return first
    }

    /// Waits (polling every 10 ms) until `method` has been called `count` times; returns those calls.
    public func waitForCalls(method: String, count: Int, timeout: Duration = .seconds(5)) async throws -> [RecordedCall]
    {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let calls = self.calls(method)
            if calls.count >= count { return calls }
            if clock.now >= deadline {
                throw FakeSlackError.timedOut(method: method, expected: count, received: calls.count)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
