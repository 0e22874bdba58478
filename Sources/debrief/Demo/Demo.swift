import ArgumentParser
import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefSlack
import DebriefStore
import DebriefStoreSQLite
import Foundation
import Logging
import ServiceLifecycle

/// `debrief demo`: the whole product in one command, with no Slack or Teams account and no configuration.
///
/// Starts the real server (the same `buildApplication` as `debrief serve`) on a temporary SQLite database,
/// against an in-process fake Slack (`--platform slack`, the default), a fake Microsoft Teams (`teams`: the Bot
/// Connector and the Bot Framework token issuer, every activity signed with its key), or both (`both`: half
/// the people on each, one organisation, the org-wide digest posted to both), with a simulated clock.
/// A synthetic organisation gets trainings registered through the admin API (Slack) or typed to the bot by an
/// admin (Teams); role levels and teams come from the configured user groups (`DEBRIEF_ROLE_GROUPS`,
/// `DEBRIEF_TEAM_GROUPS`: Slack user groups, or in Teams the teams the bot was added to), which the fakes
/// answer; the job worker sends nudges; synthetic people answer some of them with signed Slack requests
/// (button, then form) or signed Teams `invoke` activities (Reflect, then Save on the form) and reflect on
/// their own with `/reflect` or by typing `reflect`; the digest scheduler posts weekly digests to the leadership
/// and team channels. Then it prints what went each way and saves a digest page fetched through its signed
/// link.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Simulate weeks of nudges, reflections and digests for a synthetic organisation (no Slack or Teams needed)."
    )

    @Option(
        help:
            "People in the synthetic organisation (60–1000; a debug build needs roughly 12 s per 100 people for 4 weeks)."
    )
    var people = 200

    @Option(help: "Simulated weeks (2–12); a digest is posted after each.")
    var weeks = 4

    @Option(help: "Seed for the synthetic organisation and everyone's behaviour; the same seed gives the same run.")
    var seed: UInt64 = 2026

    @Option(
        help:
            "Where the organisation works: slack, teams (Microsoft Teams), or both (half in each, one organisation)."
    )
    var platform: DemoPlatformChoice = .slack

    @Option(help: "Log level of the server's own messages on stderr.")
    var logLevel = "error"

    func validate() throws {
        guard (60...1000).contains(people) else { throw ValidationError("--people must be between 60 and 1000") }
        guard (2...12).contains(weeks) else { throw ValidationError("--weeks must be between 2 and 12") }
    }

    /// Monday 2 November 2026, 08:00 in Berlin (the organisation's zone): the pilot starts this week.
    static let start = Date(timeIntervalSince1970: 1_793_602_800)
    static let signingSecret = "debrief-demo-signing-secret"
    static let botToken = "xoxb-debrief-demo"
    static let adminToken = "debrief-demo-admin-token-0123456789"
    /// Simulated minutes per step: nudges go out in people's 09:30–11:00 windows, so a step is short.
    static let step: TimeInterval = 10 * 60

    func run() async throws {
        let wall = ContinuousClock.now
        let logger = Bootstrap.logging(level: logLevel)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-demo-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let organisation = DemoOrganisation.generate(people: people, weeks: weeks, start: Self.start, seed: seed)
            .on(platform)
        let fakes = try await DemoFakes.start(organisation: organisation, platform: platform, token: Self.botToken)

        let clock = ManualClock(Self.start)
        // Port 0: the server binds a free port, and digest links name the port it bound.
        var configuration = DebriefConfiguration(
            database: .sqliteFile(path: directory.appendingPathComponent("demo.sqlite").path), logLevel: logLevel,
            http: HTTPConfiguration(host: "127.0.0.1", port: 0),
            privacy: PrivacyConfiguration(pseudonymKey: "debrief-demo-pseudonym-key-\(seed)"))
        configuration.http.adminTokens = [Self.adminToken]
        configuration.organisationTimeZone = TimeZone(identifier: DemoOrganisation.organisationZone) ?? .gmt
        configuration.digests.linkSecret = "debrief-demo-digest-links-\(seed)"
        fakes.configure(&configuration, organisation: organisation, signingSecret: Self.signingSecret)

        Curl.globalInit()
        let serverHTTP = CurlHTTPClient(configuration: .init(honoursProxyEnvironment: false), logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let dependencies = DebriefDependencies(
            httpClient: serverHTTP, clock: clock, logger: logger,
            onServerRunning: { port in portContinuation.yield(port) })
        let built = try await buildApplication(configuration, dependencies: dependencies)
        let group = ServiceGroup(
            configuration: .init(services: [built.application], gracefulShutdownSignals: [], logger: logger))
        let serverTask = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let boundPort = await iterator.next() else { throw DemoError("the server did not start") }

        let client = CurlHTTPClient(configuration: .init(honoursProxyEnvironment: false), logger: logger)
        let requests = DemoRequests(
            client: client, port: boundPort, signer: SlackSignatureVerifier(signingSecret: Self.signingSecret),
            clock: clock, adminToken: Self.adminToken, slack: fakes.slack)
        let teamsRequests = fakes.teams.map {
            DemoTeamsRequests(client: client, port: boundPort, clock: clock, teams: $0)
        }
        let simulation = DemoSimulation(
            organisation: organisation, requests: requests, teamsRequests: teamsRequests, slack: fakes.slack,
            teams: fakes.teams, store: built.store, clock: clock, seed: seed, step: Self.step)

        let outcome: Result<Bool, any Error>
        do {
            let zone = configuration.organisationTimeZone
            let digestTimes = (0...weeks).map { week -> (at: Date, week: WeekKey) in
                let at = Self.start.addingTimeInterval(Double(week) * 7 * 86_400 + 3_600)
                return (at, WeekKey(containing: at.addingTimeInterval(-7 * 86_400), in: zone))
            }
            let end = Self.start.addingTimeInterval(Double(weeks) * 7 * 86_400 + 2 * 3_600)
            print(
                "debrief demo: \(people) synthetic people, \(weeks) simulated weeks from Monday 2 November 2026, seed \(seed)"
            )
            print("Running the real server on 127.0.0.1:\(boundPort) against \(platform.fakesPhrase) …")
            try await simulation.installTeams { line in print(line) }
            try await simulation.assignRoles { line in print(line) }
            try await simulation.run(until: end, digestTimes: digestTimes) { line in print(line) }
            let report = DemoReport(
                organisation: organisation, simulation: simulation, requests: requests, directory: directory,
                weeks: digestTimes.map(\.week), started: wall, platform: platform)
            outcome = .success(try await report.print())
            DemoHabit.printSummary()
        } catch {
            outcome = .failure(error)
        }
        await shutdown(group: group, task: serverTask, client: client, fakes: fakes)
        switch outcome {
        case .success(let passed):
            if !passed { throw ExitCode(1) }
        case .failure(let error):
            throw error
        }
    }

    func shutdown(group: ServiceGroup, task: Task<Void, any Error>, client: CurlHTTPClient, fakes: DemoFakes) async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await client.shutdown()
        await fakes.stop()
    }
}
