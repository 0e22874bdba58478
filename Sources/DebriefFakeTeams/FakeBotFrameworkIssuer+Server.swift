import Hummingbird
import Logging
import Synchronization

extension FakeBotFrameworkIssuer {
    /// The issuer running alone on 127.0.0.1 (for tests of the validator); stop it with ``stop()``.
    public final class Server: Sendable {
        public let port: Int
        private let task: Mutex<Task<Void, any Error>?>

        init(port: Int, task: Task<Void, any Error>) {
            self.port = port
            self.task = Mutex(task)
        }

        /// `http://127.0.0.1:PORT`.
        public var baseURL: String { "http://127.0.0.1:\(port)" }

        /// The OpenID metadata URL to configure the validator with.
        public var openIDMetadataURL: String { baseURL + FakeBotFrameworkIssuer.metadataPath }

        /// Stops the server and waits until it has.
        public func stop() async {
            let running = task.withLock { task in
                defer { task = nil }
                return task
            }
            guard let running else { return }
            running.cancel()
            _ = await running.result
        }
    }

    /// Serves this issuer's routes on 127.0.0.1 with an ephemeral port.
    public func start(logger: Logger? = nil) async throws -> Server {
        var quietLogger = logger ?? Logger(label: "FakeBotFrameworkIssuer")
        // Cancelling the server task logs shutdown noise at error level; only show real trouble.
        if logger == nil { quietLogger.logLevel = .critical }
        let router = Router()
        register(on: router)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname("127.0.0.1", port: 0), serverName: "FakeBotFrameworkIssuer"),
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
            throw FakeIssuerError.couldNotStart
        }
        return Server(port: port, task: task)
    }
}
