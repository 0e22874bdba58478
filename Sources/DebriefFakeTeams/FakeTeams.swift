import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A loopback stand-in for Microsoft's side of a Teams bot: the Entra token endpoint and the Bot Connector REST
/// API (v3). The one fake Teams behind the tests, `debrief demo --platform teams` and `debrief-bench`.
///
/// It answers in the documented wire shapes (reference `teams.md` §3–§4, §6), independently of the adapter it
/// checks (it imports no Debrief module): client-credentials tokens checked against the app id, secret, grant and
/// scope; bearer tokens checked on every connector call (401 otherwise); 1:1 conversations only for people who
/// have the app installed (403 `BotNotInConversationRoster`), sends to people who blocked the bot refused (403,
/// sub-code `MessageWritesBlocked`); channel threads as `19:…;messageid=…`; paged members with continuation
/// tokens. Every call is recorded; the next call to a route can be made to fail like Teams does (429 with or
/// without `Retry-After`, 412, 502, 504, 413, a slow answer), and a per-second limit can answer 429 like Teams.
///
/// Runs on 127.0.0.1 with an ephemeral port, so several can run in parallel. More routes (the OpenID metadata
/// and JWKS of the inbound side) can be mounted on the same server with `extraRoutes`.
public final class FakeTeams: Sendable {
    public static let defaultAppID = "6f0e3c1a-5b7d-4e52-9a0c-1d2b3c4d5e6f"
    public static let defaultPassword = "fake-bot-client-secret"
    public static let defaultTenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    /// The scope a Bot Connector token must be requested for.
    public static let botFrameworkScope = "https://api.botframework.com/.default"

    /// The endpoints the fake serves, for faults and call filtering.
    public enum Route: String, Sendable, CaseIterable {
        /// `POST /{tenant}/oauth2/v2.0/token`
        case token
        /// `POST /v3/conversations` (a 1:1 conversation, or a channel thread)
        case createConversation
        /// `POST /v3/conversations/{conversationId}/activities`
        case sendToConversation
        /// `POST /v3/conversations/{conversationId}/activities/{activityId}`
        case replyToActivity
        /// `PUT /v3/conversations/{conversationId}/activities/{activityId}`
        case updateActivity
        /// `GET /v3/conversations/{conversationId}/pagedmembers`
        case pagedMembers
        /// `GET /v3/teams/{teamId}/conversations`
        case teamChannels
    }

    /// A way to fail the next call to a route.
    public enum Fault: Sendable, Equatable {
        /// HTTP 429, with `Retry-After: seconds` when given.
        case rateLimited(retryAfter: Int?)
        /// The given status (412, 413, 500, 502, 503, 504, 401, …) with a Bot Connector error body.
        case status(Int)
        /// The given status with `{"error":{"code":code,"subCode":subCode}}`.
        case error(status: Int, code: String, subCode: String?)
        /// Answer normally, but only after this long.
        case delay(Duration)

        /// 403 `BotNotInConversationRoster`.
        public static let notInRoster = Fault.error(status: 403, code: "BotNotInConversationRoster", subCode: nil)
        /// 403 with sub-code `MessageWritesBlocked`.
        public static let writesBlocked = Fault.error(
            status: 403, code: "ConversationBlockedByUser", subCode: "MessageWritesBlocked")
        /// 413 `MessageSizeTooBig`.
        public static let messageTooBig = Fault.error(status: 413, code: "MessageSizeTooBig", subCode: nil)
    }

    /// A person Teams knows.
    public struct Member: Sendable, Equatable {
        /// `29:…`, the per-bot id.
        public var id: String
        public var name: String
        public var aadObjectId: String?
        public var email: String?
        public var userPrincipalName: String?
        public var tenantID: String

        public init(
            id: String, name: String, aadObjectId: String? = nil, email: String? = nil,
            userPrincipalName: String? = nil, tenantID: String = FakeTeams.defaultTenantID
        ) {
            self.id = id
            self.name = name
            self.aadObjectId = aadObjectId
            self.email = email
            self.userPrincipalName = userPrincipalName ?? email
            self.tenantID = tenantID
        }
    }

