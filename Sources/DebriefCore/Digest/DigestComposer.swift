import Foundation

/// The working state of one `DigestBuilder.build` call.
struct DigestComposer {
    let input: DigestInput
    let seed: UInt64
    let k: Int
    let kQuotes: Int
    let noise: GeometricNoise?
    let plans: [WeekKey: SuppressionPlan]
    /// Weeks of the trend window that have data, oldest first, ending with this week.
    let window: [WeekKey]
    /// Shared by every digest of a batch with the same directory: preparing a large directory is the costly
    /// part of scrubbing.
    let scrubber: QuoteScrubber

    /// Work shared between the digests of one batch: suppression plans (reused only for identical stats) and
    /// scrubbers (reused only for an identical directory).
    struct SharedWork {
        var plans: [WeekKey: [(threshold: Int, stats: [DigestGroup: GroupWeekStats], plan: SuppressionPlan)]] = [:]
        var scrubbers: [(directory: [String], scrubber: QuoteScrubber)] = []

        mutating func plan(_ stats: [DigestGroup: GroupWeekStats], week: WeekKey, threshold: Int) -> SuppressionPlan {
            if let hit = plans[week]?.first(where: { $0.threshold == threshold && $0.stats == stats }) {
                return hit.plan
            }
            let plan = SuppressionPlan(stats: stats, threshold: threshold)
            plans[week, default: []].append((threshold, stats, plan))
            return plan
        }

        mutating func scrubber(directory: [String]) -> QuoteScrubber {
            if let hit = scrubbers.first(where: { $0.directory == directory }) { return hit.scrubber }
            let scrubber = QuoteScrubber(directoryNames: directory)
            scrubbers.append((directory, scrubber))
            return scrubber
        }
    }

    /// The weeks a digest of `week` looks at, oldest first.
    static func weeks(endingAt week: WeekKey) -> [WeekKey] {
        let span = max(DigestBuilder.trendWeeks, DigestBuilder.comparisonWeeks + 1)
        return (0..<span).reversed().map { week.adding(weeks: -$0) }
    }

    init(input: DigestInput, seed: UInt64, cache: inout SharedWork) {
        self.input = input
        self.seed = seed
        self.k = input.settings.effectiveK
        self.kQuotes = input.settings.effectiveKQuotes
        self.noise = input.settings.effectiveEpsilon.flatMap { GeometricNoise(epsilon: $0) }
        let earliest = input.stats.keys.filter { $0 <= input.week }.min() ?? input.week
        let weeks = Self.weeks(endingAt: input.week)
        var plans: [WeekKey: SuppressionPlan] = [:]
        for week in weeks {
            guard let stats = input.stats[week] else { continue }
            plans[week] = cache.plan(stats, week: week, threshold: input.settings.effectiveK)
        }
        self.plans = plans
        self.window = weeks.suffix(DigestBuilder.trendWeeks).filter { $0 >= earliest }
        let needsScrubbing = !input.quoteCandidates.isEmpty || !input.leaderNotes.isEmpty
        self.scrubber = cache.scrubber(directory: needsScrubbing ? input.directoryNames : [])
    }

    /// The group whose numbers this digest is about.
    var scope: DigestGroup {
        switch input.audience {
        case .leadership: .organisation
        case .team(let team): .team(team)
        }
    }

    func isVisible(_ group: DigestGroup, in week: WeekKey) -> Bool {
        plans[week]?.isVisible(group) ?? false
    }

    func exactRespondents(_ group: DigestGroup, in week: WeekKey) -> Int {
        input.stats[week]?[group]?.respondents ?? 0
    }

    /// Publishable counts of `group` in `week`; nil unless the week's plan shows the group.
    func published(_ group: DigestGroup, in week: WeekKey) -> PublishedStats? {
        guard isVisible(group, in: week), let stats = input.stats[week]?[group] else { return nil }
        var generator = SeededGenerator.derived(from: seed, label: "stats|\(week)|\(group.sortKey)")
        return PublishedStats(stats, threshold: k, noise: noise, generator: &generator)
    }

    func bucket(_ count: Int) -> CountBucket {
        CountBucket.bucket(for: max(count, k), threshold: k)
            ?? CountBucket(lowerBound: k, upperBound: nil, label: "\(k)+")
    }

