import DebriefPrompts
import Foundation

/// Escaping for text Debrief did not write (reflections, training titles, team names, quotes) in Teams.
///
/// Teams renders a subset of Markdown in Adaptive Card `TextBlock`s (`**bold**`, `_italic_`, `[label](url)`,
/// lists) and, in message `text`, also a subset of HTML including `<at>…</at>` mentions. A title such as
/// `[Reset your password](https://evil.example)` or `<at>Everyone</at>` must show as typed, never as a link
/// or a mention, so every markup character is backslash-escaped (CommonMark's rule, which the Teams
/// renderers follow) and, for message text, `&`, `<` and `>` become entities. Renderers that show a
/// person's own words at length use an Adaptive Card `TextRun` instead, which Teams never parses as
/// markup at all.
public enum TeamsMarkup {
    /// Teams' escaping as the digest templates use it (`{{value}}` in `prompts/digests/*.mustache`).
    public static let markup = TextMarkup(name: "DEBRIEF_TEAMS_MARKDOWN", escape: TeamsMarkup.escape)

    /// Characters that start or end Markdown formatting, links, code or HTML in a card's `TextBlock`.
    static let markdownSpecials: Set<Character> = ["\\", "*", "_", "`", "[", "]", "~", "<", ">", "#", "|"]

    /// Escapes `text` for a Markdown `TextBlock` in an Adaptive Card, and drops control characters
    /// (except line breaks and tabs), which no person means to send and which only bloat a card.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for character in text {
            if markdownSpecials.contains(character) {
                out.append("\\")
                out.append(character)
            } else if isControl(character) {
                continue
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Escapes `text` for a message's own `text` (Markdown plus HTML in Teams): entities for `&`, `<`, `>`
    /// (so `<at>` cannot mention anyone), backslashes for Markdown.
    public static func escapeMessageText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default:
                if markdownSpecials.contains(character) {
                    out.append("\\")
                    out.append(character)
                } else if !isControl(character) {
                    out.append(character)
                }
            }
        }
        return out
    }

    /// A person's text for a `TextRun` (never parsed as markup): control characters other than line breaks
    /// and tabs removed, nothing else changed.
    public static func plain(_ text: String) -> String {
        guard text.contains(where: isControl) else { return text }
        return String(text.filter { !isControl($0) })
    }

    /// `text` on one line: line breaks become spaces, runs of spaces one, ends trimmed.
    public static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline || $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The longest prefix of `text` of at most `limit` UTF-16 units that ends on a character boundary, with
    /// "…" when something was cut. Cut before escaping, so an escape is never split.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        guard limit > 1 else { return "" }
        var count = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf16.count
            if count + size > limit - 1 { break }
            count += size
            end = text.index(after: index)
        }
        return String(text[..<end]) + "…"
    }

    /// Turns the Slack-style emphasis the shared digest templates are written in into Teams Markdown:
    /// an unescaped `*bold*` becomes `**bold**` (a single `*` is italic in Teams) and the few emoji
    /// short codes the templates use become the emoji. Escaped characters (`\*` from a value) are kept.
    public static func fromSlackStyle(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var escaped = false
        for character in text {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                out.append(character)
                escaped = true
            } else if character == "*" {
                out += "**"
            } else {
                out.append(character)
            }
        }
        for (code, emoji) in emojiShortCodes { out = out.replacingOccurrences(of: code, with: emoji) }
        return out
    }

    static let emojiShortCodes: [(String, String)] = [
        (":bulb:", "💡"), (":tada:", "🎉"), (":chart_with_upwards_trend:", "📈"), (":speech_balloon:", "💬"),
        (":warning:", "⚠️"), (":lock:", "🔒"),
    ]

    private static func isControl(_ character: Character) -> Bool {
        guard character != "\n", character != "\t", character != "\r\n" else { return false }
        return character.unicodeScalars.allSatisfy {
            $0.properties.generalCategory == .control
                || $0.properties.generalCategory == .format
                    && $0.value != 0x200D
        }
    }
}
