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
        return wilson(proportion: Double(min(max(successes, 0), trials)) / Double(trials), trials: trials, z: z)
    }

    /// Wilson's score interval for an observed proportion `proportion` (0...1) among `trials`.
    public static func wilson(proportion: Double, trials: Int, z: Double = z95) -> ProportionInterval {
        guard trials > 0, proportion.isFinite else { return ProportionInterval(lower: 0, upper: 1) }
        let n = Double(trials)
        let p = min(max(proportion, 0), 1)
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
            // A NaN bound (only from a NaN `z`) widens to the whole range instead of trapping.
            lower: Int.rounding(lower * 100 + 1e-9, .down) ?? -100, upper: Int.rounding(upper * 100 - 1e-9, .up) ?? 100)
    }

    /// An interval for a share as it is shown: at least `trials` respondents and a published share
    /// (`published` at `precision`). Wilson's interval at the lowest share the published value allows and at
    /// the highest, both with the fewest respondents the range allows (where intervals are widest) — so it is
    /// computed from what is shown alone and never narrower than the interval of any count consistent with it.
    public static func shown(_ published: PublishedPercent, precision: SharePrecision, atLeast trials: Int)
        -> ProportionInterval
    {
        let bounds = published.fractionBounds(precision: precision)
        return ProportionInterval(
            lower: wilson(proportion: bounds.lower, trials: trials).lower,
            upper: wilson(proportion: bounds.upper, trials: trials).upper)
    }

    /// Newcombe's interval for the difference of two shares as shown (see `shown`): the lower end with the
    /// first share at its lowest and the second at its highest, the upper end the other way round.
    public static func shownDifference(
        _ first: PublishedPercent, precision firstPrecision: SharePrecision, atLeast firstTrials: Int,
        minus second: PublishedPercent, precision secondPrecision: SharePrecision, atLeast secondTrials: Int
    ) -> ProportionInterval {
        let a = first.fractionBounds(precision: firstPrecision)
        let b = second.fractionBounds(precision: secondPrecision)
        func newcombe(_ p1: Double, _ p2: Double) -> ProportionInterval {
            let w1 = wilson(proportion: p1, trials: firstTrials)
            let w2 = wilson(proportion: p2, trials: secondTrials)
            let d = p1 - p2
            let below = ((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2)).squareRoot()
            let above = ((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower)).squareRoot()
            return ProportionInterval(lower: max(-1, d - below), upper: min(1, d + above))
        }
        return ProportionInterval(
            lower: newcombe(a.lower, b.upper).lower, upper: newcombe(a.upper, b.lower).upper)
    }
}

extension PublishedPercent {
    /// The shares (0...1) a published value stands for: a whole percent p covers [p − 0.5, p + 0.5) %, a band
    /// its ends (extended by the same half point for whole-percent bands).
    func fractionBounds(precision: SharePrecision) -> (lower: Double, upper: Double) {
        switch precision {
        case .whole, .tens:
            return (max(0, (Double(lower) - 0.5) / 100), min(1, (Double(upper) + 0.5) / 100))
        case .quarters:
            return (Double(lower) / 100, min(1, (Double(upper) + 1) / 100))
        }
    }
}
