import Foundation

/// Order statistics over bucketed counts, the only way the digest summarises distributions.
///
/// Quantiles of ordinal buckets are taken as "the bucket holding the value at rank ⌈q·n⌉" (so an even count
/// takes the lower middle, never overstating minutes saved). Confidence levels are numbers, so their median is
/// the conventional one (a half when the two middle answers differ).
enum Histogram {
    static func total<Key: Hashable>(_ counts: [Key: Int], order: [Key]) -> Int {
        order.reduce(0) { $0 + max(0, counts[$1] ?? 0) }
    }

    /// The bucket holding the value at rank ⌈numerator/denominator · n⌉ (at least 1); nil for an empty histogram.
    static func quantile<Key: Hashable>(_ counts: [Key: Int], order: [Key], numerator: Int, denominator: Int) -> Key? {
        let total = total(counts, order: order)
        guard total > 0, denominator > 0 else { return nil }
        let rank = max(1, (numerator * total + denominator - 1) / denominator)
        return value(atRank: rank, counts, order: order)
    }

    /// The key holding the 1-based `rank`-th value.
    static func value<Key: Hashable>(atRank rank: Int, _ counts: [Key: Int], order: [Key]) -> Key? {
        var cumulative = 0
        for key in order {
            cumulative += max(0, counts[key] ?? 0)
            if cumulative >= rank { return key }
        }
        return nil
    }

    /// The conventional median of numeric levels; nil for an empty histogram.
    static func median(levels counts: [Int: Int], order: [Int]) -> Double? {
        let total = total(counts, order: order)
        guard total > 0 else { return nil }
        if total % 2 == 1 {
            return value(atRank: (total + 1) / 2, counts, order: order).map(Double.init)
        }
        guard let low = value(atRank: total / 2, counts, order: order),
            let high = value(atRank: total / 2 + 1, counts, order: order)
        else { return nil }
        return Double(low + high) / 2
    }
}
