/// Teams message text as people typed it: Teams may send HTML (`<p>…</p>`, `&amp;`) for rich-text messages, and
/// adds an `<at>Bot</at>` mention in channels and group chats.
public enum TeamsText {
    /// The text with tags removed and the common entities decoded, read in one pass over the message as sent.
    ///
    /// One pass is what keeps markup out: an entity split by a tag (`&l<b></b>t;`) stays the literal text it is,
    /// and a decoded `&lt;` never starts a tag, so nothing the pieces spell once tags are gone turns into a `<`,
    /// a tag or a mention. Tags and mentions are found by Unicode scalar, as HTML does, so a combining mark after
    /// `<` cannot hide one. An unclosed tag runs to the end of the text.
    ///
    /// - Parameter droppingMentions: also drop each `<at>…</at>` mention with the name inside it (the bot's own
    ///   name in a channel is not part of the command).
    public static func plain(_ html: String, droppingMentions: Bool = false) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else { return html }
        let scalars = html.unicodeScalars
        var text = String.UnicodeScalarView()
        var index = scalars.startIndex
        // Once no `</at>` follows, none follows any later mention either: searched for once, so a text of many
        // unclosed mentions stays linear.
        var mentionsMayClose = droppingMentions
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "<" {
                guard let close = scalars[index...].firstIndex(of: ">") else { break }
                let afterTag = scalars.index(after: close)
                if mentionsMayClose, isMentionOpening(scalars[index..<afterTag]) {
                    if let afterMention = end(of: closingMention, in: scalars, from: afterTag) {
                        index = afterMention
                        continue
                    }
                    mentionsMayClose = false
                }
                index = afterTag
            } else if scalar == "&", let (decoded, next) = entity(in: scalars, at: index) {
                text.append(decoded)
                index = next
            } else {
                text.append(scalar)
                index = scalars.index(after: index)
            }
        }
        return String(text)
    }

    /// The entities Teams writes for typed text, matched case-sensitively as HTML does.
    private static let entities: [(name: [UInt8], character: Unicode.Scalar)] = {
        let decoded: [(String, Unicode.Scalar)] = [
            ("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"),
            ("&amp;", "&"),
        ]
        return decoded.map { (Array($0.utf8), $1) }
    }()

    private static let openingMention = Array("<at".utf8)
    private static let closingMention = Array("</at>".utf8)

    private static func entity(in scalars: String.UnicodeScalarView, at index: String.UnicodeScalarView.Index)
        -> (Unicode.Scalar, String.UnicodeScalarView.Index)?
    {
        for entity in entities {
            if let next = prefix(entity.name, of: scalars, at: index, ignoringCase: false) {
                return (entity.character, next)
            }
        }
        return nil
    }

    /// `<at>` or `<at …>`, in any case.
    private static func isMentionOpening(_ tag: Substring.UnicodeScalarView) -> Bool {
        guard let afterName = prefix(openingMention, of: tag, at: tag.startIndex, ignoringCase: true),
            afterName < tag.endIndex
        else { return false }
        return tag[afterName] == ">" || tag[afterName] == " "
    }

    /// Where the first `pattern` at or after `start` ends (ASCII, any case), or nil when none follows.
    private static func end(
        of pattern: [UInt8], in scalars: String.UnicodeScalarView, from start: String.UnicodeScalarView.Index
    ) -> String.UnicodeScalarView.Index? {
        var index = start
        while let candidate = scalars[index...].firstIndex(of: "<") {
            if let next = prefix(pattern, of: scalars, at: candidate, ignoringCase: true) { return next }
            index = scalars.index(after: candidate)
        }
        return nil
    }

    /// The index after `pattern` when the scalars at `index` spell it (ASCII; any case when `ignoringCase`).
    private static func prefix<Scalars: BidirectionalCollection<Unicode.Scalar>>(
        _ pattern: [UInt8], of scalars: Scalars, at index: Scalars.Index, ignoringCase: Bool
    ) -> Scalars.Index? {
        var position = index
        for expected in pattern {
            guard position < scalars.endIndex, scalars[position].isASCII else { return nil }
            var actual = UInt8(truncatingIfNeeded: scalars[position].value)
            if ignoringCase, actual >= UInt8(ascii: "A"), actual <= UInt8(ascii: "Z") { actual |= 0x20 }
            guard actual == expected else { return nil }
            position = scalars.index(after: position)
        }
        return position
    }
}
