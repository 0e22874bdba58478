import DebriefCore
import DebriefPrompts
import DebriefTestSupport
import Foundation
import Testing

@Suite("Nudge prompt files")
struct NudgePromptsTests {
    let library: NudgeLibrary

    init() throws {
        library = try NudgeLibrary.load(from: RepositoryPrompts.directory)
    }

    @Test func repositoryPromptsPassTheWholeCheck() {
        let issues = PromptCheck.run(directory: RepositoryPrompts.directory)
        #expect(issues == [], "\(issues.map(\.description).joined(separator: "\n"))")
    }

    @Test func defaultSequenceIsSpacedAtOneThreeSevenAndTwentyOneDays() throws {
        let sequence = try #require(library.sequence(NudgeLibrary.defaultSequenceID))
        #expect(sequence.stages.map(\.id) == ["d1", "d3", "d7", "d21"])
        #expect(sequence.stages.map(\.offset) == [1, 3, 7, 21].map { Duration.seconds($0 * 86_400) })
        #expect(sequence.stages.map(\.dayOffset) == [1, 3, 7, 21])
        #expect(try sequence.schedule() == DebriefCore.NudgeSequence.default)
    }

    @Test func everyStageHasSeveralShortRetrievalWordingsInEnglishAndGerman() throws {
        let sequence = try #require(library.sequence("default"))
        #expect(sequence.locales == ["en", "de"])
        for stage in sequence.stages {
            for locale in ["en", "de"] {
                let wordings = stage.wordings[locale] ?? []
                #expect(wordings.count >= 3, "\(stage.id) \(locale) has \(wordings.count) wordings")
                let reminder = try #require(stage.reminder[locale], "\(stage.id) has no \(locale) reminder")
                for text in wordings + [reminder] {
                    #expect(text.count <= 300, "\(stage.id) \(locale): \(text)")
                    #expect(text.contains("?"), "not a question: \(text)")
                    #expect(text.contains("{training_title}"), "does not say which training: \(text)")
                    let lower = text.lowercased()
                    #expect(lower.contains("minute"), "does not say it takes about a minute: \(text)")
                    let privacy = locale == "en" ? ["private", "anonymous"] : ["privat", "anonym"]
                    #expect(privacy.contains { lower.contains($0) }, "does not say answers are private: \(text)")
                    for nag in [
                        "haven't", "forgot", "still waiting", "overdue", "reminder", "noch nicht geantwortet",
                        "vergessen",
                    ] {
                        #expect(!lower.contains(nag), "guilt-tripping \"\(nag)\": \(text)")
                    }
                }
            }
        }
    }

