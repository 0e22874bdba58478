import Foundation

/// Removes what could identify a person from free text before anyone else reads it.
///
/// Quotes and leader notes are the only free text that leaves a person's own view. People write naturally
/// ("paired with Anna Schmidt on it, see https://…"), so the scrubber removes, in this order: Slack's markup
/// (`<@U123|anna>`, `<#C123|general>`, `<!subteam^S1|@team>`, `<https://…|label>`), e-mail addresses, URLs
/// (any scheme, any host with a path whatever its top-level domain, IPv4 addresses, bare hosts on common
/// top-level domains), @-mentions, raw Slack ids (`U0123ABC`, `C…`, `W…`), phone numbers (international and
/// local, seven to fifteen digits) and names of people in the directory. Each becomes a neutral placeholder
/// such as "[name]" or "[link]".
///
/// Names are matched word by word, ignoring case and accents (`Müller`, `Mueller` and `Muller` are one
/// name; `ß` is `ss`): a part of at least three letters alone (`Schmidt`), a one-word directory name alone,
/// and any part, however short, next to another part or the initial of another part of the same name
/// (`Li Wei`, `Wei Li`, `Bo Ng`, `Ana K.`, `A. Kowalski`, `van der Berg`). Words count as next to each
/// other across any whitespace — line breaks, tabs, no-break spaces, several spaces — and a hyphen, dot,
/// comma or apostrophe: a later step collapses whitespace, so "Li⏎Wei" must go as surely as "Li Wei".
/// Name particles (`van`, `der`, `de`, `von`, …) are never removed alone, so "in der Besprechung" survives
/// a colleague called "van der Berg".
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

    /// Folded words that are a name on their own: parts of at least three letters that are not particles,
    /// and one-word names of any length.
    private let singles: Set<String>
    /// Ordered pairs of folded words that are two parts of one name, or a part and another part's initial.
    private let pairs: Set<NamePair>

    /// Two neighbouring words, both folded.
    private struct NamePair: Hashable {
        let first: String
        let second: String
    }

    /// Prepares the directory once, for scrubbing many texts. Linear in the directory's size; scrubbing a text
    /// is then linear in the text's length (a few set lookups per word), whatever the directory's size.
    public init(directoryNames: [String]) {
        var singles = Set<String>()
        var pairs = Set<NamePair>()
        // First and last names repeat across a directory, and folding (Foundation's) is most of the cost.
        var foldedWords: [Substring: (key: String, letters: Int)] = [:]
        for name in directoryNames {
            let parts = Self.words(in: name).map { range in
                let word = name[range]
                if let known = foldedWords[word] { return known }
                let folded = Self.fold(word)
                foldedWords[word] = folded
                return folded
            }
            guard !parts.isEmpty else { continue }
            if parts.count == 1 { singles.insert(parts[0].key) }
            for (index, part) in parts.enumerated() {
                if part.letters >= 3, !Self.particles.contains(part.key) { singles.insert(part.key) }
                for (otherIndex, other) in parts.enumerated() where otherIndex != index {
                    pairs.insert(NamePair(first: part.key, second: other.key))
                    if let initial = other.key.first {
                        pairs.insert(NamePair(first: part.key, second: String(initial)))
                        pairs.insert(NamePair(first: String(initial), second: part.key))
                    }
                }
            }
        }
        self.singles = singles
        self.pairs = pairs
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
            if let needs = rule.needs, !Self.contains(needs, in: &working) { continue }
            working = Self.replace(rule.regex, in: working, with: rule.token, check: rule.check)
        }
        working = scrubNames(in: working)
        return Self.expandingPlaceholders(in: working).trimmingWhitespace()
    }

    /// Every sentinel replaced by its placeholder, in one pass over the scalars. Seven `NSString` replacements
    /// per text, one per placeholder, were two thirds of scrubbing a quote (a week's digests for 100,000 people
    /// scrub thousands).
    private static func expandingPlaceholders(in text: String) -> String {
        guard text.unicodeScalars.contains(where: isSentinel) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let placeholder = placeholderByScalar[scalar] {
                result.append(contentsOf: placeholder.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static let placeholderByScalar: [Unicode.Scalar: String] = Dictionary(
        uniqueKeysWithValues: placeholders.compactMap { token, placeholder in
            token.unicodeScalars.first.map { ($0, placeholder) }
        })

    // MARK: - Patterns

    private struct Rule {
        var pattern: String
        var token: Character
        var check: (@Sendable (String) -> Bool)? = nil
        /// A literal every match contains: texts without it skip the pattern (most texts have no link).
        var needs: String? = nil
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
        Rule(pattern: #"<#[^<>\n]*>"#, token: channelToken, needs: "<"),
        Rule(pattern: #"<(?:@|!)[^<>\n]*>"#, token: mentionToken, needs: "<"),
        Rule(pattern: #"<mailto:[^<>\n]*>"#, token: emailToken, needs: "<"),
        Rule(pattern: #"<[a-zA-Z][a-zA-Z0-9+.\-]*:[^<>\n]*>"#, token: linkToken, needs: "<"),
        Rule(
            pattern: #"(?<![\p{L}\p{N}._%+\-])[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}"#,
            token: emailToken, needs: "@"),
        // Any scheme (`https`, `ftp`, `smb`, `svn+ssh`, …), and a bare `scheme://` left over.
        Rule(
            pattern: #"(?i)\b[a-z][a-z0-9+.\-]{0,15}://(?:[^\s<>"]*[^\s<>".,;:!?)\]}'"])?"#, token: linkToken,
            needs: "://"),
        Rule(pattern: #"(?i)\bwww\.[^\s<>"]*[^\s<>".,;:!?)\]}'"]"#, token: linkToken, needs: "."),
        // A host with a path, whatever its top-level domain (`intranet.corp/wiki`, `foo.internal:8080/x`,
        // `10.0.0.1/x`): the last label has two or more characters and starts with a letter, or the host is an
        // IPv4 address, so "3.5/5" and "z.B./d.h." survive.
        Rule(
            pattern:
                #"(?<![\p{L}\p{N}@/._\-])(?:(?:[\p{L}\p{N}\-]+\.)+\p{L}[\p{L}\p{N}\-]+|\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?/(?:[^\s<>"]*[^\s<>".,;:!?)\]}'"])?"#,
            token: linkToken, needs: "/"),
        // A bare IPv4 address.
        Rule(
            pattern: #"(?<![\p{L}\p{N}._\-])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\p{L}\p{N}_\-]|\.\d)"#,
            token: linkToken,
            needs: "."),
        Rule(
            pattern:
                #"(?i)(?<![\p{L}\p{N}@])(?:[a-z0-9\-]+\.)+(?:com|org|net|io|dev|app|co|de|uk|fr|nl|ch|at|eu|ai|gov|edu|info|biz|me|us|ly|gl|so)(?::\d+)?(?![\p{L}\p{N}\-])(?:/[^\s<>"]*[^\s<>".,;:!?)\]}'"])?/?"#,
            token: linkToken, needs: "."),
        Rule(pattern: #"(?<![\p{L}\p{N}_])@[\p{L}\p{N}._\-]+"#, token: mentionToken, needs: "@"),
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
        let needs: [UInt8]?
    }

    /// Compiled once per process (compiling the Unicode property classes costs far more than matching);
    /// nil when any pattern fails to compile, and then every text scrubs to "" (fail closed).
    private static let compiledRules: [CompiledRule]? = {
        var compiled: [CompiledRule] = []
        for rule in rules {
            guard let regex = try? NSRegularExpression(pattern: rule.pattern, options: []) else { return nil }
            compiled.append(
                CompiledRule(
                    regex: regex, token: rule.token, check: rule.check, needs: rule.needs.map { Array($0.utf8) }))
        }
        return compiled
    }()

    /// Whether the UTF-8 bytes of `text` contain `needle`. Bytes, not characters: a combining mark after the
    /// literal must not hide it from the check (the patterns match code units, not grapheme clusters).
    private static func contains(_ needle: [UInt8], in text: inout String) -> Bool {
        guard let first = needle.first else { return true }
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            var index = 0
            while index <= bytes.count - needle.count {
                if bytes[index] == first {
                    var offset = 1
                    while offset < needle.count, bytes[index + offset] == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }

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
            guard let range = scalarRange(match.range, in: text), range.lowerBound >= cursor else { continue }
            if let check, !check(String(scalars[range])) { continue }
            result.append(contentsOf: scalars[cursor..<range.lowerBound])
            result.append(contentsOf: token.unicodeScalars)
            cursor = range.upperBound
        }
        result.append(contentsOf: scalars[cursor...])
        return String(result)
    }

    /// A match's range as indices of the scalar view. Foundation's `Range(_:in:)` is nil on Linux when either end
    /// falls inside a grapheme cluster, so a combining mark typed right after an address
    /// (`anna@example.com\u{0301}`) made the match be skipped and the address stay in the quote.
    private static func scalarRange(_ range: NSRange, in text: String) -> Range<String.Index>? {
        let utf16 = text.utf16
        guard range.location != NSNotFound, range.location >= 0, range.length >= 0,
            let lower = utf16.index(utf16.startIndex, offsetBy: range.location, limitedBy: utf16.endIndex),
            let upper = utf16.index(lower, offsetBy: range.length, limitedBy: utf16.endIndex),
            let lowerScalar = String.Index(lower, within: text.unicodeScalars),
            let upperScalar = String.Index(upper, within: text.unicodeScalars)
        else { return Range(range, in: text) }
        return lowerScalar..<upperScalar
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

    /// A word as it is compared: case, accents and width folded, `ß` as `ss`, and German umlauts written out
    /// (`ue`, `oe`, `ae`) read as the plain vowel, so `Müller`, `Mueller` and `Muller` meet. `letters` is the
    /// length before the umlaut rule, for the three-letter rule.
    private static func fold(_ word: Substring) -> (key: String, letters: Int) {
        let folded = folded(word)
        return (key(folded), folded.count)
    }

    private static func folded(_ word: Substring) -> String {
        let folded = word.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return folded.contains("ß") ? folded.replacingOccurrences(of: "ß", with: "ss") : folded
    }

    private static func key(_ folded: String) -> String {
        // Byte-wise: UTF-8 never uses ASCII bytes inside a multi-byte character, so skipping an ASCII "e" after
        // an ASCII vowel cannot split a character. Most words have no such pair and are returned as they are.
        var previous: UInt8 = 0
        var found = false
        for byte in folded.utf8 {
            if byte == UInt8(ascii: "e"), isPlainVowel(previous) {
                found = true
                break
            }
            previous = byte
        }
        guard found else { return folded }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(folded.utf8.count)
        previous = 0
        for byte in folded.utf8 {
            if byte == UInt8(ascii: "e"), isPlainVowel(previous) { continue }
            bytes.append(byte)
            previous = byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isPlainVowel(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "a") || byte == UInt8(ascii: "o") || byte == UInt8(ascii: "u")
    }

    /// Name particles: parts of a name that are also everyday words, removed only next to another part.
    private static let particles: Set<String> = [
        "al", "af", "av", "bin", "da", "das", "de", "del", "della", "dem", "den", "der", "des", "di", "do", "dos",
        "du", "el", "ibn", "la", "le", "les", "ten", "ter", "van", "von", "y", "zu", "zum", "zur",
    ].reduce(into: Set<String>()) { $0.insert(fold($1[...]).key) }

    /// Whether the text between two words lets them belong to one name: any amount of whitespace (spaces,
    /// no-break spaces, tabs, line breaks) and invisible format characters, with at most two of `-`, `.` and
    /// `,` ("Jean-Luc", "Ana K.", "Wei, Li", "Li⏎Wei"). An apostrophe joins only after a single letter
    /// ("O'Brien", "D'Souza"), not after a word ("Anna's draft" keeps its "s").
    private static func joinsName(_ gap: Substring, afterSingleLetter: Bool) -> Bool {
        guard !gap.isEmpty else { return false }
        var marks = 0
        for character in gap {
            if character.isWhitespace { continue }
            if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .format }) { continue }
            if apostrophes.contains(character) {
                guard afterSingleLetter else { return false }
            } else {
                guard nameJoiners.contains(character) else { return false }
            }
            marks += 1
            if marks > 2 { return false }
        }
        return true
    }

    private static let nameJoiners: Set<Character> = ["-", "\u{2010}", "\u{2011}", "\u{2013}", ".", ",", "\u{00B7}"]
    private static let apostrophes: Set<Character> = ["'", "\u{2019}", "`", "\u{00B4}"]

    private func scrubNames(in text: String) -> String {
        guard !singles.isEmpty || !pairs.isEmpty else { return text }
        let ranges = Self.words(in: text)
        guard !ranges.isEmpty else { return text }
        let keys = ranges.map { Self.key(Self.folded(text[$0])) }
        let joined = ranges.indices.dropFirst().map {
            Self.joinsName(
                text[ranges[$0 - 1].upperBound..<ranges[$0].lowerBound], afterSingleLetter: keys[$0 - 1].count == 1)
        }
        // joined[i - 1] tells whether word i - 1 and word i may be one name.
        var removed = keys.map { singles.contains($0) }
        for index in ranges.indices.dropFirst() where joined[index - 1] {
            if pairs.contains(NamePair(first: keys[index - 1], second: keys[index])) {
                removed[index - 1] = true
                removed[index] = true
            }
        }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var cursor = text.startIndex
        var index = 0
        while index < ranges.count {
            guard removed[index] else {
                index += 1
                continue
            }
            // One placeholder for a run of removed words that belong together ("Anna Schmidt", "Li⏎Wei").
            var last = index
            while last + 1 < ranges.count, removed[last + 1], joined[last] { last += 1 }
            result += text[cursor..<ranges[index].lowerBound]
            result.append(Self.nameToken)
            cursor = ranges[last].upperBound
            index = last + 1
        }
        result += text[cursor...]
        return result
    }
}
