import Foundation

/// Keyword buckets for free-text answers (`prompts/questions/themes.yaml`): no model, no external service, a list
/// an L&D lead can read and edit.
///
/// A theme matches an answer when one of its keywords starts a word of the answer (so `kreativ` matches
/// "Kreativität" and `relationship` "relationships"), compared without case and diacritics; a keyword with a space
/// matches as a phrase anywhere in the answer.
public struct ThemeTaxonomy: Sendable, Equatable, Codable {
    public var themes: [Theme]

    public init(themes: [Theme]) { self.themes = themes }

    /// One theme with the keywords (any language) that put an answer into it.
    public struct Theme: Sendable, Equatable, Codable {
        public var id: String
        public var label: String
        public var keywords: [String]

        public init(id: String, label: String, keywords: [String]) {
            self.id = id
            self.label = label
            self.keywords = keywords
        }
    }

    /// The ids of every theme `text` matches, in taxonomy order.
    public func themes(of text: String) -> [String] {
        let folded = Self.fold(text)
        let words = folded.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let padded = " " + words.joined(separator: " ") + " "
        return themes.filter { theme in
            theme.keywords.contains { keyword in
                let key = Self.fold(keyword).split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
                guard !key.isEmpty else { return false }
                if key.contains(" ") { return padded.contains(" " + key) }
                return words.contains { $0.hasPrefix(key) }
            }
        }.map(\.id)
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "ß", with: "ss")
    }
}
