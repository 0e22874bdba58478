import DebriefCore
import DebriefPrompts
import Foundation

/// The weekly digest as Slack messages: a short main message in the channel and the details as a reply
/// in its thread, both `{"text": …, "blocks": […]}` for `chat.postMessage`.
///
/// Channels get one compact post a week (header, a few key lines, a button to the full page) instead
/// of a wall of numbers; the sections live in the thread and on the page. Texts come from the digest
/// templates (``DigestTemplates/render(_:link:)``), which already escape `&`, `<` and `>` in every value,
/// so people's quotes and notes cannot ping a channel or forge a link. This type only lays the texts out
/// within Block Kit's limits (reference `slack.md` §7): 150 characters per header, 3,000 per section,
/// 50 blocks and about 12,000 characters of section text per message, a fallback `text` under 4,000.
/// Add `channel` (and `thread_ts` for the reply) before sending.
public enum DigestMessage {
    /// The `action_id` of "Open the full digest". It is a link button: Slack opens the URL and still
    /// sends a `block_actions` payload, which the server only has to acknowledge.
    public static let openActionID = "digest_open"
    /// The `block_id` of the row holding that button.
    public static let actionsBlockID = "digest_actions"
    /// The button's label.
    public static let openButtonText = "Open the full digest"

    /// The longest notification fallback; Slack accepts more, but a fallback is read in a notification.
    static let fallbackLimit = 4_000
    /// Section text of one message, summed; Slack rejects longer payloads as `msg_blocks_too_long`.
    static let totalSectionText = 12_000
    /// Slack's limit on a button URL.
    static let buttonURLLimit = 3_000

    /// The main message: header (the first line of `texts.main`), the key lines, and a link button to `link`.
    ///
    /// A quiet week is the single line of `quiet.mustache`, with no header and no button: there is no page
    /// worth opening and nothing worth a second glance.
    ///
    /// - Parameters:
    ///   - texts: from ``DigestTemplates/render(_:link:)`` for the same document and link.
    ///   - document: the digest, for the quiet-week decision.
    ///   - link: the signed digest page URL (``DigestLink/url(baseURL:digestID:expiresAt:key:)``).
    ///   - respondDigestID: the stored leadership digest's id, for the Respond button (issue #13); nil for none.
    public static func main(
        texts: DigestTexts, document: DigestDocument, link: String, respondDigestID: String? = nil
    ) -> JSONValue {
        if document.isQuiet {
            let line = BlockKit.truncate(oneLine(texts.main), to: quietLineLimit)
            return payload(fallback: line, blocks: [BlockKit.section(line)])
        }
        var blocks: [JSONValue] = []
        let headline = plain(texts.headline)
        if !headline.isEmpty { blocks.append(BlockKit.header(headline)) }
        let summary = texts.summary
        if !summary.isEmpty {
            blocks.append(BlockKit.section(cut(summary, to: BlockKit.Limit.sectionText)))
        }
        var actions: [JSONValue] = []
        if !link.isEmpty, link.utf16.count <= buttonURLLimit {
            actions.append([
                "type": "button", "action_id": .string(openActionID), "style": "primary",
                "text": BlockKit.plainText(openButtonText, limit: BlockKit.Limit.buttonText),
                "url": .string(link),
            ])
        }
        if let respondDigestID, !respondDigestID.isEmpty, document.audience == .leadership,
            !ResponseTheme.published(in: document).isEmpty
        {
            actions.append(LeaderResponseModal.respondButton(digestID: respondDigestID))
        }
        if !actions.isEmpty {
            blocks.append(["type": "actions", "block_id": .string(actionsBlockID), "elements": .array(actions)])
        }
        return payload(fallback: texts.main, blocks: blocks)
    }

    /// The thread reply: `texts.details`, one section block per paragraph (the templates put a blank line
    /// between sections), long paragraphs split at line breaks, within 50 blocks and 12,000 characters.
    ///
    /// For a quiet week `texts.details` holds only what leaders tried, if anything; when it is empty the
    /// reply is the quiet line again, and callers should not post it (see ``hasThreadReply(texts:document:)``).
    public static func threadReply(texts: DigestTexts, document: DigestDocument) -> JSONValue {
        let details = texts.details.isEmpty ? oneLine(texts.main) : texts.details
        return payload(fallback: details, blocks: sections(sectionChunks(details)))
    }

