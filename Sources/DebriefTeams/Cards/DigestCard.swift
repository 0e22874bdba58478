import DebriefCore
import DebriefPrompts
import Foundation

/// The weekly digest in a Teams channel: a short card with the headline, the key lines and a button to the
/// signed page, and a reply in its thread with every section (Slack's main message and thread reply).
///
/// Texts come from the digest templates rendered with ``TeamsMarkup/markup`` (``DigestTemplates/render(_:link:)``),
/// which already escape every value, so people's quotes and notes cannot format, link or mention. The
/// shared templates are written in Slack's style; ``TeamsMarkup/fromSlackStyle(_:)`` turns their `*bold*`
/// into Teams' `**bold**`. Cards stay within ``AdaptiveCard/sizeBudget``.
public enum DigestCard {
    /// The longest link the button takes (the signed page URL is far shorter).
    static let linkLimit = 2_048
    /// A quiet week's line stays short.
    static let quietLineLimit = 300

    /// The main card: headline, key lines and "Open the full digest" (`Action.OpenUrl` to `link`).
    ///
    /// A quiet week is the single line of `quiet.mustache`, with no button: there is no page worth opening.
    /// A link that is not `https://` (or `http://` for local demos) is left out rather than sent.
    ///
    /// - Parameter respondDigestID: the stored digest's id; a leadership digest that published at least one
    ///   blocker or use case gets a Respond button with it (issue #13), nil for none.
    public static func main(
        texts: DigestTexts, document: DigestDocument, link: String, teamsTexts: TeamsTexts,
        respondDigestID: String? = nil
    ) -> JSONValue {
        var respond: String?
        if let respondDigestID, !respondDigestID.isEmpty, document.audience == .leadership,
            !ResponseTheme.published(in: document).isEmpty
        {
            respond = respondDigestID
        }
        return main(
            texts: texts, isQuiet: document.isQuiet, link: link, teamsTexts: teamsTexts, respondDigestID: respond)
    }

    /// The main card for a digest whose quietness is known (``DigestDocument/isQuiet``).
    public static func main(
        texts: DigestTexts, isQuiet: Bool, link: String, teamsTexts: TeamsTexts, respondDigestID: String? = nil
    ) -> JSONValue {
        if isQuiet {
            let line = TeamsMarkup.truncate(TeamsMarkup.oneLine(texts.main), to: quietLineLimit)
            return AdaptiveCard.card(body: [AdaptiveCard.text(TeamsMarkup.fromSlackStyle(line))], fallbackText: line)
        }
        var body: [JSONValue] = []
        let headline = texts.headline.trimmingCharacters(in: .whitespaces)
        if !headline.isEmpty {
            body.append(AdaptiveCard.text(TeamsMarkup.truncate(headline, to: 300), size: "Large", weight: "Bolder"))
        }
        body += paragraphs(texts.summary, separated: false)
        var actions: [JSONValue] = []
        if isLink(link) { actions.append(AdaptiveCard.openURL(title: teamsTexts.digest.openButton, url: link)) }
        if let respondDigestID, !respondDigestID.isEmpty {
            actions.append(LeaderResponseCard.respondButton(texts: teamsTexts, digestID: respondDigestID))
        }
        return AdaptiveCard.card(
            body: fitting(body), actions: actions, fallbackText: TeamsMarkup.oneLine(headline), fullWidth: true)
    }

    /// The thread reply: a title, then `texts.details` as one `TextBlock` per paragraph (the templates put
    /// a blank line between sections), cut with the rest left out when it would not fit one card.
    ///
    /// For a quiet week `texts.details` holds only what leaders tried, if anything; when it is empty callers
    /// should not post a reply (``hasDetails(texts:)``).
    public static func details(texts: DigestTexts, teamsTexts: TeamsTexts) -> JSONValue {
        var body = [AdaptiveCard.text(teamsTexts.digest.detailsTitle, size: "Medium", weight: "Bolder")]
        body += paragraphs(texts.details.isEmpty ? texts.main : texts.details, separated: true)
        return AdaptiveCard.card(body: fitting(body), fallbackText: teamsTexts.digest.detailsTitle, fullWidth: true)
    }

    /// Whether a thread reply has anything to say: always, except in a quiet week without notes from leaders.
    public static func hasDetails(texts: DigestTexts) -> Bool { !texts.details.isEmpty }

    // MARK: - Layout

    /// One `TextBlock` per paragraph of template output (Teams Markdown).
    static func paragraphs(_ text: String, separated: Bool) -> [JSONValue] {
        text.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map {
                AdaptiveCard.text(TeamsMarkup.fromSlackStyle(markdownLines($0)), spacing: separated ? "Medium" : nil)
            }
    }

    /// Teams Markdown joins lines split by a single line break into one; each template line becomes its own
    /// paragraph so the key lines and bullets stay on lines of their own.
    private static func markdownLines(_ paragraph: String) -> String {
        paragraph.split(separator: "\n").map(String.init).joined(separator: "\n\n")
    }

    /// The leading blocks whose encoded size stays within the card budget (with room for the card around them).
    static func fitting(_ blocks: [JSONValue]) -> [JSONValue] {
        var kept: [JSONValue] = []
        var used = 0
        let budget = AdaptiveCard.sizeBudget - 2_000
        for block in blocks {
            let size = block.encoded().count + 1
            if used + size > budget {
                // One huge paragraph on its own is cut rather than dropped.
                if kept.isEmpty, let text = block["text"]?.stringValue {
                    kept.append(AdaptiveCard.text(TeamsMarkup.truncate(text, to: budget / 6)))
                }
                break
            }
            kept.append(block)
            used += size
        }
        return kept
    }

    private static func isLink(_ link: String) -> Bool {
        guard !link.isEmpty, link.utf16.count <= linkLimit, let url = URL(string: link),
            let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil
        else { return false }
        return true
    }
}
