import DebriefCore
import DebriefPrompts
import Foundation

/// The rotating question on the Teams reflection form: the same one optional question as the Slack modal
/// (chosen and checked by the server's question service), drawn as an `Input.ChoiceSet` for a question with
/// choices or an `Input.Text` bounded to ``RotatingQuestion/maximumAnswerLength`` for free text.
///
/// The input's id is ``TeamsCardData/questionAnswer`` and the question's id travels in the Save button's data
/// (``TeamsCardData/questionID``), so a submission says which question was answered without a lookup.
public struct ReflectionFormQuestion: Sendable, Equatable {
    public var question: RotatingQuestion
    public var texts: QuestionFormTexts
    /// What the person answered (kept when the card comes back with an error); a choice that is not one of the
    /// question's is not preselected.
    public var answer: String?
    /// Why the answer was refused, shown under the question.
    public var error: String?

    public init(question: RotatingQuestion, texts: QuestionFormTexts, answer: String? = nil, error: String? = nil) {
        self.question = question
        self.texts = texts
        self.answer = answer
        self.error = error
    }

    /// The input, its error line (if any) and the hint that it is optional.
    var elements: [JSONValue] {
        var elements = [input]
        if let error { elements.append(AdaptiveCard.text(error, color: "Attention", spacing: "Small")) }
        elements.append(AdaptiveCard.text(texts.hint, size: "Small", subtle: true, spacing: "Small"))
        return elements
    }

    /// The data the Save button carries for the question.
    var data: [String: JSONValue] { [TeamsCardData.questionID: .string(question.id)] }

    private var input: JSONValue {
        var input: [String: JSONValue] = [
            "id": .string(TeamsCardData.questionAnswer), "label": .string(question.prompt), "isRequired": false,
        ]
        let answer = answer?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if question.isFreeText {
            let maximum = RotatingQuestion.maximumAnswerLength
            input["type"] = "Input.Text"
            input["isMultiline"] = true
            input["maxLength"] = .number(Double(maximum))
            if let placeholder = question.placeholder { input["placeholder"] = .string(placeholder) }
            if !answer.isEmpty { input["value"] = .string(TeamsMarkup.plain(answer)) }
        } else {
            input["type"] = "Input.ChoiceSet"
            input["style"] = "expanded"
            input["isMultiSelect"] = false
            input["wrap"] = true
            input["choices"] = .array(
                question.choices.map { ["title": .string($0.label), "value": .string($0.id)] })
            if question.label(of: answer) != nil { input["value"] = .string(answer) }
        }
        return .object(input)
    }
}
