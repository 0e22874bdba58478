import ArgumentParser
import DebriefHTTP
import DebriefServer
import Foundation
import Logging

/// `debrief bench ingest`: reflections sent the way each chat platform sends them, against a real server in a
/// separate process.
///
/// Slack: signed `/reflect <text>` slash commands. Teams: `message` activities `reflect <text>` with Bot
/// Framework JWTs, verified with the cached signing key, answered through the fake Bot Connector. Reports
/// throughput, latency percentiles, the server's CPU per request and peak memory, and checks that every
/// acknowledged reflection is in the database afterwards (the "nothing accepted is lost" promise, measured).
/// `--platform both` runs Slack, then Teams, each on a fresh server and database, and prints them side by side.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Signed reflections (Slack, Teams or both) against `debrief serve` on loopback.")

    @Option(help: "Which inbound path to load: slack (signed slash commands), teams (JWT-signed activities) or both.")
    var platform: IngestSelection = .slack

    @Option(help: "Total requests to send (per platform).")
    var requests = 20_000

    @Option(help: "Requests in flight at once.")
    var concurrency = 32

    @Option(help: "Distinct people the requests come from.")
    var people = 500

    @Option(help: "Teams: distinct Connector tokens, reused round robin (the Bot Connector reuses one for an hour).")
    var teamsTokens = 4

    @Option(help: "Teams: token verifications timed in-process to price one with a cached key.")
    var verifications = 5_000

    @Option(
        help:
            "postgres://… : a fresh database on that PostgreSQL server for each run (dropped after); default SQLite.")
    var databaseURL: String?

    func validate() throws {
        guard (1...10_000_000).contains(requests), (1...1_000).contains(concurrency), (1...1_000_000).contains(people)
        else {
            throw ValidationError(
                "--requests must be from 1 to 10000000, --concurrency from 1 to 1000, --people from 1 to 1000000")
        }
        guard (1...100).contains(teamsTokens), (1...1_000_000).contains(verifications) else {
            throw ValidationError("--teams-tokens must be from 1 to 100, --verifications from 1 to 1000000")
        }
        do {
            try BenchDatabase.validate(option: databaseURL)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        Curl.globalInit()
        // One connection per request in flight, as Slack's and Teams' many senders have: with the client's default
        // of 8 per host, 24 of 32 "concurrent" requests waited inside curl and that wait counted as latency.
        let client = CurlHTTPClient(
            configuration: .init(maximumConnections: concurrency, maximumConnectionsPerHost: concurrency),
            logger: Logger(label: "debrief-bench"))
        let load = IngestLoad(requests: requests, concurrency: concurrency)
        var reports: [IngestReport] = []
        do {
            for platform in platform.platforms {
                let database = try await BenchDatabase.create(
                    option: databaseURL, directory: directory, name: platform.rawValue)
                let report: IngestReport
                do {
                    report =
                        switch platform {
                        case .slack:
                            try await SlackIngestRun(load: load, people: people).run(
                                database: database, client: client)
                        case .teams:
                            try await TeamsIngestRun(
                                load: load, people: people, tokens: teamsTokens, verifications: verifications
                            ).run(database: database, client: client)
                        }
                } catch {
                    await database.drop()
                    throw error
                }
                await database.drop()
                print(report.lines().joined(separator: "\n"))
                print("")
                reports.append(report)
            }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        if reports.count > 1 {
            print("side by side (same run, same machine, one after the other):")
            print(IngestReport.comparison(reports).joined(separator: "\n"))
        }
        if reports.contains(where: \.failed) { throw ExitCode(1) }
    }

    static let pseudonymKey = "bench-pseudonym-key-0123456789"

    /// The server settings every platform's run shares: its own database, an ephemeral port.
    static func serverSettings(database: BenchDatabase) -> [ConfigurationKey: String] {
        [
            .databaseURL: database.url,
            .pseudonymKey: pseudonymKey,
            .port: "0",
            .logLevel: "info",
        ]
    }

    /// Reflections in the database (read after the server has stopped).
    static func storedReflections(database: BenchDatabase) async throws -> Int {
        let reader = try database.open(pseudonymKey: pseudonymKey)
        defer { reader.close() }
        return try await reader.reflections()
    }

    /// CPU seconds (user + system) between two readings of the server's counters.
    static func cpuSpent(from before: (user: Double, system: Double)?, to after: (user: Double, system: Double)?)
        -> Double?
    {
        guard let before, let after else { return nil }
        return (after.user + after.system) - (before.user + before.system)
    }

    /// CPU time (user + system) of this whole process so far, seconds. While a timed loop that does no I/O runs
    /// alone, this is the loop's CPU.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
