import ArgumentParser
import DebriefServer
import Foundation

struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Weekly digests.", subcommands: [Preview.self])

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what would be posted for a target and ISO week, without posting.")
        @OptionGroup var options: ConfigurationOptions

        @Option(help: "`leadership` or `team:<name>`.")
        var target = "leadership"

        @Option(help: "ISO week, e.g. 2026-W47.")
        var week: String

        func run() async throws {
            let configuration = try await loadConfiguration(flags: options.flags())
            do {
                print(try await DigestPreview.render(configuration: configuration, target: target, week: week))
            } catch let error as DigestPreview.PreviewError {
                throw ValidationError(error.description)
            }
        }
    }
}
