import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `debrief bench …`: runs the `debrief-bench` executable beside this one with the same arguments.
///
/// Why a front and not the benches themselves: the benchmarks live in their own executable so the server binary
/// carries none of their code; this keeps the documented `debrief bench ingest` working. The process is replaced
/// (`execv`), so `debrief-bench`'s output, signals and exit code are the command's own.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Debrief on this machine (runs the `debrief-bench` built beside `debrief`).",
        // `--help` goes to debrief-bench, which lists the benchmarks and their options.
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "Arguments for debrief-bench (e.g. `ingest --requests 20000`).")
    var arguments: [String] = []

    static let buildHint = "swift build -c release --product debrief-bench"

    func run() throws {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let bench = directory.appendingPathComponent("debrief-bench").path
        guard FileManager.default.isExecutableFile(atPath: bench) else {
            FileHandle.standardError.write(
                Data(
                    ("debrief: the benchmarks are a separate executable, and there is no debrief-bench beside this"
                        + " debrief (looked for \(bench)); build it with `\(Self.buildHint)`\n").utf8))
            throw ExitCode(69)  // EX_UNAVAILABLE
        }
        let argv = ([bench] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        execv(bench, argv)
        // Only reached when the exec failed.
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("debrief: cannot run \(bench): \(reason)\n".utf8))
        throw ExitCode(126)
    }
}
