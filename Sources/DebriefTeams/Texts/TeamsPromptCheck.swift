import DebriefCore
import DebriefPrompts
import Foundation

/// Validates `prompts/teams/` the way `debrief prompts check` and a Teams server's start-up need it: the texts
/// load (every key, placeholder and length, a section for every language the nudge questions exist in), and
/// every card drawn from them — with the longest and most hostile inputs — passes the Adaptive Cards 1.5
/// schema shipped beside them and stays within Teams' size budget.
public enum TeamsPromptCheck {
    /// The schema file, relative to the prompts directory.
    public static let schemaFile = "teams/schema/adaptive-card-1.5.json"

    /// Every problem found; empty means valid.
    /// - Parameter nudgeLocales: the languages of `prompts/nudges/` (each needs buttons in `teams/nudges.yaml`).
    public static func run(directory: URL, nudgeLocales: Set<String>) -> [PromptIssue] {
        let texts: TeamsTexts
        do {
            texts = try TeamsTexts.load(from: directory, requiredNudgeLocales: nudgeLocales)
        } catch {
            return error.issues
        }
        let validator: AdaptiveCardSchemaValidator
        do {
            validator = try AdaptiveCardSchemaValidator(contentsOf: directory.appendingPathComponent(schemaFile))
        } catch {
            return [
                PromptIssue(
                    file: schemaFile, line: nil, key: nil,
                    message: "the Adaptive Cards 1.5 schema could not be read (\(error)); restore it from the release")
            ]
        }
        return TeamsCardCatalogue.problems(texts: texts, validator: validator).map { problem in
            PromptIssue(file: "teams/", line: nil, key: nil, message: problem)
        }
    }
}
