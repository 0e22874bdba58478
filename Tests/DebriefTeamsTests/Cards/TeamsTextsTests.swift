import DebriefCore
import DebriefPrompts
import DebriefTeams
import DebriefTestSupport
import Foundation
import Testing

@Suite("Teams texts from prompts/teams")
struct TeamsTextsTests {
    @Test("the shipped prompts/teams load, with every field, choice and consent level of the Slack form")
    func shippedTextsLoad() throws {
        let texts = try TeamsCardsFixture.texts()
        let slack = try RepositoryPrompts.load()
        #expect(Set(texts.form.modal.fields.keys) == Set(ReflectionFormField.allCases))
        #expect(texts.form.options.taskCategory.count == TaskCategory.allCases.count)
        #expect(texts.form.options.outcome.count == Outcome.allCases.count)
        #expect(texts.form.options.minutesSaved.count == MinutesSaved.allCases.count)
        #expect(texts.form.options.blockers.count == Blocker.allCases.count)
        #expect(texts.form.options.confidence.count == OptionTexts.confidenceValues.count)
        // The consent promises are word for word the Slack ones: a person gets the same promise on both.
        #expect(texts.form.options.consent == slack.options.consent)
        #expect(texts.nudgeTexts(locale: "de-AT").reflectButton == "Reflektieren (1 Min.)")
        #expect(texts.nudgeTexts(locale: "fr").reflectButton == "Reflect (1 min)")
        // Teams commands are plain messages: no Slack slash command leaks into a Teams text.
        let everything = [
            texts.replies.help, texts.replies.paused, texts.replies.stopped, texts.replies.quickInvalid,
            texts.form.thanks.text, texts.nudgeTexts(locale: nil).thanked, texts.nudgeTexts(locale: nil).skipped,
            texts.commandProblems.pauseNeedsLength, texts.welcome.sections.map(\.text).joined(),
        ]
        for text in everything { #expect(!text.contains("/reflect"), "\(text)") }
    }

    @Test("the library view gives the Teams wording for validation and command problems")
    func libraryMessages() throws {
        let library = try TeamsCardsFixture.texts().library
        #expect(library.message(for: .tooShort(minimum: 3)) == "Please write at least 3 characters.")
        #expect(
            library.message(for: .contradicts(.outcome))
                == "This doesn't match your answer to \"How did it go?\". Please check both.")
        #expect(library.message(for: .pauseNeedsLength(given: "")).contains("**pause 2w**"))
    }

    @Test("a missing key is reported with its file, line and dotted key")
    func missingKey() throws {
        let directory = try copyOfPrompts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try edit(directory, TeamsTexts.reflectFile) { $0.replacingOccurrences(of: "  submit: Save\n", with: "") }
        try edit(directory, TeamsTexts.repliesFile) {
            $0.replacingOccurrences(of: "  outdated: This card", with: "  outdatd: This card")
        }
        let error = try #require(throws: PromptError.self) { try TeamsTexts.load(from: directory) }
        #expect(error.file == "teams/reflect.yaml")
        #expect(error.key == "form.submit")
        #expect(error.description.contains("prompts/teams/reflect.yaml:"))
        #expect(error.description.contains("(form.submit): is missing; add it"))
        #expect(error.issues.contains { $0.file == "teams/replies.yaml" && $0.key == "card_problems.outdated" })
        #expect(
            error.issues.contains {
                $0.key == "card_problems.outdatd" && $0.message.hasPrefix("is not a key Debrief knows")
            })
    }

    @Test("a missing file, a wrong placeholder, an over-long button and a missing language are all named")
    func otherProblems() throws {
        let directory = try copyOfPrompts()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent(TeamsTexts.digestFile))
        try edit(directory, TeamsTexts.repliesFile) {
            $0.replacingOccurrences(of: "no reminders until {until}.", with: "no reminders until {untill}.")
        }
        try edit(directory, TeamsTexts.nudgesFile) {
            $0.replacingOccurrences(
                of: "  snooze_button: Snooze 1 day", with: "  snooze_button: " + String(repeating: "z", count: 41))
        }
        let error = try #require(throws: PromptError.self) {
            try TeamsTexts.load(from: directory, requiredNudgeLocales: ["en", "de", "fr"])
        }
        let issues = error.issues
        #expect(issues.contains { $0.file == "teams/digest.yaml" && $0.message.contains("no such file") })
        #expect(issues.contains { $0.key == "paused" && $0.message.contains("{untill}") })
        #expect(issues.contains { $0.key == "paused" && $0.message.contains("must contain {until}") })
        #expect(issues.contains { $0.key == "en.snooze_button" && $0.message.contains("at most 40") })
        #expect(issues.contains { $0.file == "teams/nudges.yaml" && $0.key == "fr" })
    }

    // MARK: - Helpers

    private func copyOfPrompts() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("debrief-teams-prompts-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: RepositoryPrompts.directory.appendingPathComponent("teams"),
            to: directory.appendingPathComponent("teams"))
        return directory
    }

    private func edit(_ directory: URL, _ file: String, _ change: (String) -> String) throws {
        let url = directory.appendingPathComponent(file)
        let old = try String(contentsOf: url, encoding: .utf8)
        let new = change(old)
        #expect(new != old, "the edit of \(file) changed nothing")
        try new.write(to: url, atomically: true, encoding: .utf8)
    }
}
