import Foundation

/// The knobs of the anonymity promise, set by an admin and stated in every digest footer.
///
/// Defaults follow common practice in employee-survey tools: 5 respondents before any number, 10 before any
/// free-text quote, at most five quotes, no noise unless configured.
/// - Important: thresholds below 2 are raised to 2 when applied; a "group" of one is a person.
public struct PrivacySettings: Sendable, Equatable, Codable {
    /// k: the minimum number of distinct respondents a group needs before anything about it is shown.
    public var k: Int
    /// The minimum number of distinct respondents a group needs before a quote from it is shown.
    public var kQuotes: Int
    /// When set, two-sided geometric noise with this epsilon is added to every published count before
    /// bucketing and shares.
    public var noiseEpsilon: Double?
    /// At most this many quotes per digest.
    public var maximumQuotes: Int

    public init(k: Int = 5, kQuotes: Int = 10, noiseEpsilon: Double? = nil, maximumQuotes: Int = 5) {
        self.k = k
        self.kQuotes = kQuotes
        self.noiseEpsilon = noiseEpsilon
        self.maximumQuotes = maximumQuotes
    }

    /// k as applied: never below 2.
    public var effectiveK: Int { max(2, k) }
    /// The quote threshold as applied: never below `effectiveK`.
    public var effectiveKQuotes: Int { max(effectiveK, kQuotes) }
    /// The epsilon as applied: nil unless finite and positive.
    public var effectiveEpsilon: Double? {
        guard let noiseEpsilon, noiseEpsilon.isFinite, noiseEpsilon > 0 else { return nil }
        return noiseEpsilon
    }
}
