import Foundation

/// A count shown as a range ("10–19") instead of a number.
///
/// Exact small counts invite subtraction across groups and weeks ("last week 11, this week 12: who joined?").
/// Ranges roughly double in width, so a reader learns the order of magnitude and nothing finer. The lowest range
/// starts at the anonymity threshold k; below k there is no bucket at all.
/// - Important: build buckets only through `CountBucket.bucket(for:threshold:)`, which refuses counts below k.
public struct CountBucket: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Smallest count in the range.
    public var lowerBound: Int
    /// Largest count in the range, inclusive; nil for the open top range ("1000+").
    public var upperBound: Int?
    /// The label readers see, e.g. "5–9", "100–199", "1000+".
    public var label: String

    public init(lowerBound: Int, upperBound: Int?, label: String) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.label = label
    }

    public var description: String { label }

    /// Range starts above the threshold. The first range starts at k itself.
    public static let edges = [10, 20, 50, 100, 200, 500, 1000]

    /// The range containing `count`, or nil when `count` is below `threshold` (nothing may be shown).
    ///
    /// A noised count that fell below k while the exact count is at least k is the caller's business: pass
    /// `max(noised, k)` so the reader still sees the lowest range.
    public static func bucket(for count: Int, threshold: Int) -> CountBucket? {
        let k = max(1, threshold)
        guard count >= k else { return nil }
        let lowers = [k] + edges.filter { $0 > k }
        var index = 0
        while index + 1 < lowers.count, count >= lowers[index + 1] { index += 1 }
        let lower = lowers[index]
        if index + 1 < lowers.count {
            let upper = lowers[index + 1] - 1
            let label = lower == upper ? "\(lower)" : "\(lower)\u{2013}\(upper)"
            return CountBucket(lowerBound: lower, upperBound: upper, label: label)
        }
        return CountBucket(lowerBound: lower, upperBound: nil, label: "\(lower)+")
    }
}