    /// An ephemeral reply that shows a digest to one person (a privacy receipt, an admin's preview): `intro`,
    /// then the main message and the details, then `note`, as section blocks within the same limits.
    public static func ephemeral(intro: String, texts: DigestTexts, note: String? = nil) -> JSONValue {
        var chunks = sectionChunks(intro) + sectionChunks(texts.main) + sectionChunks(texts.details)
        if let note { chunks += sectionChunks(note) }
        return BlockKit.ephemeral(text: cut(intro, to: fallbackLimit), blocks: sections(chunks))
    }

    /// Section blocks for `chunks`, packed when there are too many, cut at the total text limit.
    private static func sections(_ chunks: [String]) -> [JSONValue] {
        var chunks = chunks
        // Too many blocks: pack neighbouring paragraphs together.
        if chunks.count > BlockKit.Limit.blocksPerMessage { chunks = pack(chunks) }
        var blocks: [JSONValue] = []
        var used = 0
        for chunk in chunks.prefix(BlockKit.Limit.blocksPerMessage) {
            let room = totalSectionText - used
            guard room > 1 else { break }
            let text = chunk.utf16.count <= room ? chunk : cut(chunk, to: room)
            used += text.utf16.count
            blocks.append(BlockKit.section(text))
            if text != chunk { break }
        }
        return blocks
    }

    /// Whether a thread reply has anything to say: always, except in a quiet week without notes from leaders.
    public static func hasThreadReply(texts: DigestTexts, document: DigestDocument) -> Bool {
        !texts.details.isEmpty
    }

    // MARK: - Layout

    /// A quiet week's line stays short.
    static let quietLineLimit = 300

    private static func payload(fallback: String, blocks: [JSONValue]) -> JSONValue {
        ["text": .string(cut(fallback, to: fallbackLimit)), "blocks": .array(blocks)]
    }

    /// Paragraphs (split at blank lines), each cut into pieces of at most one section's text.
    static func sectionChunks(_ text: String) -> [String] {
        var chunks: [String] = []
        for paragraph in text.components(separatedBy: "\n\n") {
            let trimmed = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            chunks += split(trimmed, limit: BlockKit.Limit.sectionText)
        }
        return chunks
    }

    /// Splits at line breaks into pieces within `limit`; a single longer line is cut with "…".
    private static func split(_ paragraph: String, limit: Int) -> [String] {
        guard paragraph.utf16.count > limit else { return [paragraph] }
        var pieces: [String] = []
        var current = ""
        for line in paragraph.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = line.utf16.count > limit ? cut(line, to: limit) : line
            let joined = current.isEmpty ? line : current + "\n" + line
            if joined.utf16.count <= limit {
                current = joined
            } else {
                if !current.isEmpty { pieces.append(current) }
                current = line
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Joins neighbouring chunks while they fit one section, so a long digest keeps within 50 blocks.
    private static func pack(_ chunks: [String]) -> [String] {
        var packed: [String] = []
        for chunk in chunks {
            if let last = packed.last, last.utf16.count + 2 + chunk.utf16.count <= BlockKit.Limit.sectionText {
                packed[packed.count - 1] = last + "\n\n" + chunk
            } else {
                packed.append(chunk)
            }
        }
        return packed
    }

    /// Cuts escaped mrkdwn to `limit` UTF-16 units with "…", never inside an `&amp;`-style entity.
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var head = BlockKit.prefix(text, utf16Count: max(limit - 1, 0))
        if let ampersand = head.lastIndex(of: "&"), !head[ampersand...].contains(";") {
            head = String(head[..<ampersand])
        }
        return head + "…"
    }

    /// The header is plain text: entities the templates escaped are shown as the characters they stand for.
    private static func plain(_ line: String) -> String {
        line.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespaces)
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
