import ArgumentParser
import DebriefServer
import DebriefStore
import Foundation

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect the durable job queue: depth by kind, dead letters, and retrying them.",
        subcommands: [Status.self, Retry.self], defaultSubcommand: Status.self)

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue depth by kind and the dead letters.")
        @OptionGroup var options: ConfigurationOptions

        func run() async throws {
            let configuration = try await loadConfiguration(flags: options.flags())
            let store = try await DebriefRuntime.openStore(configuration)
            let depth = try await store.queueDepth(now: Date())
            print("kind                 due  scheduled  running  dead")
            for (kind, value) in depth.sorted(by: { $0.key < $1.key }) {
                print(
                    kind.padding(toLength: 20, withPad: " ", startingAt: 0),
                    String(
                        format: "%4d %10d %8d %5d", value.pendingDue, value.pendingScheduled, value.running, value.dead)
                )
            }
            let dead = try await store.deadJobs(limit: 50)
            if dead.isEmpty {
                print("no dead letters")
            } else {
                print("\ndead letters (retry with `debrief jobs retry <id>`):")
                for job in dead {
                    print("  #\(job.id) \(job.kind) attempts \(job.attempts): \(job.lastError ?? "no error recorded")")
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put dead jobs back in the queue.")
        @OptionGroup var options: ConfigurationOptions

        @Argument(help: "Job ids to retry; `all` retries every dead letter.")
        var ids: [String]

        func run() async throws {
            let configuration = try await loadConfiguration(flags: options.flags())
            let store = try await DebriefRuntime.openStore(configuration)
            var targets: [Int64] = []
            if ids == ["all"] {
                targets = try await store.deadJobs(limit: 10_000).map(\.id)
            } else {
                for id in ids {
                    guard let value = Int64(id) else { throw ValidationError("'\(id)' is not a job id") }
                    targets.append(value)
                }
            }
            var retried = 0
            for id in targets where try await store.retryDeadJob(id: id, now: Date()) { retried += 1 }
            print("\(retried) of \(targets.count) job(s) are back in the queue")
        }
    }
}
