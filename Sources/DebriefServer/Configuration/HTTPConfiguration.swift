import Hummingbird

/// The HTTP side: where the server listens, how large a request may be, and who may call the admin API.
///
/// The admin tokens sit here because they guard the one HTTP surface that is not Slack's (`/api/v1/…`); the
/// Slack-side admins are ``SlackConfiguration/adminUserIDs``.
public struct HTTPConfiguration: Sendable {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080

    /// `DEBRIEF_HOST` (`--host`).
    public var host: String
    /// `DEBRIEF_PORT` (`--port`); 0 picks a free port.
    public var port: Int
    /// Largest accepted inbound request body; Slack's own payloads are far smaller. Not configurable.
    public var maximumBodyBytes: Int
    /// `DEBRIEF_ADMIN_TOKENS`: bearer tokens accepted by the admin HTTP API (`/api/v1/…`).
    public var adminTokens: [String]

    public init(
        host: String = defaultHost, port: Int = defaultPort, maximumBodyBytes: Int = 1 << 20,
        adminTokens: [String] = []
    ) {
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.adminTokens = adminTokens
    }

    /// Hummingbird's server settings for this listener.
    public var application: ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(host, port: port), serverName: "debrief")
    }

    init(reading source: ConfigurationSource) throws(ConfigurationError) {
        self.init()
        host = source.text(.host) ?? host
        port =
            try source.read(.port) { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(
                    text, in: 0...65_535, otherwise: "must be a port number between 0 and 65535, got '\(text)'")
            } ?? port
        adminTokens = source.list(.adminTokens)
        if adminTokens.contains(where: { $0.utf8.count < 16 }) {
            throw .invalid(
                key: ConfigurationKey.adminTokens.environmentName,
                reason: "each token must be at least 16 characters long")
        }
    }
}
