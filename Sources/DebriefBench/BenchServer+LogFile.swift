import Foundation

extension BenchServer {
    /// Starts `debrief serve` like ``start(environment:)``, but writes its log to `logFile` (kept for the
    /// report and for diagnosis) instead of discarding it.
    /// - Parameter executable: Another `debrief` build to run as the server (to compare versions); nil runs
    ///   the one beside this executable.
    static func start(environment: [String: String], logFile: URL, executable: String? = nil) throws -> BenchServer {
        let process = Process()
        process.executableURL = try executable.map { URL(fileURLWithPath: $0) } ?? besideThisExecutable()
        process.arguments = ["serve"]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw StartError(description: "cannot create the server log \(logFile.path)")
        }
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        try? handle.close()  // the child holds its own descriptor
        let deadline = Date().addingTimeInterval(30)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            // Only whole lines: a line still being written could end in half a port number.
            if let lastNewline = log.lastIndex(of: "\n"), let port = parsePort(String(log[...lastNewline])) {
                return BenchServer(process: process, port: port)
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        throw StartError(description: "the server did not start; its output was:\n\(log)")
    }
}

extension BenchServer {
    /// CPU time the server has used so far (user and system, seconds), from `/proc/<pid>/stat`.
    func cpuSeconds() -> (user: Double, system: Double)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard ticks > 0 else { return nil }
        return (user / ticks, system / ticks)
    }
}
