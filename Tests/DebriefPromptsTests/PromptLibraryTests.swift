import DebriefCore
import DebriefPrompts
import DebriefTestSupport
import Foundation
import Testing

@Suite("Prompt files")
struct PromptLibraryTests {
    @Test func repositoryPromptsLoadAndCoverEveryVocabularyValue() throws {
        let prompts = try RepositoryPrompts.load()
        #expect(prompts.modal.title.utf16.count <= 24)
        #expect(prompts.modal.submit.utf16.count <= 24)
        #expect(prompts.modal.close.utf16.count <= 24)
        for field in ReflectionFormField.allCases {
            #expect(prompts.modal.fields[field]?.label.isEmpty == false, "no label for \(field)")
        }
        #expect(Set(prompts.options.taskCategory.keys) == Set(TaskCategory.allCases))
        #expect(Set(prompts.options.outcome.keys) == Set(Outcome.allCases))
        #expect(Set(prompts.options.minutesSaved.keys) == Set(MinutesSaved.allCases))
        #expect(Set(prompts.options.blockers.keys) == Set(Blocker.allCases))
        #expect(Set(prompts.options.consent.keys) == Set(Consent.allCases))
        #expect(Set(prompts.options.confidence.keys) == [1, 2, 3, 4, 5])
        for texts in prompts.options.consent.values {
            #expect(texts.description.utf16.count <= 75)
            #expect(texts.description.hasSuffix("."), "consent explanation should be one full sentence")
        }
        #expect(!prompts.home.sections.isEmpty)
    }

    @Test func locatesTheRepositoryPromptsFromATestBundle() throws {
        let located = try #require(PromptLibrary.locateDefaultDirectory())
        #expect(FileManager.default.fileExists(atPath: located.appendingPathComponent(PromptLibrary.reflectFile).path))
    }

    @Test func templatesFillKnownPlaceholdersOnly() {
        #expect(PromptTemplate.render("at least {minimum} characters", ["minimum": "3"]) == "at least 3 characters")
        #expect(PromptTemplate.render("{a}{b} {c} {", ["a": "1", "b": "2"]) == "12 {c} {")
        #expect(PromptTemplate.render("json {\"x\": 1}", [:]) == "json {\"x\": 1}")
        #expect(PromptTemplate.placeholders(in: "{a} and {b_c} and {a} and {Not} and {}") == ["a", "b_c"])
    }

    /// A scratch copy of the repository's prompts that a test may break.
    struct ScratchPrompts {
        let directory: URL

        init() throws {
            directory = ScratchDirectory.make("debrief-prompts")
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("slack"), withIntermediateDirectories: true)
            for file in PromptLibrary.files {
                try FileManager.default.copyItem(
                    at: RepositoryPrompts.directory.appendingPathComponent(file),
                    to: directory.appendingPathComponent(file))
            }
        }

        func edit(_ file: String, _ change: (String) -> String) throws {
            let url = directory.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the edit did not change \(file)")
            try changed.write(to: url, atomically: true, encoding: .utf8)
        }

        func loadError() -> PromptError? {
            defer { try? FileManager.default.removeItem(at: directory) }
            do {
                _ = try PromptLibrary.load(from: directory)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func titleTooLongNamesFileLineAndKey() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.reflectFile) {
            $0.replacingOccurrences(
                of: "  title: Reflect on AI use", with: "  title: Reflect on how you used AI this week")
        }
        let error = try #require(scratch.loadError())
        #expect(error.issues.count == 1)
        #expect(error.file == "slack/reflect.yaml")
        #expect(error.key == "modal.title")
        #expect(error.issues.first?.line == 10)
        #expect(error.description.contains("prompts/slack/reflect.yaml:10 (modal.title)"))
        #expect(error.description.contains("at most 24"))
    }

    @Test func promptsWrittenBeforeInvalidDateExistedStillLoad() throws {
        let scratch = try ScratchPrompts()
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        try scratch.edit(PromptLibrary.repliesFile) { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("invalid_date") }.joined(separator: "\n")
        }
        let library = try PromptLibrary.load(from: scratch.directory)
        #expect(library.commandProblems.invalidDate == CommandProblemTexts.defaultInvalidDate)
        #expect(
            try PromptLibrary.load(from: RepositoryPrompts.directory).commandProblems.invalidDate.contains("{problem}"))
    }

    @Test func missingKeyIsNamed() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.repliesFile) {
            $0.replacingOccurrences(of: "resumed: Reminders are back on. Welcome back!\n", with: "")
        }
        let error = try #require(scratch.loadError())
        #expect(error.file == "slack/replies.yaml")
        #expect(error.key == "resumed")
        #expect(error.description.contains("is missing"))
    }

    @Test func missingVocabularyLabelIsNamed() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.reflectFile) {
            $0.replacingOccurrences(of: "    no_time: No time to try it\n", with: "")
        }
        let error = try #require(scratch.loadError())
        #expect(error.key == "options.blockers.no_time")
    }

    @Test func consentExplanationOverSlackLimitIsRejected() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.reflectFile) {
            $0.replacingOccurrences(
                of: "description: Your words are never shown to anyone else.",
                with:
                    "description: Your words are never shown to anyone else, not even in anonymous form, in any digest."
            )
        }
        let error = try #require(scratch.loadError())
        #expect(error.key == "options.consent.aggregate_only.description")
    }

    @Test func misspeltKeysAndPlaceholdersAreReported() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.reflectFile) {
            $0.replacingOccurrences(
                of: "      hint: A rough guess is fine.", with: "      hnit: A rough guess is fine."
            )
            .replacingOccurrences(of: "at least {minimum} characters", with: "at least {minimun} characters")
        }
        let error = try #require(scratch.loadError())
        let keys = error.issues.compactMap(\.key)
        #expect(keys.contains("modal.fields.minutes_saved.hnit"))
        #expect(keys.contains("errors.too_short"))
        #expect(error.description.contains("{minimun}"))
        #expect(error.description.contains("must contain {minimum}"))
    }

    @Test func emptyTextAndWrongShapeAreReported() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.homeFile) {
            $0.replacingOccurrences(of: "start_button: Write a reflection", with: "start_button: \"\"")
                .replacingOccurrences(of: "header: Debrief, your AI reflections", with: "header:\n  - a list")
        }
        let error = try #require(scratch.loadError())
        #expect(error.issues.map(\.key) == ["header", "start_button"])
        #expect(error.file == "slack/home.yaml")
    }

    @Test func invalidYAMLReportsTheLine() throws {
        let scratch = try ScratchPrompts()
        try scratch.edit(PromptLibrary.repliesFile) {
            $0.replacingOccurrences(of: "quick_stored:\n  text:", with: "quick_stored:\n text: [unclosed\n  text:")
        }
        let error = try #require(scratch.loadError())
        #expect(error.file == "slack/replies.yaml")
        #expect(error.issues.first?.line != nil)
        #expect(error.description.contains("not valid YAML"))
    }

    @Test func missingFileIsNamed() throws {
        let scratch = try ScratchPrompts()
        try FileManager.default.removeItem(at: scratch.directory.appendingPathComponent(PromptLibrary.homeFile))
        let error = try #require(scratch.loadError())
        #expect(error.file == "slack/home.yaml")
        #expect(error.description.contains("could not be read"))
    }
}
