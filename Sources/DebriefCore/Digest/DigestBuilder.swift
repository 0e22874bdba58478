import Foundation

/// Turns one week's aggregated counts into the digest document: the pure heart of the weekly digest.
///
/// Everything privacy-relevant happens here, before any renderer sees a number: the suppression plan of each
/// week (k-anonymity plus complementary suppression, `SuppressionPlan`), optional geometric noise, bucketing of
/// counts, whole-percent shares, the k_quotes rule and scrubbing of quotes and leader notes.
///
/// **Week-over-week differencing.** Each week's stats cover only that week's reflections, so two weeks are
/// disjoint and subtracting them isolates nobody's answer. What remains is comparing *published* numbers of a
/// group across weeks: counts only ever appear as ranges ("10–19") and shares as whole percents, trends reuse
/// the same ranges, so "11 last week, 12 this week" is never visible. A week in which a group was hidden stays
/// hidden in every later trend (its point is nil), and the participation change against the previous four weeks
/// is shown only when *all* four were visible for that group — a group that crosses k for the first time (4, then
/// 5 respondents) shows its range but no change, because a change would reveal the hidden weeks. The perception
/// gap trend only has weeks where both sides were visible.
///
/// **Randomness.** Exactly one value is drawn from `random`; it seeds every derived stream. Noise for a count
/// is derived from (seed, week of the data, group), and quote order from (seed, week, audience). Seed the
/// generator from a stable secret (not per call): then a count published in the leadership digest, a team
/// digest, and as a trend point in later weeks always carries the *same* noise, and cannot be averaged away.
///
/// - Important: pass the stats of every group for every week (see `DigestInput`), so that all digests of a week
///   share one suppression pattern.
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

    /// Builds the digest for `input.audience` and `input.week`.
    public static func build(_ input: DigestInput, random: inout some RandomNumberGenerator) -> DigestDocument {
        var cache = DigestComposer.SharedWork()
        return DigestComposer(input: input, seed: random.next(), cache: &cache).document()
    }

    /// Builds several digests of the same week (the leadership digest and every team digest) at once.
    ///
    /// Each document is exactly what `build(_:random:)` would return for that input with a generator in the same
    /// state: one value is drawn and shared, so a count shown in two digests carries the same noise. Suppression
    /// plans are computed once per week and reused for inputs whose stats of that week are identical — which is
    /// what makes all team digests of a large organisation cheap.
    public static func build(_ inputs: [DigestInput], random: inout some RandomNumberGenerator) -> [DigestDocument] {
        let seed = random.next()
        var cache = DigestComposer.SharedWork()
        return inputs.map { DigestComposer(input: $0, seed: seed, cache: &cache).document() }
    }
}
