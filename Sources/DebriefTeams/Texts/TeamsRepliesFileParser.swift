import DebriefPrompts
import Yams

/// Parses `teams/replies.yaml`: answers to the chat commands and card buttons, the messages for command
/// problems, the privacy receipt's intro and the card problems.
enum TeamsRepliesFileParser {
    struct Result {
        var replies: ReplyTexts
        var commandProblems: CommandProblemTexts
        var privacy: TeamsPrivacyTexts
        var cardProblems: TeamsCardProblemTexts
    }

    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> Result {
        let message = TeamsTextLimits.message
        let button = TeamsTextLimits.button
        if let root {
            reader.checkKeys(
                root, path: nil,
                allowed: [
                    "help", "quick_stored", "mine", "forget", "paused", "resumed", "stopped", "quick_invalid",
                    "could_not_open_form", "not_configured", "something_went_wrong", "command_problems", "privacy",
                    "card_problems",
                ])
        }
        func text(
            _ node: Node.Mapping?, _ key: String, _ path: String?, limit: Int = message,
            placeholders: Set<String> = [], required: Set<String> = []
        ) -> String {
            reader.text(
                node, key, path: path, limit: limit, placeholders: placeholders, requiredPlaceholders: required) ?? ""
        }

        let quickNode = reader.mapping(
            root, "quick_stored", path: nil, allowed: ["text", "details", "add_details_button"])
        let quick = QuickStoredTexts(
            text: text(quickNode, "text", "quick_stored"), details: text(quickNode, "details", "quick_stored"),
            addDetailsButton: text(quickNode, "add_details_button", "quick_stored", limit: button))

        let mineNode = reader.mapping(
            root, "mine", path: nil, allowed: ["header", "intro", "empty", "data_heading", "truncated"])
        let mine = MineTexts(
            header: text(mineNode, "header", "mine", limit: TeamsTextLimits.title),
            intro: text(mineNode, "intro", "mine"),
            empty: text(mineNode, "empty", "mine"), dataHeading: text(mineNode, "data_heading", "mine"),
            truncated: text(mineNode, "truncated", "mine"))

        let forgetNode = reader.mapping(
            root, "forget", path: nil,
            allowed: ["question", "confirm_button", "cancel_button", "forgotten", "cancelled"])
        let forget = ForgetTexts(
            question: text(forgetNode, "question", "forget"),
            confirmButton: text(forgetNode, "confirm_button", "forget", limit: button),
            cancelButton: text(forgetNode, "cancel_button", "forget", limit: button),
            forgotten: text(forgetNode, "forgotten", "forget"), cancelled: text(forgetNode, "cancelled", "forget"))

        let replies = ReplyTexts(
            help: text(root, "help", nil), quickStored: quick, mine: mine, forget: forget,
            paused: text(root, "paused", nil, placeholders: ["until"], required: ["until"]),
            resumed: text(root, "resumed", nil), stopped: text(root, "stopped", nil),
            quickInvalid: text(root, "quick_invalid", nil, placeholders: ["problem"], required: ["problem"]),
            couldNotOpenForm: text(root, "could_not_open_form", nil),
            notConfigured: text(root, "not_configured", nil, placeholders: ["reason"]),
            somethingWentWrong: text(root, "something_went_wrong", nil))

        let problemsNode = reader.mapping(
            root, "command_problems", path: nil,
            allowed: [
                "pause_missing_length", "pause_needs_length", "pause_too_long", "date_in_past", "invalid_date",
                "unexpected_argument",
            ])
        let path = "command_problems"
        let problems = CommandProblemTexts(
            pauseMissingLength: text(problemsNode, "pause_missing_length", path),
            pauseNeedsLength: text(
                problemsNode, "pause_needs_length", path, placeholders: ["given"], required: ["given"]),
            pauseTooLong: text(
                problemsNode, "pause_too_long", path, placeholders: ["maximum_days"], required: ["maximum_days"]),
            dateInPast: text(problemsNode, "date_in_past", path, placeholders: ["date"]),
            invalidDate: text(
                problemsNode, "invalid_date", path, placeholders: ["problem", "given"], required: ["problem"]),
            unexpectedArgument: text(problemsNode, "unexpected_argument", path, placeholders: ["subcommand", "given"]))

        let privacyNode = reader.mapping(
            root, "privacy", path: nil, allowed: ["intro", "group_team", "group_organisation", "not_configured"])
        let privacy = TeamsPrivacyTexts(
            intro: text(privacyNode, "intro", "privacy", placeholders: ["week", "group", "k"], required: ["group"]),
            groupTeam: text(
                privacyNode, "group_team", "privacy", limit: TeamsTextLimits.line, placeholders: ["team"],
                required: ["team"]),
            groupOrganisation: text(privacyNode, "group_organisation", "privacy", limit: TeamsTextLimits.line),
            notConfigured: text(privacyNode, "not_configured", "privacy"))

        let cardNode = reader.mapping(root, "card_problems", path: nil, allowed: ["outdated", "unreadable"])
        let cardProblems = TeamsCardProblemTexts(
            outdated: text(cardNode, "outdated", "card_problems"),
            unreadable: text(cardNode, "unreadable", "card_problems"))
        return Result(replies: replies, commandProblems: problems, privacy: privacy, cardProblems: cardProblems)
    }
}
