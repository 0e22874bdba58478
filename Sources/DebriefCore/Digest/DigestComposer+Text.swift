import Foundation

extension DigestComposer {
    // MARK: - Quotes

    /// Whether a quote from `group` may appear in this digest at all.
    func quoteGroupFits(_ group: DigestGroup) -> Bool {
        switch (input.audience, group) {
        case (.leadership, _): true
        case (.team(let team), .team(let other)), (.team(let team), .teamRole(let other, _)): team == other
        case (.team, .organisation), (.team, .role): false
        }
    }

    /// - Important: a quote needs k_quotes respondents both in the digest's group and in the quote's own group
    ///   (the smallest group a reader could narrow it down to), consent to be quoted, and survives scrubbing.
    ///   It never carries a name; the role level only when that role has k_quotes respondents in the scope.
    ///
    /// Eligible candidates are put in a fixed order (so the store's row order cannot influence the pick),
    /// shuffled with the digest's seed, and scrubbed in that order until enough quotes are found: a large
    /// organisation has thousands of candidates a week, and scrubbing all of them would dominate the digest.
    func quotesSection(leaderNotes: LeaderNotesSection?, suppressed: inout [SuppressedSection]) -> QuotesSection? {
        let week = input.week
        let release = releases[week]
        guard release?.shown(scope)?.quotable == true else {
            suppressed.append(
                SuppressedSection(
                    section: .quotes, reason: .tooFewForQuotes,
                    message: "Quotes appear only when at least \(kQuotes) people in the group reflected."))
            return nil
        }
        var eligible = input.quoteCandidates.filter { candidate in
            (candidate.consent == .anonymousQuote || candidate.consent == .attributed)
                && quoteGroupFits(candidate.group) && release?.group(candidate.group)?.quotable == true
        }
        guard !eligible.isEmpty else { return nil }
        eligible.sort {
            $0.text != $1.text ? $0.text < $1.text : $0.roleLevel.rawValue < $1.roleLevel.rawValue
        }
        var generator = SeededGenerator.derived(from: seed, label: "quotes|\(week)|\(audienceKey)")
        eligible.shuffle(using: &generator)
        // A leader's attributed reflection already shown with their name is not repeated as an anonymous quote.
        var seen = Set(leaderNotes?.notes.map(\.text) ?? [])
        let maximum = max(0, input.settings.maximumQuotes)
        var quotes: [DigestQuote] = []
        // A text met again is skipped unscrubbed: scrubbing is deterministic, so it would come out as before —
        // dropped, or already shown. Without this, a week of many identical texts scrubbed every candidate.
        var tried = Set<String>()
        for candidate in eligible where quotes.count < maximum {
            guard tried.insert(candidate.text).inserted else { continue }
            guard let text = Self.clean(scrubber.scrub(candidate.text)), seen.insert(text).inserted else { continue }
            let roleGroup: DigestGroup =
                switch input.audience {
                case .leadership: .role(candidate.roleLevel)
                case .team(let team): .teamRole(team, candidate.roleLevel)
                }
            let showRole = release?.shown(roleGroup)?.quotable == true
            quotes.append(DigestQuote(text: text, role: showRole ? candidate.roleLevel : nil))
        }
        return quotes.isEmpty ? nil : QuotesSection(quotes: quotes)
    }

    var audienceKey: String {
        switch input.audience {
        case .leadership: "leadership"
        case .team(let team): "team\u{0}" + team
        }
    }

    // MARK: - From leaders

    /// - Important: only notes with `attributed` consent, whatever the store sent; scrubbed like quotes.
    ///
    /// One note per leader (so the section shows several leaders modelling their use, and the headline names
    /// each once), at most `DigestBuilder.maximumLeaderNotes`, picked in a seeded order that the store's row
    /// order cannot influence. Every audience of a week sees the same notes.
    func leaderNotes() -> LeaderNotesSection? {
        var candidates = input.leaderNotes.compactMap { note -> (name: String, text: String)? in
            let name = note.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard note.consent == .attributed, !name.isEmpty else { return nil }
            return (name, note.text)
        }
        guard !candidates.isEmpty else { return nil }
        candidates.sort { $0.name != $1.name ? $0.name < $1.name : $0.text < $1.text }
        var generator = SeededGenerator.derived(from: seed, label: "leaders|\(input.week)")
        candidates.shuffle(using: &generator)
        var named = Set<String>()
        var notes: [DigestLeaderNote] = []
        for candidate in candidates where notes.count < DigestBuilder.maximumLeaderNotes {
            guard !named.contains(candidate.name), let text = Self.clean(scrubber.scrub(candidate.text)) else {
                continue
            }
            named.insert(candidate.name)
            notes.append(DigestLeaderNote(displayName: candidate.name, text: text))
        }
        return notes.isEmpty ? nil : LeaderNotesSection(notes: notes)
    }

    /// Collapses whitespace, cuts overly long text at a word boundary, and rejects text with nothing left to read
    /// (fewer than three letters outside the placeholders).
    static func clean(_ text: String) -> String? {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        var readable = collapsed
        // Every placeholder starts with "[": most texts have none and skip seven replacements.
        if collapsed.contains("[") {
            for placeholder in [
                QuoteScrubber.namePlaceholder, QuoteScrubber.emailPlaceholder, QuoteScrubber.linkPlaceholder,
                QuoteScrubber.mentionPlaceholder, QuoteScrubber.channelPlaceholder, QuoteScrubber.idPlaceholder,
                QuoteScrubber.phonePlaceholder,
            ] {
                readable = readable.replacingOccurrences(of: placeholder, with: " ")
            }
        }
        guard readable.filter(\.isLetter).count >= 3 else { return nil }
        let limit = DigestBuilder.maximumTextCharacters
        guard collapsed.count > limit else { return collapsed }
        var cut = String(collapsed.prefix(limit))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2 {
            cut = String(cut[..<space])
        }
        return cut + "\u{2026}"
    }
}
