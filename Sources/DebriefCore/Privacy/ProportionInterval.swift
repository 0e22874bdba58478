import Foundation

/// A confidence interval for a proportion or a difference of proportions, as fractions (0.42, not 42).
///
/// The perception gap compares small groups (a dozen leaders against hundreds of ICs); showing the interval
/// keeps a 20-point gap between 6 leaders and 40 ICs from being read as a finding.
public struct ProportionInterval: Sendable, Equatable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// True when the interval covers `value` (for a difference: 0 means "not a clear difference").
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// The two-sided 95% normal quantile.
    public static let z95 = 1.959963984540054

    /// Wilson's score interval for `successes` out of `trials`.
    ///
    /// Unlike the textbook p ± z·√(p(1−p)/n) it stays inside [0, 1] and does not collapse to a point at 0% or
    /// 100%, which matters for the small groups digests show. Zero trials give [0, 1].
    public static func wilson(successes: Int, trials: Int, z: Double = z95) -> ProportionInterval {
        guard trials > 0 else { return ProportionInterval(lower: 0, upper: 1) }
        let n = Double(trials)
        let p = Double(min(max(successes, 0), trials)) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return ProportionInterval(lower: max(0, centre - half), upper: min(1, centre + half))
    }

    /// Newcombe's hybrid score interval (his method 10) for p₁ − p₂ from two independent groups.
    ///
    /// Built from the two Wilson intervals, so it inherits their good behaviour at small n and extreme shares;
    /// it is more conservative than the Wald interval for a difference.
    public static func newcombeDifference(
        successes1: Int, trials1: Int, successes2: Int, trials2: Int, z: Double = z95
    ) -> ProportionInterval {
        let p1 = trials1 > 0 ? Double(min(max(successes1, 0), trials1)) / Double(trials1) : 0
        let p2 = trials2 > 0 ? Double(min(max(successes2, 0), trials2)) / Double(trials2) : 0
        let w1 = wilson(successes: successes1, trials: trials1, z: z)
        let w2 = wilson(successes: successes2, trials: trials2, z: z)
        let d = p1 - p2
        let below = ((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2)).squareRoot()
        let above = ((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower)).squareRoot()
        return ProportionInterval(lower: max(-1, d - below), upper: min(1, d + above))
    }

    /// In whole percents (or points), rounded outwards so the shown interval is never narrower than the real one.
    public var percentInterval: PercentInterval {
        PercentInterval(
            // The tolerance absorbs binary noise (0.3 × 100 = 30.000000000000004 must stay 30).
            lower: Int((lower * 100 + 1e-9).rounded(.down)), upper: Int((upper * 100 - 1e-9).rounded(.up)))
    }
}
