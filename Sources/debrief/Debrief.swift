import ArgumentParser
import DebriefHTTP
import DebriefServer
import DebriefStore
import Foundation
import Logging
import Metrics
import Prometheus

/// The `debrief` command: the server, its maintenance commands and its benchmarks.
@main
struct Debrief: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debrief",
        abstract: "Post-training AI reflection nudges and anonymized digests for Slack.",
        subcommands: [Serve.self, Migrate.self, Digest.self, Prompts.self, Jobs.self, Bench.self, Demo.self],
        defaultSubcommand: nil)
}

/// Options shared by commands that read the configuration.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "YAML configuration file (overrides DEBRIEF_CONFIG).")
    var config: String?

    @Option(name: .customLong("database-url"), help: "Database URL (overrides DEBRIEF_DATABASE_URL).")
    var databaseURL: String?

    func flags() -> [String: String] {
        var flags: [String: String] = [:]
        if let config { flags[ConfigurationKey.configFile.rawValue] = config }
        if let databaseURL { flags[ConfigurationKey.databaseURL.rawValue] = databaseURL }
        return flags
    }
}

/// Loads configuration or exits with the message naming the key at fault (exit code 78, EX_CONFIG).
func loadConfiguration(flags: [String: String]) async throws -> DebriefConfiguration {
    do {
        return try await DebriefConfiguration.load(flags: flags)
    } catch {
        FileHandle.standardError.write(Data("debrief: \(error)\n".utf8))
        throw ExitCode(78)
    }
}

/// Logging and metrics are process-wide: only the executable bootstraps them, once.
enum Bootstrap {
    static func logging(level: String) -> Logger {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = LazyMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = logLevel
            return handler
        }
        return Logger(label: "debrief")
    }

    static func metrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP server (Slack events, health, metrics). SIGTERM drains in-flight work and exits 0.")

    @OptionGroup var options: ConfigurationOptions

    @Option(help: "Address to listen on (overrides DEBRIEF_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (overrides DEBRIEF_PORT; default 8080; 0 picks a free port).")
    var port: Int?

    func run() async throws {
        EventLoopThreads.configure()
        var flags = options.flags()
        if let host { flags[ConfigurationKey.host.rawValue] = host }
        if let port { flags[ConfigurationKey.port.rawValue] = String(port) }
        let configuration = try await loadConfiguration(flags: flags)
        let logger = Bootstrap.logging(level: configuration.logLevel)
        let registry = Bootstrap.metrics()
        Curl.globalInit()
        let http = CurlHTTPClient(logger: logger)
        let clock = DebriefClock(simulation: configuration.clockSimulation)
        if let simulation = configuration.clockSimulation {
            logger.warning(
                "simulated clock is on (testing only)",
                metadata: ["start": "\(simulation.start)", "speed": "\(simulation.speed)"])
        }
        let built = try await buildApplication(
            configuration,
            dependencies: DebriefDependencies(
                httpClient: http, clock: clock, metricsRegistry: registry, logger: logger,
                onServerRunning: { port in
                    logger.info(
                        "debrief is listening",
                        metadata: [
                            "address": "\(configuration.http.host):\(port)",
                            "database": "\(configuration.database)",
                        ])
                }))
        try await built.runUntilSignalled()
        logger.info("debrief stopped")
    }
}
