import ArgumentParser
import DebriefHTTP
import DebriefServer
import Foundation
import HTTPTypes
import Logging

/// `debrief bench idle`: what a freshly started server costs before anyone uses it.
///
/// Starts `debrief serve` (the executable beside this one) on a new, empty SQLite database, configured for Slack
/// like a real installation, and times the start to the first `200` from `/readyz` (polled every millisecond,
/// so the figure includes the process start, configuration, migrations and the listening socket). Then it
/// leaves the server idle and reads its memory from `/proc`: resident (what the issue's target is about), split
/// into anonymous (heap, stacks) and file-backed (the binary's and the libraries' pages the kernel mapped), and
/// the peak. Several runs, each on its own database; the median is compared with the targets.
///
/// Before each start the server's binary is dropped from the page cache (unless `--keep-page-cache`), so its
/// pages come from disk as after a reboot. Linux maps file pages in whole page-cache folios, and their sizes depend
/// on how the file got into the cache: a binary just written by the linker, `cp` or an image extraction maps up to
/// ~2.5 MiB more until the kernel evicts it. Dropping it makes the figure a property of the binary, not of its
/// history.
struct BenchIdle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Start-up time to /readyz and idle memory of `debrief serve` on an empty SQLite database.")

    /// The targets of issue #14 on the 2-core development machine.
    static let startupTarget = Duration.milliseconds(300)
    static let residentTargetKiB = 40 * 1024

    @Option(help: "Server starts to measure, each on a fresh database.")
    var runs = 5

    @Option(help: "Seconds the server is left idle before its memory is read.")
    var settle: Double = 2

    @Flag(help: "Start the server from the page cache as it is, instead of dropping its binary from it first.")
    var keepPageCache = false

    func validate() throws {
        guard (1...50).contains(runs), (0...60).contains(settle) else {
            throw ValidationError("--runs must be from 1 to 50 and --settle from 0 to 60 seconds")
        }
    }

    struct Sample {
        var startup: Duration
        var memory: ProcessMemory
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "debrief-bench-idle-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        Curl.globalInit()
        let client = CurlHTTPClient(logger: Logger(label: "debrief-bench"))
        var samples: [Sample] = []
        do {
            for index in 0..<runs {
                let sample = try await measure(
                    database: directory.appendingPathComponent("idle-\(index).sqlite").path, client: client)
                print(
                    "run \(index + 1): ready after \(IngestReport.milliseconds(sample.startup)) ms; idle "
                        + sample.memory.summary)
                samples.append(sample)
            }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        guard let startup = Self.median(samples.map(\.startup)),
            let resident = Self.median(samples.map(\.memory.residentKiB))
        else { return }
        let startupMet = startup < Self.startupTarget
        let residentMet = resident < Self.residentTargetKiB
        print("")
        print(
            "debrief serve, empty SQLite database, median of \(samples.count) starts"
                + (keepPageCache ? ", binary as it was in the page cache:" : ", binary read from disk:"))
        print(
            "start-up to /readyz: \(IngestReport.milliseconds(startup)) ms   target < "
                + "\(IngestReport.milliseconds(Self.startupTarget)) ms \(startupMet ? "met" : "MISSED")")
        print(
            "idle resident memory: \(Self.mebibytes(resident)) MiB   target < \(Self.residentTargetKiB / 1024) MiB "
                + (residentMet ? "met" : "MISSED"))
        if let anonymous = Self.median(samples.map(\.memory.anonymousKiB)),
            let file = Self.median(samples.map(\.memory.fileKiB))
        {
            print(
                "  of which anonymous (heap, stacks) \(Self.mebibytes(anonymous)) MiB, file-backed (binary and "
                    + "libraries) \(Self.mebibytes(file)) MiB")
        }
    }

    /// One start: the time to the first ready answer, then the idle memory.
    private func measure(database: String, client: CurlHTTPClient) async throws -> Sample {
        if !keepPageCache { try BenchPageCache.drop(BenchServer.besideThisExecutable()) }
        let clock = ContinuousClock()
        let started = clock.now
        let server = try BenchServer.start(
            environment: ConfigurationKey.environment([
                .databaseURL: "sqlite://\(database)",
                .pseudonymKey: BenchIngest.pseudonymKey,
                .port: "0",
                .logLevel: "info",
                .slackSigningSecret: "bench-signing-secret",
                .slackBotToken: "xoxb-bench-token",
                .slackAPIURL: "http://127.0.0.1:9/api/",
            ]))
        defer { _ = server.terminate() }
        let url = "http://127.0.0.1:\(server.port)/readyz"
        var startup: Duration?
        while clock.now - started < .seconds(30) {
            let status = try? await client.execute(
                HTTPRequestSpec(method: .get, url: url, headerFields: [:], body: Data(), timeout: .seconds(2))
            ).status.code
            if status == 200 {
                startup = clock.now - started
                break
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        guard let startup else { throw BenchServer.StartError(description: "/readyz never answered 200 in 30 s") }
        try await Task.sleep(for: .seconds(settle))
        guard let memory = ProcessMemory(pid: server.pid) else {
            let state =
                server.process.isRunning ? "running" : "exited with status \(server.process.terminationStatus)"
            throw BenchServer.StartError(description: "cannot read /proc/\(server.pid)/status (the server \(state))")
        }
        return Sample(startup: startup, memory: memory)
    }

    static func median<T: Comparable>(_ values: [T]) -> T? {
        let sorted = values.sorted()
        return sorted.isEmpty ? nil : sorted[sorted.count / 2]
    }

    static func mebibytes(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }
}

/// A process's memory from `/proc/<pid>/status`, in KiB.
struct ProcessMemory {
    var residentKiB: Int
    var anonymousKiB: Int
    var fileKiB: Int
    var peakKiB: Int

    init?(pid: Int32) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var values: [String: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            values[String(parts[0])] = value
        }
        guard let resident = values["VmRSS:"] else { return nil }
        residentKiB = resident
        anonymousKiB = values["RssAnon:"] ?? 0
        fileKiB = values["RssFile:"] ?? 0
        peakKiB = values["VmHWM:"] ?? resident
    }

    var summary: String {
        "resident \(BenchIdle.mebibytes(residentKiB)) MiB (anonymous \(BenchIdle.mebibytes(anonymousKiB)), "
            + "file-backed \(BenchIdle.mebibytes(fileKiB))), peak \(BenchIdle.mebibytes(peakKiB)) MiB"
    }
}

/// The page cache's copy of a file.
enum BenchPageCache {
    /// Asks the kernel to drop `file`'s cached pages (`POSIX_FADV_DONTNEED`); pages another process has mapped stay.
    static func drop(_ file: URL) throws {
        let descriptor = open(file.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw BenchServer.StartError(description: "cannot open \(file.path) to drop it from the page cache")
        }
        defer { close(descriptor) }
        let result = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
        guard result == 0 else {
            throw BenchServer.StartError(description: "posix_fadvise(\(file.path)) failed with error \(result)")
        }
    }
}
