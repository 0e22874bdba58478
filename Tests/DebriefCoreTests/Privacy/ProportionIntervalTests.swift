import DebriefCore
import Testing

@Suite("Confidence intervals for shares and gaps")
struct ProportionIntervalTests {
    /// Published values: Wilson (1927) as tabulated by Newcombe (1998), Statistics in Medicine 17:857–872,
    /// and the textbook 7/10 case.
    @Test(
        "Wilson 95% intervals match published values",
        arguments: [
            (7, 10, 0.3968, 0.8922),
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0000, 0.1611),
            (1, 29, 0.0061, 0.1718),
            (6, 20, 0.1455, 0.5190),
        ])
    func wilson(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = ProportionInterval.wilson(successes: successes, trials: trials)
        #expect(abs(interval.lower - lower) < 0.0001)
        #expect(abs(interval.upper - upper) < 0.0001)
    }

    @Test("Wilson never leaves [0, 1] and zero trials mean no information")
    func wilsonBounds() {
        #expect(ProportionInterval.wilson(successes: 0, trials: 0) == ProportionInterval(lower: 0, upper: 1))
        let all = ProportionInterval.wilson(successes: 5, trials: 5)
        #expect(all.upper == 1 && all.lower > 0.5)
    }

    @Test("Newcombe's hybrid interval matches his worked example 56/70 − 48/80")
    func newcombe() {
        let interval = ProportionInterval.newcombeDifference(successes1: 56, trials1: 70, successes2: 48, trials2: 80)
        #expect(abs(interval.lower - 0.0524) < 0.0001)
        #expect(abs(interval.upper - 0.3339) < 0.0001)
    }

    @Test("shown intervals are rounded outwards: 7/10 is 39–90%, never narrower than the real one")
    func outwardRounding() {
        #expect(
            ProportionInterval.wilson(successes: 7, trials: 10).percentInterval == PercentInterval(lower: 39, upper: 90)
        )
        #expect(
            ProportionInterval.wilson(successes: 0, trials: 20).percentInterval == PercentInterval(lower: 0, upper: 17))
    }
}

@Suite("Whole-percent shares and count ranges")
struct PercentSharesTests {
    @Test(
        "largest remainder sums to 100 and gives the leftover points to the largest remainders",
        arguments: [
            ([5, 3, 1, 2, 1], [42, 25, 8, 17, 8]),
            ([1, 1, 1], [34, 33, 33]),
            ([2, 1], [67, 33]),
            ([0, 0], [0, 0]),
            ([7, 0, 0], [100, 0, 0]),
        ])
    func largestRemainder(counts: [Int], expected: [Int]) {
        #expect(PercentShares.largestRemainder(counts) == expected)
    }

    @Test(
        "single shares round half up",
        arguments: [(7, 10, 70), (1, 8, 13), (1, 3, 33), (2, 3, 67), (0, 0, 0), (5, 4, 100)])
    func percent(part: Int, whole: Int, expected: Int) {
        #expect(PercentShares.percent(part, of: whole) == expected)
    }

    @Test(
        "counts become ranges, and there is no range below k",
        arguments: [
            (4, nil), (5, "5–9"), (9, "5–9"), (10, "10–19"), (19, "10–19"), (20, "20–49"), (49, "20–49"),
            (50, "50–99"), (99, "50–99"), (100, "100–199"), (250, "200–499"), (999, "500–999"), (1000, "1000+"),
            (12_000, "1000+"),
        ] as [(Int, String?)])
    func buckets(count: Int, label: String?) {
        #expect(CountBucket.bucket(for: count, threshold: 5)?.label == label)
    }

    @Test("the lowest range starts at a custom k")
    func customK() {
        #expect(CountBucket.bucket(for: 8, threshold: 8)?.label == "8–9")
        #expect(CountBucket.bucket(for: 13, threshold: 12)?.label == "12–19")
        #expect(CountBucket.bucket(for: 7, threshold: 8) == nil)
    }
}
