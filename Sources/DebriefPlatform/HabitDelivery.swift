import DebriefCore

/// One habit message as the server decided it (the offer, a recurring prompt, "Should I keep asking?", a
/// leader's ask): the adapter draws the text and one button per choice.
///
/// - Important: the buttons carry ``promptID`` (a random id), never the pseudonym.
public struct HabitDelivery: Sendable, Equatable {
    public var promptID: String
    public var kind: HabitPromptKind
    /// The text in the platform's own markup, from `prompts/<platform>/habit.yaml`.
    public var text: String
    /// The buttons, in order; the first is the primary one.
    public var choices: [HabitChoice]

    public init(promptID: String, kind: HabitPromptKind, text: String, choices: [HabitChoice]) {
        self.promptID = promptID
        self.kind = kind
        self.text = text
        self.choices = choices
    }
}

/// One button of a habit message.
public struct HabitChoice: Sendable, Equatable {
    public var answer: HabitAnswer
    public var label: String

    public init(answer: HabitAnswer, label: String) {
        self.answer = answer
        self.label = label
    }
}
