import Foundation

/// Publishes a week's rotating-question answers as part of the week's release (`ReleaseBuilder`):
///
/// - **Expectation gap**, per question with choices: each side (leaders, ICs) is shown only when its role group is
///   shown in the same week's release (so every structural and audit decision about that group holds here too)
///   and at least k distinct people on it answered. A choice held by fewer than k is hidden; when anything is
///   hidden, the hidden choices together must hold at least k people, otherwise the smallest shown choices are
///   hidden too (complementary suppression: the total minus the others would give a lone hidden choice away).
///   The `ChoiceDistributionAuditor` then checks each side against its range and rounding; a finding coarsens the
///   side's shares, and at the coarsest hides the side. Noise, when configured, is drawn once per count here.
/// - **Themes**: a theme appears only with at least k distinct people; it is quotable with at least k_quotes.
enum QuestionReleaseBuilder {
    /// Themes listed at most.
    static let maximumThemes = 5

    static func release(
        _ input: QuestionWeekInput, main: WeekRelease, roster: WeekRoster?, settings: PrivacySettings, seed: UInt64
    ) -> QuestionRelease {
        let k = settings.effectiveK
        let noise = settings.effectiveEpsilon.flatMap { GeometricNoise(epsilon: $0) }
        let gaps = input.tallies.compactMap { tally -> ExpectationGapQuestion? in
            guard
                let leaders = side(
                    tally, .leader, main: main, roster: roster, k: k, noise: noise, seed: seed),
                let ics = side(tally, .ic, main: main, roster: roster, k: k, noise: noise, seed: seed)
            else { return nil }
            let rows = tally.question.choices.indices.compactMap { index -> ExpectationGapRow? in
                let choice = tally.question.choices[index]
                let l = leaders.shares[index]
                let i = ics.shares[index]
                guard l != nil || i != nil else { return nil }
                func interval(_ share: PublishedPercent?, _ side: Side) -> PercentInterval? {
                    share.map {
                        ProportionInterval.shown($0, precision: side.precision, atLeast: side.bucket.lowerBound)
                            .percentInterval
                    }
                }
                var gap: PercentInterval?
                if let l, let i {
                    gap =
                        ProportionInterval.shownDifference(
                            l, precision: leaders.precision, atLeast: leaders.bucket.lowerBound, minus: i,
                            precision: ics.precision, atLeast: ics.bucket.lowerBound
                        ).percentInterval
                }
                let points: Int? = if let l, let i { l.midpoint - i.midpoint } else { nil }
                return ExpectationGapRow(
                    choiceID: choice.id, label: choice.label, leaders: l, leadersInterval: interval(l, leaders),
                    ics: i, icsInterval: interval(i, ics), gapPoints: points, gapInterval: gap,
                    isClearDifference: gap.map { !$0.contains(0) } ?? false)
            }
            return ExpectationGapQuestion(
                questionID: tally.question.id, prompt: tally.question.prompt, leaders: leaders.bucket,
                ics: ics.bucket, leaderPrecision: leaders.precision, icPrecision: ics.precision, rows: rows)
        }
        return QuestionRelease(
            gaps: gaps,
            themes: themes(input.themes, week: main.week, settings: settings, noise: noise, seed: seed))
    }

    /// One side of one question as published.
    struct Side: Equatable {
        var bucket: CountBucket
        var precision: SharePrecision
        /// Per choice in the question's order; nil when hidden.
        var shares: [PublishedPercent?]
    }

    /// Which choices of `counts` are shown: those held by at least k, minus the smallest ones needed so that the
    /// hidden together hold at least k (or nothing is hidden). Empty when nothing can be shown.
    static func shownChoices(_ counts: [Int], k: Int) -> Set<Int> {
        var shown = Set(counts.indices.filter { counts[$0] >= k })
        func hiddenTotal() -> Int { counts.indices.filter { !shown.contains($0) }.reduce(0) { $0 + counts[$1] } }
        while shown.count < counts.count, hiddenTotal() < k {
            // The smallest shown choice (the later one on a tie) joins the hidden ones.
            guard let smallest = shown.min(by: { (counts[$0], -$0) < (counts[$1], -$1) }) else { break }
            shown.remove(smallest)
        }
        return shown
    }

    static func side(
        _ tally: QuestionTally, _ role: RoleLevel, main: WeekRelease, roster: WeekRoster?, k: Int,
        noise: GeometricNoise?, seed: UInt64
    ) -> Side? {
        guard main.shown(.role(role)) != nil else { return nil }
        let counts = tally.counts(role)
        let respondents = counts.reduce(0, +)
        guard respondents >= k else { return nil }
        let shown = shownChoices(counts, k: k)
        guard !shown.isEmpty else { return nil }
        let exactBucket = ReleaseBuilder.bucket(respondents, k)
        let headcount = roster.map { $0.headcount(of: .role(role)) }
        let upper = min(
            exactBucket.upperBound ?? max(respondents, exactBucket.lowerBound) * 2,
            headcount.map { max($0, respondents) } ?? Int.max)
        let range = exactBucket.lowerBound...max(exactBucket.lowerBound, upper)
        // Noise is drawn once per count and stored with the release; decisions above use the exact counts.
        var noised = counts
        if let noise {
            for index in counts.indices {
                var generator = SeededGenerator.derived(
                    from: seed,
                    label:
                        "question|\(main.week)|\(tally.question.id)|\(role.rawValue)|\(tally.question.choices[index].id)"
                )
                noised[index] = max(0, noise.noised(counts[index], using: &generator))
            }
        }
        let noisedTotal = noised.reduce(0, +)
        let bucket = ReleaseBuilder.bucket(max(noisedTotal, k), k)
        var precision: SharePrecision? = SharePrecision.forGroup(shownAs: bucket)
            .coarsened(to: SharePrecision.forGroup(shownAs: exactBucket))
        // Audit what the exact counts render to at this precision; coarsen until nothing is pinned.
        while let current = precision {
            let rendered = counts.indices.map { index in
                shown.contains(index)
                    ? PublishedPercent.publish(counts[index], of: respondents, precision: current) : nil
            }
            let auditor = ChoiceDistributionAuditor(
                respondents: range, shares: rendered, precision: current, threshold: k)
            if auditor.findings().isEmpty { break }
            precision = current.coarser
        }
        guard let precision else { return nil }
        let shares = counts.indices.map { index in
            shown.contains(index)
                ? PublishedPercent.publish(noised[index], of: max(noisedTotal, 1), precision: precision) : nil
        }
        return Side(bucket: bucket, precision: precision, shares: shares)
    }

    static func themes(
        _ tallies: [ThemeTally], week: WeekKey, settings: PrivacySettings, noise: GeometricNoise?, seed: UInt64
    ) -> [ThemeRow] {
        let k = settings.effectiveK
        let rows = tallies.enumerated().compactMap { offset, tally -> (Int, ThemeRow)? in
            guard tally.people >= k else { return nil }
            var people = tally.people
            if let noise {
                var generator = SeededGenerator.derived(from: seed, label: "theme|\(week)|\(tally.theme.id)")
                people = noise.noised(people, using: &generator)
            }
            return (
                offset,
                ThemeRow(
                    themeID: tally.theme.id, label: tally.theme.label, people: ReleaseBuilder.bucket(max(people, k), k),
                    quotable: tally.people >= settings.effectiveKQuotes)
            )
        }
        // By the shown range only (ties in taxonomy order), so the order says nothing finer than the ranges.
        return rows.sorted { ($0.1.people.lowerBound, -$0.0) > ($1.1.people.lowerBound, -$1.0) }
            .prefix(maximumThemes).map(\.1)
    }
}