    /// A channel of a team.
    public struct Channel: Sendable, Equatable {
        /// `19:…@thread.tacv2`.
        public var id: String
        /// nil for General (whose id is the team's id).
        public var name: String?

        public init(id: String, name: String?) {
            self.id = id
            self.name = name
        }
    }

    /// An activity the bot posted, replied, updated, or started a channel thread with, in arrival order.
    public struct PostedActivity: Sendable {
        public var route: Route
        /// The conversation it landed in (the thread's `…;messageid=…` for a new channel thread).
        public var conversationID: String
        public var activityID: String
        /// For replies: the activity replied to.
        public var replyToID: String?
        /// The activity JSON as sent.
        public var body: Data

        /// The activity decoded as `T`.
        public func json<T: Decodable>(as type: T.Type) -> T? {
            try? JSONDecoder().decode(type, from: body)
        }
    }

    /// What went through, for benchmarks: cheap to read while thousands of calls arrive.
    public struct Traffic: Sendable {
        /// Connector calls per route (valid token or not; faults excluded).
        public var calls: [Route: Int] = [:]
        /// Connector calls with a missing or unknown token.
        public var unauthorized = 0
        /// Arrival times of accepted posts (sends, replies, new threads).
        public var acceptedPosts: [ContinuousClock.Instant] = []
        /// Arrival times of calls answered 429 by the per-second limit.
        public var rateLimited: [ContinuousClock.Instant] = []
    }

    public enum FakeTeamsError: Error, CustomStringConvertible {
        case couldNotStart
        case timedOut(route: Route, expected: Int, received: Int)

        public var description: String {
            switch self {
            case .couldNotStart: "FakeTeams could not bind to 127.0.0.1"
            case .timedOut(let route, let expected, let received):
                "FakeTeams: waited for \(expected) call(s) to \(route.rawValue), got \(received)"
            }
        }
    }

    let backend: FakeBotConnectorBackend
    /// The port the fake listens on.
    public let port: Int
    private let server: Mutex<Task<Void, any Error>?>

    private init(backend: FakeBotConnectorBackend, port: Int, server: Task<Void, any Error>) {
        self.backend = backend
        self.port = port
        self.server = Mutex(server)
    }

    /// `http://127.0.0.1:PORT/`: the `serviceUrl` activities carry and the Bot Connector base URL.
    public var serviceURL: String { "http://127.0.0.1:\(port)/" }

    /// `http://127.0.0.1:PORT`: the token base URL (instead of `https://login.microsoftonline.com`).
    public var tokenBaseURL: String { "http://127.0.0.1:\(port)" }

    /// The bot's own account id, `28:<appId>`.
    public var botID: String { backend.state.withLock { "28:" + $0.appID } }

