import ArgumentParser
import DebriefHTTP
import DebriefServer
import DebriefSlack
import DebriefStoreSQLite
import Foundation
import HTTPTypes
import Logging

/// `debrief bench ingest`: signed `/reflect <text>` requests against a real server in a separate process.
///
/// Reports throughput, latency percentiles, the server's peak memory, and checks that every acknowledged
/// reflection is in the database afterwards (the "nothing accepted is lost" promise, measured).
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Signed slash commands against `debrief serve` on loopback.")

    @Option(help: "Total requests to send.")
    var requests = 20_000

    @Option(help: "Requests in flight at once.")
    var concurrency = 32

    @Option(help: "Distinct people the requests come from.")
    var people = 500

    func validate() throws {
        guard (1...10_000_000).contains(requests), (1...1_000).contains(concurrency), (1...1_000_000).contains(people)
        else {
            throw ValidationError(
                "--requests must be from 1 to 10000000, --concurrency from 1 to 1000, --people from 1 to 1000000")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let databasePath = directory.appendingPathComponent("bench.sqlite").path
        let secret = "bench-signing-secret-\(UUID().uuidString)"

        let server = try BenchServer.start(
            environment: ConfigurationKey.environment([
                .slackSigningSecret: secret,
                .slackBotToken: "xoxb-bench-token",
                .slackAPIURL: "http://127.0.0.1:9/api/",
                .databaseURL: "sqlite://\(databasePath)",
                .pseudonymKey: "bench-pseudonym-key-0123456789",
                .port: "0",
                .logLevel: "info",
            ]))
        print("server pid \(server.pid) listening on 127.0.0.1:\(server.port); database \(databasePath)")

        Curl.globalInit()
        let client = CurlHTTPClient(logger: Logger(label: "debrief-bench"))
        let verifier = SlackSignatureVerifier(signingSecret: secret)
        let url = "http://127.0.0.1:\(server.port)/slack/events"
        let counter = RequestCounter(total: requests)
        let clock = ContinuousClock()
        let started = clock.now
        let results = await withTaskGroup(of: [WorkerResult].self) { group in
            for _ in 0..<concurrency {
                group.addTask { [people] in
                    var results: [WorkerResult] = []
                    while let index = await counter.next() {
                        let body = Data(
                            ("token=x&team_id=TBENCH&team_domain=bench&channel_id=D0001&channel_name=directmessage"
                                + "&user_id=U\(index % people)&user_name=bench&command=%2Freflect"
                                + "&text=bench+reflection+number+\(index)&api_app_id=A0001&is_enterprise_install=false"
                                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT%2F1%2Fx&trigger_id=1.2.x")
                                .utf8)
                        let timestamp = String(Int(Date().timeIntervalSince1970))
                        var headers = HTTPFields()
                        headers[.contentType] = "application/x-www-form-urlencoded"
                        if let name = HTTPField.Name("X-Slack-Request-Timestamp") { headers[name] = timestamp }
                        if let name = HTTPField.Name("X-Slack-Signature") {
                            headers[name] = verifier.sign(body: body, timestamp: timestamp)
                        }
                        let begin = clock.now
                        let status: Int
                        do {
                            let response = try await client.execute(
                                HTTPRequestSpec(
                                    method: .post, url: url, headerFields: headers, body: body,
                                    timeout: .seconds(10)))
                            status = response.status.code
                        } catch {
                            status = -1
                        }
                        results.append(WorkerResult(status: status, latency: clock.now - begin))
                    }
                    return results
                }
            }
            var all: [WorkerResult] = []
            for await part in group { all.append(contentsOf: part) }
            return all
        }
        let elapsed = clock.now - started
        let peakKiB = server.peakMemoryKiB()
        let exitStatus = server.terminate()
        await client.shutdown()

        let store = try SQLiteStore(location: .file(path: databasePath))
        let stored = try await store.count(table: .reflections)
        let acknowledged = results.filter { $0.status == 200 }.count
        let failures = results.count - acknowledged
        let latencies = results.map { $0.latency }.sorted()
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "n/a" }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)
            return Self.milliseconds(latencies[max(0, index)])
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("requests:      \(results.count) (concurrency \(concurrency), \(people) people)")
        print("throughput:    \(String(format: "%.0f", Double(results.count) / seconds)) requests/s")
        print("latency p50:   \(percentile(0.50)) ms")
        print("latency p99:   \(percentile(0.99)) ms")
        print("latency max:   \(latencies.last.map(Self.milliseconds) ?? "n/a") ms")
        print("acknowledged:  \(acknowledged) (200), failed: \(failures)")
        print(
            "stored:        \(stored) reflections\(stored == acknowledged ? " — every acknowledged reflection is stored" : " — MISMATCH")"
        )
        print("server peak memory: \(peakKiB.map { "\($0 / 1024) MiB" } ?? "unknown")")
        print("server exit on SIGTERM: \(exitStatus)")
        if stored != acknowledged || failures > 0 { throw ExitCode(1) }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f", ms)
    }
}

struct WorkerResult: Sendable {
    var status: Int
    var latency: Duration
}

/// Hands out request numbers to the workers.
actor RequestCounter {
    private var issued = 0
    private let total: Int

    init(total: Int) { self.total = total }

    func next() -> Int? {
        guard issued < total else { return nil }
        issued += 1
        return issued
    }
}
