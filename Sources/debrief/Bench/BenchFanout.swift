import ArgumentParser
import DebriefCore
import DebriefHTTP
import DebriefStore
import DebriefStoreSQLite
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
/// same database with the clock 10 minutes before the Friday window closes (run 2): about 89% of the d1
/// nudges are then overdue and catch up at once, the rest come due during the last 10 minutes, and the
/// clock speed is chosen so the limiter needs about 70% of that time to send everything.
struct BenchFanout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Nudge DMs for one large training against a rate-limited loopback fake Slack.")

    @Option(help: "People in the training's user group; each should get one d1 nudge.")
    var people = 10_000

    @Option(help: "The fake Slack's workspace limit for chat.postMessage, messages per second.")
    var limit: Double = 50

    @Option(help: "DEBRIEF_SLACK_SEND_RATE for the server (default 0.97 × --limit; the server accepts 0–50).")
    var rate: Double?

    @Option(help: "Messages the fake's token bucket holds (default a fifth of a second's worth, at least 2).")
    var burst: Int?

    @Option(help: "DEBRIEF_CLOCK_SPEED of the send run (default: the limiter needs ~70% of the window's last 10 minutes).")
    var clockSpeed: Double?

    @Option(help: "Seconds to wait for the sends before reporting what was sent so far.")
    var timeout: Double = 600

    @Flag(help: "Keep the temporary directory (database, server logs) and print its path.")
    var keep = false

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
    /// Simulated seconds of the window left when the send run starts.
    static let windowLeft: TimeInterval = 600
    /// Real time the window's last `windowLeft` takes, as a multiple of the time the limiter needs.
    static let windowMargin = 1.4

    static func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
    }

    var sendRate: Double { rate ?? (limit * 0.97 * 1000).rounded() / 1000 }
    var bucketSize: Int { burst ?? max(2, Int((limit / 5).rounded())) }

    func validate() throws {
        guard (1...99_999).contains(people) else { throw ValidationError("--people must be between 1 and 99999") }
        guard limit > 0, limit.isFinite else { throw ValidationError("--limit must be a positive number") }
        guard sendRate > 0, sendRate.isFinite else { throw ValidationError("--rate must be a positive number") }
        guard bucketSize >= 1 else { throw ValidationError("--burst must be at least 1") }
        if let clockSpeed, !(clockSpeed > 0 && clockSpeed.isFinite) {
            throw ValidationError("--clock-speed must be a positive number")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        for zone in Self.zones {
            guard let timeZone = TimeZone(identifier: zone), timeZone.secondsFromGMT(for: Self.windowStart) == Self.zoneOffset
            else {
                throw BenchServer.StartError(description: "time zone \(zone) is not UTC+3 on this system's tz database")
            }
        }
        let speed = clockSpeed ?? Self.defaultSpeed(people: people, rate: sendRate)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-fanout-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            if !keep { try? FileManager.default.removeItem(at: directory) }
        }
        let databasePath = directory.appendingPathComponent("bench.sqlite").path
        let token = "xoxb-bench-\(UUID().uuidString.lowercased())"
        let adminToken = "bench-admin-\(UUID().uuidString)"

        let fake = try await BenchFakeSlack.start(
            settings: .init(people: people, limitPerSecond: limit, burst: bucketSize, token: token, zones: Self.zones))
        print(
            "fake Slack on 127.0.0.1:\(fake.port): chat.postMessage limited to \(Self.format(limit))/s for the workspace"
                + " (token bucket, burst \(bucketSize)); 429 with Retry-After: 1 beyond it")
        print("server: DEBRIEF_SLACK_SEND_RATE=\(Self.format(sendRate)) (\(Self.format(sendRate / limit, digits: 3)) of the limit)")
        let environment: [String: String] = [
            "SLACK_SIGNING_SECRET": "bench-signing-secret-\(UUID().uuidString)",
            "SLACK_BOT_TOKEN": token,
            "SLACK_API_URL": fake.baseURL,
            "DEBRIEF_DATABASE_URL": "sqlite://\(databasePath)",
            "DEBRIEF_PSEUDONYM_KEY": "bench-pseudonym-key-0123456789",
            "DEBRIEF_HOST": "127.0.0.1",
            "DEBRIEF_PORT": "0",
            "DEBRIEF_LOG_LEVEL": "info",
            "DEBRIEF_ADMIN_TOKENS": adminToken,
            "DEBRIEF_TIMEZONE": "UTC",
            "DEBRIEF_SLACK_SEND_RATE": String(sendRate),
            "DEBRIEF_MAX_NUDGES_PER_WEEK": "2",
            "DEBRIEF_CONFIG": "",  // no configuration file: only the values above
        ]

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
                environment: environment, speed: speed, fake: fake, databasePath: databasePath, directory: directory)
            failed = failed || sent.exitStatus != 0 || sent.serverDied
            report(resolved: resolved, sent: sent, fake: fake, speed: speed)
        } catch {
            await client.shutdown()
            await fake.stop()
            print("bench failed: \(error)")
            if "\(error)".contains("DEBRIEF_SLACK_SEND_RATE") {
                print(
                    "hint: the server refuses DEBRIEF_SLACK_SEND_RATE=\(Self.format(sendRate)); pass a lower --limit"
                        + " (the rate defaults to 0.97 × --limit) or --rate")
            }
            if keep { print("kept \(directory.path)") }
            throw ExitCode(1)
        }
        await client.shutdown()
        await fake.stop()
        if keep { print("kept \(directory.path) (bench.sqlite, server-resolve.log, server-send.log)") }
        if failed { throw ExitCode(1) }
    }

    /// The send run's clock speed: the window's last `windowLeft` simulated seconds take `windowMargin`
    /// times as long as the limiter needs for everyone, clamped to 0.05–600.
    static func defaultSpeed(people: Int, rate: Double) -> Double {
        let needed = Double(people) / rate
        let speed = windowLeft / (needed * windowMargin)
        return min(600, max(0.05, (speed * 100).rounded() / 100))
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
        env["DEBRIEF_CLOCK_START"] = ISO8601DateFormatter().string(from: Self.resolveClockStart)
        env["DEBRIEF_CLOCK_SPEED"] = "1"
        let (server, _) = try BenchServer.start(
            environment: env, logFile: directory.appendingPathComponent("server-resolve.log"))
        var exitStatus: Int32?
        defer { if exitStatus == nil { _ = server.terminate() } }
        print("run 1 (register + resolve): server pid \(server.pid) on 127.0.0.1:\(server.port), clock Thu 2026-11-19 16:00Z ×1")

        let base = "http://127.0.0.1:\(server.port)/api/v1/trainings"
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(adminToken)"
        headers[.contentType] = "application/json"
        let payload: JSONValue = [
            "title": "Bench fan-out",
            "ended_at": .string(ISO8601DateFormatter().string(from: Self.trainingEnded)),
            "participants": ["usergroups": ["S0BENCH"]],
        ]
        let started = ContinuousClock.now
        let created = try await client.execute(
            HTTPRequestSpec(method: .post, url: base, headerFields: headers, body: payload.encoded()))
        guard created.status.code == 202, let id = (try? JSONValue.decode(created.body))?["id"]?.stringValue else {
            throw BenchServer.StartError(
                description: "POST /api/v1/trainings answered \(created.status.code): \(String(decoding: created.body, as: UTF8.self))")
        }
        headers[.contentType] = nil
        let deadline = ContinuousClock.now + .seconds(600)
        var summary: JSONValue = nil
        while true {
            guard server.process.isRunning else { throw BenchServer.StartError(description: "the server died while resolving") }
            let response = try await client.execute(HTTPRequestSpec(method: .get, url: "\(base)/\(id)", headerFields: headers))
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
    }

    struct SendPhase {
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
        var dueAtStart: Int
        var samples: [Sample]
        var outcome: String
        var complete: Bool
        var serverDied: Bool
        var peakKiB: Int?
        var exitStatus: Int32
        var rateLimitedWarnings: Int
        var errorLines: Int
    }

    func sendPhase(
        environment: [String: String], speed: Double, fake: BenchFakeSlack, databasePath: String, directory: URL
    ) async throws -> SendPhase {
        let clockStart = Self.windowEnd.addingTimeInterval(-Self.windowLeft)
        var env = environment
        env["DEBRIEF_CLOCK_START"] = ISO8601DateFormatter().string(from: clockStart)
        env["DEBRIEF_CLOCK_SPEED"] = String(speed)
        let logFile = directory.appendingPathComponent("server-send.log")
        let launched = ContinuousClock.now
        let (server, _) = try BenchServer.start(environment: env, logFile: logFile)
        var exitStatus: Int32?
        defer { if exitStatus == nil { _ = server.terminate() } }
        print(
            "run 2 (send): server pid \(server.pid) on 127.0.0.1:\(server.port), clock Fri 2026-11-20 10:50 local"
                + " (10 min before the d1 window closes) ×\(Self.format(speed))")
        // The bench's estimate of the server's clock runs slightly ahead (the child starts after `launched`).
        func simulatedNow(_ instant: ContinuousClock.Instant) -> Date {
            clockStart.addingTimeInterval(Self.seconds(instant - launched) * speed)
        }
        let store = try SQLiteStore(location: .file(path: databasePath))
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
            let depth = (try? await store.queueDepth(now: simulatedNow(now)))?[NudgeJobKey.kind] ?? JobDepth()
            samples.append(Sample(at: now, due: depth.pendingDue, running: depth.running))
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
        let peak = server.peakMemoryKiB()
        let status = serverDied ? (server.process.isRunning ? -1 : server.process.terminationStatus) : server.terminate()
        exitStatus = status
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        let lines = log.split(separator: "\n")
        return SendPhase(
            started: started, ended: ended, dueAtStart: max(0, dueAtStart), samples: samples, outcome: outcome,
            complete: complete, serverDied: serverDied, peakKiB: peak, exitStatus: status,
            rateLimitedWarnings: lines.filter { $0.contains("Slack rate limited") }.count,
            errorLines: lines.filter { $0.contains(" error ") || $0.contains(" critical ") }.count)
    }

    // MARK: - Report

    func report(resolved: ResolvePhase, sent: SendPhase, fake: BenchFakeSlack, speed: Double) {
        let counts = fake.counts()
        let arrivals = fake.arrivals()
        print("")
        print("people:           \(people) (time zones \(Self.zones.joined(separator: ", ")))")
        print("resolve:          \(Self.format(resolved.seconds, digits: 1)) s for \(resolved.participants) participants (\(counts.usersInfo) users.info calls)")
        print("due at restart:   \(sent.dueAtStart) d1 nudges overdue at once; the rest due within the window's last 10 minutes")
        print("outcome:          \(sent.outcome)")
        print("sent:             \(counts.accepted) DMs to \(counts.recipients) of \(people) people")
        if let first = arrivals.first, let last = arrivals.last {
            let span = Self.seconds(last - first)
            print(
                "elapsed:          \(Self.format(Self.seconds(sent.ended - sent.started), digits: 1)) s send run;"
                    + " first to last DM \(Self.format(span, digits: 1)) s"
                    + (span > 0 ? " (\(Self.format(Double(arrivals.count - 1) / span, digits: 1))/s overall)" : ""))
        }
        if let saturated = Self.saturatedPeriod(sent.samples, firstArrival: arrivals.first) {
            // (from, to]: the DM at `from` itself (the first) opens the interval rather than filling it.
            let inside = arrivals.filter { $0 > saturated.from && $0 <= saturated.to }
            let seconds = Self.seconds(saturated.to - saturated.from)
            let achieved = Double(inside.count) / seconds
            let fraction = achieved / limit
            print(
                "saturated:        \(Self.format(Self.seconds(saturated.from - sent.started), digits: 1))–"
                    + "\(Self.format(Self.seconds(saturated.to - sent.started), digits: 1)) s of the send run"
                    + " (due sends waiting for a worker at every sample), \(inside.count) DMs")
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
            }
        } else {
            print("saturated:        never (the queue never had due sends waiting); no rate measured")
        }
        print("429s:             \(counts.rateLimited)   target 0 \(counts.rateLimited == 0 ? "met" : "MISSED")"
            + (sent.rateLimitedWarnings > 0 ? " (server logged \(sent.rateLimitedWarnings) bucket pauses)" : ""))
        if counts.unauthorized > 0 || counts.otherErrors > 0 {
            print("fake Slack:       \(counts.unauthorized) calls with a wrong token, \(counts.otherErrors) other errors")
        }
        if sent.errorLines > 0 { print("server log:       \(sent.errorLines) error lines during the send run") }
        print("server peak memory: \(Self.mebibytes(sent.peakKiB)) send run, \(Self.mebibytes(resolved.peakKiB)) resolve run (VmHWM)")
        print("server exit on SIGTERM: \(sent.exitStatus) send run, \(resolved.exitStatus) resolve run")
        print("clock:            send run at ×\(Self.format(speed)) simulated time; \(sent.complete ? "complete" : "partial")")
    }

    /// The longest run of samples with due sends waiting for a worker (so the limiter, not the planner or
    /// the clock, set the pace), starting no earlier than the first DM.
    static func saturatedPeriod(_ samples: [Sample], firstArrival: ContinuousClock.Instant?)
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
            if sample.due > 0 {
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
    static func perSecond(_ arrivals: [ContinuousClock.Instant], from: ContinuousClock.Instant, to: ContinuousClock.Instant)
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
