import Foundation

extension DigestComposer {
    /// The week's expectation gap, read from the release (nothing computed here).
    func expectationGapSection(suppressed: inout [SuppressedSection]) -> ExpectationGapSection? {
        guard let questions = releases[input.week]?.questions else { return nil }
        // The rule, every week whatever the answers: a sentence that appeared only when something was held back
        // would itself say something about a group smaller than k.
        suppressed.append(
            SuppressedSection(
                section: .expectationGap, reason: .tooFewAnswered,
                message: "Leaders' and ICs' answers to a question are compared only when at least \(k) of each "
                    + "answered; an answer chosen by fewer than \(k) is not shown, nor is one that could be "
                    + "worked out from the others."))
        return questions.gaps.isEmpty ? nil : ExpectationGapSection(questions: questions.gaps)
    }

    /// The week's themes with at most one consented, scrubbed quote each (only for themes with k_quotes people).
    func themesSection(suppressed: inout [SuppressedSection]) -> ThemesSection? {
        guard let questions = releases[input.week]?.questions else { return nil }
        suppressed.append(
            SuppressedSection(
                section: .themes, reason: .belowThreshold,
                message: "A theme of free-text answers is shown only when at least \(k) people mentioned it; "
                    + "quotes need at least \(kQuotes) and the author's consent."))
        guard !questions.themes.isEmpty else { return nil }
        var candidates = input.themeQuotes.filter { $0.consent == .anonymousQuote || $0.consent == .attributed }
        candidates.sort { $0.text < $1.text }
        var generator = SeededGenerator.derived(from: seed, label: "theme-quotes|\(input.week)")
        candidates.shuffle(using: &generator)
        var used = Set<String>()
        let entries = questions.themes.map { row -> ThemeEntry in
            var quote: String?
            if row.quotable {
                for candidate in candidates where candidate.themeIDs.contains(row.themeID) {
                    guard let text = Self.clean(scrubber.scrub(candidate.text)), used.insert(text).inserted
                    else { continue }
                    quote = text
                    break
                }
            }
            return ThemeEntry(themeID: row.themeID, label: row.label, people: row.people, quote: quote)
        }
        return ThemesSection(themes: entries)
    }
}
