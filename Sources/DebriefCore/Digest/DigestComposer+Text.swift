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
    func quotesSection(suppressed: inout [SuppressedSection]) -> QuotesSection? {
        let week = input.week
        guard exactRespondents(scope, in: week) >= kQuotes else {
            suppressed.append(
                SuppressedSection(
                    section: .quotes, reason: .tooFewForQuotes,
                    message: "Quotes appear only when at least \(kQuotes) people in the group reflected."))
            return nil
        }
        // A leader's attributed reflection already shown with their name is not repeated as an anonymous quote.
        var seen = Set(leaderNotes()?.notes.map(\.text) ?? [])
        var eligible: [DigestQuote] = []
        for candidate in input.quoteCandidates {
            guard candidate.consent == .anonymousQuote || candidate.consent == .attributed,
                quoteGroupFits(candidate.group),
                exactRespondents(candidate.group, in: week) >= kQuotes
            else { continue }
            guard let text = Self.clean(scrubber.scrub(candidate.text)), seen.insert(text).inserted else { continue }
            let roleGroup: DigestGroup =
                switch input.audience {
                case .leadership: .role(candidate.roleLevel)
                case .team(let team): .teamRole(team, candidate.roleLevel)
                }
            let showRole = isVisible(roleGroup, in: week) && exactRespondents(roleGroup, in: week) >= kQuotes
            eligible.append(DigestQuote(text: text, role: showRole ? candidate.roleLevel : nil))
        }
        guard !eligible.isEmpty else { return nil }
        // Sort first so the store's row order cannot influence which quotes are picked.
        eligible.sort { $0.text != $1.text ? $0.text < $1.text : ($0.role?.rawValue ?? "") < ($1.role?.rawValue ?? "") }
        var generator = SeededGenerator.derived(from: seed, label: "quotes|\(week)|\(audienceKey)")
        eligible.shuffle(using: &generator)
        return QuotesSection(quotes: Array(eligible.prefix(max(0, input.settings.maximumQuotes))))
    }

    var audienceKey: String {
        switch input.audience {
        case .leadership: "leadership"
        case .team(let team): "team\u{0}" + team
        }
    }

    // MARK: - From leaders

    /// - Important: only notes with `attributed` consent, whatever the store sent; scrubbed like quotes.
    func leaderNotes() -> LeaderNotesSection? {
        var notes: [DigestLeaderNote] = []
        for note in input.leaderNotes where note.consent == .attributed {
            let name = note.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, let text = Self.clean(scrubber.scrub(note.text)) else { continue }
            notes.append(DigestLeaderNote(displayName: name, text: text))
            if notes.count == DigestBuilder.maximumLeaderNotes { break }
        }
        return notes.isEmpty ? nil : LeaderNotesSection(notes: notes)
    }

    /// Collapses whitespace, cuts overly long text at a word boundary, and rejects text with nothing left to read
    /// (fewer than three letters outside the placeholders).
    static func clean(_ text: String) -> String? {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        var readable = collapsed
        for placeholder in [
            QuoteScrubber.namePlaceholder, QuoteScrubber.emailPlaceholder, QuoteScrubber.linkPlaceholder,
            QuoteScrubber.mentionPlaceholder, QuoteScrubber.channelPlaceholder, QuoteScrubber.idPlaceholder,
            QuoteScrubber.phonePlaceholder,
        ] {
            readable = readable.replacingOccurrences(of: placeholder, with: " ")
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
