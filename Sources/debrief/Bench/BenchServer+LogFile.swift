import Foundation

extension BenchServer {
    /// Starts `debrief serve` like ``start(environment:)``, but writes its log to `logFile` (kept for the
    /// report and for diagnosis) instead of discarding it, and notes when the child was launched.
    ///
    /// - Returns: the server and the instant just before the child was launched (an upper bound on how
    ///   much earlier than the server's own clock the bench's estimate of it starts).
    static func start(environment: [String: String], logFile: URL) throws -> (BenchServer, launched: Date) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
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
        let launched = Date()
        try process.run()
        try? handle.close()  // the child holds its own descriptor
        let deadline = Date().addingTimeInterval(30)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            // Only whole lines: a line still being written could end in half a port number.
            if let lastNewline = log.lastIndex(of: "\n"), let port = parsePort(String(log[...lastNewline])) {
                return (BenchServer(process: process, port: port), launched)
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
