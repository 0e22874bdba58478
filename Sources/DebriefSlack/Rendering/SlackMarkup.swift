import DebriefPrompts

/// Slack mrkdwn escaping, for text Debrief did not write (quotes, names, titles, team names).
///
/// Slack treats only `&`, `<` and `>` as markup (`<@U…>` mentions, `<!channel>` pings, `<url|label>` links), so
/// escaping those three is what keeps people's text from pinging or linking anyone. One function for every
/// renderer: the digest templates, Block Kit builders and the server's own replies.
public enum SlackMarkup {
    /// Slack's escaping as the digest templates use it.
    public static let markup = TextMarkup(name: "DEBRIEF_SLACK_MRKDWN", escape: SlackMarkup.escape)

    public static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
