import Logging

extension FakeBotFrameworkIssuer {
    /// The issuer on 127.0.0.1 (for tests of the validator): the loopback ``FakeTeams`` server with this issuer's
    /// routes mounted, so there is one way a fake is served. Stop it with ``stop()``.
    public final class Server: Sendable {
        let host: FakeTeams

        init(host: FakeTeams) {
            self.host = host
        }

        public var port: Int { host.port }

        /// `http://127.0.0.1:PORT`.
        public var baseURL: String { host.tokenBaseURL }

        /// The OpenID metadata URL to configure the validator with.
        public var openIDMetadataURL: String { baseURL + FakeBotFrameworkIssuer.metadataPath }

        /// Stops the server and waits until it has.
        public func stop() async { await host.stop() }
    }

    /// Serves this issuer's routes on 127.0.0.1 with an ephemeral port.
    public func start(logger: Logger? = nil) async throws -> Server {
        Server(host: try await FakeTeams.start(logger: logger, extraRoutes: { self.register(on: $0) }))
    }
}
