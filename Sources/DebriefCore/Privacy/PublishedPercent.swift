import Foundation

/// How finely a share may be published, decided from what is already published about its group (the range
/// of respondents), never from the exact count — otherwise the choice itself would tell the reader something.
///
/// The finer the share, the fewer counts fit beside a range: below 100 respondents a whole percent next to a
/// known count is the count itself ("5–9 people: 83%" fits 5 of 6 only). So:
/// - `whole` (the range starts at 100 or above): whole percents, except that anything up to 5 % is shown as
///   "0–5%" and anything from 95 % as "95–100%", so "nobody" and "everybody" (group attribute disclosure) are
///   never stated outright.
/// - `tens` (20–99): ten-point bands around the nearest ten ("55–64%"), with "under 15%" and "85% or more"
///   at the ends. One person more or fewer rarely changes the band, and the end bands always include one
///   person more than nobody and one fewer than everybody.
/// - `quarters` (below 20): "under 25%", "25–49%", "50–74%", "75% or more". With 5 or more respondents every
///   quarter holds at least two numerators for every count in the range, and the end quarters always include
///   "one person more" or "one person fewer" than nobody or everybody.
public enum SharePrecision: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case whole
    case tens
    case quarters

    /// Groups whose published range starts below this many respondents get `quarters`.
    public static let tensFrom = 20
    /// Groups whose published range starts at or above this many respondents get `whole` percents.
    public static let wholePercentFrom = 100

    /// The precision for a group shown with `bucket`.
    public static func forGroup(shownAs bucket: CountBucket) -> SharePrecision {
        forGroup(atLeast: bucket.lowerBound)
    }

    /// The precision for shares whose denominator is the whole of a group of `lowerBound` or more.
    public static func forGroup(atLeast lowerBound: Int) -> SharePrecision {
        lowerBound >= wholePercentFrom ? .whole : lowerBound >= tensFrom ? .tens : .quarters
    }

    /// The coarser of two precisions.
    public func coarsened(to other: SharePrecision) -> SharePrecision {
        Self.allCases.firstIndex(of: self) ?? 0 >= Self.allCases.firstIndex(of: other) ?? 0 ? self : other
    }

    /// The next coarser precision, or nil for the coarsest.
    public var coarser: SharePrecision? {
        switch self {
        case .whole: .tens
        case .tens: .quarters
        case .quarters: nil
        }
    }
}

/// A share as readers see it: an exact whole percent (`lower == upper`) or a band of percents.
///
/// Every share a digest shows is made by `PublishedPercent.publish(_:of:precision:)`, and the disclosure
/// auditor checks candidate worlds by calling the same function, so what is audited is byte for byte what
/// is shown.
public struct PublishedPercent: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Inclusive lower end, in percent.
    public var lower: Int
    /// Inclusive upper end, in percent.
    public var upper: Int

    public init(lower: Int, upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    /// An exact whole percent.
    public static func exactly(_ percent: Int) -> PublishedPercent { PublishedPercent(lower: percent, upper: percent) }

    /// True for a single whole percent.
    public var isExact: Bool { lower == upper }

    /// A representative value for charts and for the difference of two shares: the exact value, or the
    /// middle of the band.
    public var midpoint: Int { (lower + upper) / 2 }

    /// "42%", "0–5%", "55–64%", "under 15%", "85% or more", "under 25%", "25–49%", "75% or more".
    public var label: String {
        if isExact { return "\(lower)%" }
        if lower == 0 && upper != 5 { return "under \(upper + 1)%" }
        if upper == 100 && lower != 95 { return "\(lower)% or more" }
        return "\(lower)\u{2013}\(upper)%"
    }

    public var description: String { label }

    /// `part` of `whole` at `precision`. `whole` of 0 publishes 0 % (callers never show a share of nobody).
    ///
    /// - Important: the only way a share is made for publication; the auditor re-renders candidate worlds
    ///   through it.
    public static func publish(_ part: Int, of whole: Int, precision: SharePrecision) -> PublishedPercent {
        guard whole > 0 else { return .exactly(0) }
        let clamped = min(max(part, 0), whole)
        switch precision {
        case .whole:
            let percent = PercentShares.percent(clamped, of: whole)
            if percent <= 5 { return PublishedPercent(lower: 0, upper: 5) }
            if percent >= 95 { return PublishedPercent(lower: 95, upper: 100) }
            return .exactly(percent)
        case .tens:
            // The nearest ten, rounded half up: (20·part + whole) / (2·whole) tens.
            let tens = (20 * clamped + whole) / (2 * whole)
            if tens <= 1 { return PublishedPercent(lower: 0, upper: 14) }
            if tens >= 9 { return PublishedPercent(lower: 85, upper: 100) }
            return PublishedPercent(lower: 10 * tens - 5, upper: 10 * tens + 4)
        case .quarters:
            // 4·part / whole without overflow for any realistic count (parts and wholes are people, < 2^40).
            let quarter = min(3, (4 * clamped) / whole)
            return quarter == 3
                ? PublishedPercent(lower: 75, upper: 100)
                : PublishedPercent(lower: 25 * quarter, upper: 25 * quarter + 24)
        }
    }

    /// The shares of `counts` (one distribution) at `precision`: whole percents by the largest-remainder
    /// method (so exact shares add up to 100), with the same extreme bands as `publish`; quarters per entry.
    public static func distribution(_ counts: [Int], precision: SharePrecision) -> [PublishedPercent] {
        let total = counts.reduce(0) { $0 + max(0, $1) }
        switch precision {
        case .whole:
            return PercentShares.largestRemainder(counts).map { percent in
                if total == 0 { return .exactly(0) }
                if percent <= 5 { return PublishedPercent(lower: 0, upper: 5) }
                if percent >= 95 { return PublishedPercent(lower: 95, upper: 100) }
                return .exactly(percent)
            }
        case .tens, .quarters:
            return counts.map { publish($0, of: total, precision: precision) }
        }
    }

    /// The smallest and largest numerator `y` with `publish(y, of: whole, precision:) == self`, or nil when
    /// none does. `publish` is monotone in the numerator, so these bound an interval.
    public func numerators(of whole: Int, precision: SharePrecision) -> ClosedRange<Int>? {
        guard whole >= 0 else { return nil }
        func key(_ y: Int) -> Int {
            let value = PublishedPercent.publish(y, of: whole, precision: precision)
            return value.lower * 1000 + value.upper
        }
        let target = lower * 1000 + upper
        // First y with key(y) >= target.
        var low = 0
        var high = whole + 1
        while low < high {
            let middle = (low + high) / 2
            if key(middle) >= target { high = middle } else { low = middle + 1 }
        }
        let first = low
        guard first <= whole, key(first) == target else { return nil }
        // First y with key(y) > target.
        low = first
        high = whole + 1
        while low < high {
            let middle = (low + high) / 2
            if key(middle) > target { high = middle } else { low = middle + 1 }
        }
        return first...(low - 1)
    }
}

extension PublishedPercent: ExpressibleByIntegerLiteral {
    /// An exact whole percent, so fixtures and tests can write `42` for "42%".
    public init(integerLiteral value: Int) { self = .exactly(value) }
}
