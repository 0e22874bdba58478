extension Int {
    /// `value` rounded by `rule`, or nil when it is NaN, infinite or larger than 2^53 in magnitude.
    ///
    /// Why: `Int(someDouble)` traps on NaN, infinity and anything beyond `Int.max`, so every conversion of a
    /// computed or configured Double for display goes through here and falls back to something harmless.
    /// Beyond 2^53 a Double has no fractional part to round anyway.
    static func rounding(_ value: Double, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int? {
        let rounded = value.rounded(rule)
        guard rounded.isFinite, abs(rounded) <= 9_007_199_254_740_992 else { return nil }
        return Int(rounded)
    }
}
