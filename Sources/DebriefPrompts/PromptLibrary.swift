import DebriefCore
import Foundation

/// Every sentence Debrief shows people, loaded from the `prompts/` folder.
///
/// Texts live in files, not code, so the people who own the rollout can adjust tone and wording
/// without a rebuild, and reviewers can read every promise Debrief makes in one place. Loading
/// validates everything up front (required keys, Slack's length limits, one label per vocabulary
/// value) so a typo fails at startup with a precise message instead of breaking a form at 9 am.
///
/// Files read, relative to the prompts directory: ``PromptLibrary/files``.
public struct PromptLibrary: Sendable, Equatable {
    public var modal: ModalTexts
    public var options: OptionTexts
    public var thanks: ThanksTexts
    public var validation: ValidationTexts
    public var replies: ReplyTexts
    public var commandProblems: CommandProblemTexts
    public var home: HomeTexts

    public init(
        modal: ModalTexts, options: OptionTexts, thanks: ThanksTexts, validation: ValidationTexts,
        replies: ReplyTexts, commandProblems: CommandProblemTexts, home: HomeTexts
    ) {
        self.modal = modal
        self.options = options
        self.thanks = thanks
        self.validation = validation
        self.replies = replies
        self.commandProblems = commandProblems
        self.home = home
    }

    /// The form, its choices, its error messages and the thank-you view.
    public static let reflectFile = "slack/reflect.yaml"
    /// Answers to `/reflect` and its subcommands.
    public static let repliesFile = "slack/replies.yaml"
    /// The Home tab.
    public static let homeFile = "slack/home.yaml"
    /// Every file ``load(from:)`` reads, relative to the prompts directory.
    public static let files = [reflectFile, repliesFile, homeFile]

    /// Loads and validates the prompt files under `directory` (the `prompts/` folder itself).
    ///
    /// - Throws: ``PromptError`` listing every problem found in every file, each with file, line and key.
    public static func load(from directory: URL) throws(PromptError) -> PromptLibrary {
        let reflect = PromptFileReader(file: reflectFile)
        let replies = PromptFileReader(file: repliesFile)
        let home = PromptFileReader(file: homeFile)
        let form = ReflectFileParser.parse(reflect.open(directory: directory), reader: reflect)
        let answers = RepliesFileParser.parse(replies.open(directory: directory), reader: replies)
        let homeTexts = HomeFileParser.parse(home.open(directory: directory), reader: home)
        let issues = reflect.issues + replies.issues + home.issues
        guard issues.isEmpty else { throw PromptError(issues: issues) }
        return PromptLibrary(
            modal: form.modal, options: form.options, thanks: form.thanks, validation: form.validation,
            replies: answers.replies, commandProblems: answers.commandProblems, home: homeTexts)
    }

    /// Finds the `prompts/` folder when no directory was configured.
    ///
    /// Looks for `prompts/` in the working directory, then next to the running executable and in each
    /// parent folder of it, so `swift run debrief serve` from the repository root, a test bundle under
    /// `.build/`, and an installed binary with `prompts/` beside it all find the texts. A directory only
    /// counts if it contains ``reflectFile``.
    public static func locateDefaultDirectory() -> URL? {
        var candidates: [URL] = []
        let fileManager = FileManager.default
        candidates.append(URL(fileURLWithPath: fileManager.currentDirectoryPath, isDirectory: true))
        var executable: URL?
        if let url = Bundle.main.executableURL {
            executable = url
        } else if let first = CommandLine.arguments.first, !first.isEmpty {
            executable = URL(fileURLWithPath: first)
        }
        if let executable {
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<12 {
                candidates.append(directory)
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        for base in candidates {
            let prompts = base.appendingPathComponent("prompts", isDirectory: true)
            if fileManager.fileExists(atPath: prompts.appendingPathComponent(reflectFile).path) {
                return prompts
            }
        }
        return nil
    }
}

/// Lengths Slack enforces (reference `slack.md` §7), checked when prompts load.
enum PromptLimits {
    static let modalTitle = 24
    static let modalButton = 24
    static let label = 2000
    static let hint = 2000
    static let placeholder = 150
    static let optionText = 75
    static let optionDescription = 75
    static let buttonText = 75
    static let header = 150
    static let sectionText = 3000
    /// No documented limit for errors under inputs; keep them readable in one glance.
    static let fieldError = 300
    static let homeSections = 20
}
