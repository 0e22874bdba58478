import ArgumentParser
import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import Foundation
import HTTPTypes
import Logging

/// `debrief bench replicas`: the multi-process proof for several replicas on one database (issue #12).
///
/// N `debrief serve` processes share a fresh database, one fake Slack (with Slack's workspace rate limit) and one
/// simulated clock. A training for a large user group is registered on one replica and its people resolved (run 1,
/// Thursday evening, as `bench fanout` does); then the replicas are restarted a few simulated minutes before the
/// Friday d1 window closes (run 2), so most d1 nudges are overdue at once and the replicas' job workers compete for
/// them. Meanwhile signed `/reflect` commands go to the replicas in turn; one replica is SIGKILLed once a third of
/// the people were nudged and restarted on its port a couple of seconds later; the weekly digest comes due on
/// every replica's scheduler at the same simulated minute.
///
/// Verified afterwards: every person got their d1 nudge exactly once (a repeat is allowed only for a job the killed
/// replica had posted but not yet recorded, at most the jobs it had in flight); every acknowledged reflection is in
/// the database; the digest was posted once. Reported beside them: the fan-out rate as a share of the workspace
/// limit with N replicas, the 429s, each process's peak memory. Exit status 1 when anything was lost or repeated
/// beyond that bound, or a replica failed.
///
/// Each replica's limiter is its own (it is per process), so each gets `DEBRIEF_SLACK_SEND_RATE` = 0.97 × limit / N.
/// The killed replica's claimed jobs are taken over when their lease ends; the send run sets `DEBRIEF_JOB_LEASE`
/// (default 20 s) so that happens within the run, and keeps the simulated window open until well after it.
struct BenchReplicas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicas",
        abstract:
            "Several `debrief serve` on one database, one SIGKILLed mid-fan-out: nudges exactly once, reflections kept,"
            + " one digest.")

    @Option(
        help:
            "postgres://… : a fresh database on that server (dropped after unless --keep); `sqlite`: one shared file.")
    var databaseURL: String

    @Option(help: "`debrief serve` processes on the database.")
    var replicas = 3

    @Option(help: "People in the training's user group; each should get one d1 nudge.")
    var people = 2_000

    @Option(help: "The fake Slack's workspace limit for chat.postMessage, messages per second.")
    var limit: Double = 100

    @Option(help: "Signed /reflect commands sent to the replicas in turn during the fan-out.")
    var reflections = 2_000

    @Option(help: "/reflect requests in flight at once.")
    var concurrency = 8

    @Option(help: "SIGKILL one replica once this share of the people got their nudge (0 kills none).")
    var killAt = 0.33

    @Option(help: "Seconds between the SIGKILL and the restart on the same port.")
    var restartAfter: Double = 2

    @Option(help: "DEBRIEF_JOB_LEASE in the send run (seconds): when the killed replica's claimed jobs are taken over.")
    var lease = 20

    @Option(help: "Seconds to wait for the send run before reporting what happened so far.")
    var timeout: Double = 150

    @Flag(help: "Keep the temporary directory (server logs) and the database, and print where they are.")
    var keep = false

    /// `maximumConcurrency` of each server's job worker (`buildApplication`): the most jobs one process has claimed
    /// at once, so the most a SIGKILL can leave half done.
    static let jobsInFlightPerReplica = 16
    static let digestChannel = "C0BENCHDIGEST"
    /// The replica that is killed and restarted (the second, or the only one).
    var victim: Int { replicas > 1 ? 1 : 0 }

    /// The workspace's send rate the replicas share: 0.97 of the fake's limit, as `bench fanout` uses.
    var aggregateRate: Double { limit * 0.97 }
    var ratePerReplica: Double { (aggregateRate / Double(replicas) * 1000).rounded(.down) / 1000 }
    var bucketSize: Int { max(2, Int((limit / 5).rounded())) }

    /// The send run's simulated clock.
    ///
    /// - The real time the run needs: the limiter's time for everyone (people / rate) twice over (a debug build on
    ///   a busy 2-core machine sends at about half the limit: the run must not miss nudges because the window
    ///   closed), the restart, the lease after which the killed replica's jobs are taken over, and 20 s to spare.
    ///   The d1 window's remaining part lasts that long; the nudges planned in that remaining part (a few
    ///   percent) come due while the run goes on.
    /// - The speed is at most 4 (`bench fanout`'s reasoning: claiming and sending take real time, which a faster
    ///   clock turns into simulated minutes) and low enough that the remaining part fits in the 90-minute window.
    /// - The digest is due at the first whole minute after the backlog should have drained (× 1.4, plus the restart
    ///   and 10 s), so its post does not compete with the saturated fan-out for the workspace limit.
    struct SendClock {
        var speed: Double
        var windowLeft: TimeInterval
        var digestAt: Date
        var start: Date { BenchFanout.windowEnd.addingTimeInterval(-windowLeft) }

        init(people: Int, rate: Double, lease: Int, restartAfter: Double) {
            let drain = Double(people) / rate
            let real = drain * 2 + restartAfter + Double(lease) + 20
            speed = min(4, max(0.01, (5_000 / real * 100).rounded(.down) / 100))
            windowLeft = (speed * real).rounded()
            let start = BenchFanout.windowEnd.addingTimeInterval(-windowLeft)
            let due = start.addingTimeInterval(speed * (drain * 1.4 + restartAfter + 10))
            digestAt = Date(timeIntervalSince1970: (due.timeIntervalSince1970 / 60).rounded(.up) * 60)
        }

        /// `DEBRIEF_DIGEST_TIME` for ``digestAt`` (the organisation's zone is UTC).
        var digestTime: String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: digestAt)
            let days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            return String(
                format: "%@ %02d:%02d", days[((parts.weekday ?? 1) - 1) % 7], parts.hour ?? 0, parts.minute ?? 0)
        }
    }

    func validate() throws {
        guard (1...16).contains(replicas) else { throw ValidationError("--replicas must be from 1 to 16") }
        guard (1...99_999).contains(people) else { throw ValidationError("--people must be from 1 to 99999") }
        guard limit >= 1, limit <= 1_000 else { throw ValidationError("--limit must be from 1 to 1000") }
        guard SlackConfiguration.sendRates.contains(ratePerReplica) else {
            throw ValidationError("0.97 × --limit / --replicas must be at least 0.001 messages per second")
        }
        guard (0...1_000_000).contains(reflections), (1...256).contains(concurrency) else {
            throw ValidationError("--reflections must be from 0 to 1000000, --concurrency from 1 to 256")
        }
        guard killAt >= 0, killAt < 1 else { throw ValidationError("--kill-at must be from 0 to below 1") }
        guard restartAfter >= 0, restartAfter <= 600 else {
            throw ValidationError("--restart-after must be from 0 to 600 seconds")
        }
        guard DebriefConfiguration.jobLeaseSeconds.contains(lease) else {
            throw ValidationError(
                "--lease must be from \(DebriefConfiguration.jobLeaseSeconds.lowerBound) to"
                    + " \(DebriefConfiguration.jobLeaseSeconds.upperBound) seconds")
        }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be from above 0 to 86400") }
        guard databaseURL.hasPrefix("postgres") || databaseURL.hasPrefix("sqlite") else {
            throw ValidationError("--database-url must be a postgres:// URL (or `sqlite` for development)")
        }
        do {
            try BenchDatabase.validate(option: databaseURL)
        } catch {
            throw ValidationError("\(error)")
        }
        let clock = SendClock(people: people, rate: aggregateRate, lease: lease, restartAfter: restartAfter)
        guard clock.windowLeft <= 5_100 else {
            throw ValidationError("--people / --limit leave too little of the 90-minute window; raise --limit")
        }
    }

    func run() async throws {
        for zone in BenchFanout.zones {
            guard let timeZone = TimeZone(identifier: zone),
                timeZone.secondsFromGMT(for: BenchFanout.windowStart) == BenchFanout.zoneOffset
            else {
                throw BenchServer.StartError(description: "time zone \(zone) is not UTC+3 on this system's tz database")
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-replicas-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let database = try await BenchDatabase.create(option: databaseURL, directory: directory, name: "replicas")
        let token = "xoxb-bench-\(UUID().uuidString.lowercased())"
        let fake: BenchFakeSlack
        do {
            fake = try await BenchFakeSlack.start(
                settings: .init(
                    people: people, limitPerSecond: limit, burst: bucketSize, token: token, zones: BenchFanout.zones))
        } catch {
            await database.drop()
            throw error
        }
        Curl.globalInit()
        let client = CurlHTTPClient(logger: Logger(label: "debrief-bench"))
        let sendClock = SendClock(people: people, rate: aggregateRate, lease: lease, restartAfter: restartAfter)
        let secret = "bench-signing-secret-\(UUID().uuidString)"
        let adminToken = "bench-admin-\(UUID().uuidString)"
        let environment = ConfigurationKey.environment([
            .slackSigningSecret: secret,
            .slackBotToken: token,
            .slackAPIURL: fake.baseURL,
            .databaseURL: database.url,
            .pseudonymKey: BenchIngest.pseudonymKey,
            .host: "127.0.0.1",
            .port: "0",
            .logLevel: "info",
            .adminTokens: adminToken,
            .timeZone: "UTC",
            .slackSendRate: String(ratePerReplica),
            .maxNudgesPerWeek: "2",
            .holidays: "",
            .leadershipChannel: Self.digestChannel,
            .digestTime: sendClock.digestTime,
            .configFile: "",  // no configuration file: only the values above
        ])
        print("backend:  \(database.backend)")
        print(
            "fake Slack on 127.0.0.1:\(fake.port): chat.postMessage limited to \(BenchFanout.format(limit))/s for the"
                + " workspace (burst \(bucketSize)); 429 with Retry-After: 1 beyond it")
        print(
            "replicas: \(replicas) × `debrief serve`, each DEBRIEF_SLACK_SEND_RATE=\(BenchFanout.format(ratePerReplica, digits: 3))"
                + " (the limiter is per process: together 0.97 of the limit)")

        var failed = false
        let phase1 = ReplicaSet(directory: directory)
        let phase2 = ReplicaSet(directory: directory)
        do {
            let registered = try await registerPhase(
                replicaSet: phase1, environment: environment, client: client, adminToken: adminToken)
            let sent = try await sendPhase(
                replicaSet: phase2, environment: environment, sendClock: sendClock, fake: fake, database: database,
                client: client, secret: secret)
            failed = report(registered: registered, sent: sent, fake: fake, sendClock: sendClock, phase1: phase1)
        } catch {
            phase1.terminateAll()
            phase2.terminateAll()
            print("bench failed: \(error)")
            failed = true
        }
        await client.shutdown()
        await fake.stop()
        if keep {
            print("kept \(directory.path) (server logs) and database \(database.name)")
        } else {
            await database.drop()
        }
        if failed { throw ExitCode(1) }
    }

    // MARK: - Run 1: register and resolve

    struct Registered {
        var participants: Int
        var planned: Int
        var seconds: Double
        /// The longest a status read took while the training was being resolved.
        var slowestStatusRead: Double
    }

    /// All replicas up on Thursday evening's clock; the training is registered on the first and its status read
    /// from the last (another process); the resolution job runs on whichever replica claims it.
    func registerPhase(
        replicaSet: ReplicaSet, environment: [String: String], client: CurlHTTPClient, adminToken: String
    ) async throws -> Registered {
        var env = environment
        env[ConfigurationKey.clockStart.environmentName] = ISO8601DateFormatter().string(
            from: BenchFanout.resolveClockStart)
        env[ConfigurationKey.clockSpeed.environmentName] = "1"
        for index in 0..<replicas {
            _ = try await replicaSet.launch(index: index, environment: env, label: "resolve")
        }
        print(
            "run 1 (register + resolve): replicas on ports \(replicaSet.ports.map(String.init).joined(separator: ", ")),"
                + " clock Thu 2026-11-19 16:00Z ×1")
        let ports = replicaSet.ports
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(adminToken)"
        headers[.contentType] = "application/json"
        let payload: JSONValue = [
            "title": "Bench replicas",
            "ended_at": .string(ISO8601DateFormatter().string(from: BenchFanout.trainingEnded)),
            "participants": ["usergroups": [.string(BenchFakeSlack.usergroupID)]],
        ]
        let started = ContinuousClock.now
        let created = try await client.execute(
            HTTPRequestSpec(
                method: .post, url: "http://127.0.0.1:\(ports[0])/api/v1/trainings", headerFields: headers,
                body: payload.encoded()))
        guard created.status.code == 202, let id = (try? JSONValue.decode(created.body))?["id"]?.stringValue else {
            throw BenchServer.StartError(
                description:
                    "POST /api/v1/trainings answered \(created.status.code): \(String(decoding: created.body, as: UTF8.self))"
            )
        }
        headers[.contentType] = nil
        let statusURL = "http://127.0.0.1:\(ports[ports.count - 1])/api/v1/trainings/\(id)"
        let deadline = ContinuousClock.now + .seconds(600)
        var summary: JSONValue = nil
        var slowestRead = Duration.zero
        while true {
            if let exit = replicaSet.unexpectedExits().first {
                throw BenchServer.StartError(
                    description: "replica \(exit.replica) exited with status \(exit.status) while resolving")
            }
            // A generous timeout: how long the status takes to read is reported, not what this run proves.
            let asked = ContinuousClock.now
            let response = try await client.execute(
                HTTPRequestSpec(method: .get, url: statusURL, headerFields: headers, timeout: .seconds(120)))
            slowestRead = max(slowestRead, ContinuousClock.now - asked)
            if response.status.code == 200, let body = try? JSONValue.decode(response.body),
                body["status"]?.stringValue == "scheduled"
            {
                summary = body
                break
            }
            guard ContinuousClock.now < deadline else {
                throw BenchServer.StartError(description: "the training was not scheduled within 10 minutes")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let seconds = BenchFanout.seconds(ContinuousClock.now - started)
        replicaSet.terminateAll()
        let participants = Int(summary["participants"]?.numberValue ?? 0)
        let planned = Int(summary["nudges_planned"]?.numberValue ?? 0)
        print(
            "  scheduled after \(BenchFanout.format(seconds, digits: 1)) s: \(participants) participants,"
                + " \(planned) nudges planned; slowest status read (GET /api/v1/trainings/<id> on replica"
                + " \(ports.count)) \(BenchFanout.format(BenchFanout.seconds(slowestRead), digits: 2)) s")
        return Registered(
            participants: participants, planned: planned, seconds: seconds,
            slowestStatusRead: BenchFanout.seconds(slowestRead))
    }

    // MARK: - Run 2: send, reflect, kill, restart

    /// What the send run saw.
    struct Sent {
        var timeline: ReplicaTimeline
        var samples: [BenchFanout.Sample]
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
        var outcome: String
        var complete: Bool
        var kill: Kill?
        var reflections: [ReflectionLoad.Result]
        var stored: Int
        var replicaSet: ReplicaSet
        var unexpectedExits: [(replica: Int, status: Int32)]
    }

    /// The SIGKILL and the restart.
    struct Kill {
        var at: ContinuousClock.Instant
        /// Nudge jobs claimed (running) across all replicas just before the kill: an upper bound of the killed
        /// replica's, with ``BenchReplicas/jobsInFlightPerReplica``.
        var runningJobs: Int
        /// People nudged when it happened.
        var nudged: Int
        /// Messages the fake had accepted once the killed process was gone: any later one is not from it.
        var postsBefore: Int
        var restarted: ContinuousClock.Instant?
    }

    func sendPhase(
        replicaSet: ReplicaSet, environment: [String: String], sendClock: SendClock, fake: BenchFakeSlack,
        database: BenchDatabase, client: CurlHTTPClient, secret: String
    ) async throws -> Sent {
        let timeline = ReplicaTimeline(start: sendClock.start, speed: sendClock.speed, origin: .now)
        var env = environment
        env[ConfigurationKey.clockSpeed.environmentName] = String(sendClock.speed)
        env[ConfigurationKey.jobLease.environmentName] = String(lease)
        func launch(_ index: Int) async throws {
            var launchEnvironment = env
            launchEnvironment[ConfigurationKey.clockStart.environmentName] = timeline.clockStartForLaunchNow()
            _ = try await replicaSet.launch(index: index, environment: launchEnvironment, label: "send")
        }
        for index in 0..<replicas { try await launch(index) }
        let local = DateFormatter()
        local.timeZone = TimeZone(secondsFromGMT: BenchFanout.zoneOffset)
        local.dateFormat = "EEE HH:mm:ss"
        local.locale = Locale(identifier: "en_US_POSIX")
        print(
            "run 2 (send): replicas on ports \(replicaSet.ports.map(String.init).joined(separator: ", ")); clock"
                + " \(local.string(from: sendClock.start)) local (\(BenchFanout.format(sendClock.windowLeft, digits: 0)) s"
                + " before the d1 window closes) ×\(BenchFanout.format(sendClock.speed)), one timeline for every replica;"
                + " DEBRIEF_JOB_LEASE=\(lease); digest due \(local.string(from: sendClock.digestAt)) local"
                + " (DEBRIEF_DIGEST_TIME=\(sendClock.digestTime) UTC)")

        let reader = try database.open(pseudonymKey: BenchIngest.pseudonymKey)
        defer { reader.close() }
        let store = reader.queue
        let progress = LoadProgress()
        let load = ReflectionLoad(
            requests: reflections, concurrency: concurrency,
            perSecond: Double(reflections) / max(5, Double(people) / aggregateRate), people: 500,
            signingSecret: secret, timeline: timeline)
        let ports = replicaSet.ports
        async let loadResults = load.run(client: client, ports: ports, progress: progress)

        var tally = PostTally(people: people, digestChannel: Self.digestChannel)
        var samples: [BenchFanout.Sample] = []
        var kill: Kill?
        let started = ContinuousClock.now
        let deadline = started + .seconds(timeout)
        var outcome = "timed out after \(BenchFanout.format(timeout)) s"
        var complete = false
        var settledSince: ContinuousClock.Instant?
        var lastProgress = started
        var unexpected: [(replica: Int, status: Int32)] = []
        while ContinuousClock.now < deadline {
            let now = ContinuousClock.now
            let simulated = timeline.simulated(at: now)
            let depth =
                (try? await store.queueDepth(now: simulated))?[JobKind.nudgeSend.rawValue] ?? JobDepth()
            samples.append(BenchFanout.Sample(at: now, due: depth.pendingDue, running: depth.running, cpuPressure: nil))
            tally.add(fake.posts(from: tally.seen))
            replicaSet.samplePeaks()
            let loadState = progress.snapshot

            if kill == nil, killAt > 0, tally.nudgedPeople >= Int((killAt * Double(people)).rounded(.up)) {
                let running =
                    (try? await store.queueDepth(now: timeline.simulated(at: .now)))?[JobKind.nudgeSend.rawValue]?
                    .running ?? depth.running
                let nudged = tally.nudgedPeople
                let at = ContinuousClock.now
                replicaSet.kill(victim)
                let postsBefore = fake.posts(from: 0).count
                kill = Kill(at: at, runningJobs: running, nudged: nudged, postsBefore: postsBefore)
                print(
                    "  \(BenchFanout.format(BenchFanout.seconds(at - started), digits: 1)) s: SIGKILL replica"
                        + " \(victim + 1) (port \(ports[victim])) after \(nudged) people were nudged;"
                        + " \(running) nudge jobs were claimed across the replicas")
            }
            if var killed = kill, killed.restarted == nil, now >= killed.at + .seconds(restartAfter) {
                try await launch(victim)
                killed.restarted = .now
                kill = killed
                print(
                    "  \(BenchFanout.format(BenchFanout.seconds(ContinuousClock.now - started), digits: 1)) s: replica"
                        + " \(victim + 1) restarted on port \(ports[victim])")
            }
            unexpected = replicaSet.unexpectedExits()
            if !unexpected.isEmpty {
                outcome =
                    "replica \(unexpected.map { String($0.replica) }.joined(separator: ", ")) exited on its own"
                break
            }
            let killDone = killAt == 0 || kill?.restarted != nil
            let settled =
                killDone && loadState.done && tally.nudgedPeople == people && depth.pendingDue == 0
                && depth.running == 0 && tally.digestPosts >= 1
            if settled {
                // Two more seconds of watching: a repeat (a second digest, a duplicate nudge) would come now.
                if let since = settledSince {
                    if now - since >= .seconds(2) {
                        outcome = "every person got their d1 nudge, the digest was posted, the load finished"
                        complete = true
                        break
                    }
                } else {
                    settledSince = now
                }
            } else {
                settledSince = nil
            }
            if loadState.done, depth.pendingDue == 0, depth.running == 0,
                simulated > BenchFanout.windowEnd.addingTimeInterval(120),
                simulated > sendClock.digestAt.addingTimeInterval(120)
            {
                outcome = "the send window closed with \(people - tally.nudgedPeople) people not nudged"
                break
            }
            if now - lastProgress >= .seconds(10) {
                lastProgress = now
                print(
                    "  \(BenchFanout.format(BenchFanout.seconds(now - started), digits: 0)) s: \(tally.nudgedPeople)"
                        + " people nudged, \(depth.pendingDue) due and waiting, \(depth.running) claimed;"
                        + " \(loadState.finished) of \(reflections) /reflect answered")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let ended = ContinuousClock.now
        let results = await loadResults
        replicaSet.terminateAll()
        tally.add(fake.posts(from: tally.seen))
        let stored = try await reader.reflections()
        return Sent(
            timeline: timeline, samples: samples, started: started, ended: ended, outcome: outcome, complete: complete,
            kill: kill, reflections: results, stored: stored, replicaSet: replicaSet, unexpectedExits: unexpected)
    }
}
