import Yams

/// Parses `slack/replies.yaml`: answers to `/reflect` and the messages for command problems.
enum RepliesFileParser {
    struct Result {
        var replies: ReplyTexts
        var commandProblems: CommandProblemTexts
    }

    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> Result {
        let section = PromptLimits.sectionText
        if let root {
            reader.checkKeys(
                root, path: nil,
                allowed: [
                    "help", "quick_stored", "mine", "forget", "paused", "resumed", "stopped", "quick_invalid",
                    "could_not_open_form", "not_configured",
                    "something_went_wrong", "command_problems",
                ])
        }
        let help = reader.text(root, "help", path: nil, limit: section)

        let quickNode = reader.mapping(
            root, "quick_stored", path: "", allowed: ["text", "details", "add_details_button"])
        let quick = QuickStoredTexts(
            text: reader.text(quickNode, "text", path: "quick_stored", limit: section) ?? "",
            details: reader.text(quickNode, "details", path: "quick_stored", limit: section) ?? "",
            addDetailsButton: reader.text(
                quickNode, "add_details_button", path: "quick_stored", limit: PromptLimits.buttonText) ?? "")

        let mineNode = reader.mapping(
            root, "mine", path: "", allowed: ["header", "intro", "empty", "data_heading", "truncated"])
        let mine = MineTexts(
            header: reader.text(mineNode, "header", path: "mine", limit: PromptLimits.header) ?? "",
            intro: reader.text(mineNode, "intro", path: "mine", limit: section) ?? "",
            empty: reader.text(mineNode, "empty", path: "mine", limit: section) ?? "",
            dataHeading: reader.text(mineNode, "data_heading", path: "mine", limit: section) ?? "",
            truncated: reader.text(mineNode, "truncated", path: "mine", limit: section) ?? "")

        let forgetNode = reader.mapping(
            root, "forget", path: "",
            allowed: ["question", "confirm_button", "cancel_button", "forgotten", "cancelled"])
        let forget = ForgetTexts(
            question: reader.text(forgetNode, "question", path: "forget", limit: section) ?? "",
            confirmButton: reader.text(forgetNode, "confirm_button", path: "forget", limit: PromptLimits.buttonText)
                ?? "",
            cancelButton: reader.text(forgetNode, "cancel_button", path: "forget", limit: PromptLimits.buttonText)
                ?? "",
            forgotten: reader.text(forgetNode, "forgotten", path: "forget", limit: section) ?? "",
            cancelled: reader.text(forgetNode, "cancelled", path: "forget", limit: section) ?? "")

        let replies = ReplyTexts(
            help: help ?? "", quickStored: quick, mine: mine, forget: forget,
            paused: reader.text(
                root, "paused", path: nil, limit: section, placeholders: ["until"], requiredPlaceholders: ["until"])
                ?? "",
            resumed: reader.text(root, "resumed", path: nil, limit: section) ?? "",
            stopped: reader.text(root, "stopped", path: nil, limit: section) ?? "",
            quickInvalid: reader.text(
                root, "quick_invalid", path: nil, limit: section, placeholders: ["problem"],
                requiredPlaceholders: ["problem"]) ?? "",
            couldNotOpenForm: reader.text(root, "could_not_open_form", path: nil, limit: section) ?? "",
            notConfigured: reader.text(root, "not_configured", path: nil, limit: section, placeholders: ["reason"])
                ?? "",
            somethingWentWrong: reader.text(root, "something_went_wrong", path: nil, limit: section) ?? "")

        let problemsNode = reader.mapping(
            root, "command_problems", path: "",
            allowed: [
                "pause_missing_length", "pause_needs_length", "pause_too_long", "date_in_past", "invalid_date",
                "unexpected_argument",
            ])
        let path = "command_problems"
        let problems = CommandProblemTexts(
            pauseMissingLength: reader.text(problemsNode, "pause_missing_length", path: path, limit: section) ?? "",
            pauseNeedsLength: reader.text(
                problemsNode, "pause_needs_length", path: path, limit: section, placeholders: ["given"],
                requiredPlaceholders: ["given"]) ?? "",
            pauseTooLong: reader.text(
                problemsNode, "pause_too_long", path: path, limit: section, placeholders: ["maximum_days"],
                requiredPlaceholders: ["maximum_days"]) ?? "",
            dateInPast: reader.text(problemsNode, "date_in_past", path: path, limit: section, placeholders: ["date"])
                ?? "",
            // Optional, so prompts directories from before it existed still load.
            invalidDate: reader.text(
                problemsNode, "invalid_date", path: path, limit: section, optional: true,
                placeholders: ["problem", "given"], requiredPlaceholders: ["problem"])
                ?? CommandProblemTexts.defaultInvalidDate,
            unexpectedArgument: reader.text(
                problemsNode, "unexpected_argument", path: path, limit: section,
                placeholders: ["subcommand", "given"]) ?? "")
        return Result(replies: replies, commandProblems: problems)
    }
}
