import DebriefPrompts
import DebriefSlack
import Foundation

/// The repository's own prompt texts, for targets that render what a parser returned the way the server
/// would (a reply echoing a typed command, a form's error messages).
///
/// Loaded once from `prompts/` (the runner starts in the repository root); nil when they cannot be found, and
/// then those targets parse without rendering.
enum FuzzPrompts {
    static let library: PromptLibrary? = PromptLibrary.locateDefaultDirectory().flatMap {
        try? PromptLibrary.load(from: $0)
    }
}

extension FuzzPrompts {
    /// The digest templates (`prompts/digests/`), for the targets that render a stored digest.
    static let digestTemplates: DigestTemplates? = PromptLibrary.locateDefaultDirectory().flatMap {
        try? SlackChatPlatform.digestTemplates(from: $0)
    }
}
