import Foundation

/// Turns a week's aggregated counts into digest documents: the pure heart of the weekly digest.
///
/// Two steps, so that every number published about a week is checked once, as a whole, and never changes:
/// 1. `release(...)` makes the week's `WeekRelease` — suppression plan, structural rules, the
///    `DisclosureAuditor`'s check of everything the week publishes for every group, noise, bucketing and shares
///    at their precision. The server stores it and never recomputes it.
/// 2. `build(...)` renders each audience's `DigestDocument` from the week's release, earlier weeks' releases
///    (trends) and the week's scrubbed free text. Nothing in this step computes a number from exact counts.
///
/// **Across weeks.** Each week's stats cover only that week's reflections, so two weeks are disjoint. Trends
/// show earlier weeks exactly as they were released (a week in which a group was hidden stays hidden, and a
/// person who moved team since does not regroup the past); the participation change is computed from the
/// published ranges alone; cohort funnels move only when at least k more people reflected.
///
/// **Randomness.** Exactly one value is drawn from `random`; it seeds every derived stream. Noise for a count
/// is derived from (seed, week of the data, group), and quote order from (seed, week, audience). Seed the
/// generator from a stable secret (not per call). Noise is drawn once, when a week is released.
///
/// - Important: pass the stats of every group for every week (see `DigestInput`), so that all digests of a week
///   share one release.
public enum DigestBuilder {
    /// Weeks in the participation and perception-gap trends, this week included.
    public static let trendWeeks = 12
    /// Weeks the participation change compares against.
    public static let comparisonWeeks = 4
    /// Categories and blockers listed.
    public static let topCount = 3
    /// Leader notes shown.
    public static let maximumLeaderNotes = 5
    /// Longer quotes and notes are cut at a word boundary with "…".
    public static let maximumTextCharacters = 500

    /// The audited publication of one week.
    ///
    /// - Parameters:
    ///   - stats: every group's exact counts for the week.
    ///   - roster: headcounts per cell now (the reader is assumed to know them).
    ///   - cohorts: training funnels as of now; nil for a week released after the fact (then last published
    ///     funnels are repeated).
    ///   - previous: the latest earlier release (cohort funnels move only by k people at a time).
    ///   - seed: the installation's digest seed.
    ///   - questions: the week's answers to the rotating questions (the expectation gap and themes).
    public static func release(
        week: WeekKey, stats: [DigestGroup: GroupWeekStats], roster: WeekRoster?, cohorts: [TrainingCohortStats]?,
        previous: WeekRelease?, settings: PrivacySettings, seed: UInt64, questions: QuestionWeekInput? = nil
    ) -> WeekRelease {
        ReleaseBuilder.release(
            week: week, stats: stats, roster: roster, cohorts: cohorts, previous: previous, settings: settings,
            seed: seed, questions: questions)
    }

    /// Builds the digest for `input.audience` and `input.week`. Weeks without a release in
    /// `input.releases` are released from `input.stats` on the way.
    public static func build(_ input: DigestInput, random: inout some RandomNumberGenerator) -> DigestDocument {
        var cache = DigestComposer.SharedWork()
        return DigestComposer(input: input, seed: random.next(), cache: &cache).document()
    }

    /// Builds several digests of the same week (the leadership digest and every team digest) at once.
    ///
    /// Each document is exactly what `build(_:random:)` would return for that input with a generator in the same
    /// state: one value is drawn and shared, and releases are made once per week for identical stats.
    public static func build(_ inputs: [DigestInput], random: inout some RandomNumberGenerator) -> [DigestDocument] {
        let seed = random.next()
        return build(inputs, seed: seed)
    }

    /// `build(_:random:)` with the seed already drawn (the server passes its installation seed).
    public static func build(_ inputs: [DigestInput], seed: UInt64) -> [DigestDocument] {
        var cache = DigestComposer.SharedWork()
        return inputs.map { DigestComposer(input: $0, seed: seed, cache: &cache).document() }
    }

    /// `build(_:seed:)` with a scrubber the caller already prepared for `directory`, used by every input with
    /// that directory (others get their own). Preparing a directory of 100,000 names costs about a third of a
    /// second, so the server keeps one per directory instead of preparing it for every batch.
    public static func build(
        _ inputs: [DigestInput], seed: UInt64, scrubber: QuoteScrubber, preparedFor directory: [String]
    ) -> [DigestDocument] {
        var cache = DigestComposer.SharedWork()
        cache.scrubbers = [(directory, scrubber)]
        return inputs.map { DigestComposer(input: $0, seed: seed, cache: &cache).document() }
    }
}
