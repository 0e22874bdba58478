import Foundation

/// One short optional question that nudges and the reflection form carry, one at a time, in rotation
/// (`prompts/questions/*.yaml`).
///
/// Leaders and ICs get the same questions, so the leadership digest can show where their expectations differ
/// (`ExpectationGapSection`); free-text questions feed the themes (`ThemesSection`).
public struct RotatingQuestion: Sendable, Equatable, Codable {
    /// Stable id, stored with every answer (`[a-z0-9_]`, at most `maximumIDLength` characters).
    public var id: String
    /// What the person reads.
    public var prompt: String
    /// The answers to pick from, in the order shown; empty for a free-text question.
    public var choices: [QuestionChoice]
    /// A placeholder for the free-text field.
    public var placeholder: String?

    public init(id: String, prompt: String, choices: [QuestionChoice] = [], placeholder: String? = nil) {
        self.id = id
        self.prompt = prompt
        self.choices = choices
        self.placeholder = placeholder
    }

    public var isFreeText: Bool { choices.isEmpty }

    public static let maximumIDLength = 40
    /// Free-text answers longer than this are refused with a message (the same bound as quotes in digests).
    public static let maximumAnswerLength = 500

    /// The label of `choice`, or nil when it is not one of this question's choices.
    public func label(of choice: String) -> String? { choices.first { $0.id == choice }?.label }
}

/// One answer to pick.
public struct QuestionChoice: Sendable, Equatable, Codable {
    public var id: String
    public var label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

/// Which question a person is asked: deterministic by person and week (so the nudge, the form opened from it and a
/// form reopened after an error agree without storing anything), and never the question they were asked last
/// time, so nobody answers the same question twice in a row.
public enum QuestionRotation {
    /// The question for `person` in `week`, or nil when there are none.
    ///
    /// - Parameter previous: the id of the question the person answered last (nil: none yet).
    public static func question(
        for person: Pseudonym, week: WeekKey, among questions: [RotatingQuestion], previous: String?
    ) -> RotatingQuestion? {
        guard !questions.isEmpty else { return nil }
        var generator = SeededGenerator.derived(from: 0x5155_4553, label: "question|\(person.value)|\(week)")
        let start = Int(generator.next() % UInt64(questions.count))
        for step in 0..<questions.count {
            let candidate = questions[(start + step) % questions.count]
            if candidate.id != previous || questions.count == 1 { return candidate }
        }
        return questions[start]
    }
}

/// A person's answer to a rotating question, as submitted: validated against the question before it is stored.
public struct QuestionAnswerDraft: Sendable, Equatable {
    public var questionID: String
    public var value: String?

    public init(questionID: String, value: String?) {
        self.questionID = questionID
        self.value = value
    }

    /// What went wrong with an answer, so the form can say it under the question.
    public enum Problem: Error, Sendable, Equatable {
        /// The question is no longer asked (the prompts changed while the form was open): the answer is dropped,
        /// the reflection is kept.
        case unknownQuestion
        /// A choice that is not one of the question's.
        case unknownChoice
        /// Free text over `RotatingQuestion.maximumAnswerLength` characters.
        case tooLong(maximum: Int)
    }

    /// The answer to store: nil when the person left the question empty (it is optional).
    public func validate(against questions: [RotatingQuestion]) -> Result<ValidQuestionAnswer?, Problem> {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty else { return .success(nil) }
        guard let question = questions.first(where: { $0.id == questionID }) else { return .failure(.unknownQuestion) }
        if question.isFreeText {
            guard trimmed.count <= RotatingQuestion.maximumAnswerLength else {
                return .failure(.tooLong(maximum: RotatingQuestion.maximumAnswerLength))
            }
            return .success(ValidQuestionAnswer(questionID: question.id, choice: nil, text: trimmed))
        }
        guard question.label(of: trimmed) != nil else { return .failure(.unknownChoice) }
        return .success(ValidQuestionAnswer(questionID: question.id, choice: trimmed, text: nil))
    }
}

/// An answer that passed validation: exactly one of `choice` and `text`.
public struct ValidQuestionAnswer: Sendable, Equatable {
    public var questionID: String
    public var choice: String?
    public var text: String?

    public init(questionID: String, choice: String?, text: String?) {
        self.questionID = questionID
        self.choice = choice
        self.text = text
    }
}
