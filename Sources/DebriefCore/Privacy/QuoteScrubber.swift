import Foundation

/// Removes what could identify a person from free text before anyone else reads it.
///
/// Quotes and leader notes are the only free text that leaves a person's own view. People write naturally
/// ("paired with Anna Schmidt on it, see https://…"), so the scrubber removes, in this order: Slack's markup
/// (`<@U123|anna>`, `<#C123|general>`, `<!subteam^S1|@team>`, `<https://…|label>`), e-mail addresses, URLs,
/// @-mentions, raw Slack ids (`U0123ABC`, `C…`, `W…`), phone numbers (international and local, seven to fifteen
/// digits) and names of people in the directory (the full name and every part of at least three letters,
/// whole words, ignoring case and accents). Each becomes a neutral placeholder such as "[name]" or "[link]".
///
/// It errs towards removing too much: a dotted version number may become "[phone]" and a colleague called
/// "Will" turns "I will" into "I [name]". A garbled quote is a lesser harm than an exposed colleague.
/// - Important: fails closed. If a pattern cannot be built the result is an empty string, which the digest
///   drops, rather than unscrubbed text. Works on grapheme clusters, so odd Unicode cannot crash it.
public struct QuoteScrubber: Sendable {
    public static let namePlaceholder = "[name]"
    public static let emailPlaceholder = "[email]"
    public static let linkPlaceholder = "[link]"
    public static let mentionPlaceholder = "[mention]"
    public static let channelPlaceholder = "[channel]"
    public static let idPlaceholder = "[id]"
    public static let phonePlaceholder = "[phone]"

    /// Normalised name sequences (folded words) to look for, and the longest one in words.
    private let names: Set<[String]>
    private let longestName: Int

    /// Prepares the directory once, for scrubbing many texts.
    public init(directoryNames: [String]) {
        var names = Set<[String]>()
        for name in directoryNames {
            let words = Self.words(in: name).map { Self.fold(String(name[$0])) }
            guard !words.isEmpty else { continue }
            names.insert(words)
            // Every run of two or more of its words ("Anna Maria" of "Anna Maria Schmidt", "Jean Luc"), and
            // every single word of at least three letters.
            for start in words.indices {
                for end in (start + 1)..<words.count { names.insert(Array(words[start...end])) }
                if words[start].count >= 3 { names.insert([words[start]]) }
            }
        }
        self.names = names
        self.longestName = names.map(\.count).max() ?? 0
    }

    /// Scrubs one text with a one-off directory.
    public static func scrub(_ text: String, directoryNames: [String]) -> String {
        QuoteScrubber(directoryNames: directoryNames).scrub(text)
    }