    @Test func theApplyStageAsksTheCanonicalQuestion() throws {
        let stage = try #require(library.sequence("default")?.stage("d3"))
        #expect(
            stage.wordings["en"]?.contains {
                $0.hasPrefix("What is one thing from “{training_title}” you used on a real task? What happened?")
            } == true)
    }

    @Test func offsetsParseInMinutesHoursDaysAndWeeks() {
        let valid: [(String, Int64)] = [
            ("+1d", 86_400), ("+36h", 129_600), ("+2w", 1_209_600), ("+90m", 5_400), ("3d", 259_200), (" +0d ", 0),
        ]
        for (text, seconds) in valid {
            #expect(NudgeOffset.parse(text) == .seconds(seconds), "\(text)")
        }
        for text in ["", "+", "1", "+d", "+1x", "-1d", "+1.5d", "+1 d", "+1D", "++1d", "+1234567d", "1d2h"] {
            #expect(NudgeOffset.parse(text) == nil, "\(text) should not parse")
        }
        #expect(NudgeOffset.format(.seconds(259_200)) == "+3d")
        #expect(NudgeOffset.format(.seconds(1_209_600)) == "+2w")
        #expect(NudgeOffset.format(.seconds(129_600)) == "+36h")
    }

    @Test func textFillsTitleAndDaysAndNothingElse() throws {
        let text = try library.text(
            sequence: "default", stage: "d7", locale: "en", pseudonym: "p-0001", trainingTitle: "Prompting for briefs",
            daysSince: 9, kind: .primary)
        #expect(text.contains("Prompting for briefs"))
        #expect(!text.contains("{"), "unfilled placeholder: \(text)")
        for stage in ["d1", "d3", "d7", "d21"] {
            for kind in NudgeTextKind.allCases {
                for locale in ["en", "de"] {
                    let rendered = try library.text(
                        sequence: "default", stage: stage, locale: locale, pseudonym: "p-0001",
                        trainingTitle: "Title {days_since} & <b>", daysSince: 8, kind: kind)
                    #expect(rendered.contains("Title {days_since} & <b>"), "title must be inserted verbatim")
                    #expect(!rendered.contains("{training_title}"))
                }
            }
        }
        for (locale, phrase) in [("en", "9 days"), ("de", "9 Tagen")] {
            let texts = try (0..<30).map {
                try library.text(
                    sequence: "default", stage: "d7", locale: locale, pseudonym: "p-\($0)", trainingTitle: "T",
                    daysSince: 9, kind: .primary)
            }
            #expect(
                texts.contains { $0.contains(phrase) || $0.hasPrefix("9 Tage") },
                "no \(locale) wording used {days_since}")
        }
    }

    @Test func titleLineBreaksBecomeSpaces() throws {
        let text = try library.text(
            sequence: "default", stage: "d1", locale: "en", pseudonym: "x", trainingTitle: "Prompting\nfor briefs\n",
            daysSince: 1, kind: .reminder)
        #expect(text.contains("“Prompting for briefs”"))
    }

    @Test func reminderIsTheStagesSingleReminder() throws {
        let reminder = try library.text(
            sequence: "default", stage: "d3", locale: "en", pseudonym: "anyone", trainingTitle: "T", daysSince: 4,
            kind: .reminder)
        let template = try #require(library.sequence("default")?.stage("d3")?.reminder["en"])
        #expect(reminder == PromptTemplate.render(template, ["training_title": "T", "days_since": "4"]))
    }

    @Test func germanIsUsedWhenPresentAndUnknownLocalesFallBackToEnglish() throws {
        let sequence = try #require(library.sequence("default"))
        let stage = try #require(sequence.stage("d1"))
        func text(_ locale: String?) throws -> String {
            try library.text(
                sequence: "default", stage: "d1", locale: locale, pseudonym: "p-0001", trainingTitle: "T", daysSince: 1,
                kind: .primary)
        }
        func rendered(_ templates: [String]?) -> Set<String> {
            Set((templates ?? []).map { PromptTemplate.render($0, ["training_title": "T", "days_since": "1"]) })
        }
        let german = rendered(stage.wordings["de"])
        let english = rendered(stage.wordings["en"])
        for locale in ["de", "de-DE", "de_AT", "DE", "de-CH"] {
            #expect(german.contains(try text(locale)), "\(locale) should be German")
        }
        for locale in ["fr", "fr-FR", "xx", "", nil] as [String?] {
            #expect(english.contains(try text(locale)), "\(locale ?? "nil") should fall back to English")
        }
        let reminder = try library.text(
            sequence: "default", stage: "d1", locale: "de-AT", pseudonym: "p", trainingTitle: "T", daysSince: 1,
            kind: .reminder)
        #expect(reminder == PromptTemplate.render(stage.reminder["de"] ?? "", ["training_title": "T"]))

        #expect(library.messageTexts(locale: "de-DE") == library.messages["de"])
        #expect(library.messageTexts(locale: "ja") == library.messages["en"])
        #expect(library.messageTexts(locale: nil).reflectButton == "Reflect (1 min)")
        #expect(NudgeLocale.resolve("de-CH", available: ["en", "de", "de-CH"]) == "de-CH")
        #expect(NudgeLocale.resolve("de-AT", available: ["en", "de", "de-CH"]) == "de")
    }

    @Test func unknownSequenceOrStageIsAnOperatorReadableError() {
        #expect(throws: NudgeLookupError.unknownSequence("onboarding", known: ["default"])) {
            try library.text(
                sequence: "onboarding", stage: "d1", locale: "en", pseudonym: "p", trainingTitle: "T", daysSince: 1,
                kind: .primary)
        }
        do {
            _ = try library.text(
                sequence: "default", stage: "d2", locale: "en", pseudonym: "p", trainingTitle: "T", daysSince: 1,
                kind: .primary)
            Issue.record("expected an error")
        } catch {
            #expect(error == .unknownStage(sequence: "default", stage: "d2", known: ["d1", "d3", "d7", "d21"]))
            #expect(error.description.contains("prompts/nudges/default.yaml"))
        }
    }

    @Test func dmTextsRespectSlackButtonLimits() throws {
        for (locale, texts) in library.messages {
            for button in [texts.reflectButton, texts.snoozeButton, texts.skipButton] {
                #expect((1...75).contains(button.utf16.count), "\(locale): \(button)")
            }
            #expect(texts.context.lowercased().contains("minute"))
        }
        #expect(Set(library.messages.keys) == ["en", "de"])
    }
}
