import Foundation

/// Whole-percent rounding for what digests show.
///
/// Shares are rounded to whole percents so week-over-week and group-to-group comparisons cannot be turned back
/// into exact counts of one person, and a breakdown sums to exactly 100 so readers are not puzzled by 99 or 101.
public enum PercentShares {
    /// `part / whole` in whole percent, rounded half up; 0 when `whole` is 0. Clamped to 0...100.
    public static func percent(_ part: Int, of whole: Int) -> Int {
        guard whole > 0 else { return 0 }
        let clamped = min(max(part, 0), whole)
        return (200 * clamped + whole) / (2 * whole)
    }

    /// Shares of `counts` in whole percents summing to exactly 100 (largest-remainder method; ties go to the
    /// earlier entry). All zeros when the counts sum to 0.
    public static func largestRemainder(_ counts: [Int]) -> [Int] {
        let clamped = counts.map { max(0, $0) }
        let total = clamped.reduce(0, +)
        guard total > 0 else { return clamped.map { _ in 0 } }
        var shares = clamped.map { 100 * $0 / total }
        let remainders = clamped.map { (100 * $0) % total }
        var missing = 100 - shares.reduce(0, +)
        let order = remainders.indices.sorted {
            remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1
        }
        for index in order where missing > 0 {
            shares[index] += 1
            missing -= 1
        }
        return shares
    }
}
