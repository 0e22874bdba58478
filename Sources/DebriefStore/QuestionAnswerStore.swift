import DebriefCore
import Foundation

/// Answers to the rotating questions (`prompts/questions/`): stored by pseudonym with the reflection they came
/// with, erased with the person (`/reflect forget`), listed in their export (`/reflect mine`), and read per week as
/// the leadership digest's expectation gap and themes.
public protocol QuestionAnswerStore: Sendable {
    /// Stores one answer (the person must exist). Free text is stored by `StoredText` rules.
    func recordQuestionAnswer(_ answer: QuestionAnswer) async throws(StoreError)

    /// The id of the question the person answered most recently, for the rotation (nil: none yet).
    func lastQuestionAnswered(by person: Pseudonym) async throws(StoreError) -> String?

    /// The week's answers, one per person and question (their latest that week), each with the author's current
    /// role level: what the week's release counts. Sorted by question, then pseudonym.
    func questionAnswers(week: String) async throws(StoreError) -> [WeeklyQuestionAnswer]

    /// Everything the person answered, oldest first.
    func questionAnswers(of person: Pseudonym) async throws(StoreError) -> [QuestionAnswer]
}

/// One stored answer. Exactly one of `choice` and `text` is set.
public struct QuestionAnswer: Sendable, Equatable, Codable {
    public var id: String
    public var person: Pseudonym
    public var questionID: String
    public var choice: String?
    public var text: String?
    /// Whether the free text may be quoted (scrubbed, never with a name): the consent given with the reflection.
    public var consent: Consent
    /// The ISO week the answer counts in (`2026-W47`).
    public var week: String
    /// The reflection it was submitted with, when there was one.
    public var reflectionID: String?

    public init(
        id: String, person: Pseudonym, questionID: String, choice: String?, text: String?, consent: Consent,
        week: String, reflectionID: String?
    ) {
        self.id = id
        self.person = person
        self.questionID = questionID
        self.choice = choice
        self.text = text
        self.consent = consent
        self.week = week
        self.reflectionID = reflectionID
    }
}

/// An answer as the week's digest counts it.
///
/// - Important: the pseudonym is only for counting distinct people; it never leaves the server's assembler.
public struct WeeklyQuestionAnswer: Sendable, Equatable {
    public var person: Pseudonym
    public var roleLevel: String
    public var questionID: String
    public var choice: String?
    public var text: String?
    public var consent: Consent

    public init(
        person: Pseudonym, roleLevel: String, questionID: String, choice: String?, text: String?, consent: Consent
    ) {
        self.person = person
        self.roleLevel = roleLevel
        self.questionID = questionID
        self.choice = choice
        self.text = text
        self.consent = consent
    }

    /// The latest answer per (person, question) of rows in storage order, sorted by question and pseudonym.
    public static func latest(_ rows: [WeeklyQuestionAnswer]) -> [WeeklyQuestionAnswer] {
        var latest: [String: WeeklyQuestionAnswer] = [:]
        for row in rows { latest[row.questionID + "\u{0}" + row.person.value] = row }
        return latest.values.sorted { ($0.questionID, $0.person.value) < ($1.questionID, $1.person.value) }
    }
}
