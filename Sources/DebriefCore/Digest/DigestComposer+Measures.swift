import Foundation

extension DigestComposer {
    // MARK: - Participation

    func participationSection(current: PublishedStats, suppressed: inout [SuppressedSection]) -> ParticipationSection {
        let week = input.week
        let previous = (1...DigestBuilder.comparisonWeeks).map { week.adding(weeks: -$0) }
        let earlier = previous.map { published(scope, in: $0) }
        var change: ParticipationChange?
        if earlier.allSatisfy({ $0 != nil }) {
            let counts = earlier.compactMap { $0?.respondents }
            let average = Double(counts.reduce(0, +)) / Double(counts.count)
            change = Self.change(current: Double(current.respondents), average: average)
        } else {
            suppressed.append(
                SuppressedSection(
                    section: .participation, reason: .earlierWeeksHidden,
                    message: "No change against the previous four weeks is shown: "
                        + "not all of those weeks had enough answers to show."))
        }
        let trend = window.map { point in
            ParticipationPoint(week: point, respondents: published(scope, in: point).map { bucket($0.respondents) })
        }
        return ParticipationSection(
            respondents: bucket(current.respondents), reflections: bucket(current.reflections), change: change,
            trend: trend)
    }

    /// A direction and a range of relative change; under 10% either way is "steady".
    static func change(current: Double, average: Double) -> ParticipationChange? {
        guard average > 0 else { return nil }
        let percent = (current - average) / average * 100
        let size = abs(percent)
        let ranges: [(Int, Int?)] = [(0, 9), (10, 24), (25, 49), (50, 99), (100, nil)]
        var chosen = ranges[0]
        for range in ranges where size >= Double(range.0) { chosen = range }
        let label: String
        if let upper = chosen.1 {
            label = chosen.0 == 0 ? "under 10%" : "\(chosen.0)\u{2013}\(upper)%"
        } else {
            label = "\(chosen.0)%+"
        }
        let direction: ChangeDirection = size < 10 ? .steady : (percent > 0 ? .up : .down)
        return ParticipationChange(
            direction: direction,
            magnitude: ChangeMagnitude(lowerPercent: chosen.0, upperPercent: chosen.1, label: label))
    }

    // MARK: - Distributions

    func outcomeSection(_ stats: PublishedStats) -> OutcomeMixSection? {
        let counts = Outcome.allCases.map { stats.outcomes[$0] ?? 0 }
        guard counts.reduce(0, +) > 0 else { return nil }
        let shares = PercentShares.largestRemainder(counts)
        return OutcomeMixSection(
            shares: zip(Outcome.allCases, shares).map { OutcomeShare(outcome: $0, percent: $1) },
            differencePercent: stats.differencePercent)
    }

    func minutesSection(_ stats: PublishedStats) -> MinutesSavedSection? {
        let order = MinutesSaved.allCases
        guard let median = Histogram.quantile(stats.minutes, order: order, numerator: 1, denominator: 2),
            let lower = Histogram.quantile(stats.minutes, order: order, numerator: 1, denominator: 4),
            let upper = Histogram.quantile(stats.minutes, order: order, numerator: 3, denominator: 4)
        else { return nil }
        let shares = PercentShares.largestRemainder(order.map { stats.minutes[$0] ?? 0 })
        return MinutesSavedSection(
            median: median, lowerQuartile: lower, upperQuartile: upper, medianMinutes: median.midpointMinutes,
            shares: zip(order, shares).map { MinutesShare(bucket: $0, percent: $1) })
    }

    func confidenceSection(_ stats: PublishedStats) -> ConfidenceSection? {
        let levels = PublishedStats.confidenceLevels
        guard let median = stats.medianConfidence else { return nil }
        let shares = PercentShares.largestRemainder(levels.map { stats.confidence[$0] ?? 0 })
        return ConfidenceSection(
            median: median, shares: zip(levels, shares).map { ConfidenceShare(level: $0, percent: $1) })
    }

    func categorySection(_ stats: PublishedStats) -> CategorySection? {
        let order = TaskCategory.allCases
        let counts = order.map { stats.categories[$0] ?? 0 }
        guard counts.reduce(0, +) > 0 else { return nil }
        let shares = PercentShares.largestRemainder(counts)
        let top = Self.top(order.indices.map { (order[$0], counts[$0], shares[$0]) })
        return CategorySection(top: top.map { CategoryShare(category: $0.0, percent: $0.2) })
    }

    func blockerSection(_ stats: PublishedStats) -> BlockerSection? {
        let order = Blocker.allCases
        let entries = order.map { blocker -> (Blocker, Int, Int) in
            let count = stats.blockers[blocker] ?? 0
            return (blocker, count, PercentShares.percent(count, of: stats.reflections))
        }
        let top = Self.top(entries)
        guard !top.isEmpty else { return nil }
        return BlockerSection(top: top.map { BlockerShare(blocker: $0.0, percent: $0.2) })
    }

    /// The largest `DigestBuilder.topCount` entries with a positive count; ties keep vocabulary order.
    static func top<Key>(_ entries: [(Key, Int, Int)]) -> [(Key, Int, Int)] {
        let indexed = entries.enumerated().filter { $0.element.1 > 0 && $0.element.2 > 0 }
        let sorted = indexed.sorted {
            $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset
        }
        return sorted.prefix(DigestBuilder.topCount).map(\.element)
    }
}
