import ArgumentParser

/// `debrief-bench`: the benchmarks, in their own executable so the product binary `debrief` carries none of
/// their code. `debrief bench …` runs this executable with the same arguments.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debrief-bench",
        abstract: "Measure Debrief on this machine (results are printed, never asserted by tests).",
        discussion: "The server under test is the `debrief` executable in the same directory as this one.",
        subcommands: [
            BenchIngest.self, BenchFanout.self, BenchDigest.self, BenchResolve.self, BenchReplicas.self, BenchIdle.self,
        ])
}
