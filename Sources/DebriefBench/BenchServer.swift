import Foundation

/// A `debrief serve` child process on an ephemeral loopback port, for benchmarks.
///
/// The server is the `debrief` executable beside `debrief-bench` (`swift build` puts both in
/// `.build/<configuration>/`), so what is measured is the product binary itself, which holds no bench code.
struct BenchServer {
    let process: Process
    let port: Int
    var pid: Int32 { process.processIdentifier }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// The `debrief` executable in this executable's directory, or an error saying how to build it.
    static func besideThisExecutable() throws -> URL {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let server = directory.appendingPathComponent("debrief")
        guard FileManager.default.isExecutableFile(atPath: server.path) else {
            throw StartError(
                description: "no `debrief` executable beside debrief-bench (looked for \(server.path)); build it with"
                    + " `swift build -c release --product debrief`")
        }
        return server
    }

    /// Starts `debrief serve` (the executable beside this one) and waits for its "listening" log line to learn
    /// the port.
    static func start(environment: [String: String]) throws -> BenchServer {
        let process = Process()
        process.executableURL = try besideThisExecutable()
        process.arguments = ["serve"]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let handle = errors.fileHandleForReading
        var buffered = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                if !process.isRunning { break }
                continue
            }
            buffered += String(decoding: chunk, as: UTF8.self)
            if let port = parsePort(buffered) {
                // Keep draining stderr so the child never blocks on a full pipe.
                Thread.detachNewThread {
                    while !handle.availableData.isEmpty {}
                }
                return BenchServer(process: process, port: port)
            }
        }
        if process.isRunning { process.terminate() }
        throw StartError(description: "the server did not start; its output was:\n\(buffered)")
    }

    static func parsePort(_ log: String) -> Int? {
        guard let range = log.range(of: "address=") else { return nil }
        let rest = log[range.upperBound...]
        let address = rest.prefix { !$0.isWhitespace }
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }

    /// The server's peak resident memory (VmHWM) in KiB.
    func peakMemoryKiB() -> Int? { ProcessMemory(pid: pid)?.peakKiB }

    /// Sends SIGTERM and waits; returns the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
