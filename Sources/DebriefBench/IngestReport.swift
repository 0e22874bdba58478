import Foundation

/// What one platform's `bench ingest` run measured, and how it is printed: alone (one figure a line, the target
/// beside it) or as a column of the side-by-side table of `--platform both`.
struct IngestReport: Sendable {
    /// The targets of issue #14 for a durable, verified ingest on the 2-core development machine.
    static let throughputTarget = 10_000.0
    static let p99Target = Duration.milliseconds(10)
    static let cpuTargetMicroseconds = 100.0
    static let peakMemoryTargetKiB = 60 * 1024

    var platform: IngestPlatform
    var concurrency: Int
    var people: Int
    var outcome: IngestLoad.Outcome
    /// The database the server wrote to (`SQLite <path>` or `PostgreSQL postgres://…`, no password).
    var backend: String
    /// Reflections in the database after the server stopped.
    var stored: Int
    var peakKiB: Int?
    /// Server CPU (user + system) spent during the load, seconds.
    var serverCPUSeconds: Double?
    /// CPU (user + system) of this process during the load: the client, and for Teams the fake Bot Connector
    /// receiving the replies; it shares the machine's cores with the server.
    var benchCPUSeconds: Double?
    var exitStatus: Int32
    /// Platform-specific lines (Teams: replies through the Bot Connector, token verification cost).
    var details: [String] = []
    /// Whether something platform-specific went wrong (replies lost, the fake answering 429), failing the run.
    var detailsFailed = false

    var acknowledged: Int { outcome.results.filter { $0.status == 200 }.count }
    var failures: Int { outcome.results.count - acknowledged }
    var storedAll: Bool { stored == acknowledged }
    var failed: Bool { !storedAll || failures > 0 || detailsFailed }

    var seconds: Double { Self.seconds(outcome.elapsed) }
    var throughput: Double { seconds > 0 ? Double(outcome.results.count) / seconds : 0 }

    /// Server CPU per request in microseconds.
    var cpuMicrosecondsPerRequest: Double? {
        guard let cpu = serverCPUSeconds, !outcome.results.isEmpty else { return nil }
        return cpu * 1e6 / Double(outcome.results.count)
    }

    /// This process's CPU per request in microseconds.
    var benchCPUMicrosecondsPerRequest: Double? {
        guard let cpu = benchCPUSeconds, !outcome.results.isEmpty else { return nil }
        return cpu * 1e6 / Double(outcome.results.count)
    }

    private var sortedLatencies: [Duration] { outcome.results.map(\.latency).sorted() }

    func percentile(_ p: Double) -> Duration? {
        let latencies = sortedLatencies
        guard !latencies.isEmpty else { return nil }
        let index = min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)
        return latencies[max(0, index)]
    }

    var maximum: Duration? { sortedLatencies.last }

    var throughputMet: Bool { throughput >= Self.throughputTarget }
    var p99Met: Bool { percentile(0.99).map { $0 <= Self.p99Target } ?? false }
    var cpuMet: Bool { cpuMicrosecondsPerRequest.map { $0 <= Self.cpuTargetMicroseconds } ?? false }
    var memoryMet: Bool { peakKiB.map { $0 <= Self.peakMemoryTargetKiB } ?? false }

    /// The report of one platform, a figure per line.
    func lines() -> [String] {
        var lines = [
            "platform:      \(platform.title)",
            "backend:       \(backend)",
            "requests:      \(outcome.results.count) (concurrency \(concurrency), \(people) people)",
            "throughput:    \(String(format: "%.0f", throughput)) requests/s"
                + "   target ≥ \(Int(Self.throughputTarget)) \(throughputMet ? "met" : "MISSED")",
            "latency p50:   \(Self.milliseconds(percentile(0.50))) ms",
            "latency p99:   \(Self.milliseconds(percentile(0.99))) ms"
                + "   target ≤ \(Self.milliseconds(Self.p99Target)) ms \(p99Met ? "met" : "MISSED")",
            "latency max:   \(Self.milliseconds(maximum)) ms",
            "acknowledged:  \(acknowledged) (200), failed: \(failures)\(statusSummary)",
            "stored:        \(stored) reflections"
                + (storedAll ? " — every acknowledged reflection is stored" : " — MISMATCH"),
            "server CPU:    \(cpuMicrosecondsPerRequest.map { String(format: "%.0f µs", $0) } ?? "unknown") per request"
                + "   target ≤ \(Int(Self.cpuTargetMicroseconds)) µs \(cpuMet ? "met" : "MISSED")"
                + " (bench process: \(benchCPUMicrosecondsPerRequest.map { String(format: "%.0f µs", $0) } ?? "?"))",
            "server peak memory: \(peakKiB.map { "\($0 / 1024) MiB" } ?? "unknown")"
                + "   target ≤ \(Self.peakMemoryTargetKiB / 1024) MiB \(memoryMet ? "met" : "MISSED")",
            "server exit on SIGTERM: \(exitStatus)",
        ]
        lines.append(contentsOf: details)
        return lines
    }

    /// The statuses other than 200, when there are any (`, statuses: 401×3, -1×2`; -1 is no answer).
    private var statusSummary: String {
        var counts: [Int: Int] = [:]
        for result in outcome.results where result.status != 200 { counts[result.status, default: 0] += 1 }
        guard !counts.isEmpty else { return "" }
        return ", statuses: "
            + counts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
    }

    /// Slack and Teams from the same run, side by side.
    static func comparison(_ reports: [IngestReport]) -> [String] {
        func row(_ label: String, _ value: (IngestReport) -> String) -> String {
            label.padding(toLength: 22, withPad: " ", startingAt: 0)
                + reports.map { value($0).padding(toLength: 14, withPad: " ", startingAt: 0) }.joined()
        }
        return [
            row("") { $0.platform.title },
            row("backend") { $0.backend.hasPrefix("PostgreSQL") ? "PostgreSQL" : "SQLite" },
            row("requests/s") { String(format: "%.0f", $0.throughput) },
            row("latency p50 (ms)") { milliseconds($0.percentile(0.50)) },
            row("latency p99 (ms)") { milliseconds($0.percentile(0.99)) },
            row("latency max (ms)") { milliseconds($0.maximum) },
            row("server CPU/request") { $0.cpuMicrosecondsPerRequest.map { String(format: "%.0f µs", $0) } ?? "?" },
            row("bench CPU/request") { $0.benchCPUMicrosecondsPerRequest.map { String(format: "%.0f µs", $0) } ?? "?" },
            row("server peak memory") { $0.peakKiB.map { "\($0 / 1024) MiB" } ?? "?" },
            row("stored/acknowledged") { "\($0.stored)/\($0.acknowledged)" },
            "targets: ≥ \(Int(throughputTarget)) requests/s and p99 ≤ \(milliseconds(p99Target)) ms on each platform",
        ]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration?) -> String {
        guard let duration else { return "n/a" }
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.2f", ms)
    }
}
