import DebriefCore
import DebriefPrompts
import Foundation

/// The Adaptive Card that carries a nudge in a person's 1:1 chat, and the cards that replace it after a click.
///
/// The Teams counterpart of Slack's `NudgeMessage`, with the same content: the question, a line saying it
/// takes about a minute and who sees what, and Reflect / Snooze 1 day / Not this one. Pure so the sender,
/// the invoke handlers and the tests build identical cards. The question (a rendered nudge text with an
/// admin-typed training title in it) is shown as a `TextRun`, so nothing in a title can format, link or
/// mention; in the smaller lines the title is escaped with ``TeamsMarkup/escape(_:)``.
public enum NudgeCard {
    /// The longest question shown, in UTF-16 units (the nudge files allow 300; a title can make it longer).
    static let questionLimit = 2_500
    /// The longest training title in the small lines.
    static let titleLimit = 200

    /// The nudge: question, context line and three `Action.Execute` buttons (``TeamsCardVerb/reflect``,
    /// ``TeamsCardVerb/snooze``, ``TeamsCardVerb/skip``) whose data carries `nudgeID`, each with an
    /// `Action.Submit` fallback.
    ///
    /// - Parameters:
    ///   - text: the rendered nudge text (plain text).
    ///   - trainingTitle: fills `{training_title}` in the line under the question.
    ///   - nudgeID: identifies the planned nudge; at most ``TeamsCardAction/maximumIDLength`` printable ASCII.
    ///   - texts: the words in the person's language, from ``TeamsTexts/nudgeTexts(locale:)``.
    public static func card(text: String, trainingTitle: String, nudgeID: String, texts: NudgeMessageTexts)
        -> JSONValue
    {
        let data: [String: JSONValue] = [TeamsCardData.nudgeID: .string(nudgeID)]
        let question = question(text)
        return AdaptiveCard.card(
            body: [
                AdaptiveCard.plain(question, size: "Medium"),
                AdaptiveCard.text(fill(texts.context, trainingTitle), subtle: true),
            ],
            actions: [
                AdaptiveCard.execute(title: texts.reflectButton, verb: .reflect, data: data),
                AdaptiveCard.execute(title: texts.snoozeButton, verb: .snooze, data: data),
                AdaptiveCard.execute(title: texts.skipButton, verb: .skip, data: data),
            ],
            fallbackText: TeamsMarkup.escape(question))
    }

    /// After the person reflected: a short thanks, no buttons.
    public static func thanked(trainingTitle: String, texts: NudgeMessageTexts) -> JSONValue {
        let thanks = fill(texts.thanked, trainingTitle)
        return AdaptiveCard.card(body: [AdaptiveCard.text(thanks)], fallbackText: thanks)
    }

    /// After "Snooze 1 day": the question stays, the buttons give way to a short confirmation.
    ///
    /// - Parameter text: the question the card was sent with; empty shows the confirmation alone.
    public static func snoozed(text: String, trainingTitle: String, texts: NudgeMessageTexts) -> JSONValue {
        confirmation(text: text, note: fill(texts.snoozed, trainingTitle))
    }

    /// After "Not this one": the question stays, the buttons give way to a short confirmation.
    ///
    /// - Parameter text: the question the card was sent with; empty shows the confirmation alone.
    public static func skipped(text: String, trainingTitle: String, texts: NudgeMessageTexts) -> JSONValue {
        confirmation(text: text, note: fill(texts.skipped, trainingTitle))
    }

    /// The question (when known: callers that no longer have it pass an empty text) and the note.
    private static func confirmation(text: String, note: String) -> JSONValue {
        let question = question(text)
        var body: [JSONValue] = []
        if !question.isEmpty { body.append(AdaptiveCard.plain(question, size: "Medium")) }
        body.append(AdaptiveCard.text(note, subtle: !question.isEmpty))
        return AdaptiveCard.card(body: body, fallbackText: note)
    }

    private static func question(_ text: String) -> String {
        TeamsMarkup.truncate(text.trimmingCharacters(in: .whitespacesAndNewlines), to: questionLimit)
    }

    /// Fills `{training_title}` with the escaped, one-line, shortened title.
    static func fill(_ template: String, _ trainingTitle: String) -> String {
        let title = TeamsMarkup.escape(TeamsMarkup.truncate(TeamsMarkup.oneLine(trainingTitle), to: titleLimit))
        return PromptTemplate.render(template, ["training_title": title])
    }
}
