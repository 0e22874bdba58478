import DebriefPrompts
import DebriefTestSupport
import Foundation
import Testing

/// Broken copies of the repository's prompts: every mistake is reported with file, line and key.
@Suite("Nudge prompt validation")
struct NudgePromptsValidationTests {
    static let sequenceFile = "nudges/default.yaml"
    static let messageFile = NudgeLibrary.messageFile

    /// A scratch copy of the repository's `prompts/` that a test may break.
    final class Scratch {
        let root: URL
        var directory: URL { root.appendingPathComponent("prompts", isDirectory: true) }

        init() throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("debrief-nudge-prompts-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: RepositoryPrompts.directory, to: directory)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func text(_ file: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        }

        /// Applies `change` to `file` and returns the new text.
        @discardableResult
        func edit(_ file: String, _ change: (String) -> String) throws -> String {
            let before = try text(file)
            let after = change(before)
            #expect(after != before, "the edit did not change \(file)")
            try write(file, after)
            return after
        }

        func write(_ file: String, _ contents: String) throws {
            try contents.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }

        func remove(_ file: String) throws {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(file))
        }

        func issues() -> [PromptIssue] { PromptCheck.run(directory: directory) }
    }

    /// The 1-based line of the `occurrence`-th line containing `needle`.
    static func line(of needle: String, in text: String, occurrence: Int = 1) -> Int? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(needle) {
            seen += 1
            if seen == occurrence { return index + 1 }
        }
        return nil
    }

    /// The one issue at `key` in `file`; records a failure listing all issues when there is not exactly one.
    static func issue(
        _ issues: [PromptIssue], file: String, key: String?, sourceLocation: SourceLocation = #_sourceLocation
    ) -> PromptIssue? {
        let matching = issues.filter { $0.file == file && $0.key == key }
        if matching.count != 1 {
            let found = issues.map(\.description).joined(separator: "\n")
            Issue.record("expected one issue at \(file) \(key ?? "-"), got:\n\(found)", sourceLocation: sourceLocation)
        }
        return matching.first
    }

    @Test func missingStageOffset() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) { $0.replacingOccurrences(of: "    offset: +3d\n", with: "") }
        let issues = scratch.issues()
        let issue = Self.issue(issues, file: Self.sequenceFile, key: "stages[1].offset")
        #expect(issue?.line == Self.line(of: "- id: d3", in: text))
        #expect(issue?.message.contains("is missing") == true)
        #expect(issues.count == 1)
    }

    @Test func badOffsetSyntax() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(of: "offset: +3d", with: "offset: in 3 days")
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[1].offset")
        #expect(issue?.line == Self.line(of: "offset: in 3 days", in: text))
        #expect(issue?.message.contains("+1d, +3d or +2w") == true)
        #expect(
            issue?.description.hasPrefix("prompts/nudges/default.yaml:\(issue?.line ?? 0) (stages[1].offset): ") == true
        )
    }

    @Test func offsetInHoursMustAddUpToWholeDays() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(of: "offset: +3d", with: "offset: +60h")
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[1].offset")
        #expect(issue?.line == Self.line(of: "offset: +60h", in: text))
        #expect(issue?.message.contains("whole number of days") == true)

        let fine = try Scratch()
        try fine.edit(Self.sequenceFile) { $0.replacingOccurrences(of: "offset: +3d", with: "offset: +72h") }
        #expect(fine.issues() == [])
    }

    @Test func stageIdsMustBeUnique() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) { $0.replacingOccurrences(of: "- id: d7\n", with: "- id: d3\n") }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[2].id")
        #expect(issue?.line == Self.line(of: "- id: d3", in: text, occurrence: 2))
        #expect(issue?.message.contains("stages[1]") == true)
        #expect(issue?.message.contains("unique") == true)
    }

    @Test func offsetsMustStrictlyIncrease() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(of: "offset: +7d", with: "offset: +3d")
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[2].offset")
        #expect(issue?.line == Self.line(of: "offset: +3d", in: text, occurrence: 2))
        #expect(issue?.message.contains("not later than stages[1] (+3d)") == true)
    }

    @Test func wordingTooLong() throws {
        let scratch = try Scratch()
        let filler = String(repeating: "Really, truly. ", count: 12)
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(of: "A sentence is plenty. ", with: "A sentence is plenty. " + filler)
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[0].wordings.en[0]")
        #expect(issue?.line == Self.line(of: filler, in: text))
        #expect(issue?.message.contains("at most 300") == true)
    }

    @Test func unknownPlaceholdersAndNamesAreRejected() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(
                of: "Which moment from “{training_title}”",
                with: "{first_name}, which moment from “{training_title}”"
            )
            .replacingOccurrences(
                of: "What is one thing from “{training_title}”",
                with: "What is one thing from “{trainingTitle}”")
        }
        let issues = scratch.issues()
        let name = Self.issue(issues, file: Self.sequenceFile, key: "stages[0].wordings.en[2]")
        #expect(name?.line == Self.line(of: "{first_name}", in: text))
        #expect(name?.message.contains("does not store names") == true)
        let typo = Self.issue(issues, file: Self.sequenceFile, key: "stages[1].wordings.en[0]")
        #expect(typo?.line == Self.line(of: "{trainingTitle}", in: text))
        #expect(typo?.message.contains("{trainingTitle}") == true)
        #expect(typo?.message.contains("{days_since}, {training_title}") == true)
    }

    @Test func unknownLocaleCode() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(
                of: "      de:\n        - \"Was ist dir", with: "      ge:\n        - \"Was ist dir")
        }
        let issues = scratch.issues()
        let issue = Self.issue(issues, file: Self.sequenceFile, key: "stages[0].wordings.ge")
        #expect(issue?.line == Self.line(of: "      ge:", in: text))
        #expect(issue?.message.contains("ISO 639-1") == true)
        // German is now missing in that stage while the others have it.
        #expect(Self.issue(issues, file: Self.sequenceFile, key: "stages[0].wordings.de") != nil)
    }

    @Test func yamlSyntaxError() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(of: "  - id: d7\n    offset: +7d\n", with: "  - id: d7\n   offset: +7d\n")
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: nil)
        #expect(issue?.message.contains("is not valid YAML") == true)
        let broken = try #require(Self.line(of: "   offset: +7d", in: text))
        #expect(issue?.line.map { abs($0 - broken) <= 1 } == true, "line \(issue?.line ?? 0), expected about \(broken)")
    }

    @Test func fewerThanOneWordingMissingEnglishAndLanguageGaps() throws {
        let scratch = try Scratch()
        let short = """
            stages:
              - id: a
                offset: +1d
                wordings:
                  en: []
                reminder:
                  en: "If you have a minute: anything from {training_title}? Private by default."
              - id: b
                offset: +2d
                wordings:
                  de:
                    - "Was aus {training_title} nutzt du? Etwa eine Minute, privat."
                reminder:
                  en: "Whenever you have a minute: anything from {training_title}? Private by default."
                  de: "Wann immer du eine Minute hast: etwas aus {training_title}? Privat."

            """
        try scratch.write("nudges/short.yaml", short)
        let issues = scratch.issues()
        let file = "nudges/short.yaml"
        let empty = Self.issue(issues, file: file, key: "stages[0].wordings.en")
        #expect(empty?.line == 5)
        #expect(empty?.message.contains("has no wordings") == true)
        let english = Self.issue(issues, file: file, key: "stages[1].wordings.en")
        #expect(english?.line == 10)
        #expect(english?.message.contains("English") == true)
        let gap = Self.issue(issues, file: file, key: "stages[0].reminder.de")
        #expect(gap?.line == 6)
        let gapWordings = Self.issue(issues, file: file, key: "stages[0].wordings.de")
        #expect(gapWordings?.line == 4)
        #expect(issues.allSatisfy { $0.file == file }, "the default sequence stays valid")
    }

    @Test func theSameQuestionTwiceIsRejected() throws {
        let scratch = try Scratch()
        let first = "What's one idea from “{training_title}” that stuck with you? A sentence is plenty."
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(
                of: "What is one thing from “{training_title}” you used on a real task? What happened?",
                with: first)
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[1].wordings.en[0]")
        #expect(issue?.line == Self.line(of: first, in: text, occurrence: 2))
        #expect(issue?.message.contains("same question as stages[0].wordings.en[0]") == true)
    }

    @Test func moreThanOneReminderIsRejected() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(
                of: "    reminder:\n      en: \"No rush", with: "    reminder:\n      en:\n        - \"No rush")
        }
        let issue = Self.issue(scratch.issues(), file: Self.sequenceFile, key: "stages[0].reminder.en")
        #expect(issue?.line == Self.line(of: "- \"No rush", in: text))
        #expect(issue?.message.contains("at most one reminder") == true)
    }

    @Test func buttonTooLongInTheDMTexts() throws {
        let scratch = try Scratch()
        let long = "Reflect now on what you learned, it only takes a minute of your time, promise"
        let text = try scratch.edit(Self.messageFile) {
            $0.replacingOccurrences(of: "reflect_button: Reflect (1 min)", with: "reflect_button: \(long)")
        }
        let issue = Self.issue(scratch.issues(), file: Self.messageFile, key: "en.reflect_button")
        #expect(issue?.line == Self.line(of: long, in: text))
        #expect(issue?.message.contains("at most 75") == true)
    }

    @Test func unknownPlaceholderAndLocaleInTheDMTexts() throws {
        let scratch = try Scratch()
        let text = try scratch.edit(Self.messageFile) {
            $0.replacingOccurrences(of: "Snoozed. I'll", with: "Snoozed {days_since} times. I'll")
                .replacingOccurrences(of: "\nde:\n", with: "\ndeu:\n")
        }
        let issues = scratch.issues()
        let placeholder = Self.issue(issues, file: Self.messageFile, key: "en.snoozed")
        #expect(placeholder?.line == Self.line(of: "Snoozed {days_since}", in: text))
        let locale = Self.issue(issues, file: Self.messageFile, key: "deu")
        #expect(locale?.line == Self.line(of: "deu:", in: text))
        // The German nudges now have no German buttons.
        let missing = Self.issue(issues, file: Self.sequenceFile, key: "stages[0].wordings.de")
        #expect(missing?.message.contains("slack/nudges.yaml") == true)
        #expect(missing?.line != nil)
    }

    @Test func slackFilesAreCheckedToo() throws {
        let scratch = try Scratch()
        try scratch.edit(PromptLibrary.reflectFile) {
            $0.replacingOccurrences(
                of: "  title: Reflect on AI use", with: "  title: Reflect on how you used AI this week")
        }
        let issue = Self.issue(scratch.issues(), file: PromptLibrary.reflectFile, key: "modal.title")
        #expect(issue?.line == 10)
    }

    @Test func missingDefaultSequenceAndMisnamedFiles() throws {
        let scratch = try Scratch()
        let contents = try scratch.text(Self.sequenceFile)
        try scratch.remove(Self.sequenceFile)
        try scratch.write("nudges/default.de.yaml", contents)
        try scratch.write("nudges/onboarding.yml", contents)
        try scratch.write("nudges/README.md", "Sequences live here.")
        let issues = scratch.issues()
        #expect(Self.issue(issues, file: Self.sequenceFile, key: nil)?.message.contains("is missing") == true)
        #expect(
            Self.issue(issues, file: "nudges/default.de.yaml", key: nil)?.message.contains("sections such as `de:`")
                == true)
        #expect(
            Self.issue(issues, file: "nudges/onboarding.yml", key: nil)?.message.contains("onboarding.yaml") == true)
        #expect(issues.count == 3)
    }

    @Test func everyMistakeIsReportedAtOnce() throws {
        let scratch = try Scratch()
        try scratch.edit(Self.sequenceFile) {
            $0.replacingOccurrences(of: "offset: +3d", with: "offset: soon")
                .replacingOccurrences(of: "- id: d7\n", with: "- id: d1\n")
                .replacingOccurrences(of: "Which moment from", with: "{name}: which moment from")
        }
        try scratch.edit(Self.messageFile) { $0.replacingOccurrences(of: "  skip_button: Not this one\n", with: "") }
        let keys = Set(scratch.issues().map { "\($0.file) \($0.key ?? "-")" })
        #expect(
            keys == [
                "nudges/default.yaml stages[1].offset", "nudges/default.yaml stages[2].id",
                "nudges/default.yaml stages[0].wordings.en[2]", "slack/nudges.yaml en.skip_button",
            ])
        #expect(throws: PromptError.self) { try NudgeLibrary.load(from: scratch.directory) }
    }
}
