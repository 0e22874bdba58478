import DebriefHTTP
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A real HTTP/1.1 server on 127.0.0.1 with a kernel-chosen port, for exercising ``CurlHTTPClient`` end to
/// end. Each test starts its own, so tests stay independent when Swift Testing runs them in parallel.
///
/// Routes:
/// - `/echo` (any method): echoes the request body (or `method:<METHOD>` when empty), answers with the
///   status from `?status=`, and reports `X-Echo-Method`, `X-Echo-Test` (the request's `X-Test`) and
///   `X-Echo-Content-Type`.
/// - `/slow`: signals ``LoopbackServer/Recorder/slowRequestStarted`` then answers after 2 s.
/// - `/redirect`: 302 to `/echo`.
/// - `/scripted/{key}`: answers with the responses queued by ``LoopbackServer/script(_:_:)``, in order,
///   repeating the last one.
struct LoopbackServer: Sendable {
    let port: Int
    let recorder: Recorder

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    func script(_ key: String, _ responses: [ScriptedResponse]) async {
        await recorder.script(key, responses)
    }

    struct ScriptedResponse: Sendable {
        var status: HTTPResponse.Status
        var headers: [String: String] = [:]
        var body: String = ""
    }

    /// What the server saw: request counts per route and the client ports connections came from.
    actor Recorder {
        private(set) var requestCount = 0
        private(set) var remotePorts: Set<Int> = []
        private var scripts: [String: [ScriptedResponse]] = [:]
        private(set) var scriptedHits: [String: Int] = [:]
        nonisolated let slowRequestStarted: AsyncStream<Void>
        private let slowRequestContinuation: AsyncStream<Void>.Continuation

        init() {
            (slowRequestStarted, slowRequestContinuation) = AsyncStream.makeStream(of: Void.self)
        }

        func saw(remotePort: Int?) {
            requestCount += 1
            if let remotePort {
                remotePorts.insert(remotePort)
            }
        }

        func slowStarted() {
            slowRequestContinuation.yield()
        }

        func script(_ key: String, _ responses: [ScriptedResponse]) {
            scripts[key] = responses
        }

        func nextScripted(_ key: String) -> ScriptedResponse {
            scriptedHits[key, default: 0] += 1
            guard var queue = scripts[key], let first = queue.first else {
                return ScriptedResponse(status: .notFound, body: "no script for \(key)")
            }
            if queue.count > 1 {
                queue.removeFirst()
                scripts[key] = queue
            }
            return first
        }

        func hits(_ key: String) -> Int {
            scriptedHits[key, default: 0]
        }
    }

    /// Runs `body` against a fresh server and stops the server afterwards (by cancellation, so slow
    /// handlers do not hold the test up).
    static func withServer<T: Sendable>(_ body: (LoopbackServer) async throws -> T) async throws -> T {
        let recorder = Recorder()
        let router = Router(context: LoopbackRequestContext.self)
        router.middlewares.add(RecordingMiddleware(recorder: recorder))
        addRoutes(to: router, recorder: recorder)

        var logger = Logger(label: "loopback-server")
        // Stopping by cancellation makes Hummingbird log errors about abandoned connections; they are expected.
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                throw LoopbackServerError.didNotStart
            }
            return try await body(LoopbackServer(port: port, recorder: recorder))
        }
    }

    private static func addRoutes(to router: Router<LoopbackRequestContext>, recorder: Recorder) {
        router.on("/echo", method: .get, use: echo)
        router.on("/echo", method: .post, use: echo)
        router.on("/echo", method: .put, use: echo)
        router.on("/echo", method: .patch, use: echo)
        router.on("/echo", method: .delete, use: echo)
        router.get("/slow") { _, _ -> Response in
            await recorder.slowStarted()
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "late")))
        }
        router.get("/redirect") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/echo"])
        }
        router.on("/scripted/{key}", method: .get) { _, context -> Response in
            let key = context.parameters.get("key") ?? ""
            let scripted = await recorder.nextScripted(key)
            var headers = HTTPFields()
            for (name, value) in scripted.headers {
                if let fieldName = HTTPField.Name(name) {
                    headers[fieldName] = value
                }
            }
            return Response(
                status: scripted.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: scripted.body)))
        }
    }

    @Sendable private static func echo(_ request: Request, _ context: LoopbackRequestContext) async throws -> Response {
        let received = try await request.body.collect(upTo: 1024 * 1024)
        let statusCode = request.uri.queryParameters.get("status", as: Int.self) ?? 200
        var headers = HTTPFields()
        headers[.xEchoMethod] = request.method.rawValue
        headers[.xEchoTest] = request.headers[.xTest] ?? ""
        headers[.xEchoContentType] = request.headers[.contentType] ?? ""
        let body = received.readableBytes > 0 ? received : ByteBuffer(string: "method:\(request.method.rawValue)")
        return Response(status: .init(code: statusCode), headers: headers, body: .init(byteBuffer: body))
    }
}

enum LoopbackServerError: Error {
    case didNotStart
}

/// Request context that remembers the client's port, so tests can tell whether connections were reused.
struct LoopbackRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remotePort: Int?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remotePort = source.channel.remoteAddress?.port
    }
}

struct RecordingMiddleware: RouterMiddleware {
    typealias Context = LoopbackRequestContext
    let recorder: LoopbackServer.Recorder

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        await recorder.saw(remotePort: context.remotePort)
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    // Force unwraps are fine in tests: these literals are valid field names.
    static let xTest = HTTPField.Name("X-Test")!
    static let xEchoMethod = HTTPField.Name("X-Echo-Method")!
    static let xEchoTest = HTTPField.Name("X-Echo-Test")!
    static let xEchoContentType = HTTPField.Name("X-Echo-Content-Type")!
}