    /// Scrubs one text.
    public func scrub(_ text: String) -> String {
        // Private-use sentinels stand for placeholders while later passes run, so a name like "Link" cannot
        // match inside "[link]". Strip any the author typed.
        var working = String(text.unicodeScalars.filter { !Self.isSentinel($0) }.map(Character.init))
        guard let rules = Self.compiledRules else { return "" }
        for rule in rules {
            working = Self.replace(rule.regex, in: working, with: rule.token, check: rule.check)
        }
        working = scrubNames(in: working)
        for (token, placeholder) in Self.placeholders {
            working = working.replacingOccurrences(of: String(token), with: placeholder)
        }
        return working.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Patterns

    private struct Rule {
        var pattern: String
        var token: Character
        var check: (@Sendable (String) -> Bool)?
    }

    private static let nameToken: Character = "\u{E000}"
    private static let emailToken: Character = "\u{E001}"
    private static let linkToken: Character = "\u{E002}"
    private static let mentionToken: Character = "\u{E003}"
    private static let channelToken: Character = "\u{E004}"
    private static let idToken: Character = "\u{E005}"
    private static let phoneToken: Character = "\u{E006}"

    private static let placeholders: [(Character, String)] = [
        (nameToken, namePlaceholder), (emailToken, emailPlaceholder), (linkToken, linkPlaceholder),
        (mentionToken, mentionPlaceholder), (channelToken, channelPlaceholder), (idToken, idPlaceholder),
        (phoneToken, phonePlaceholder),
    ]

    private static func isSentinel(_ scalar: Unicode.Scalar) -> Bool { (0xE000...0xE006).contains(scalar.value) }

    private static let rules: [Rule] = [
        // Slack markup first: its ids and labels would otherwise be half-matched by later rules.
        Rule(pattern: #"<#[^<>\n]*>"#, token: channelToken),
        Rule(pattern: #"<(?:@|!)[^<>\n]*>"#, token: mentionToken),
        Rule(pattern: #"<mailto:[^<>\n]*>"#, token: emailToken),
        Rule(pattern: #"<[a-zA-Z][a-zA-Z0-9+.\-]*:[^<>\n]*>"#, token: linkToken),
        Rule(
            pattern: #"(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}"#,
            token: emailToken),
        Rule(pattern: #"(?i)\b(?:https?|ftp)://[^\s<>"]*[^\s<>".,;:!?)\]}'"]"#, token: linkToken),
        Rule(pattern: #"(?i)\b(?:https?|ftp)://"#, token: linkToken),
        Rule(pattern: #"(?i)\bwww\.[^\s<>"]*[^\s<>".,;:!?)\]}'"]"#, token: linkToken),
        Rule(
            pattern:
                #"(?i)(?<![\p{L}\p{N}@])(?:[a-z0-9\-]+\.)+(?:com|org|net|io|dev|app|co|de|uk|fr|nl|ch|at|eu|ai|gov|edu|info|biz|me|us|ly|gl|so)(?::\d+)?(?![\p{L}\p{N}\-])(?:/[^\s<>"]*[^\s<>".,;:!?)\]}'"])?/?"#,
            token: linkToken),
        Rule(pattern: #"(?<![\p{L}\p{N}_])@[\p{L}\p{N}._\-]+"#, token: mentionToken),
        Rule(pattern: #"(?<![\p{L}\p{N}_])[UWCGDST](?=[A-Z0-9]*[0-9])[A-Z0-9]{6,}(?![\p{L}\p{N}_])"#, token: idToken),
        Rule(
            pattern:
                #"(?<![\p{L}\p{N}_+])(?:(?:\+|00)\d{1,3}[ .\-/]{0,2})?(?:\(\d{1,5}\)[ .\-/]{0,2})?\d{1,15}(?:[ .\-/]{1,2}\d{1,15})*(?![\p{L}\p{N}_])"#,
            token: phoneToken,
            check: { match in
                let digits = match.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.count
                // Seven or more: longer runs (two numbers written together) are removed too, failing closed.
                return digits >= 7
            }),
    ]

    /// A rule's compiled pattern. `NSRegularExpression` is immutable and documented as safe to use from
    /// several threads at once, hence `@unchecked Sendable`.
    private struct CompiledRule: @unchecked Sendable {
        let regex: NSRegularExpression
        let token: Character
        let check: (@Sendable (String) -> Bool)?
    }

    /// Compiled once per process (compiling the Unicode property classes costs far more than matching);
    /// nil when any pattern fails to compile, and then every text scrubs to "" (fail closed).
    private static let compiledRules: [CompiledRule]? = {
        var compiled: [CompiledRule] = []
        for rule in rules {
            guard let regex = try? NSRegularExpression(pattern: rule.pattern, options: []) else { return nil }
            compiled.append(CompiledRule(regex: regex, token: rule.token, check: rule.check))
        }
        return compiled
    }()

    /// Replaces every match of `regex` (that passes `check`) with `token`.
    private static func replace(
        _ regex: NSRegularExpression, in text: String, with token: Character, check: (@Sendable (String) -> Bool)?
    ) -> String {
        let matches = regex.matches(in: text, options: [], range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return text }
        // Splice on the scalar view: a match may start or end inside a grapheme cluster (a combining mark after
        // a digit), and Character-based slicing would round such an index and re-include part of the match.
        let scalars = text.unicodeScalars
        var result = String.UnicodeScalarView()
        var cursor = scalars.startIndex
        for match in matches {
            guard let range = Range(match.range, in: text), range.lowerBound >= cursor else { continue }
            if let check, !check(String(scalars[range])) { continue }
            result.append(contentsOf: scalars[cursor..<range.lowerBound])
            result.append(contentsOf: token.unicodeScalars)
            cursor = range.upperBound
        }
        result.append(contentsOf: scalars[cursor...])
        return String(result)
    }

    // MARK: - Names

    /// Word ranges: maximal runs of letters, marks and digits (apostrophes and hyphens separate words).
    private static func words(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let isWord =
                character.isLetter || character.isNumber
                || character.unicodeScalars.contains {
                    $0.properties.generalCategory == .nonspacingMark
                }
            if isWord && !character.unicodeScalars.contains(where: isSentinel) {
                if start == nil { start = index }
            } else if let open = start {
                ranges.append(open..<index)
                start = nil
            }
            index = text.index(after: index)
        }
        if let open = start { ranges.append(open..<text.endIndex) }
        return ranges
    }

    private static func fold(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// Whether the text between two words lets them form one name ("Anna Schmidt", "Jean-Luc", "Anna  Schmidt").
    private static func joinsName(_ gap: Substring) -> Bool {
        !gap.isEmpty && gap.count <= 3 && gap.allSatisfy { $0 == " " || $0 == "-" || $0 == "\u{00A0}" || $0 == "." }
    }

    private func scrubNames(in text: String) -> String {
        guard longestName > 0 else { return text }
        let ranges = Self.words(in: text)
        let folded = ranges.map { Self.fold(String(text[$0])) }
        var result = ""
        var cursor = text.startIndex
        var index = 0
        while index < ranges.count {
            var matched = 0
            var length = min(longestName, ranges.count - index)
            while length >= 1 {
                let joined = (index + 1..<index + length).allSatisfy {
                    Self.joinsName(text[ranges[$0 - 1].upperBound..<ranges[$0].lowerBound])
                }
                if joined, names.contains(Array(folded[index..<index + length])) {
                    matched = length
                    break
                }
                length -= 1
            }
            if matched > 0 {
                result += text[cursor..<ranges[index].lowerBound]
                result.append(Self.nameToken)
                cursor = ranges[index + matched - 1].upperBound
                index += matched
            } else {
                index += 1
            }
        }
        result += text[cursor...]
        return result
    }
}
