import ArgumentParser
import DebriefPrompts
import DebriefServer
import DebriefTeams
import Foundation

struct Prompts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the editable texts in prompts/.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every prompt file; mistakes are listed with file and line (exit 1).")

        @Option(help: "The prompts directory (default: DEBRIEF_PROMPTS_DIR, ./prompts, or beside the executable).")
        var directory: String?

        func run() async throws {
            let configured =
                directory ?? ProcessInfo.processInfo.environment[ConfigurationKey.promptsDirectory.environmentName]
            guard
                let url = configured.map({ URL(fileURLWithPath: $0, isDirectory: true) })
                    ?? PromptLibrary.locateDefaultDirectory()
            else {
                FileHandle.standardError.write(Data("debrief: no prompts/ directory found; pass --directory\n".utf8))
                throw ExitCode(2)
            }
            var issues = PromptCheck.run(directory: url)
            // Teams' texts and cards (the card schema check needs the nudge languages, so only when they load).
            if let nudges = try? NudgeLibrary.load(from: url) {
                issues += TeamsPromptCheck.run(directory: url, nudgeLocales: Set(nudges.messages.keys))
            }
            guard issues.isEmpty else {
                for issue in issues { print(issue.description) }
                print("\(issues.count) problem\(issues.count == 1 ? "" : "s") in \(url.path)")
                throw ExitCode(1)
            }
            print("prompts in \(url.path) are valid")
        }
    }
}
