import DebriefPrompts
import Foundation

/// The repository's own `prompts/` folder, found from this file's path so tests never depend on the
/// working directory. Shared by the prompt tests (DebriefPromptsTests) and the Slack rendering tests, which
/// render what the shipped prompt files say.
public enum RepositoryPrompts {
    public static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // DebriefTestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("prompts", isDirectory: true)
    }

    /// The shipped reflection texts, loaded and validated as the server does at start-up.
    public static func load() throws -> PromptLibrary {
        try PromptLibrary.load(from: directory)
    }
}
