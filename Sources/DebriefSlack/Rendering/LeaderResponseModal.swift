import DebriefCore
import Foundation

/// The Respond form of a leadership digest as a Slack modal (`views.open`), and reading it back.
///
/// Offers exactly what the answered digest published: its top blockers and use cases as checkboxes (aggregates,
/// never a person) and, for the audience, all teams or only the teams whose digest that week had numbers. Field
/// errors come back with `response_action: errors` under the field they concern.
public enum LeaderResponseModal {
    public static let callbackID = "leader_response"
    /// The Respond button on the leadership digest's message; its value is the stored digest's id.
    public static let respondActionID = "digest_respond"
    public static let respondButtonText = "Respond"

    public enum Block {
        public static let text = "response_text"
        public static let themes = "response_themes"
        public static let audience = "response_audience"
        public static let teams = "response_teams"
    }

    /// Checkboxes take at most ten options.
    static let maximumThemes = 10
    /// A multi-select takes at most a hundred options.
    static let maximumTeams = 100

    public static func view(
        digestID: String, week: WeekKey, themes: [ResponseTheme], eligibleTeams: [String], consentNote: String
    ) -> JSONValue {
        var blocks: [JSONValue] = [
            BlockKit.section(
                "*What will change because of \(BlockKit.escape(DigestLabels.week(week)))'s digest?* Your teams read "
                    + "this under _You said, we did_ in their next digest."),
            [
                "type": "input", "block_id": .string(Block.text),
                "label": BlockKit.plainText("What will change", limit: BlockKit.Limit.optionText),
                "element": [
                    "type": "plain_text_input", "action_id": "text", "multiline": true,
                    "max_length": .number(Double(LeaderResponseForm.maximumTextLength)),
                    "placeholder": BlockKit.plainText(
                        "From 1 December every team can use the AI sandbox without a ticket.", limit: 150),
                ],
            ],
            [
                "type": "input", "block_id": .string(Block.themes),
                "label": BlockKit.plainText("What it answers (as the digest showed it)", limit: 2_000),
                "element": [
                    "type": "checkboxes", "action_id": "themes",
                    "options": .array(
                        themes.prefix(maximumThemes).map { BlockKit.option(text: $0.label, value: $0.key) }),
                ],
            ],
        ]
        let all = BlockKit.option(text: "All teams", value: LeaderResponseForm.allTeamsChoice)
        var audienceOptions = [all]
        if !eligibleTeams.isEmpty {
            audienceOptions.append(
                BlockKit.option(text: "Only the teams chosen below", value: LeaderResponseForm.namedTeamsChoice))
        }
        blocks.append([
            "type": "input", "block_id": .string(Block.audience),
            "label": BlockKit.plainText("Who should read it", limit: 2_000),
            "element": [
                "type": "radio_buttons", "action_id": "audience", "options": .array(audienceOptions),
                "initial_option": all,
            ],
        ])
        if eligibleTeams.isEmpty {
            blocks.append(
                BlockKit.context(
                    "No team had a digest with numbers that week, so this response goes to all teams: nobody can be "
                        + "answered about a group too small to stay anonymous."))
        } else {
            blocks.append([
                "type": "input", "block_id": .string(Block.teams), "optional": true,
                "label": BlockKit.plainText("Teams", limit: 2_000),
                "hint": BlockKit.plainText(
                    "Only teams whose digest that week had enough people to show numbers.", limit: 2_000),
                "element": [
                    "type": "multi_static_select", "action_id": "teams",
                    "options": .array(
                        eligibleTeams.prefix(maximumTeams).map { BlockKit.option(text: $0, value: $0) }),
                ],
            ])
        }
        blocks.append(BlockKit.context(BlockKit.escape(consentNote)))
        return [
            "type": "modal", "callback_id": .string(callbackID),
            "title": BlockKit.plainText("Respond to the digest", limit: BlockKit.Limit.modalTitle),
            "submit": BlockKit.plainText("Publish", limit: BlockKit.Limit.modalButton),
            "close": BlockKit.plainText("Cancel", limit: BlockKit.Limit.modalButton),
            "private_metadata": .string(BlockKit.prefix(digestID, utf16Count: BlockKit.Limit.privateMetadata)),
            "blocks": .array(blocks),
        ]
    }

    /// The form as submitted, whatever element carried each field.
    public static func form(from submission: ViewSubmission) -> LeaderResponseForm {
        LeaderResponseForm(
            text: submission.value(block: Block.text)?.singleValue,
            themeKeys: submission.value(block: Block.themes)?.allValues ?? [],
            audienceChoice: submission.value(block: Block.audience)?.singleValue,
            teams: submission.value(block: Block.teams)?.allValues ?? [])
    }

    /// Field errors under their fields; the form stays open with what was typed.
    public static func errorsResponse(_ errors: LeaderResponseFormErrors) -> JSONValue {
        var messages: [String: JSONValue] = [:]
        if let text = errors.text { messages[Block.text] = .string(text) }
        if let themes = errors.themes { messages[Block.themes] = .string(themes) }
        if let audience = errors.audience { messages[Block.audience] = .string(audience) }
        if let teams = errors.teams {
            // Without a team select (no eligible team), the problem is shown under the audience choice.
            messages[Block.teams] = .string(teams)
        }
        return ["response_action": "errors", "errors": .object(messages)]
    }

    /// Replaces the form with a confirmation.
    public static func thanksView(audience: ResponseAudience) -> JSONValue {
        let view: JSONValue = [
            "type": "modal", "callback_id": "leader_response_thanks",
            "title": BlockKit.plainText("Response saved", limit: BlockKit.Limit.modalTitle),
            "close": BlockKit.plainText("Close", limit: BlockKit.Limit.modalButton),
            "blocks": [
                BlockKit.section(
                    "Thank you. \(BlockKit.escape(audience.label.prefix(1).uppercased() + audience.label.dropFirst())) "
                        + "will read it under *You said, we did* in the next team digest. It also counts towards "
                        + "closing the loop in the leadership digest.")
            ],
        ]
        return ["response_action": "update", "view": view]
    }

    /// The Respond button, for the leadership digest's actions row.
    static func respondButton(digestID: String) -> JSONValue {
        BlockKit.button(text: respondButtonText, actionID: respondActionID, value: digestID)
    }
}
