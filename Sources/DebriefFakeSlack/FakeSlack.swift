import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A loopback stand-in for the Slack Web API and response URLs: the one fake Slack behind the tests,
/// `debrief demo` (which needs no Slack account) and `debrief-bench`.
///
/// It answers in Slack's documented shapes (reference `slack.md` §6), checks the bearer token,
/// records every call for assertions, paginates with cursors, can rate-limit a method for the whole
/// workspace like Slack does (429 with `Retry-After`), and can be told to fail the next call to a method
/// the ways Slack does (an error code, 429, a 5xx, or a slow answer). Everything runs on 127.0.0.1 with
/// an ephemeral port, so several can run in parallel.
public final class FakeSlack: Sendable {
    /// The token accepted unless a test adds others.
    public static let defaultToken = "xoxb-fake-token"
    /// The `method` recorded for posts to a response URL.
    public static let responseURLMethod = "response_url"
    /// The `team_id` the fake reports in `auth.test` and synthesized users.
    public static let teamID = "T0001"
    /// The bot's own user id.
    public static let botUserID = "UBOT0001"

    /// A user the fake knows, for `users.info`, `users.list` and `users.lookupByEmail`.
    public struct User: Sendable, Equatable {
        public var id: String
        public var email: String?
        /// The full name (`real_name`).
        public var name: String
        /// The profile's `display_name`; the full name when nil.
        public var displayName: String?
        public var timeZone: String?
        public var timeZoneOffsetSeconds: Int
        public var isBot: Bool
        public var deleted: Bool

        public init(
            id: String, email: String? = nil, name: String? = nil, displayName: String? = nil,
            timeZone: String? = "Europe/Berlin", timeZoneOffsetSeconds: Int = 3600, isBot: Bool = false,
            deleted: Bool = false
        ) {
            self.id = id
            self.email = email
            self.name = name ?? id.lowercased()
            self.displayName = displayName
            self.timeZone = timeZone
            self.timeZoneOffsetSeconds = timeZoneOffsetSeconds
            self.isBot = isBot
            self.deleted = deleted
        }
    }

    /// A message the bot posted (`chat.postMessage`), in arrival order.
    public struct PostedMessage: Sendable {
        /// The channel as the caller named it (a user id for a DM).
        public var requestedChannel: String
        /// The conversation it landed in (`D…` for a DM to `U…`).
        public var channel: String
        /// As `conversations.history` shows it: `text`, `ts`, `user`, and `blocks`, `thread_ts`, `metadata`.
        public var message: JSONValue
    }

    /// What went through, for benchmarks: cheap to read while thousands of calls arrive.
    package struct Traffic: Sendable {
        /// Calls per method (valid token or not).
        package var calls: [String: Int] = [:]
        /// Calls with a missing or wrong token.
        package var unauthorized = 0
        /// Arrival times of `chat.postMessage` calls answered `ok`.
        package var acceptedPosts: [ContinuousClock.Instant] = []
        /// Arrival times of calls answered 429 by the workspace rate limit.
        package var rateLimited: [ContinuousClock.Instant] = []
        /// Conversations that received at least one accepted post.
        package var recipients: Set<String> = []
    }

    /// A workspace-wide rate limit on one method: a token bucket holding `burst` calls, refilled at
    /// `perSecond`; a call without a token is answered 429 with `Retry-After: 1`.
    struct RateLimit {
        var perSecond: Double
        var burst: Double
        var tokens: Double
        var refilledAt: ContinuousClock.Instant

        mutating func take(at now: ContinuousClock.Instant) -> Bool {
            let elapsed = now - refilledAt
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(burst, tokens + max(0, seconds) * perSecond)
            refilledAt = now
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
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
        var users: [String: User] = [:] {
            didSet { sortedUserIDs = nil }
        }
        /// `users.list` order, kept between pages (sorting 100,000 ids for every page made paging quadratic).
        var sortedUserIDs: [String]?
        var autoCreateUsers = true
        var channelMembers: [String: [String]] = [:]
        var maximumMembersPageSize = 1000
        var usergroups: [String: [String]] = [:]
        var nextTimestamp = 1_735_689_600_000_100
        var nextViewID = 1
        var postedMessages: Set<String> = []
        /// Messages per channel, oldest first, for `conversations.history`.
        var channelHistory: [String: [JSONValue]] = [:]
        var posted: [PostedMessage] = []
        var rateLimits: [String: RateLimit] = [:]
        var traffic = Traffic()
        /// Calls are kept for inspection unless a long benchmark turns it off.
        var recordsCalls = true
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

    /// Many users at once (a synthetic organisation).
    public func setUsers(_ users: [User]) {
        backend.state.withLock { state in
            for user in users { state.users[user.id] = user }
        }
    }

    /// Limits `method` for the whole workspace, as Slack does: beyond `perSecond` (after a burst of
    /// `burst`), calls are answered HTTP 429 with `Retry-After: 1` and `{"ok":false,"error":"ratelimited"}`.
    package func setRateLimit(method: String, perSecond: Double, burst: Int) {
        backend.state.withLock {
            $0.rateLimits[method] = RateLimit(
                perSecond: perSecond, burst: Double(max(1, burst)), tokens: Double(max(1, burst)),
                refilledAt: ContinuousClock.now)
        }
    }

    /// Whether every call is kept for ``calls(_:)`` (the default). A benchmark sending tens of thousands of
    /// messages turns it off and reads ``traffic`` and ``postedMessages(from:)`` instead.
    package func setRecordsCalls(_ enabled: Bool) {
        backend.state.withLock { $0.recordsCalls = enabled }
    }

    // MARK: - Inspection

    /// Counters and arrival times of what went through.
    package var traffic: Traffic { backend.state.withLock { $0.traffic } }

    /// Messages posted from `index` on (0 for all), in arrival order.
    public func postedMessages(from index: Int = 0) -> [PostedMessage] {
        backend.state.withLock { state in
            guard index < state.posted.count else { return [] }
            return Array(state.posted[max(0, index)...])
        }
    }

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