    // MARK: - Document

    func document() -> DigestDocument {
        let week = input.week
        let leaders = leaderNotes()
        guard let current = published(scope, in: week) else { return quietDocument(leaders: leaders) }

        var suppressed: [SuppressedSection] = []
        let participation = participationSection(current: current, suppressed: &suppressed)
        let gap = perceptionGapSection(suppressed: &suppressed)
        let breakdown: GroupBreakdownSection? =
            input.audience == .leadership ? breakdownSection(suppressed: &suppressed) : nil
        let training = trainingSection(suppressed: &suppressed)
        let quotes = quotesSection(leaderNotes: leaders, suppressed: &suppressed)

        var document = DigestDocument(
            audience: input.audience, week: week, isQuiet: false, quietReason: nil, sectionOrder: [],
            participation: participation,
            outcomeMix: outcomeSection(current),
            minutesSaved: minutesSection(current),
            confidence: confidenceSection(current),
            categories: categorySection(current),
            blockers: blockerSection(current),
            perceptionGap: gap,
            breakdown: breakdown,
            trainingToPractice: training,
            quotes: quotes,
            fromLeaders: leaders,
            suppressed: suppressed,
            footer: footer(suppressed: suppressed))
        document.sectionOrder = Self.order(for: input.audience).filter { document.has($0) }
        return document
    }

    static func order(for audience: DigestAudience) -> [DigestSectionKind] {
        switch audience {
        case .leadership:
            [
                .participation, .outcomeMix, .minutesSaved, .confidence, .perceptionGap, .breakdown, .categories,
                .blockers, .trainingToPractice, .quotes, .fromLeaders,
            ]
        case .team:
            [
                .fromLeaders, .participation, .outcomeMix, .minutesSaved, .confidence, .categories, .blockers,
                .perceptionGap, .trainingToPractice, .quotes,
            ]
        }
    }

    func quietDocument(leaders: LeaderNotesSection?) -> DigestDocument {
        let reason: String
        switch input.audience {
        case .leadership:
            reason = "A quiet week: too few people reflected to share anything without exposing someone."
        case .team(let team):
            reason = "A quiet week for \(team): too few reflections to share anything without exposing someone."
        }
        var document = DigestDocument(
            audience: input.audience, week: input.week, isQuiet: true, quietReason: reason, sectionOrder: [],
            fromLeaders: leaders, suppressed: [], footer: footer(suppressed: []))
        document.sectionOrder = Self.order(for: input.audience).filter { document.has($0) }
        return document
    }

    func footer(suppressed: [SuppressedSection]) -> DigestFooter {
        var lines = [
            "Groups with fewer than \(k) people who reflected show no numbers, trends or quotes; "
                + "quotes need at least \(kQuotes).",
            "Counts are shown as ranges and shares as whole percents; nobody's individual answers, "
                + "participation or streaks are shown.",
        ]
        if let noise {
            lines.append(
                "Counts include random noise (ε = \(Self.format(noise.epsilon))) to protect individuals, "
                    + "so shares can differ slightly from the exact answers.")
        }
        var seen = Set<String>()
        for entry in suppressed where seen.insert(entry.message).inserted { lines.append(entry.message) }
        return DigestFooter(threshold: k, quoteThreshold: kQuotes, noiseEpsilon: noise?.epsilon, lines: lines)
    }

    /// A short decimal for the footer: 1 → "1", 0.5 → "0.5", 0.333333 → "0.333".
    static func format(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let whole = thousandths / 1000
        var fraction = String(thousandths % 1000)
        guard fraction != "0" else { return String(whole) }
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

extension DigestDocument {
    /// Whether the section of `kind` is present.
    func has(_ kind: DigestSectionKind) -> Bool {
        switch kind {
        case .participation: participation != nil
        case .outcomeMix: outcomeMix != nil
        case .minutesSaved: minutesSaved != nil
        case .confidence: confidence != nil
        case .categories: categories != nil
        case .blockers: blockers != nil
        case .perceptionGap: perceptionGap != nil
        case .breakdown: breakdown != nil
        case .trainingToPractice: trainingToPractice != nil
        case .quotes: quotes != nil
        case .fromLeaders: fromLeaders != nil
        }
    }
}
