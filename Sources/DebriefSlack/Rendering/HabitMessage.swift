import DebriefCore
import DebriefPlatform

/// The habit's direct messages as Slack message JSON, and the short line that replaces one after a click.
///
/// The texts come from `prompts/slack/habit.yaml` (operator-written mrkdwn), so they are not escaped; nothing a
/// person typed ever goes into them. Each button's `action_id` is ``HabitActionID/actionID(_:)`` of its answer and
/// its `value` the message id.
public enum HabitMessage {
    public static func message(_ delivery: HabitDelivery) -> JSONValue {
        let text = BlockKit.truncate(delivery.text, to: BlockKit.Limit.sectionText)
        let buttons = delivery.choices.enumerated().map { index, choice in
            BlockKit.button(
                text: choice.label, actionID: HabitActionID.actionID(choice.answer), value: delivery.promptID,
                style: index == 0 ? .primary : nil)
        }
        return [
            "text": .string(text),
            "blocks": .array([BlockKit.section(text), BlockKit.actions(blockID: HabitActionID.block, buttons)]),
        ]
    }

    /// What replaces the message once answered: the note alone, no buttons.
    public static func answered(_ note: String) -> JSONValue {
        let text = BlockKit.truncate(note, to: BlockKit.Limit.sectionText)
        return ["text": .string(text), "blocks": .array([BlockKit.section(text)])]
    }
}

/// The `action_id`s of the habit's buttons: `habit_<answer>`.
public enum HabitActionID {
    public static let prefix = "habit_"
    public static let block = "habit_actions"

    public static func actionID(_ answer: HabitAnswer) -> String { prefix + answer.rawValue }

    /// The answer a habit button stands for; nil for any other action id.
    public static func answer(of actionID: String) -> HabitAnswer? {
        guard actionID.hasPrefix(prefix) else { return nil }
        return HabitAnswer(rawValue: String(actionID.dropFirst(prefix.count)))
    }
}
