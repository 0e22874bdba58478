import Foundation

/// The rules of the use-case library, pure so both platforms and the digest apply them the same way.
///
/// - Examples are served only once at least `kQuotes` distinct people have agreed to quotes organisation-wide
///   (``availability(contributors:quoteThreshold:)``), so nobody's example is one of a handful.
/// - Only `anonymous_quote` and `attributed` reflections are candidates (the store's query); a name is shown only
///   for `attributed`, and the text is scrubbed of every directory name, e-mail, mention, link and phone number.
public enum IdeaLibrary {
    /// Examples shown for one search.
    public static let maximumExamples = 5

    /// Whether examples may be served, and if not, how far off the threshold is — in words.
    public enum Availability: Sendable, Equatable {
        case open
        /// `missing` is a phrase ("a few more colleagues"), never the exact number: the exact count of people
        /// who consented, watched over time, would tell when one particular colleague did.
        case needsMoreContributors(missing: String)
    }

    /// How many contributors open the library: the most `availability` ever needs counted.
    public static func openingCount(_ quoteThreshold: Int) -> Int { max(quoteThreshold, 1) }

    public static func availability(contributors: Int, quoteThreshold: Int) -> Availability {
        let threshold = openingCount(quoteThreshold)
        guard contributors < threshold else { return .open }
        let missing = threshold - max(contributors, 0)
        if missing <= 2 { return .needsMoreContributors(missing: "a couple more colleagues") }
        if missing * 2 <= threshold { return .needsMoreContributors(missing: "a few more colleagues") }
        return .needsMoreContributors(missing: "several more colleagues")
    }

    /// Scrubs and names candidates as they are shown: the text through ``QuoteScrubber`` with the directory's
    /// names, a name only for `attributed` authors whose display name the directory knows.
    /// - Parameters:
    ///   - directoryNames: every name of the directory, for scrubbing.
    ///   - displayName: the display name of a platform user id.
    public static func examples(
        from candidates: [IdeaCandidate], directoryNames: [String], displayName: (String) -> String?,
        limit: Int = maximumExamples
    ) -> [IdeaExample] {
        examples(
            from: candidates, scrubber: QuoteScrubber(directoryNames: directoryNames), displayName: displayName,
            limit: limit)
    }

    /// The same with a scrubber prepared once by the caller: building one from a large directory costs far more
    /// than scrubbing a text (a second for 100,000 names), so a caller serving many lists (every team digest's
    /// "Try this") shares one.
    public static func examples(
        from candidates: [IdeaCandidate], scrubber: QuoteScrubber, displayName: (String) -> String?,
        limit: Int = maximumExamples
    ) -> [IdeaExample] {
        candidates.prefix(max(limit, 0)).compactMap { candidate in
            guard candidate.consent == .anonymousQuote || candidate.consent == .attributed else { return nil }
            let text = scrubber.scrub(candidate.text).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return nil }
            let author =
                candidate.consent == .attributed ? candidate.attributedUserID.flatMap(displayName) : nil
            return IdeaExample(
                id: candidate.id, week: candidate.week, taskCategory: candidate.taskCategory, text: text,
                outcome: candidate.outcome, minutesSaved: candidate.minutesSaved, author: author,
                usefulCount: max(candidate.usefulCount, 0))
        }
    }
}
