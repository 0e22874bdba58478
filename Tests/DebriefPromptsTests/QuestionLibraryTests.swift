import DebriefCore
import DebriefPrompts
import DebriefTestSupport
import Foundation
import Testing

@Suite("Rotating questions and themes")
struct QuestionLibraryTests {
    @Test func shippedQuestionsLoadInEnglishAndGerman() throws {
        let library = try QuestionLibrary.load(from: RepositoryPrompts.directory)
        let english = library.questions(for: "en-GB")
        #expect(english.map(\.id) == ["ai_help_wish", "stay_human", "time_saved_use"])
        #expect(english.first { $0.id == "stay_human" }?.isFreeText == true)
        let timeSaved = try #require(english.first { $0.id == "time_saved_use" })
        #expect(
            timeSaved.choices.map(\.label) == [
                "More of the same work", "Deeper work on quality", "Learning", "Admin backlog", "Time for myself",
                "Nothing saved",
            ])
        // The task wish offers the task categories of the reflection form.
        let wish = try #require(english.first { $0.id == "ai_help_wish" })
        #expect(Set(wish.choices.map(\.id)) == Set(TaskCategory.allCases.map(\.rawValue)))
        #expect(
            library.questions(for: "de-AT").first?.prompt == "Bei welcher Aufgabe hättest du am liebsten Hilfe von KI?")
        #expect(
            library.taxonomy.themes(of: "Das Vertrauen meiner Kunden und schwierige Entscheidungen") == [
                "relationships", "judgement",
            ])
        #expect(PromptCheck.run(directory: RepositoryPrompts.directory).isEmpty)
    }

    @Test func mistakesNameFileQuestionAndField() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let folder = directory.appendingPathComponent("questions")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(
            """
            questions:
              - id: pick
                prompt: { en: Pick one, de: Wähle }
                choices:
                  - id: a
                    label: { en: A }
                  - id: a
                    label: { en: B, de: B }
              - id: Bad-Id
                prompt: { en: Hello }
            """.utf8
        ).write(to: folder.appendingPathComponent("mine.yaml"))
        try Data("themes:\n  - id: t\n    label: T\n    keywords: []\n".utf8)
            .write(to: folder.appendingPathComponent("themes.yaml"))
        let error = try #require(throws: PromptError.self) { try QuestionLibrary.load(from: directory) }
        let described = error.issues.map(\.description)
        #expect(described.contains { $0.contains("questions/mine.yaml") && $0.contains("questions[0].choices[1].id") })
        #expect(described.contains { $0.contains("questions[0].choices[0].label.de") && $0.contains("missing") })
        #expect(described.contains { $0.contains("questions[1].id") && $0.contains("lowercase") })
        #expect(described.contains { $0.contains("questions/themes.yaml") && $0.contains("themes[0].keywords") })
    }

    @Test func answersAreCheckedAgainstTheQuestion() throws {
        let library = try QuestionLibrary.load(from: RepositoryPrompts.directory)
        let questions = library.reference
        #expect(
            try QuestionAnswerDraft(questionID: "time_saved_use", value: "learning").validate(against: questions).get()
                == ValidQuestionAnswer(questionID: "time_saved_use", choice: "learning", text: nil))
        #expect(
            QuestionAnswerDraft(questionID: "time_saved_use", value: "naps").validate(against: questions)
                == .failure(.unknownChoice))
        #expect(
            QuestionAnswerDraft(questionID: "stay_human", value: String(repeating: "x", count: 501))
                .validate(against: questions) == .failure(.tooLong(maximum: 500)))
        #expect(
            try QuestionAnswerDraft(questionID: "stay_human", value: "  ").validate(against: questions).get() == nil)
        #expect(
            QuestionAnswerDraft(questionID: "gone", value: "x").validate(against: questions)
                == .failure(.unknownQuestion))
    }

    @Test func rotationIsStablePerWeekAndNeverRepeatsTheLastQuestion() throws {
        let questions = try QuestionLibrary.load(from: RepositoryPrompts.directory).reference
        let week = try #require(WeekKey("2026-W47"))
        for index in 0..<40 {
            let person = Pseudonym(rawValue: "person-\(index)")
            let first = QuestionRotation.question(for: person, week: week, among: questions, previous: nil)
            #expect(first == QuestionRotation.question(for: person, week: week, among: questions, previous: nil))
            let next = QuestionRotation.question(
                for: person, week: week.adding(weeks: 1), among: questions,
                previous: first?.id)
            #expect(next != nil && next?.id != first?.id)
        }
        #expect(QuestionRotation.question(for: Pseudonym(rawValue: "p"), week: week, among: [], previous: nil) == nil)
    }
}
