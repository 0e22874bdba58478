import DebriefPrompts
import Yams

/// The words of the Respond action in Teams (`teams/respond.yaml`): the button on the leadership digest card,
/// the private notes said to the person who clicked it, and the form a leader fills in their own chat.
///
/// The messages about a field that needs a look come from the core's ``LeaderResponseForm`` rules, the same
/// sentences Slack shows, so both platforms refuse the same things with the same words.
public struct TeamsRespondTexts: Sendable, Equatable {
    public var respondButton = ""
    public var formSent = ""
    public var notALeader = ""
    public var nothingToAnswer = ""
    public var title = ""
    /// Contains `{week}`.
    public var intro = ""
    public var textLabel = ""
    public var textPlaceholder = ""
    public var themesLabel = ""
    public var audienceLabel = ""
    public var allTeams = ""
    public var namedTeams = ""
    public var teamsLabel = ""
    public var teamsHint = ""
    public var noEligibleTeams = ""
    public var consentNote = ""
    public var submit = ""
    public var errorSummary = ""
    public var storageFailed = ""
    public var thanksTitle = ""
    /// Contains `{audience}`.
    public var thanks = ""

    public init() {}
}

/// Parses `teams/respond.yaml`.
enum TeamsRespondFileParser {
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> TeamsRespondTexts {
        let keys = [
            "respond_button", "form_sent", "not_a_leader", "nothing_to_answer", "title", "intro", "text_label",
            "text_placeholder", "themes_label", "audience_label", "all_teams", "named_teams", "teams_label",
            "teams_hint", "no_eligible_teams", "consent_note", "submit", "error_summary", "storage_failed",
            "thanks_title", "thanks",
        ]
        if let root { reader.checkKeys(root, path: nil, allowed: keys) }
        func text(_ key: String, _ limit: Int, _ placeholder: String? = nil) -> String {
            let names: Set<String> = placeholder.map { [$0] } ?? []
            return reader.text(root, key, path: nil, limit: limit, placeholders: names, requiredPlaceholders: names)
                ?? ""
        }
        var texts = TeamsRespondTexts()
        texts.respondButton = text("respond_button", TeamsTextLimits.button)
        texts.formSent = text("form_sent", TeamsTextLimits.line)
        texts.notALeader = text("not_a_leader", TeamsTextLimits.paragraph)
        texts.nothingToAnswer = text("nothing_to_answer", TeamsTextLimits.paragraph)
        texts.title = text("title", TeamsTextLimits.title)
        texts.intro = text("intro", TeamsTextLimits.paragraph, "week")
        texts.textLabel = text("text_label", TeamsTextLimits.label)
        texts.textPlaceholder = text("text_placeholder", TeamsTextLimits.placeholder)
        texts.themesLabel = text("themes_label", TeamsTextLimits.label)
        texts.audienceLabel = text("audience_label", TeamsTextLimits.label)
        texts.allTeams = text("all_teams", TeamsTextLimits.option)
        texts.namedTeams = text("named_teams", TeamsTextLimits.option)
        texts.teamsLabel = text("teams_label", TeamsTextLimits.label)
        texts.teamsHint = text("teams_hint", TeamsTextLimits.line)
        texts.noEligibleTeams = text("no_eligible_teams", TeamsTextLimits.paragraph)
        texts.consentNote = text("consent_note", TeamsTextLimits.paragraph)
        texts.submit = text("submit", TeamsTextLimits.button)
        texts.errorSummary = text("error_summary", TeamsTextLimits.line)
        texts.storageFailed = text("storage_failed", TeamsTextLimits.line)
        texts.thanksTitle = text("thanks_title", TeamsTextLimits.title)
        texts.thanks = text("thanks", TeamsTextLimits.paragraph, "audience")
        return texts
    }
}
