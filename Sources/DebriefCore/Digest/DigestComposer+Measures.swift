import Foundation

extension DigestComposer {
    // MARK: - Participation

    /// Participation from the releases: this week's range, the trend of earlier weeks' published ranges,
    /// and a change computed from those published ranges only (the middle of each range), so it adds nothing
    /// a reader of the trend could not work out.
    func participationSection(
        current: CountBucket, reflections: CountBucket?, suppressed: inout [SuppressedSection]
    ) -> ParticipationSection {
        let week = input.week
        let previous = (1...DigestBuilder.comparisonWeeks).map { week.adding(weeks: -$0) }
        let earlier = previous.map { shown(scope, in: $0)?.respondents }
        var change: ParticipationChange?
        if earlier.allSatisfy({ $0 != nil }) {
            let values = earlier.compactMap { $0.map(Self.representative) }
            let average = values.reduce(0, +) / Double(max(1, values.count))
            change = Self.change(current: Self.representative(current), average: average)
        } else {
            suppressed.append(
                SuppressedSection(
                    section: .participation, reason: .earlierWeeksHidden,
                    message: "No change against the previous four weeks is shown: "
                        + "not all of those weeks had enough answers to show."))
        }
        let trend = window.map { point in
            ParticipationPoint(week: point, respondents: shown(scope, in: point)?.respondents)
        }
        return ParticipationSection(
            respondents: current, reflections: reflections ?? current, change: change, trend: trend)
    }

    /// The middle of a published range (its lower end for the open top range).
    static func representative(_ bucket: CountBucket) -> Double {
        guard let upper = bucket.upperBound else { return Double(bucket.lowerBound) }
        return Double(bucket.lowerBound + upper) / 2
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
}
