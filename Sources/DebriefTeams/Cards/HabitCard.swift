import DebriefCore
import DebriefPlatform

/// The habit's messages as Adaptive Cards (the Teams counterpart of Slack's `HabitMessage`): the text from
/// `prompts/teams/habit.yaml` and one `Action.Execute` per choice (verb ``TeamsCardVerb/habitAnswer``, data the
/// message id and the answer), and the card that replaces one after a click.
public enum HabitCard {
    public static func card(_ delivery: HabitDelivery) -> JSONValue {
        AdaptiveCard.card(
            body: [AdaptiveCard.text(delivery.text)],
            actions: delivery.choices.map { choice in
                AdaptiveCard.execute(
                    title: choice.label, verb: .habitAnswer,
                    data: [
                        TeamsCardData.habitID: .string(delivery.promptID),
                        TeamsCardData.habitAnswer: .string(choice.answer.rawValue),
                    ])
            },
            fallbackText: delivery.text)
    }

    /// The note that replaces a habit card once answered; no buttons.
    public static func answered(_ note: String) -> JSONValue {
        AdaptiveCard.card(body: [AdaptiveCard.text(note)], fallbackText: note)
    }
}
