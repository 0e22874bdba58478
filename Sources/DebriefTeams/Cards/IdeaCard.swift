import DebriefCore
import DebriefPrompts
import Foundation

/// `ideas [topic]` in a Teams chat: each colleague's example as a `TextRun` (never parsed as Markdown), its details,
/// and a "Useful" button (verb ``TeamsCardVerb/ideaUseful``, data ``TeamsCardData/reflectionID``); or the sentence
/// saying why there is none.
public enum IdeaCard {
    public static func card(_ answer: IdeaAnswer?, options: OptionTexts) -> JSONValue {
        guard let answer else { return sentence(IdeaWording.notConfigured) }
        switch answer {
        case .examples(let examples, let topic, let fromEarlierWeeks):
            let heading = IdeaWording.heading(topic: topic)
            var body: [JSONValue] = [AdaptiveCard.text(TeamsMarkup.escape(heading), size: "Medium", weight: "Bolder")]
            if fromEarlierWeeks { body.append(AdaptiveCard.text(IdeaWording.earlierWeeks, subtle: true)) }
            for example in examples.prefix(IdeaLibrary.maximumExamples) {
                let details = IdeaWording.details(
                    example, category: options.label(_:), outcome: options.label(_:), minutes: options.label(_:))
                body.append(
                    [
                        "type": "Container", "separator": true, "spacing": "Medium",
                        "items": [
                            AdaptiveCard.plain(TeamsMarkup.truncate(example.text, to: 2_000), italic: true),
                            AdaptiveCard.plain(details, subtle: true),
                            [
                                "type": "ActionSet",
                                "actions": [
                                    AdaptiveCard.execute(
                                        title: IdeaWording.usefulButton, verb: .ideaUseful,
                                        data: [TeamsCardData.reflectionID: .string(example.id)])
                                ],
                            ],
                        ],
                    ])
            }
            body.append(AdaptiveCard.text(IdeaWording.privacyNote, subtle: true, spacing: "Medium"))
            return AdaptiveCard.card(body: body, fallbackText: TeamsMarkup.escape(heading))
        case .noMatch(let topic): return sentence(IdeaWording.noMatch(topic: topic))
        case .unsearchable: return sentence(IdeaWording.unsearchable)
        case .empty: return sentence(IdeaWording.empty)
        case .notYet(let missing, let threshold):
            return sentence(IdeaWording.notYet(missing: missing, quoteThreshold: threshold))
        case .withheld: return sentence(IdeaWording.withheld)
        }
    }

    /// A one-sentence card (also what replaces the list after a "Useful" click).
    public static func sentence(_ text: String) -> JSONValue {
        AdaptiveCard.card(body: [AdaptiveCard.plain(text)], fallbackText: TeamsMarkup.escape(text))
    }
}
