import DebriefServer
import Foundation

/// The `debrief serve` processes of `bench replicas`: N replicas, each with its port, and every process that ran
/// as that replica (the one SIGKILLed and the one restarted on its port), with its peak memory and exit status.
///
/// Used from the bench's one task only. Every process it started is stopped by ``terminateAll()``, also when the
/// run fails.
final class ReplicaSet {
    /// One process that ran as a replica.
    struct Incarnation {
        var server: BenchServer
        var logFile: URL
        /// The highest VmHWM read while it ran (a killed process can no longer be asked).
        var peakKiB: Int?
        /// Sent SIGKILL by the bench.
        var killed = false
        /// Exit status once it ended (SIGTERM at the end, or the kill).
        var exitStatus: Int32?
    }

    let directory: URL
    private(set) var incarnations: [[Incarnation]] = []

    init(directory: URL) {
        self.directory = directory
    }

    /// Ports of the replicas, in order.
    var ports: [Int] { incarnations.map { $0.first?.server.port ?? 0 } }

    /// Starts replica `index` (a new one at the end, or a restart of an existing one on its port). The start waits
    /// off the cooperative pool: `BenchServer.start` polls the log file for the listening line.
    func launch(index: Int, environment: [String: String], label: String) async throws -> BenchServer {
        var env = environment
        let restart = index < incarnations.count
        if restart, let port = incarnations[index].first?.server.port {
            env[ConfigurationKey.port.environmentName] = String(port)
        }
        let logFile = directory.appendingPathComponent(
            "\(label)-replica\(index + 1)\(restart ? "-restart\(incarnations[index].count)" : "").log")
        // A port just released by a killed process is normally free at once; retry briefly in case it is not.
        var lastError: (any Error)?
        for _ in 0..<(restart ? 10 : 1) {
            do {
                let server = try await Self.startOffPool(environment: env, logFile: logFile)
                let incarnation = Incarnation(server: server, logFile: logFile, peakKiB: server.peakMemoryKiB())
                if restart {
                    incarnations[index].append(incarnation)
                } else {
                    incarnations.append([incarnation])
                }
                return server
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        throw lastError ?? BenchServer.StartError(description: "replica \(index + 1) did not start")
    }

    private static func startOffPool(environment: [String: String], logFile: URL) async throws -> BenchServer {
        let started = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<UncheckedServer, any Error>) in
            Thread.detachNewThread {
                do {
                    continuation.resume(
                        returning: UncheckedServer(
                            server: try BenchServer.start(environment: environment, logFile: logFile)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        return started.server
    }

    /// Hands a started server from the starting thread back to the bench's task (`Process` is not `Sendable`; the
    /// starting thread lets go of it).
    private struct UncheckedServer: @unchecked Sendable {
        var server: BenchServer
    }

    /// The running process of replica `index`.
    func current(_ index: Int) -> BenchServer? { incarnations[index].last?.server }

    /// Reads every live process's peak memory.
    func samplePeaks() {
        for index in incarnations.indices {
            for position in incarnations[index].indices where incarnations[index][position].exitStatus == nil {
                if let peak = incarnations[index][position].server.peakMemoryKiB() {
                    incarnations[index][position].peakKiB = max(incarnations[index][position].peakKiB ?? 0, peak)
                }
            }
        }
    }

    /// SIGKILL to replica `index`'s current process; returns once it is gone.
    func kill(_ index: Int) {
        samplePeaks()
        guard let position = incarnations[index].indices.last else { return }
        let server = incarnations[index][position].server
        _ = Foundation.kill(server.pid, SIGKILL)
        server.process.waitUntilExit()
        incarnations[index][position].killed = true
        incarnations[index][position].exitStatus = server.process.terminationStatus
    }

    /// Processes that ended without the bench stopping them: replica number and exit status.
    func unexpectedExits() -> [(replica: Int, status: Int32)] {
        var exits: [(replica: Int, status: Int32)] = []
        for index in incarnations.indices {
            for incarnation in incarnations[index] where incarnation.exitStatus == nil {
                if !incarnation.server.process.isRunning {
                    exits.append((index + 1, incarnation.server.process.terminationStatus))
                }
            }
        }
        return exits
    }

    /// SIGTERM to every process still running, waiting for each; records exit statuses.
    func terminateAll() {
        samplePeaks()
        for index in incarnations.indices {
            for position in incarnations[index].indices where incarnations[index][position].exitStatus == nil {
                let server = incarnations[index][position].server
                incarnations[index][position].exitStatus =
                    server.process.isRunning ? server.terminate() : server.process.terminationStatus
            }
        }
    }

    /// Lines of a process's log that contain `needle`.
    func logLines(_ incarnation: Incarnation, containing needles: [String]) -> Int {
        let log = (try? String(contentsOf: incarnation.logFile, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { line in needles.contains { line.contains($0) } }.count
    }
}