    /// Starts the fake on 127.0.0.1 with an ephemeral port.
    ///
    /// - Parameters:
    ///   - appID, password: the credentials the token endpoint accepts.
    ///   - tenantID: the bot's home tenant; the token endpoint accepts it and `botframework.com` as authority.
    ///   - tokenLifetimeSeconds: `expires_in` of issued tokens.
    ///   - extraRoutes: called with the router before the server starts, to mount more routes on the same server
    ///     (the inbound side's OpenID metadata and JWKS: `FakeBotFrameworkIssuer.register(on:)`).
    public static func start(
        appID: String = FakeTeams.defaultAppID, password: String = FakeTeams.defaultPassword,
        tenantID: String = FakeTeams.defaultTenantID, tokenLifetimeSeconds: Int = 3600, logger: Logger? = nil,
        extraRoutes: (Router<BasicRequestContext>) -> Void = { _ in }
    ) async throws -> FakeTeams {
        let backend = FakeBotConnectorBackend(
            state: State(
                appID: appID, password: password, authorityTenants: [tenantID, "botframework.com"],
                tokenLifetimeSeconds: tokenLifetimeSeconds))
        var quietLogger = logger ?? Logger(label: "FakeTeams")
        // Cancelling the server task logs shutdown noise at error level; only show real trouble.
        if logger == nil { quietLogger.logLevel = .critical }
        let router = Router()
        Self.mount(backend, on: router)
        extraRoutes(router)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "FakeTeams"),
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
            throw FakeTeamsError.couldNotStart
        }
        return FakeTeams(backend: backend, port: port, server: task)
    }

    private static func mount(_ backend: FakeBotConnectorBackend, on router: Router<BasicRequestContext>) {
        @Sendable func body(_ request: Request) async throws -> Data {
            let buffer = try await request.body.collect(upTo: 4 << 20)
            return Data(buffer.readableBytesView)
        }
        @Sendable func segment(_ context: BasicRequestContext, _ name: String) -> String? {
            context.parameters.get(name).map { $0.removingPercentEncoding ?? $0 }
        }
        router.post("/:tenant/oauth2/v2.0/token") { request, context -> Response in
            await backend.handleToken(
                tenant: segment(context, "tenant") ?? "", request: request, body: try await body(request))
        }
        router.post("/v3/conversations") { request, _ -> Response in
            await backend.handleConnector(.createConversation, request: request, body: try await body(request))
        }
        router.post("/v3/conversations/:conversation/activities") { request, context -> Response in
            await backend.handleConnector(
                .sendToConversation, request: request, body: try await body(request),
                conversationID: segment(context, "conversation"))
        }
        router.post("/v3/conversations/:conversation/activities/:activity") { request, context -> Response in
            await backend.handleConnector(
                .replyToActivity, request: request, body: try await body(request),
                conversationID: segment(context, "conversation"), activityID: segment(context, "activity"))
        }
        router.put("/v3/conversations/:conversation/activities/:activity") { request, context -> Response in
            await backend.handleConnector(
                .updateActivity, request: request, body: try await body(request),
                conversationID: segment(context, "conversation"), activityID: segment(context, "activity"))
        }
        router.get("/v3/conversations/:conversation/pagedmembers") { request, context -> Response in
            await backend.handleConnector(
                .pagedMembers, request: request, body: Data(), conversationID: segment(context, "conversation"))
        }
        router.get("/v3/teams/:team/conversations") { request, context -> Response in
            await backend.handleConnector(
                .teamChannels, request: request, body: Data(), teamID: segment(context, "team"))
        }
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

    /// Adds people Teams knows (by `29:` id); `installed` says whether the app is installed for them (personal
    /// scope), which a 1:1 conversation needs.
    public func addMembers(_ members: [Member], installed: Bool = true) {
        backend.state.withLock { state in
            for member in members {
                state.members[member.id] = member
                if installed { state.installed.insert(member.id) } else { state.installed.remove(member.id) }
            }
        }
    }

    /// Installs or uninstalls the app for a person (by `29:` id or Entra object id).
    public func setInstalled(_ installed: Bool, for member: String) {
        backend.state.withLock { state in
            guard let id = state.member(byIDOrAAD: member)?.id else { return }
            if installed { state.installed.insert(id) } else { state.installed.remove(id) }
        }
    }

    /// A person blocks (or unblocks) the bot: sends to their 1:1 conversation are answered 403 with sub-code
    /// `MessageWritesBlocked`.
    public func setBlocked(_ blocked: Bool, for member: String) {
        backend.state.withLock { state in
            guard let id = state.member(byIDOrAAD: member)?.id else { return }
            if blocked { state.blocked.insert(id) } else { state.blocked.remove(id) }
        }
    }

    /// A team with the app installed: its channels (General's id is the team id, added when missing) and its
    /// members (`29:` ids of people added with ``addMembers(_:installed:)``), for `pagedmembers` on the team id.
    public func setTeam(id: String, channels: [Channel], memberIDs: [String]) {
        backend.state.withLock { state in
            var all = channels
            if !all.contains(where: { $0.id == id }) { all.insert(Channel(id: id, name: nil), at: 0) }
            state.teams[id] = State.Team(channels: all, memberIDs: memberIDs)
        }
    }

    /// A conversation the bot knows from an inbound activity (a 1:1 chat of `memberID`, or a group), so sends to
    /// it are accepted without a create call.
    public func addConversation(id: String, memberIDs: [String]) {
        backend.state.withLock { state in
            state.knownConversations.insert(id)
            state.conversationMembers[id] = memberIDs
            if memberIDs.count == 1, let member = memberIDs.first, state.personalConversations[member] == nil {
                state.personalConversations[member] = id
                state.conversationOwners[id] = member
            }
        }
    }

    /// The next call to `route` fails this way; several faults queue up in order.
    public func failNext(_ route: Route, with fault: Fault) {
        backend.state.withLock { $0.faults[route, default: []].append(fault) }
    }

    /// Makes every issued token invalid (the connector answers 401 until a new token is fetched).
    public func revokeTokens() {
        backend.state.withLock { $0.validTokens.removeAll() }
    }

    /// `expires_in` of tokens issued from now on.
    public func setTokenLifetime(seconds: Int) {
        backend.state.withLock { $0.tokenLifetimeSeconds = seconds }
    }

    /// The largest `pagedmembers` page, whatever `pageSize` asks for (Teams: 500).
    public func setMaximumPageSize(_ size: Int) {
        backend.state.withLock { $0.maximumPageSize = max(1, size) }
    }

    /// The largest activity accepted, in UTF-16 code units of its JSON (Teams documents 40 KB); larger → 413.
    public func setMessageSizeLimit(utf16Units: Int) {
        backend.state.withLock { $0.messageSizeLimit = max(1, utf16Units) }
    }

    /// Limits all connector calls together, as Teams does per app and tenant: beyond `perSecond` (after a burst
    /// of `burst`) calls are answered 429, with `Retry-After` when `retryAfterSeconds` is given.
    public func setRateLimit(perSecond: Double, burst: Int, retryAfterSeconds: Int? = nil) {
        backend.state.withLock {
            $0.rateLimit = State.RateLimit(
                perSecond: perSecond, burst: Double(max(1, burst)), tokens: Double(max(1, burst)),
                refilledAt: ContinuousClock.now, retryAfterSeconds: retryAfterSeconds)
        }
    }

    /// Whether every call is kept for ``calls(_:)`` (the default). A long benchmark turns it off and reads
    /// ``traffic`` instead.
    public func setRecordsCalls(_ enabled: Bool) {
        backend.state.withLock { $0.recordsCalls = enabled }
    }

    // MARK: - Inspection

    /// Token requests received (accepted or not).
    public var tokenRequestCount: Int { backend.state.withLock { $0.tokenRequests } }

    /// Tokens issued.
    public var issuedTokenCount: Int { backend.state.withLock { $0.issuedTokenCount } }

    /// Counters and arrival times of what went through.
    public var traffic: Traffic { backend.state.withLock { $0.traffic } }

    /// Every recorded call, in arrival order.
    public var allCalls: [FakeBotConnectorCall] { backend.state.withLock { $0.calls } }

    /// The calls to one route, in arrival order.
    public func calls(_ route: Route) -> [FakeBotConnectorCall] {
        backend.state.withLock { $0.calls.filter { $0.route == route } }
    }

    /// Activities posted, replied, updated or used to start a thread, from `index` on, in arrival order.
    public func postedActivities(from index: Int = 0) -> [PostedActivity] {
        backend.state.withLock { state in
            guard index < state.posted.count else { return [] }
            return Array(state.posted[max(0, index)...])
        }
    }

    /// The 1:1 conversation id of a person, once created.
    public func personalConversationID(for member: String) -> String? {
        backend.state.withLock { state in
            state.member(byIDOrAAD: member).flatMap { state.personalConversations[$0.id] }
        }
    }

    /// Waits (polling every 10 ms) until `route` has been called `count` times; returns those calls.
    public func waitForCalls(_ route: Route, count: Int, timeout: Duration = .seconds(5)) async throws
        -> [FakeBotConnectorCall]
    {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let calls = self.calls(route)
            if calls.count >= count { return calls }
            if clock.now >= deadline {
                throw FakeTeamsError.timedOut(route: route, expected: count, received: calls.count)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until `route` has been called once; returns the first call.
    public func waitForCall(_ route: Route, timeout: Duration = .seconds(5)) async throws -> FakeBotConnectorCall {
        let calls = try await waitForCalls(route, count: 1, timeout: timeout)
        guard let first = calls.first else { throw FakeTeamsError.timedOut(route: route, expected: 1, received: 0) }
        return first
    }
}
