/// A digest's wording for one post, rendered from the templates in the platform's markup, escaped.
///
/// Kept separate from Block Kit so the same texts serve the Slack message, its text fallback and
/// `debrief digest preview` on a terminal.
public struct DigestTexts: Sendable, Equatable {
    /// The short main message: first line the headline, then two to four key lines. For a quiet week,
    /// the one line from `quiet.mustache`.
    public var main: String
    /// Every section, for the thread reply; paragraphs (sections) are separated by a blank line.
    /// Empty when there is nothing to add (a quiet week without notes from leaders).
    public var details: String

    public init(main: String, details: String) {
        self.main = main
        self.details = details
    }

    /// The first line of `main`: the message header.
    public var headline: String {
        String(main.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }

    /// `main` without its first line: the key lines under the header.
    public var summary: String {
        let parts = main.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count > 1 else { return "" }
        return String(parts[1]).trimmingWhitespaceAndNewlines
    }
}

extension String {
    var trimmingWhitespaceAndNewlines: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
