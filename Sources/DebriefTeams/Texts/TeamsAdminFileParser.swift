import DebriefPrompts
import Yams

/// Parses `teams/admin.yaml`: answers to the admin commands.
enum TeamsAdminFileParser {
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> TeamsAdminTexts {
        let keys = [
            "help", "not_admin", "not_available", "training_registered", "training_rejected", "usage_problem",
            "no_trainings",
        ]
        if let root { reader.checkKeys(root, path: nil, allowed: keys) }
        func text(_ key: String, _ placeholder: String? = nil) -> String {
            let names: Set<String> = placeholder.map { [$0] } ?? []
            return reader.text(
                root, key, path: nil, limit: TeamsTextLimits.message, placeholders: names, requiredPlaceholders: names)
                ?? ""
        }
        return TeamsAdminTexts(
            help: text("help"), notAdmin: text("not_admin"), notAvailable: text("not_available"),
            trainingRegistered: text("training_registered", "title"),
            trainingRejected: text("training_rejected", "reason"), usageProblem: text("usage_problem", "problem"),
            noTrainings: text("no_trainings"))
    }
}

/// Parses `teams/digest.yaml`: the digest card's button, the reply's title and the line said in a team's channel
/// when Debrief is added to it.
enum TeamsDigestFileParser {
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> TeamsDigestTexts {
        if let root { reader.checkKeys(root, path: nil, allowed: ["open_button", "details_title", "channel_added"]) }
        let channel: Set<String> = ["channel_id"]
        return TeamsDigestTexts(
            openButton: reader.text(root, "open_button", path: nil, limit: TeamsTextLimits.button) ?? "",
            detailsTitle: reader.text(root, "details_title", path: nil, limit: TeamsTextLimits.title) ?? "",
            channelAdded: reader.text(
                root, "channel_added", path: nil, limit: TeamsTextLimits.message, placeholders: channel,
                requiredPlaceholders: channel) ?? "")
    }
}
