import DebriefCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A minimal loopback Slack Web API for `debrief bench fanout`: just what resolving a user group and
/// sending nudge DMs needs, plus a workspace-wide rate limit on `chat.postMessage`.
///
/// Separate from the test target's `FakeSlack` (which records every call for assertions and cannot be
/// imported by the executable): this one keeps only counters and arrival times, so it stays cheap at
/// thousands of calls.
///
/// The rate limit is a token bucket for the whole workspace: `limitPerSecond` tokens per second, at most
/// `burst` stored (it starts full). A `chat.postMessage` without a token is answered like Slack does:
/// HTTP 429, `Retry-After: 1`, `{"ok":false,"error":"ratelimited"}`.
final class BenchFakeSlack: Sendable {
    struct Settings: Sendable {
        var people: Int
        var limitPerSecond: Double
        var burst: Int
        var token: String
        var teamID = "TBENCH"
        var botUserID = "UBOT"
        /// Zones handed out by `users.info`, chosen by the number in the user id.
        var zones: [String]
    }

    /// What the fake saw, for the report.
    struct Counts: Sendable {
        var accepted = 0
        var rateLimited = 0
        var recipients = 0
        var unauthorized = 0
        var usersInfo = 0
        var otherErrors = 0
    }

    private struct State {
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        var counts = Counts()
        /// Arrival time of every accepted `chat.postMessage`, in order.
        var arrivals: [ContinuousClock.Instant] = []
        /// Arrival time of every `chat.postMessage` answered 429.
        var rejections: [ContinuousClock.Instant] = []
        var recipients: Set<String> = []
        var nextTimestamp = 0
    }

    let port: Int
    private let backend: Backend
    private let server: Mutex<Task<Void, any Error>?>

    private init(backend: Backend, port: Int, server: Task<Void, any Error>) {
        self.backend = backend
        self.port = port
        self.server = Mutex(server)
    }

    var settings: Settings { backend.settings }

    /// `http://127.0.0.1:PORT/api/`, for `SLACK_API_URL`.
    var baseURL: String { "http://127.0.0.1:\(port)/api/" }

    static func userID(_ index: Int) -> String { String(format: "U%05d", index) }

    /// Starts on 127.0.0.1 with an ephemeral port and returns once it listens.
    static func start(settings: Settings) async throws -> BenchFakeSlack {
        let handler = Backend(settings: settings)
        var logger = Logger(label: "bench-fake-slack")
        logger.logLevel = .critical
        let router = Router()
        router.post("/api/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = try await request.body.collect(upTo: 1 << 20)
            return handler.handle(method: method, request: request, body: Data(body.readableBytesView))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname("127.0.0.1", port: 0), serverName: "BenchFakeSlack"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
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
            throw BenchServer.StartError(description: "the fake Slack API could not bind to 127.0.0.1")
        }
        return BenchFakeSlack(backend: handler, port: port, server: task)
    }

    func stop() async {
        let task = server.withLock { task in
            defer { task = nil }
            return task
        }
        guard let task else { return }
        task.cancel()
        _ = await task.result
    }

    func counts() -> Counts { backend.state.withLock { $0.counts } }

    /// Arrival times of the accepted messages so far.
    func arrivals() -> [ContinuousClock.Instant] { backend.state.withLock { $0.arrivals } }

    /// Arrival times of the messages answered 429.
    func rejections() -> [ContinuousClock.Instant] { backend.state.withLock { $0.rejections } }

    // MARK: - Requests

    /// The router's view of the fake: immutable settings, shared state.
    private final class Backend: Sendable {
        let settings: Settings
        let state: Mutex<State>
        let usergroupBody: Data
        /// `tz_offset` of each zone (now; the bench's zones have no daylight-saving time).
        let offsets: [Int]

