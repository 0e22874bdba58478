import Mustache

/// Mustache escaping for Slack mrkdwn: `&`, `<` and `>` only.
///
/// swift-mustache escapes for HTML by default, which would show `&#39;` for every apostrophe in Slack.
/// Digest templates are rendered with this content type instead, so every `{{value}}` — quotes and
/// leaders' notes included — cannot open a link, a mention or a `<!channel>` ping.
struct SlackTextContentType: MustacheContentType {
    static let name = "DEBRIEF_SLACK_MRKDWN"

    /// Registered once, before the first digest template is parsed.
    static let registered: Bool = {
        MustacheContentTypes.register(SlackTextContentType(), named: name)
        return true
    }()

    func escapeText(_ text: String) -> String { SlackMarkup.escape(text) }
}
