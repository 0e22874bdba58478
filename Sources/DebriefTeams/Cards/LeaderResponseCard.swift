import DebriefCore
import DebriefPrompts
import Foundation

/// The Respond form of a leadership digest as an Adaptive Card, sent to the leader's own chat with Debrief.
///
/// Offers exactly what the answered digest published: its top blockers and use cases as checkboxes (aggregates,
/// never a person) and, for the audience, all teams or only the teams whose digest that week had numbers; the same
/// choices as Slack's modal. When the submission needs a look the card comes back with what was written kept and
/// the problem under the field it concerns (the core's sentences). "Publish" is an `Action.Execute` with verb
/// ``TeamsCardVerb/submitResponse`` and an `Action.Submit` fallback; its data carries the digest id only.
public enum LeaderResponseCard {
    /// Checkboxes beyond this many are not offered (a digest publishes far fewer themes).
    static let maximumThemes = 10
    /// Teams beyond this many are not offered, as in Slack's multi-select.
    static let maximumTeams = 100

    /// The Respond button for the leadership digest card.
    public static func respondButton(texts: TeamsTexts, digestID: String) -> JSONValue {
        AdaptiveCard.execute(
            title: texts.respond.respondButton, verb: .respond, data: [TeamsCardData.digestID: .string(digestID)])
    }

    /// The form.
    ///
    /// - Parameters:
    ///   - prefill: the submission that came back with errors (kept on the card); nil for a fresh form.
    ///   - errors: shown under their fields, with a summary line at the top.
    ///   - storageFailed: saving failed on Debrief's side: say so at the top, keep what was written.
    public static func form(
        texts: TeamsTexts, digestID: String, week: WeekKey, themes: [ResponseTheme], eligibleTeams: [String],
        prefill: LeaderResponseForm? = nil, errors: LeaderResponseFormErrors? = nil, storageFailed: Bool = false
    ) -> JSONValue {
        let respond = texts.respond
        var body: [JSONValue] = [
            AdaptiveCard.text(respond.title, size: "Large", weight: "Bolder"),
            AdaptiveCard.text(
                PromptTemplate.render(respond.intro, ["week": TeamsMarkup.escape(DigestLabels.week(week))])),
        ]
        if storageFailed {
            body.append(AdaptiveCard.text(respond.storageFailed, weight: "Bolder", color: "Attention"))
        } else if let errors, !errors.isEmpty {
            body.append(AdaptiveCard.text(respond.errorSummary, weight: "Bolder", color: "Attention"))
        }
        func problem(_ message: String?) {
            guard let message else { return }
            body.append(AdaptiveCard.plain(message, weight: "Bolder"))
            body[body.count - 1] = withColor(body[body.count - 1])
        }
        var text: [String: JSONValue] = [
            "type": "Input.Text", "id": .string(LeaderResponseInput.text), "label": .string(respond.textLabel),
            "isMultiline": true, "maxLength": .number(Double(LeaderResponseForm.maximumTextLength)),
            "placeholder": .string(respond.textPlaceholder),
        ]
        if let written = prefill?.text, !written.isEmpty { text["value"] = .string(TeamsMarkup.plain(written)) }
        body.append(.object(text))
        problem(errors?.text)
        let offered = Array(themes.prefix(maximumThemes))
        let ticked = offered.map(\.key).filter { (prefill?.themeKeys ?? []).contains($0) }
        body.append(
            choiceSet(
                id: LeaderResponseInput.themes, label: respond.themesLabel,
                choices: offered.map { ($0.label, $0.key) }, selected: ticked, multiSelect: true))
        problem(errors?.themes)
        var audienceChoices = [(respond.allTeams, LeaderResponseForm.allTeamsChoice)]
        if !eligibleTeams.isEmpty { audienceChoices.append((respond.namedTeams, LeaderResponseForm.namedTeamsChoice)) }
        let audience =
            prefill?.audienceChoice == LeaderResponseForm.namedTeamsChoice && !eligibleTeams.isEmpty
            ? LeaderResponseForm.namedTeamsChoice : LeaderResponseForm.allTeamsChoice
        body.append(
            choiceSet(
                id: LeaderResponseInput.audience, label: respond.audienceLabel, choices: audienceChoices,
                selected: [audience], multiSelect: false))
        problem(errors?.audience)
        if eligibleTeams.isEmpty {
            body.append(AdaptiveCard.text(respond.noEligibleTeams, size: "Small", subtle: true))
            // Without a team choice, a problem with named teams is shown here.
            problem(errors?.teams)
        } else {
            let offeredTeams = Array(eligibleTeams.prefix(maximumTeams))
            let chosen = offeredTeams.filter { (prefill?.teams ?? []).contains($0) }
            body.append(
                choiceSet(
                    id: LeaderResponseInput.teams, label: respond.teamsLabel,
                    choices: offeredTeams.map { (TeamsMarkup.plain($0), choiceValue($0)) },
                    selected: chosen.map(choiceValue), multiSelect: true))
            problem(errors?.teams)
            body.append(AdaptiveCard.text(respond.teamsHint, size: "Small", subtle: true, spacing: "Small"))
        }
        body.append(AdaptiveCard.text(respond.consentNote, size: "Small", subtle: true))
        return AdaptiveCard.card(
            body: DigestCard.fitting(body),
            actions: [
                AdaptiveCard.execute(
                    title: respond.submit, verb: .submitResponse, data: [TeamsCardData.digestID: .string(digestID)])
            ],
            fallbackText: respond.title, fullWidth: true)
    }

