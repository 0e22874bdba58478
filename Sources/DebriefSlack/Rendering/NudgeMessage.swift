import DebriefCore
import DebriefPrompts
import Foundation

/// The direct message that carries a nudge, and the versions that replace it after a click, as
/// Slack message JSON (`{"text": …, "blocks": […]}`).
///
/// Pure so the sender, the action handlers and the tests build byte-identical payloads. The question
/// text (from ``NudgeLibrary/text(sequence:stage:locale:pseudonym:trainingTitle:daysSince:kind:attempt:)``)
/// is plain text with a training title an admin typed, so it is escaped for mrkdwn here; *bold* and
/// _italic_ written in the prompt files still work. Add `channel` (and `ts` for `chat.update`) before
/// sending; for a `response_url` reply wrap the result in ``SlackReplies/replacingOriginal(_:)``.
public enum NudgeMessage {
    /// The nudge for `chat.postMessage`: the question, a line saying it takes about a minute and who
    /// sees what, and three buttons whose `value` is `nudgeID`: ``NudgeActionID/reflect`` (primary),
    /// ``NudgeActionID/snooze`` and ``NudgeActionID/skip``.
    ///
    /// - Parameters:
    ///   - text: the rendered nudge text (plain text; escaped here).
    ///   - trainingTitle: fills `{training_title}` in the line under the question.
    ///   - nudgeID: identifies the planned nudge in the store; at most 2,000 characters (Slack's button value limit).
    ///   - texts: the DM texts in the person's language, from ``NudgeLibrary/messageTexts(locale:)``.
    public static func message(text: String, trainingTitle: String, nudgeID: String, texts: NudgeMessageTexts)
        -> JSONValue
    {
        let question = question(text)
        let blocks: [JSONValue] = [
            BlockKit.section(question),
            BlockKit.context(fill(texts.context, trainingTitle)),
            BlockKit.actions(
                blockID: NudgeBlockID.actions,
                [
                    BlockKit.button(
                        text: texts.reflectButton, actionID: NudgeActionID.reflect, value: nudgeID, style: .primary),
                    BlockKit.button(text: texts.snoozeButton, actionID: NudgeActionID.snooze, value: nudgeID),
                    BlockKit.button(text: texts.skipButton, actionID: NudgeActionID.skip, value: nudgeID),
                ]),
        ]
        return payload(fallback: question, blocks: blocks)
    }

    /// For `chat.update` after the person reflected: the nudge is replaced by a short thanks, no buttons.
    public static func thanked(trainingTitle: String, texts: NudgeMessageTexts) -> JSONValue {
        let thanks = fill(texts.thanked, trainingTitle)
        return payload(fallback: thanks, blocks: [BlockKit.section(thanks)])
    }

    /// For `chat.update` after "Snooze 1 day": the question stays, the buttons give way to a short confirmation.
    ///
    /// - Parameter text: the same nudge text the message was posted with.
    public static func snoozed(text: String, trainingTitle: String, texts: NudgeMessageTexts) -> JSONValue {
        confirmation(text: text, note: fill(texts.snoozed, trainingTitle))
    }

    /// For `chat.update` after "Not this one": the question stays, the buttons give way to a short confirmation.
    ///
    /// - Parameter text: the same nudge text the message was posted with.
    public static func skipped(text: String, trainingTitle: String, texts: NudgeMessageTexts) -> JSONValue {
        confirmation(text: text, note: fill(texts.skipped, trainingTitle))
    }

    // MARK: - Helpers

    /// The longest training title shown in the small lines; the question itself is cut by the section limit.
    static let titleLimit = 200

    private static func confirmation(text: String, note: String) -> JSONValue {
        payload(fallback: note, blocks: [BlockKit.section(question(text)), BlockKit.context(note)])
    }

    /// The longest question before escaping; cutting before escaping never splits an `&amp;`.
    static let questionLimit = 2_500

    private static func question(_ text: String) -> String {
        let cut = BlockKit.truncate(text.trimmingCharacters(in: .whitespacesAndNewlines), to: questionLimit)
        return BlockKit.truncate(BlockKit.escape(cut), to: BlockKit.Limit.sectionText)
    }

    /// Fills `{training_title}` with the escaped, one-line, shortened title.
    private static func fill(_ template: String, _ trainingTitle: String) -> String {
        let oneLine = trainingTitle.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        let title = BlockKit.escape(BlockKit.truncate(oneLine, to: titleLimit))
        return BlockKit.truncate(
            PromptTemplate.render(template, ["training_title": title]), to: BlockKit.Limit.sectionText)
    }

    private static func payload(fallback: String, blocks: [JSONValue]) -> JSONValue {
        [
            "text": .string(BlockKit.truncate(fallback, to: BlockKit.Limit.messageText)),
            "blocks": .array(blocks),
        ]
    }
}
