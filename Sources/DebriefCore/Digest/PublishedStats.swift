import Foundation

/// One visible group's counts as they may be published: noised when noise is configured, clamped so they stay
/// coherent (difference ≤ respondents ≤ reflections, nothing negative, respondents never below k).
struct PublishedStats: Sendable, Equatable {
    var respondents: Int
    var reflections: Int
    var difference: Int
    var outcomes: [Outcome: Int]
    var minutes: [MinutesSaved: Int]
    var confidence: [Int: Int]
    var categories: [TaskCategory: Int]
    var blockers: [Blocker: Int]

    static let confidenceLevels = Array(1...5)

    /// - Parameters:
    ///   - stats: exact counts of a group that the suppression plan lets through.
    ///   - generator: a stream dedicated to this (week, group), so the same cell gets the same noise in every
    ///     digest built from the same seed.
    init(
        _ stats: GroupWeekStats, threshold: Int, noise: GeometricNoise?, generator: inout SeededGenerator
    ) {
        func draw(_ count: Int) -> Int {
            guard let noise else { return max(0, count) }
            return noise.noised(max(0, count), using: &generator)
        }
        /// Noise every key (zeros too, or an exact zero would stand out), but keep an empty histogram empty:
        /// "nobody gave minutes" is a fact about the group, and noise alone would invent a distribution.
        func histogram<Key: Hashable>(_ counts: [Key: Int], order: [Key]) -> [Key: Int] {
            let exactTotal = Histogram.total(counts, order: order)
            var result: [Key: Int] = [:]
            for key in order {
                let value = draw(counts[key] ?? 0)
                if exactTotal > 0 { result[key] = value }
            }
            return result
        }
        respondents = max(threshold, draw(stats.respondents))
        reflections = max(respondents, draw(stats.reflections))
        difference = min(respondents, draw(stats.respondentsReportingDifference))
        outcomes = histogram(stats.outcomeCounts, order: Outcome.allCases)
        minutes = histogram(stats.minutesSavedCounts, order: MinutesSaved.allCases)
        confidence = histogram(stats.confidenceCounts, order: Self.confidenceLevels)
        categories = histogram(stats.categoryCounts, order: TaskCategory.allCases)
        blockers = histogram(stats.blockerCounts, order: Blocker.allCases)
    }

    var differencePercent: Int { PercentShares.percent(difference, of: respondents) }
    var differenceInterval: ProportionInterval {
        ProportionInterval.wilson(successes: difference, trials: respondents)
    }
    var medianMinutes: MinutesSaved? {
        Histogram.quantile(minutes, order: MinutesSaved.allCases, numerator: 1, denominator: 2)
    }
    var medianConfidence: Double? { Histogram.median(levels: confidence, order: Self.confidenceLevels) }
}