    /// Replaces the form after saving.
    public static func thanks(texts: TeamsTexts, audience: ResponseAudience) -> JSONValue {
        let label = audience.label
        let capitalised = label.prefix(1).uppercased() + label.dropFirst()
        return AdaptiveCard.card(
            body: [
                AdaptiveCard.text(texts.respond.thanksTitle, size: "Medium", weight: "Bolder"),
                AdaptiveCard.text(
                    PromptTemplate.render(texts.respond.thanks, ["audience": TeamsMarkup.escape(capitalised)])),
            ],
            fallbackText: texts.respond.thanksTitle)
    }

    /// A short card with one sentence (a refusal, a note sent to the person's chat).
    public static func note(_ text: String) -> JSONValue {
        AdaptiveCard.card(body: [AdaptiveCard.text(text)], fallbackText: text)
    }

    /// A team name as a choice value: `%` and `,` percent-encoded, because Teams joins a multi-select's values with
    /// commas.
    public static func choiceValue(_ team: String) -> String {
        team.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ",", with: "%2C")
    }

    /// The inverse of ``choiceValue(_:)``; any other `%` sequence stays as it is.
    public static func decodeChoiceValue(_ value: String) -> String {
        value.replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(of: "%2c", with: ",")
            .replacingOccurrences(of: "%25", with: "%")
    }

    private static func choiceSet(
        id: String, label: String, choices: [(title: String, value: String)], selected: [String], multiSelect: Bool
    ) -> JSONValue {
        var input: [String: JSONValue] = [
            "type": "Input.ChoiceSet", "id": .string(id), "label": .string(label), "style": "expanded",
            "isMultiSelect": .bool(multiSelect), "wrap": true,
            "choices": .array(choices.map { ["title": .string($0.title), "value": .string($0.value)] }),
        ]
        if !selected.isEmpty { input["value"] = .string(selected.joined(separator: ",")) }
        return .object(input)
    }

    /// A problem line in the Attention colour: the message is the core's sentence and may quote a team name
    /// someone sent, so it is shown as plain text (a `TextRun`), never as Markdown.
    private static func withColor(_ block: JSONValue) -> JSONValue {
        guard case .object(var object) = block, case .array(var inlines)? = object["inlines"],
            case .object(var run)? = inlines.first
        else { return block }
        run["color"] = "Attention"
        inlines[0] = .object(run)
        object["inlines"] = .array(inlines)
        object["spacing"] = "Small"
        return .object(object)
    }
}
