import Foundation

/// Validates every file under `prompts/` in one pass: the Slack texts (``PromptLibrary``), the nudge
/// sequences with their DM texts (``NudgeLibrary``), the rotating questions and themes (``QuestionLibrary``) and
/// the digest templates (``DigestTemplates``).
///
/// Exists so `debrief prompts check` and `serve`'s startup guard agree on what "valid" means and show
/// every problem at once, each with file, line and key, instead of one per attempt.
public enum PromptCheck {
    /// Every problem found under `directory` (the `prompts/` folder itself); empty means valid.
    public static func run(directory: URL) -> [PromptIssue] {
        var issues: [PromptIssue] = []
        do {
            _ = try PromptLibrary.load(from: directory)
        } catch {
            issues += error.issues
        }
        do {
            _ = try NudgeLibrary.load(from: directory)
        } catch {
            issues += error.issues
        }
        do {
            _ = try QuestionLibrary.load(from: directory)
        } catch {
            issues += error.issues
        }
        do {
            _ = try DigestTemplates.load(from: directory, markup: .syntaxCheck)
        } catch {
            issues += error.issues
        }
        return issues
    }
}
