import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Debrief on this machine (results are printed, never asserted by tests).",
        subcommands: [BenchIngest.self, BenchFanout.self, BenchDigest.self, BenchResolve.self])
}
