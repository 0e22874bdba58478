import ArgumentParser
import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import Foundation
import HTTPTypes
import Logging

/// `debrief bench fanout`: one training for a large user group, its d1 nudges sent through the server's
/// per-workspace rate limiter to a loopback fake Slack that enforces a limit and answers 429 beyond it.
///
/// Reports the achieved send rate while the queue had more due sends than the limiter lets through (as
/// a fraction of the fake's limit), the 429s received, and the server's peak memory.
///
/// Why two server runs: nudges are spread over a 90-minute morning window per person (by pseudonym), so
/// sends become due evenly; a window that is saturated from start to end would leave its last people
/// unsent when it closes, and a missed d1 nudge is not deferred (the d3 stage falls on Monday, and a late
/// nudge must come before the next stage). Saturation happens in practice when sends pile up: a restart
/// after downtime or a training registered late in the window. So the bench registers and resolves the
/// training with the clock parked on Thursday evening (run 1), stops the server, and restarts it on the
/// same database with the clock a few minutes before the Friday window closes (run 2): most d1 nudges
/// (89–99%) are then overdue and catch up at once, the rest come due in the window's last minutes. See
/// ``SendClock`` for how the restart instant and the clock speed are chosen.
struct BenchFanout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Nudge DMs for one large training against a rate-limited loopback fake Slack.")

    @Option(help: "People in the training's user group; each should get one d1 nudge.")
    var people = 10_000

    @Option(help: "The fake Slack's workspace limit for chat.postMessage, messages per second.")
    var limit: Double = 50

    @Option(help: "DEBRIEF_SLACK_SEND_RATE for the server (default 0.97 × --limit; the server accepts 0.001–1000).")
    var rate: Double?

    @Option(help: "Messages the fake's token bucket holds (default a fifth of a second's worth, at least 2).")
    var burst: Int?

    @Option(
        help:
            "DEBRIEF_CLOCK_SPEED of the send run (default: at most 4, so the backlog drains with 40% of the window to spare)."
    )
    var clockSpeed: Double?

    @Option(help: "Seconds to wait for the sends before reporting what was sent so far.")
    var timeout: Double = 600

    @Flag(help: "Keep the temporary directory (database, server logs) and print its path.")
    var keep = false

    @Option(
        help:
            "postgres://… : a fresh database on that PostgreSQL server (dropped after unless --keep); default SQLite.")
    var databaseURL: String?

    @Option(
        help:
            "Write the send run's timeline as CSV (seconds,event,value: dm, 429, due, running, stall, cpu_pressure_us) to this file."
    )
    var timeline: String?

    /// All UTC+3 all year (no daylight-saving time), across Europe, Asia and Africa, so the Friday 09:30–11:00
    /// window is the same instant for everyone and still open when the send run starts.
    static let zones = [
        "Europe/Moscow", "Europe/Istanbul", "Europe/Minsk", "Asia/Riyadh", "Asia/Baghdad", "Asia/Qatar",
        "Africa/Nairobi",
    ]
    static let zoneOffset = 3 * 3600
    /// Thursday 18:00 local: the d1 stage is Friday, d3 falls on Sunday and moves to Monday.
    static let trainingEnded = instant("2026-11-19T15:00:00Z")
    /// Run 1: Thursday evening, real speed; nothing is due but the resolution job.
    static let resolveClockStart = instant("2026-11-19T16:00:00Z")
    /// Friday 09:30–11:00 local (default working hours, 90-minute send window).
    static let windowStart = instant("2026-11-20T06:30:00Z")
    static let windowEnd = instant("2026-11-20T08:00:00Z")

    /// When the send run's clock starts and how fast it runs.
    ///
    /// - The window's remaining part lasts `margin` (1.4) times as long in real time as the limiter needs
    ///   for everyone (people / rate), so the backlog drains before the window closes.
    /// - The speed is at most 4: a nudge planned in the window's last simulated second must still be claimed
    ///   and sent before the window closes; the worker wakes at the due time, but claiming and sending take
    ///   real time, which a faster clock turns into simulated seconds — an artefact of a fast clock, not of
    ///   the limiter.
    /// - At most 10 and at least 1 simulated minute of the window is left.
    struct SendClock {
        var speed: Double
        var windowLeft: TimeInterval
        var start: Date { BenchFanout.windowEnd.addingTimeInterval(-windowLeft) }

        static let margin = 1.4
        static let maximumSpeed = 4.0

        init(people: Int, rate: Double, speed requested: Double?) {
            let needed = Double(people) / rate * Self.margin
            speed = requested ?? max(0.01, (min(Self.maximumSpeed, 600 / needed) * 100).rounded() / 100)
            windowLeft = min(600, max(60, (speed * needed).rounded()))
        }
    }

    static func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    var sendRate: Double { rate ?? (limit * 0.97 * 1000).rounded() / 1000 }
    var bucketSize: Int { burst ?? max(2, Int((limit / 5).rounded())) }

    func validate() throws {
        guard (1...NudgeConfiguration.defaultMaximumParticipants).contains(people) else {
            throw ValidationError(
                "--people must be from 1 to \(NudgeConfiguration.defaultMaximumParticipants) (the most one training may"
                    + " have by default, DEBRIEF_MAX_PARTICIPANTS)")
        }
        // Bounded before anything is computed from them: `Int(limit / 5)` and `.seconds(timeout)` trap on
        // infinite or huge values.
        guard limit > 0, limit <= 10_000 else {
            throw ValidationError("--limit must be a number from above 0 to 10000")
        }
        guard SlackConfiguration.sendRates.contains(sendRate) else {
            throw ValidationError(
                "--rate (default 0.97 × --limit) must be from \(DebriefConfiguration.words(SlackConfiguration.sendRates))"
                    + " (what the server accepts)")
        }
        guard (1...100_000).contains(bucketSize) else { throw ValidationError("--burst must be from 1 to 100000") }
        if let clockSpeed, !DebriefConfiguration.clockSpeeds.contains(clockSpeed) {
            throw ValidationError(
                "--clock-speed must be from \(DebriefConfiguration.words(DebriefConfiguration.clockSpeeds))")
        }
        guard timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be from above 0 to 86400 seconds")
        }
        do {
            try BenchDatabase.validate(option: databaseURL)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        for zone in Self.zones {
            guard let timeZone = TimeZone(identifier: zone),
                timeZone.secondsFromGMT(for: Self.windowStart) == Self.zoneOffset
            else {
                throw BenchServer.StartError(description: "time zone \(zone) is not UTC+3 on this system's tz database")
            }
        }
        let sendClock = SendClock(people: people, rate: sendRate, speed: clockSpeed)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-fanout-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            if !keep { try? FileManager.default.removeItem(at: directory) }
        }
        let database = try await BenchDatabase.create(option: databaseURL, directory: directory, name: "bench")
        print("database:         \(database.backend)")
        let token = "xoxb-bench-\(UUID().uuidString.lowercased())"
        let adminToken = "bench-admin-\(UUID().uuidString)"

        let fake = try await BenchFakeSlack.start(
            settings: .init(people: people, limitPerSecond: limit, burst: bucketSize, token: token, zones: Self.zones))
        print(
            "fake Slack on 127.0.0.1:\(fake.port): chat.postMessage limited to \(Self.format(limit))/s for the workspace"
                + " (token bucket, burst \(bucketSize)); 429 with Retry-After: 1 beyond it")
        print(
            "server: DEBRIEF_SLACK_SEND_RATE=\(Self.format(sendRate)) (\(Self.format(sendRate / limit, digits: 3)) of the limit)"
        )
        let environment = ConfigurationKey.environment([
            .slackSigningSecret: "bench-signing-secret-\(UUID().uuidString)",
            .slackBotToken: token,
            .slackAPIURL: fake.baseURL,
            .databaseURL: database.url,
            .pseudonymKey: BenchIngest.pseudonymKey,
            .host: "127.0.0.1",
            .port: "0",
            .logLevel: "info",
            .adminTokens: adminToken,
            .timeZone: "UTC",
            .slackSendRate: String(sendRate),
            .maxNudgesPerWeek: "2",
            .holidays: "",
            .configFile: "",  // no configuration file: only the values above
        ])

        Curl.globalInit()
        let client = CurlHTTPClient(logger: Logger(label: "debrief-bench"))
        var failed = false
        do {
            let resolved = try await resolvePhase(
                environment: environment, client: client, adminToken: adminToken, directory: directory)
            failed = resolved.exitStatus != 0
            if resolved.participants != people {
                print("warning: \(resolved.participants) of \(people) people were resolved")
            }
            let sent = try await sendPhase(
                environment: environment, sendClock: sendClock, fake: fake, database: database,
                directory: directory)
            failed = failed || sent.exitStatus != 0 || sent.serverDied
            report(resolved: resolved, sent: sent, fake: fake, sendClock: sendClock, backend: database.backend)
            if let timeline {
                try Self.writeTimeline(
                    to: timeline, sent: sent, arrivals: fake.arrivals(), rejections: fake.rejections())
                print("timeline:         \(timeline)")
            }
        } catch {
            await client.shutdown()
            await fake.stop()
            print("bench failed: \(error)")
            let rateKey = ConfigurationKey.slackSendRate.environmentName
            if "\(error)".contains(rateKey) {
                print(
                    "hint: the server refuses \(rateKey)=\(Self.format(sendRate)); pass a lower --limit"
                        + " (the rate defaults to 0.97 × --limit) or --rate")
            }
            if keep {
                print("kept \(directory.path) and database \(database.name)")
            } else {
                await database.drop()
            }
            throw ExitCode(1)
        }
        await client.shutdown()
        await fake.stop()
        if keep {
            print("kept \(directory.path) (server-resolve.log, server-send.log) and database \(database.name)")
        } else {
            await database.drop()
        }
        if failed { throw ExitCode(1) }
    }

    // MARK: - Run 1: register and resolve

    struct ResolvePhase {
        var trainingID: String
        var seconds: Double
        var participants: Int
        var nudgesPlanned: Int
        var peakKiB: Int?
        var exitStatus: Int32
    }

    func resolvePhase(
        environment: [String: String], client: CurlHTTPClient, adminToken: String, directory: URL
    ) async throws -> ResolvePhase {
        var env = environment
        env[ConfigurationKey.clockStart.environmentName] = ISO8601DateFormatter().string(from: Self.resolveClockStart)
        env[ConfigurationKey.clockSpeed.environmentName] = "1"
        let server = try BenchServer.start(
            environment: env, logFile: directory.appendingPathComponent("server-resolve.log"))
        var exitStatus: Int32?
        defer { if exitStatus == nil { _ = server.terminate() } }
        print(
            "run 1 (register + resolve): server pid \(server.pid) on 127.0.0.1:\(server.port), clock Thu 2026-11-19 16:00Z ×1"
        )

        let base = "http://127.0.0.1:\(server.port)/api/v1/trainings"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(adminToken)"
        headers[.contentType] = "application/json"
        let payload: JSONValue = [
            "title": "Bench fan-out",
            "ended_at": .string(ISO8601DateFormatter().string(from: Self.trainingEnded)),
            "participants": ["usergroups": [.string(BenchFakeSlack.usergroupID)]],
        ]
        let started = ContinuousClock.now
        let created = try await client.execute(
            HTTPRequestSpec(method: .post, url: base, headerFields: headers, body: payload.encoded()))
        guard created.status.code == 202, let id = (try? JSONValue.decode(created.body))?["id"]?.stringValue else {
            throw BenchServer.StartError(
                description:
                    "POST /api/v1/trainings answered \(created.status.code): \(String(decoding: created.body, as: UTF8.self))"
            )
        }
        headers[.contentType] = nil
        let deadline = ContinuousClock.now + .seconds(600)
        var summary: JSONValue = nil
        while true {
            guard server.process.isRunning else {
                throw BenchServer.StartError(description: "the server died while resolving")
            }
            // A generous timeout: on a fresh PostgreSQL database the status read can take many seconds while the
            // tables have no statistics yet; that is not what this bench measures.
            let response = try await client.execute(
                HTTPRequestSpec(method: .get, url: "\(base)/\(id)", headerFields: headers, timeout: .seconds(120)))
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
        let seconds = Self.seconds(ContinuousClock.now - started)
        let peak = server.peakMemoryKiB()
        let status = server.terminate()
        exitStatus = status
        let participants = Int(summary["participants"]?.numberValue ?? 0)
        let planned = Int(summary["nudges_planned"]?.numberValue ?? 0)
        print(
            "  scheduled after \(Self.format(seconds, digits: 1)) s: \(participants) participants, \(planned) nudges planned;"
                + " peak memory \(Self.mebibytes(peak)); exit on SIGTERM \(status)")
        return ResolvePhase(
            trainingID: id, seconds: seconds, participants: participants, nudgesPlanned: planned, peakKiB: peak,
            exitStatus: status)
    }

    // MARK: - Run 2: send

    struct Sample {
        var at: ContinuousClock.Instant
        var due: Int
        var running: Int
        /// Cumulative microseconds in which some task on the machine waited for a CPU (PSI), if available.
        var cpuPressure: Double?
    }

    /// A moment the bench process itself woke up late (its fake Slack timestamps the DMs, so its stalls
    /// would look like bursts from the server).
    struct Stall: Sendable {
        var at: ContinuousClock.Instant
        var late: Duration
    }

    struct StallReport: Sendable {
        var worst: Duration = .zero
        var stalls: [Stall] = []
    }

    /// Sleeps 5 ms at a time and notes how late each wake-up is, until cancelled.
    static func monitorStalls() async -> StallReport {
        var report = StallReport()
        while !Task.isCancelled {
            let before = ContinuousClock.now
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                break
            }
            let late = ContinuousClock.now - before - .milliseconds(5)
            report.worst = max(report.worst, late)
            if late > .milliseconds(50) { report.stalls.append(Stall(at: before, late: late)) }
        }
        return report
    }

    struct SendPhase {
        var stalls = StallReport()
        var loadBefore: String
        var loadAfter: String
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
        var dueAtStart: Int
        var samples: [Sample]
        var outcome: String
        var complete: Bool
        var serverDied: Bool
        var peakKiB: Int?
        var cpu: (user: Double, system: Double)?
        var exitStatus: Int32
        var rateLimitedWarnings: Int
        var lostClaims: Int
        var errorLines: Int
    }

    func sendPhase(
        environment: [String: String], sendClock: SendClock, fake: BenchFakeSlack, database: BenchDatabase,
        directory: URL
    ) async throws -> SendPhase {
        let clockStart = sendClock.start
        let speed = sendClock.speed
        var env = environment
        env[ConfigurationKey.clockStart.environmentName] = ISO8601DateFormatter().string(from: clockStart)
        env[ConfigurationKey.clockSpeed.environmentName] = String(speed)
        let logFile = directory.appendingPathComponent("server-send.log")
        let launched = ContinuousClock.now
        let server = try BenchServer.start(environment: env, logFile: logFile)
        var exitStatus: Int32?
        defer { if exitStatus == nil { _ = server.terminate() } }
        let local = DateFormatter()
        local.timeZone = TimeZone(secondsFromGMT: Self.zoneOffset)
        local.dateFormat = "EEE yyyy-MM-dd HH:mm:ss"
        local.locale = Locale(identifier: "en_US_POSIX")
        print(
            "run 2 (send): server pid \(server.pid) on 127.0.0.1:\(server.port), clock \(local.string(from: clockStart)) local"
                + " (\(Self.format(sendClock.windowLeft, digits: 0)) s before the d1 window closes) ×\(Self.format(speed))"
        )
        // The bench's estimate of the server's clock runs slightly ahead (the child starts after `launched`).
        func simulatedNow(_ instant: ContinuousClock.Instant) -> Date {
            clockStart.addingTimeInterval(Self.seconds(instant - launched) * speed)
        }
        let loadBefore = Self.loadAverage()
        let reader = try database.open(pseudonymKey: BenchIngest.pseudonymKey)
        defer { reader.close() }
        let store = reader.queue
        let monitor = Task { await Self.monitorStalls() }
        var samples: [Sample] = []
        let started = ContinuousClock.now
        let deadline = started + .seconds(timeout)
        var outcome = "timed out after \(Self.format(timeout)) s"
        var complete = false
        var serverDied = false
        var dueAtStart = -1
        var lastProgress = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let now = ContinuousClock.now
            let depth = (try? await store.queueDepth(now: simulatedNow(now)))?[JobKind.nudgeSend.rawValue] ?? JobDepth()
            samples.append(
                Sample(
                    at: now, due: depth.pendingDue, running: depth.running, cpuPressure: Self.cpuPressureMicroseconds())
            )
            if dueAtStart < 0 { dueAtStart = depth.pendingDue + depth.running }
            let counts = fake.counts()
            if counts.recipients >= people {
                outcome = "every person got their d1 nudge"
                complete = true
                break
            }
            if simulatedNow(now) > Self.windowEnd.addingTimeInterval(120), depth.pendingDue == 0, depth.running == 0 {
                outcome = "the send window closed; \(people - counts.recipients) d1 nudges were not sent"
                break
            }
            guard server.process.isRunning else {
                outcome = "the server exited during the send run"
                serverDied = true
                break
            }
            if now - lastProgress > .seconds(10) {
                lastProgress = now
                print(
                    "  \(Self.format(Self.seconds(now - started), digits: 0)) s: \(counts.accepted) sent,"
                        + " \(depth.pendingDue) due and waiting, \(counts.rateLimited) × 429")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let ended = ContinuousClock.now
        monitor.cancel()
        let stalls = await monitor.value
        let peak = server.peakMemoryKiB()
        let cpu = server.cpuSeconds()
        let status = serverDied ? server.process.terminationStatus : server.terminate()
        exitStatus = status
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n")
        return SendPhase(
            stalls: stalls, loadBefore: loadBefore, loadAfter: Self.loadAverage(), started: started, ended: ended,
            dueAtStart: max(0, dueAtStart), samples: samples, outcome: outcome, complete: complete,
            serverDied: serverDied, peakKiB: peak, cpu: cpu, exitStatus: status,
            rateLimitedWarnings: lines.filter { $0.contains("Slack rate limited") }.count,
            lostClaims: lines.filter { $0.contains("job claim was lost") }.count,
            errorLines: lines.filter { $0.contains(" error ") || $0.contains(" critical ") }.count)
    }

    // MARK: - Report

    func report(resolved: ResolvePhase, sent: SendPhase, fake: BenchFakeSlack, sendClock: SendClock, backend: String) {
        let counts = fake.counts()
        let arrivals = fake.arrivals()
        print("")
        print("backend:          \(backend)")
        print("people:           \(people) (time zones \(Self.zones.joined(separator: ", ")))")
        print(
            "resolve:          \(Self.format(resolved.seconds, digits: 1)) s for \(resolved.participants) participants (\(counts.usersListPages) users.list pages, \(counts.usersInfo) users.info calls)"
        )
        print(
            "due at restart:   \(sent.dueAtStart) d1 nudges overdue at once; the rest come due in the window's last \(Self.format(sendClock.windowLeft, digits: 0)) simulated seconds"
        )
        print("outcome:          \(sent.outcome)")
        print("sent:             \(counts.accepted) DMs to \(counts.recipients) of \(people) people")
        if counts.accepted > counts.recipients || sent.lostClaims > 0 {
            print(
                "DUPLICATES:       \(counts.accepted - counts.recipients) people got their d1 nudge more than once;"
                    + " the server logged \(sent.lostClaims) lost job claims (a lease ran out while the job was still running)"
            )
        }
        if let first = arrivals.first, let last = arrivals.last {
            let span = Self.seconds(last - first)
            print(
                "elapsed:          \(Self.format(Self.seconds(sent.ended - sent.started), digits: 1)) s send run;"
                    + " first to last DM \(Self.format(span, digits: 1)) s"
                    + (span > 0 ? " (\(Self.format(Double(arrivals.count - 1) / span, digits: 1))/s overall)" : ""))
        }
        let threshold = Int(sendRate.rounded(.up))
        if let saturated = Self.saturatedPeriod(sent.samples, threshold: threshold, firstArrival: arrivals.first) {
            // (from, to]: the DM at `from` itself (the first) opens the interval rather than filling it.
            let inside = arrivals.filter { $0 > saturated.from && $0 <= saturated.to }
            let seconds = Self.seconds(saturated.to - saturated.from)
            let achieved = Double(inside.count) / seconds
            let fraction = achieved / limit
            print(
                "saturated:        \(Self.format(Self.seconds(saturated.from - sent.started), digits: 1))–"
                    + "\(Self.format(Self.seconds(saturated.to - sent.started), digits: 1)) s of the send run"
                    + " (at least \(threshold) due sends, a second's worth, waiting for a worker at every sample),"
                    + " \(inside.count) DMs")
            print(
                "achieved rate:    \(Self.format(achieved, digits: 2))/s = \(Self.format(fraction, digits: 3)) of the limit"
                    + " (\(Self.format(achieved / sendRate, digits: 3)) of DEBRIEF_SLACK_SEND_RATE)"
                    + "   target ≥ 0.95 \(fraction >= 0.95 ? "met" : "MISSED")")
            let buckets = Self.perSecond(inside, from: saturated.from, to: saturated.to)
            if !buckets.isEmpty {
                let sorted = buckets.sorted()
                print(
                    "per second:       min \(sorted[0]), median \(sorted[sorted.count / 2]), max \(sorted[sorted.count - 1])"
                        + " DMs in \(buckets.count) whole seconds of the saturated period")
                let slow = Set(buckets.indices.filter { Double(buckets[$0]) < 0.95 * sendRate })
                if let pressure = Self.pressureBySecond(sent.samples, from: saturated.from, seconds: buckets.count) {
                    func mean(_ values: [Double]) -> String {
                        values.isEmpty
                            ? "n/a" : Self.format(values.reduce(0, +) / Double(values.count), digits: 0) + "%"
                    }
                    let slowPressure = pressure.indices.filter { slow.contains($0) }.compactMap { pressure[$0] }
                    let otherPressure = pressure.indices.filter { !slow.contains($0) }.compactMap { pressure[$0] }
                    print(
                        "slow seconds:     \(slow.count) below 0.95 × the send rate; machine CPU pressure (PSI some) \(mean(slowPressure))"
                            + " in those, \(mean(otherPressure)) in the others")
                }
            }
        } else {
            print("saturated:        never (the queue never had due sends waiting); no rate measured")
        }
        print(
            "429s:             \(counts.rateLimited)   target 0 \(counts.rateLimited == 0 ? "met" : "MISSED")"
                + (sent.rateLimitedWarnings > 0 ? " (server logged \(sent.rateLimitedWarnings) bucket pauses)" : ""))
        for cluster in Self.clusters(fake.rejections()).prefix(5) {
            let context = Self.burstContext(before: cluster.first, arrivals: arrivals)
            let benchStall = sent.stalls.stalls.contains { abs(Self.seconds($0.at - cluster.first)) < 2 }
            print(
                "  \(cluster.count) × 429 at \(Self.format(Self.seconds(cluster.first - sent.started), digits: 2)) s:"
                    + " no DM for \(Self.milliseconds(context.gap)) ms before, then \(context.burst) DMs within"
                    + " \(Self.milliseconds(context.burstSpan)) ms; bench process \(benchStall ? "DID stall nearby" : "did not stall")"
            )
        }
        print(
            "machine load:     \(sent.loadBefore) at the start of the send run, \(sent.loadAfter) at its end (1/5/15-min load averages)"
        )
        print(
            "bench process:    worst wake-up delay \(Self.milliseconds(sent.stalls.worst)) ms,"
                + " \(sent.stalls.stalls.count) stalls over 50 ms (its fake Slack timestamps the DMs)")
        if counts.unauthorized > 0 {
            print("fake Slack:       \(counts.unauthorized) calls with a wrong token")
        }
        if sent.errorLines > 0 { print("server log:       \(sent.errorLines) error lines during the send run") }
        if let cpu = sent.cpu {
            let wall = Self.seconds(sent.ended - sent.started)
            print(
                "server CPU:       send run \(Self.format(cpu.user, digits: 1)) s user + \(Self.format(cpu.system, digits: 1)) s system"
                    + " in \(Self.format(wall, digits: 1)) s (\(Self.format((cpu.user + cpu.system) / wall * 100, digits: 0))% of one core;"
                    + " this machine has \(ProcessInfo.processInfo.activeProcessorCount))")
        }
        let peakTargetKiB = 150 * 1024
        let peakMet = max(sent.peakKiB ?? Int.max, resolved.peakKiB ?? Int.max) < peakTargetKiB
        print(
            "server peak memory: \(Self.mebibytes(sent.peakKiB)) send run, \(Self.mebibytes(resolved.peakKiB)) resolve run (VmHWM)"
                + "   target < \(peakTargetKiB / 1024) MiB \(peakMet ? "met" : "MISSED")"
        )
        print("server exit on SIGTERM: \(sent.exitStatus) send run, \(resolved.exitStatus) resolve run")
        print(
            "clock:            send run at ×\(Self.format(sendClock.speed)) simulated time; \(sent.complete ? "complete" : "partial")"
        )
    }

    /// 429s less than a second apart belong to one cluster.
    static func clusters(_ instants: [ContinuousClock.Instant]) -> [(first: ContinuousClock.Instant, count: Int)] {
        var result: [(first: ContinuousClock.Instant, count: Int)] = []
        var last: ContinuousClock.Instant?
        for instant in instants {
            if let previous = last, instant - previous < .seconds(1), !result.isEmpty {
                result[result.count - 1].count += 1
            } else {
                result.append((instant, 1))
            }
            last = instant
        }
        return result
    }

    /// Before a 429: the longest pause between DMs in the 3 s before it, and the DMs that came after that
    /// pause up to the 429 (a pause followed by a burst means sends were held up and then released at once).
    static func burstContext(before instant: ContinuousClock.Instant, arrivals: [ContinuousClock.Instant])
        -> (gap: Duration, burst: Int, burstSpan: Duration)
    {
        let window = arrivals.filter { $0 <= instant && instant - $0 <= .seconds(3) }
        guard window.count >= 2 else { return (.zero, window.count, .zero) }
        var gap = Duration.zero
        var gapEnd = 0
        for index in 1..<window.count where window[index] - window[index - 1] > gap {
            gap = window[index] - window[index - 1]
            gapEnd = index
        }
        let burst = window.count - gapEnd
        return (gap, burst, window[window.count - 1] - window[gapEnd])
    }

    /// The 1, 5 and 15-minute load averages: other work on the machine shows up as stalls and jitter.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        let fields = text.split(separator: " ").prefix(3)
        return fields.count == 3 ? fields.joined(separator: " ") : "unknown"
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.0f", seconds(duration) * 1000)
    }

    /// The send run as CSV: `seconds,event,value` (dm, 429, due and running with the number of nudge jobs,
    /// stall with milliseconds, cpu_pressure_us with the cumulative PSI total).
    static func writeTimeline(
        to path: String, sent: SendPhase, arrivals: [ContinuousClock.Instant], rejections: [ContinuousClock.Instant]
    ) throws {
        var rows: [(Double, String)] = []
        func at(_ instant: ContinuousClock.Instant) -> Double { seconds(instant - sent.started) }
        rows += arrivals.map { (at($0), "dm,1") }
        rows += rejections.map { (at($0), "429,1") }
        rows += sent.samples.map { (at($0.at), "due,\($0.due)") }
        rows += sent.samples.map { (at($0.at), "running,\($0.running)") }
        rows += sent.samples.compactMap { sample in
            sample.cpuPressure.map { (at(sample.at), "cpu_pressure_us," + String(format: "%.0f", $0)) }
        }
        rows += sent.stalls.stalls.map { (at($0.at), "stall,\(milliseconds($0.late))") }
        rows.sort { $0.0 < $1.0 }
        let text =
            "seconds,event,value\n" + rows.map { String(format: "%.4f", $0.0) + "," + $0.1 }.joined(separator: "\n")
            + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `some` total of `/proc/pressure/cpu`: microseconds in which at least one task waited for a CPU.
    static func cpuPressureMicroseconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/pressure/cpu", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("some ") }),
            let total = line.split(separator: " ").first(where: { $0.hasPrefix("total=") })
        else { return nil }
        return Double(total.dropFirst("total=".count))
    }

    /// Per whole second from `from`: the share of time some task waited for a CPU, from the samples
    /// around it (nil for seconds without two samples).
    static func pressureBySecond(_ samples: [Sample], from: ContinuousClock.Instant, seconds count: Int) -> [Double?]? {
        let points = samples.compactMap { sample in sample.cpuPressure.map { (Self.seconds(sample.at - from), $0) } }
        guard points.count >= 2 else { return nil }
        return (0..<count).map { second in
            let start = Double(second)
            guard let before = points.last(where: { $0.0 <= start }),
                let after = points.first(where: { $0.0 >= start + 1 }),
                after.0 > before.0
            else { return nil }
            return (after.1 - before.1) / ((after.0 - before.0) * 1e6) * 100
        }
    }

    /// The longest run of samples with at least `threshold` due sends waiting for a worker (so the limiter,
    /// not the planner or the clock, set the pace), starting no earlier than the first DM.
    static func saturatedPeriod(_ samples: [Sample], threshold: Int, firstArrival: ContinuousClock.Instant?)
        -> (from: ContinuousClock.Instant, to: ContinuousClock.Instant)?
    {
        guard let firstArrival else { return nil }
        var best: (from: ContinuousClock.Instant, to: ContinuousClock.Instant)?
        var runStart: ContinuousClock.Instant?
        var runEnd: ContinuousClock.Instant?
        func close() {
            if let start = runStart, let end = runEnd {
                let from = max(start, firstArrival)
                if end - from > .seconds(1), best.map({ end - from > $0.to - $0.from }) ?? true { best = (from, end) }
            }
            runStart = nil
            runEnd = nil
        }
        for sample in samples {
            if sample.due >= threshold {
                if runStart == nil { runStart = sample.at }
                runEnd = sample.at
            } else {
                close()
            }
        }
        close()
        return best
    }

    /// DMs per whole second from `from`.
    static func perSecond(
        _ arrivals: [ContinuousClock.Instant], from: ContinuousClock.Instant, to: ContinuousClock.Instant
    )
        -> [Int]
    {
        let whole = Int(seconds(to - from))
        guard whole > 0 else { return [] }
        var buckets = Array(repeating: 0, count: whole)
        for arrival in arrivals {
            let index = Int(seconds(arrival - from))
            if index >= 0 && index < whole { buckets[index] += 1 }
        }
        return buckets
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ value: Double, digits: Int = 2) -> String {
        if digits == 2, value == value.rounded() { return String(Int(value)) }
        return String(format: "%.\(digits)f", value)
    }

    static func mebibytes(_ kib: Int?) -> String {
        kib.map { "\($0 / 1024) MiB" } ?? "unknown"
    }
}
