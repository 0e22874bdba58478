import DebriefCore
import DebriefPrompts

/// The card Debrief sends when someone installs it in Teams: what it keeps, who sees what, and the person's
/// controls — the Teams counterpart of the Slack Home tab, from `prompts/teams/welcome.yaml`.
///
/// It is the same for everyone, so it carries nothing about the person.
public enum WelcomeCard {
    /// - Parameter includeStartButton: show "Write a reflection" (verb ``TeamsCardVerb/openForm``, no data);
    ///   the server answers it with ``ReflectionFormCard``.
    public static func card(texts: TeamsTexts, includeStartButton: Bool = true) -> JSONValue {
        let welcome = texts.welcome
        var body: [JSONValue] = [
            AdaptiveCard.text(welcome.header, size: "Large", weight: "Bolder"), AdaptiveCard.text(welcome.intro),
        ]
        for section in welcome.sections {
            body.append(AdaptiveCard.text(section.title, weight: "Bolder", spacing: "Medium"))
            body.append(AdaptiveCard.text(section.text, spacing: "Small"))
        }
        let actions = includeStartButton ? [AdaptiveCard.execute(title: welcome.startButton, verb: .openForm)] : []
        return AdaptiveCard.card(body: body, actions: actions, fallbackText: welcome.header)
    }
}
