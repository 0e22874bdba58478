import Foundation

/// The words of an `/reflect ideas <topic>` search, reduced to something no full-text engine can misread.
///
/// Why: a topic is typed by anyone and goes into SQLite FTS5 `MATCH` and PostgreSQL `to_tsquery`, whose own
/// syntax (`"`, `*`, `NEAR(`, `-`, `:`, `&`, `|`, `!`, parentheses, column filters) would otherwise make a search
/// fail or mean something else. Only letters, digits and the marks attached to letters survive; everything else
/// separates words. Each word is then quoted (FTS5) or is a bare lexeme (PostgreSQL), searched as a prefix
/// ("email" finds "emails"), and all words must match.
public struct IdeaSearchTerms: Sendable, Equatable {
    /// Characters of the topic looked at; the rest is ignored (a topic is a few words, not a document).
    public static let maximumInputCharacters = 200
    /// Words searched for; more words only narrow a search that is already narrow.
    public static let maximumWords = 6
    /// A longer "word" is cut to this many characters (and still matches as a prefix).
    public static let maximumWordLength = 40

    /// Lower-cased words of letters and digits, at most ``maximumWords``, each at least two characters long.
    public let words: [String]

    public init(topic: String) {
        let text = String(topic.prefix(Self.maximumInputCharacters)).precomposedStringWithCanonicalMapping
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            defer { current = String.UnicodeScalarView() }
            let word = String(String(current).lowercased().prefix(Self.maximumWordLength))
            guard word.count >= 2, !words.contains(word), words.count < Self.maximumWords else { return }
            words.append(word)
        }
        for scalar in text.unicodeScalars {
            if Self.isWordScalar(scalar) {
                current.append(scalar)
            } else if Self.isMark(scalar), !current.isEmpty {
                current.append(scalar)
            } else {
                finish()
            }
        }
        finish()
        self.words = words
    }

    /// Nothing searchable was typed (empty, only punctuation, emoji or one-letter words).
    public var isEmpty: Bool { words.isEmpty }

    /// The SQLite FTS5 query: every word as a quoted prefix term, all required (`"email"* "draft"*`).
    public var ftsQuery: String {
        words.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"*" }.joined(separator: " ")
    }

    /// The PostgreSQL `to_tsquery` text: every word as a prefix lexeme, all required (`email:* & draft:*`).
    public var tsQuery: String {
        words.map { "\($0):*" }.joined(separator: " & ")
    }

    /// How the topic is shown back to the person ("email draft"): only the words that were searched.
    public var shown: String { words.joined(separator: " ") }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isEmojiPresentation || scalar.value < 0x30 { return false }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