        init(settings: Settings) {
            self.settings = settings
            self.state = Mutex(State(tokens: Double(max(settings.burst, 1)), refilledAt: .now))
            offsets = settings.zones.map { TimeZone(identifier: $0)?.secondsFromGMT() ?? 0 }
            let users = (1...max(settings.people, 1)).map { "\"\(BenchFakeSlack.userID($0))\"" }
            usergroupBody = Data("{\"ok\":true,\"users\":[\(users.joined(separator: ","))]}".utf8)
        }

        func handle(method: String, request: Request, body: Data) -> Response {
            guard request.headers[.authorization] == "Bearer \(settings.token)" else {
                state.withLock { $0.counts.unauthorized += 1 }
                return Self.json(#"{"ok":false,"error":"invalid_auth"}"#)
            }
            switch method {
            case "auth.test":
                return Self.json(
                    #"{"ok":true,"url":"https://bench.example/","team":"Bench","team_id":"\#(settings.teamID)","#
                        + #""user_id":"\#(settings.botUserID)","bot_id":"BBENCH"}"#)
            case "usergroups.users.list":
                return Self.json(usergroupBody)
            case "users.info":
                return usersInfo(body)
            case "chat.postMessage":
                return postMessage(body)
            default:
                state.withLock { $0.counts.otherErrors += 1 }
                return Self.json(#"{"ok":false,"error":"unknown_method"}"#)
            }
        }

        func usersInfo(_ body: Data) -> Response {
            let form = String(decoding: body, as: UTF8.self)
            var userID = ""
            for pair in form.split(separator: "&") where pair.hasPrefix("user=") {
                userID = String(pair.dropFirst("user=".count)).removingPercentEncoding ?? ""
            }
            state.withLock { $0.counts.usersInfo += 1 }
            guard userID.hasPrefix("U"), let number = Int(userID.dropFirst()), (1...settings.people).contains(number),
                !settings.zones.isEmpty
            else {
                return Self.json(#"{"ok":false,"error":"user_not_found"}"#)
            }
            let zone = settings.zones[number % settings.zones.count]
            let offset = offsets[number % settings.zones.count]
            return Self.json(
                #"{"ok":true,"user":{"id":"\#(userID)","team_id":"\#(settings.teamID)","name":"bench\#(number)","#
                    + #""deleted":false,"is_bot":false,"tz":"\#(zone)","tz_offset":\#(offset)}}"#)
        }

        func postMessage(_ body: Data) -> Response {
            let channel = (try? JSONValue.decode(body))?["channel"]?.stringValue ?? ""
            let now = ContinuousClock.now
            let rate = settings.limitPerSecond
            let capacity = Double(max(settings.burst, 1))
            let outcome: Int? = state.withLock { state in
                let elapsed = now - state.refilledAt
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                state.tokens = min(capacity, state.tokens + max(0, seconds) * rate)
                state.refilledAt = now
                guard state.tokens >= 1 else {
                    state.counts.rateLimited += 1
                    state.rejections.append(now)
                    return nil
                }
                guard !channel.isEmpty else {
                    state.counts.otherErrors += 1
                    return -1
                }
                state.tokens -= 1
                state.counts.accepted += 1
                state.arrivals.append(now)
                if state.recipients.insert(channel).inserted { state.counts.recipients += 1 }
                state.nextTimestamp += 1
                return state.nextTimestamp
            }
            switch outcome {
            case nil:
                return Response(
                    status: .tooManyRequests,
                    headers: [.contentType: "application/json; charset=utf-8", .retryAfter: "1"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"ok":false,"error":"ratelimited"}"#)))
            case let sequence? where sequence < 0:
                return Self.json(#"{"ok":false,"error":"channel_not_found"}"#)
            case let sequence?:
                let ts = "\(1_763_600_000 + sequence / 1_000_000).\(String(format: "%06d", sequence % 1_000_000))"
                let dm = "D" + channel.dropFirst()
                return Self.json(#"{"ok":true,"channel":"\#(dm)","ts":"\#(ts)"}"#)
            }
        }

        static func json(_ text: String) -> Response {
            json(Data(text.utf8))
        }

        static func json(_ data: Data) -> Response {
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
