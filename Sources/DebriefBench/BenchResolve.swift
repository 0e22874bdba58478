import ArgumentParser
import DebriefCore
import DebriefFakeSlack
import DebriefHTTP
import DebriefServer
import DebriefSlack
import DebriefStore
import DebriefStoreSQLite
import Foundation
import HTTPTypes
import Logging
import Synchronization

/// `debrief bench resolve`: large trainings resolving while the server must keep answering.
///
/// A loopback fake Slack holds `--trainings` user groups of `--participants` people each. The server (a
/// separate `debrief serve` process on a temporary database) is sent one training per group over the admin
/// API, and while their participants are resolved and their nudges planned the bench measures:
/// - `/healthz` latency, probed back to back every few milliseconds (target: max < 100 ms);
/// - the acknowledgement of a signed `/reflect <text>` (which writes a reflection) every 100 ms (target: < 1 s,
///   Slack's limit is 3 s);
/// then registers the first group once more, sends SIGTERM while that resolution runs (target: exit within
/// 5 s), restarts the server on the same database and checks that the interrupted training is scheduled in
/// full, exactly once.
struct BenchResolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Responsiveness while large trainings resolve, and SIGTERM during a resolution.")

    @Option(help: "People in each training's user group.")
    var participants = 100_000

    @Option(help: "Trainings registered at once (each with its own user group).")
    var trainings = 2

    @Option(help: "Milliseconds between two /healthz probes.")
    var healthzInterval = 10

    @Option(help: "Milliseconds between two signed /reflect commands.")
    var reflectInterval = 100

    @Option(help: "Seconds to wait for the trainings to be scheduled.")
    var timeout: Double = 900

    @Option(help: "Another debrief executable to run as the server (e.g. an older build, to compare).")
    var server: String?

    @Flag(help: "Skip the SIGTERM-and-restart part.")
    var skipShutdown = false

    @Flag(help: "Keep the temporary directory (database, server logs) and print its path.")
    var keep = false

    static let healthzTarget = Duration.milliseconds(100)
    static let reflectTarget = Duration.seconds(1)
    static let exitTarget = Duration.seconds(5)

    func validate() throws {
        guard (1...1_000_000).contains(participants) else {
            throw ValidationError("--participants must be between 1 and 1000000")
        }
        guard (1...10).contains(trainings) else { throw ValidationError("--trainings must be between 1 and 10") }
        guard healthzInterval >= 0, reflectInterval >= 1 else {
            throw ValidationError("--healthz-interval must be ≥ 0 and --reflect-interval ≥ 1")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-resolve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            if !keep { try? FileManager.default.removeItem(at: directory) }
        }
        let token = "xoxb-bench-\(UUID().uuidString.lowercased())"
        let setup = BenchSetup(
            databasePath: directory.appendingPathComponent("bench.sqlite").path, token: token,
            adminToken: "bench-admin-\(UUID().uuidString)", signingSecret: "bench-signing-\(UUID().uuidString)")
        let fake = try await startFakeSlack(token: token)
        Curl.globalInit()
        let client = CurlHTTPClient(logger: Logger(label: "debrief-bench"))
        print(
            "fake Slack on 127.0.0.1:\(fake.port): \(trainings) user groups of \(participants) people"
                + " (\(participants * trainings) in the directory);"
                + " server \(server ?? "the debrief beside debrief-bench")")
        var failed = false
        do {
            failed = try await measure(setup: setup, fake: fake, client: client, directory: directory)
        } catch {
            print("bench failed: \(error)")
            failed = true
        }
        await client.shutdown()
        await fake.stop()
        if keep { print("kept \(directory.path)") }
        if failed { throw ExitCode(1) }
    }

    struct BenchSetup {
        var databasePath: String
        var token: String
        var adminToken: String
        var signingSecret: String
    }

    static func groupID(_ index: Int) -> String { "S0BENCH\(index + 1)" }

    func startFakeSlack(token: String) async throws -> FakeSlack {
        let slack = try await FakeSlack.start(token: token)
        slack.setRecordsCalls(false)
        slack.setAutoCreateUsers(false)
        let zones = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"]
        let ids = (1...(participants * trainings)).map { String(format: "U%07d", $0) }
        slack.setUsers(
            ids.enumerated().map { index, id in
                FakeSlack.User(id: id, name: "bench\(index)", timeZone: zones[index % zones.count])
            })
        for group in 0..<trainings {
            slack.setUsergroup(
                Self.groupID(group), users: Array(ids[(group * participants)..<((group + 1) * participants)]))
        }
        return slack
    }

    // MARK: - Phases

    /// The server's pseudonym key; the bench opens the database with it too (platform ids are sealed with it).
    static let pseudonymKey = "bench-pseudonym-key-0123456789"

    func environment(_ setup: BenchSetup, fake: FakeSlack) -> [String: String] {
        ConfigurationKey.environment([
            .slackSigningSecret: setup.signingSecret, .slackBotToken: setup.token, .slackAPIURL: fake.baseURL,
            .databaseURL: "sqlite://\(setup.databasePath)",
            .pseudonymKey: Self.pseudonymKey, .host: "127.0.0.1", .port: "0",
            .logLevel: "info", .adminTokens: setup.adminToken, .timeZone: "UTC",
            .holidays: "", .configFile: "",
        ])
    }

    /// Returns whether a target was missed or something went wrong.
    func measure(setup: BenchSetup, fake: FakeSlack, client: CurlHTTPClient, directory: URL) async throws -> Bool {
        let env = environment(setup, fake: fake)
        let first = try BenchServer.start(
            environment: env, logFile: directory.appendingPathComponent("server-1.log"), executable: server)
        var running: BenchServer? = first
        defer { if let running, running.process.isRunning { _ = running.terminate() } }
        let api = AdminClient(client: client, port: first.port, token: setup.adminToken)
        let reflect = ReflectClient(client: client, port: first.port, secret: setup.signingSecret)

        // Phase 1: the trainings resolve while the probes run.
        let healthz = LatencyRecorder()
        let acks = LatencyRecorder()
        let probes = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await Self.probe(every: .milliseconds(healthzInterval), into: healthz) { try await api.healthz() }
                }
                group.addTask {
                    var count = 0
                    await Self.probe(every: .milliseconds(reflectInterval), into: acks) {
                        count += 1
                        return try await reflect.send(
                            "used AI to summarise a long thread, note \(count)", user: "UBENCHR\(count % 50)")
                    }
                }
            }
        }
        let started = ContinuousClock.now
        var ids: [String] = []
        for group in 0..<trainings {
            ids.append(try await api.register(title: "Bench cohort \(group + 1)", group: Self.groupID(group)))
        }
        let wal = setup.databasePath + "-wal"
        let (scheduledAfter, largestWAL) = try await waitUntilScheduled(
            ids, api: api, since: started, server: first, walPath: wal)
        probes.cancel()
        await probes.value
        let peak = first.peakMemoryKiB()
        let cpu = first.cpuSeconds()

        var missed = false
        print("")
        for (index, seconds) in scheduledAfter.enumerated() {
            print(
                "training \(index + 1): \(participants) people scheduled \(Self.format(seconds)) s after registration")
        }
        let summaries = try await api.summaries()
        let total = summaries.reduce(0) { $0 + $1.participants }
        let nudges = summaries.reduce(0) { $0 + $1.nudgesPlanned }
        print("stored: \(total) participants (expected \(participants * trainings)), \(nudges) nudges planned")
        missed = missed || total != participants * trainings
        missed = report("/healthz while resolving", healthz, target: Self.healthzTarget) || missed
        missed = report("/reflect ack while resolving", acks, target: Self.reflectTarget) || missed
        if let cpu {
            print(
                "server CPU: \(Self.format(cpu.user + cpu.system)) s in \(Self.format(scheduledAfter.max() ?? 0)) s;"
                    + " peak memory \(peak.map { "\($0 / 1024) MiB" } ?? "unknown");"
                    + " largest write-ahead log \(largestWAL >> 20) MiB;"
                    + " database \(Self.fileSize(setup.databasePath) >> 20) MiB")
        }
        guard !skipShutdown else {
            running = nil
            let exit = Self.terminate(first, within: .seconds(60))
            print(
                "SIGTERM (idle): exit \(exit.status.map(String.init) ?? "none") after \(Self.milliseconds(exit.after)) ms"
            )
            return missed
        }

        // Phase 2: the first cohort's second session, interrupted by SIGTERM while it resolves.
        let listCallsBefore = fake.traffic.calls["users.list"] ?? 0
        let pagesPerDirectory = (participants * trainings + 999) / 1_000
        let again = try await api.register(title: "Bench cohort 1, second session", group: Self.groupID(0))
        let phase2 = ContinuousClock.now
        // The directory is read once per resolution; once it is, the planning and the batches are under way.
        while (fake.traffic.calls["users.list"] ?? 0) < listCallsBefore + pagesPerDirectory {
            guard first.process.isRunning, ContinuousClock.now - phase2 < .seconds(timeout) else {
                throw BenchServer.StartError(description: "the second resolution never read the directory")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(500))
        let interruptedAfter = ContinuousClock.now - phase2
        running = nil
        let exit = Self.terminate(first, within: .seconds(60))
        let exitOK = exit.status != nil && exit.after < Self.exitTarget
        missed = missed || !exitOK
        let store = try SQLiteStore(
            location: .file(path: setup.databasePath), pseudonymKey: .configured(Self.pseudonymKey))
        let partial = try await store.trainingSummaries().first { $0.training.id == again }?.participants ?? 0
        let wasScheduled = try await store.resolutionReport(of: again) != nil
        print("")
        print(
            "SIGTERM \(Self.format(Self.seconds(interruptedAfter))) s into a resolution of \(participants) people"
                + " (\(partial) stored so far\(wasScheduled ? ", already scheduled" : "")):"
                + " exit \(exit.status.map(String.init) ?? "none (killed)") after \(Self.milliseconds(exit.after)) ms"
                + "   target < \(Self.milliseconds(Self.exitTarget)) ms  \(exitOK ? "ok" : "MISSED")")

        // Phase 3: restart on the same database; the interrupted job resumes.
        let second = try BenchServer.start(
            environment: env, logFile: directory.appendingPathComponent("server-2.log"), executable: server)
        running = second
        let restarted = ContinuousClock.now
        let resumedAPI = AdminClient(client: client, port: second.port, token: setup.adminToken)
        let (resumedAfter, _) = try await waitUntilScheduled([again], api: resumedAPI, since: restarted, server: second)
        let resumed = try await resumedAPI.summaries().first { $0.id == again }
        let resumedParticipants = resumed?.participants ?? 0
        print(
            "after a restart the interrupted training was scheduled in \(Self.format(resumedAfter.first ?? 0)) s:"
                + " \(resumedParticipants) participants (expected \(participants)), \(resumed?.nudgesPlanned ?? 0) nudges planned"
        )
        missed = missed || resumedParticipants != participants
        running = nil
        let idleExit = Self.terminate(second, within: .seconds(60))
        print(
            "SIGTERM (idle): exit \(idleExit.status.map(String.init) ?? "none") after \(Self.milliseconds(idleExit.after)) ms"
        )
        return missed
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Polls each training until it is scheduled; returns the seconds from `since` for each, and the
    /// largest size of the file at `walPath` (the SQLite write-ahead log) seen meanwhile.
    func waitUntilScheduled(
        _ ids: [String], api: AdminClient, since: ContinuousClock.Instant, server: BenchServer, walPath: String? = nil
    ) async throws -> (seconds: [Double], largestWAL: Int) {
        var done: [String: Double] = [:]
        var largestWAL = 0
        let deadline = since + .seconds(timeout)
        while done.count < ids.count {
            if let walPath { largestWAL = max(largestWAL, Self.fileSize(walPath)) }
            guard server.process.isRunning else { throw BenchServer.StartError(description: "the server exited") }
            guard ContinuousClock.now < deadline else {
                throw BenchServer.StartError(description: "not scheduled within \(Self.format(timeout)) s")
            }
            for id in ids where done[id] == nil {
                if try await api.isScheduled(id) { done[id] = Self.seconds(ContinuousClock.now - since) }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        return (ids.map { done[$0] ?? 0 }, largestWAL)
    }

    // MARK: - Probes

    /// Latencies of one kind of request, and how many failed (with the first failure's reason).
    final class LatencyRecorder: Sendable {
        private let state = Mutex<(samples: [Duration], failures: Int, firstFailure: String?)>(([], 0, nil))
        private let slowest = Mutex<[(at: Date, took: Duration)]>([])

        /// The five slowest requests with the wall-clock time they started, to match against the server log.
        var worst: [(at: Date, took: Duration)] { slowest.withLock { $0 } }

        func record(_ duration: Duration, failure: String?) {
            slowest.withLock { worst in
                worst.append((Date().addingTimeInterval(-BenchResolve.seconds(duration)), duration))
                worst.sort { $0.took > $1.took }
                if worst.count > 5 { worst.removeLast() }
            }
            state.withLock {
                $0.samples.append(duration)
                if let failure {
                    $0.failures += 1
                    if $0.firstFailure == nil { $0.firstFailure = failure }
                }
            }
        }

        var samples: [Duration] { state.withLock { $0.samples } }
        var failures: Int { state.withLock { $0.failures } }
        var firstFailure: String? { state.withLock { $0.firstFailure } }
    }

    /// Sends requests one after another, `interval` apart, until cancelled. A request that throws counts as
    /// failed with the time it took.
    static func probe(every interval: Duration, into recorder: LatencyRecorder, _ request: () async throws -> Bool)
        async
    {
        while !Task.isCancelled {
            let started = ContinuousClock.now
            var failure: String?
            do {
                if try await !request() { failure = "unexpected status" }
            } catch {
                failure = "\(error)"
            }
            // The request in flight when the probe is stopped is cut short, not failed.
            if Task.isCancelled { return }
            recorder.record(ContinuousClock.now - started, failure: failure)
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    /// Prints count, p50, p99, max and failures beside the target; returns whether the target was missed.
    func report(_ label: String, _ recorder: LatencyRecorder, target: Duration) -> Bool {
        let sorted = recorder.samples.sorted()
        guard let maximum = sorted.last else {
            print("\(label): no samples")
            return true
        }
        func percentile(_ p: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] }
        let ok = maximum < target && recorder.failures == 0
        print(
            "\(label): \(sorted.count) requests, p50 \(Self.milliseconds(percentile(0.5))) ms,"
                + " p99 \(Self.milliseconds(percentile(0.99))) ms, max \(Self.milliseconds(maximum)) ms,"
                + " \(recorder.failures) failed   target max < \(Self.milliseconds(target)) ms  \(ok ? "ok" : "MISSED")"
        )
        if let failure = recorder.firstFailure { print("  first failure: \(failure)") }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        print(
            "  slowest: "
                + recorder.worst.map { "\(Self.milliseconds($0.took)) ms at \(formatter.string(from: $0.at))" }.joined(
                    separator: ", "))
        return !ok
    }

    /// SIGTERM, then waits up to `limit` for the process to exit (SIGKILL after that).
    static func terminate(_ server: BenchServer, within limit: Duration) -> (status: Int32?, after: Duration) {
        let started = ContinuousClock.now
        kill(server.pid, SIGTERM)
        while server.process.isRunning {
            if ContinuousClock.now - started > limit {
                kill(server.pid, SIGKILL)
                server.process.waitUntilExit()
                return (nil, ContinuousClock.now - started)
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return (server.process.terminationStatus, ContinuousClock.now - started)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = seconds(duration) * 1_000
        return value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// The admin API and `/healthz` of the server under test.
struct AdminClient: Sendable {
    let client: CurlHTTPClient
    let port: Int
    let token: String

    struct Summary {
        var id: String
        var participants: Int
        var nudgesPlanned: Int
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func healthz() async throws -> Bool {
        let response = try await client.execute(
            HTTPRequestSpec(method: .get, url: base + "/healthz", timeout: .seconds(30)))
        return response.status.code == 200
    }

    func register(title: String, group: String) async throws -> String {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        let ended = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3_600))
        let body: JSONValue = [
            "title": .string(title), "ended_at": .string(ended), "participants": ["usergroups": [.string(group)]],
        ]
        let response = try await client.execute(
            HTTPRequestSpec(
                method: .post, url: base + "/api/v1/trainings", headerFields: headers, body: body.encoded(),
                timeout: .seconds(30)))
        guard response.status.code == 202, let id = (try? JSONValue.decode(response.body))?["id"]?.stringValue else {
            throw BenchServer.StartError(
                description:
                    "POST /api/v1/trainings answered \(response.status.code): \(String(decoding: response.body, as: UTF8.self))"
            )
        }
        return id
    }

    func isScheduled(_ id: String) async throws -> Bool {
        let response = try await get("/api/v1/trainings/\(id)")
        return (try? JSONValue.decode(response.body))?["status"]?.stringValue == "scheduled"
    }

    func summaries() async throws -> [Summary] {
        let response = try await get("/api/v1/trainings")
        let list = (try? JSONValue.decode(response.body))?["trainings"]?.arrayValue ?? []
        return list.map {
            Summary(
                id: $0["id"]?.stringValue ?? "", participants: Int($0["participants"]?.numberValue ?? 0),
                nudgesPlanned: Int($0["nudges_planned"]?.numberValue ?? 0))
        }
    }

    private func get(_ path: String) async throws -> HTTPResponseData {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        return try await client.execute(
            HTTPRequestSpec(method: .get, url: base + path, headerFields: headers, timeout: .seconds(60)))
    }
}

/// Signed `/reflect <text>` slash commands, as Slack sends them.
struct ReflectClient: Sendable {
    let client: CurlHTTPClient
    let port: Int
    let secret: String

    func send(_ text: String, user: String) async throws -> Bool {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let body = Data(
            ("token=x&team_id=T0001&team_domain=bench&channel_id=D0001&channel_name=directmessage"
                + "&user_id=\(user)&user_name=bench&command=%2Freflect&text=\(encoded)&api_app_id=A0001"
                + "&is_enterprise_install=false&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT%2F1%2Fx"
                + "&trigger_id=1.2.x").utf8)
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let name = HTTPField.Name("X-Slack-Request-Timestamp") { headers[name] = timestamp }
        if let name = HTTPField.Name("X-Slack-Signature") {
            headers[name] = SlackSignatureVerifier(signingSecret: secret).sign(body: body, timestamp: timestamp)
        }
        let response = try await client.execute(
            HTTPRequestSpec(
                method: .post, url: "http://127.0.0.1:\(port)/slack/events", headerFields: headers, body: body,
                timeout: .seconds(30)))
        return response.status.code == 200
    }
}
