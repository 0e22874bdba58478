import Foundation

/// Checks one side of an expectation gap (the leaders' or the ICs' answers to one question) the way a reader who
/// knows the rules and the org chart would attack it (`../shared/reference/disclosure.md` §2).
///
/// **Model.** r people answered (r lies in the shown range and is at most the group's headcount); y_c chose
/// choice c; Σ y_c = r. A shown choice's share must re-render, through the production `PublishedPercent.publish`,
/// to exactly what is shown; a hidden choice held fewer than k (the reader knows the rule); and when any choice is
/// hidden, the hidden ones together held at least k (the complementary rule, also known to the reader).
///
/// Every constraint is an integer interval per variable plus one sum, so the feasible values of each variable
/// are exact integer intervals: no relaxation, no search, and nothing to fail open.
///
/// **Protection** (level 1, "not a single point"): every hidden choice's count; for a side shown with fewer
/// than `DisclosureAuditor.smallGroup` people, also the number who answered and every shown count (a range beside
/// shares must fit at least two counts). A finding means: coarsen the side's shares, or hide the side.
struct ChoiceDistributionAuditor: Sendable {
    /// The range shown for the people who answered, capped by the headcount when known.
    var respondents: ClosedRange<Int>
    /// Per choice: the shown share, or nil when hidden.
    var shares: [PublishedPercent?]
    var precision: SharePrecision
    var threshold: Int

    /// The quantities pinned down (empty: safe), named for tests and logs (no counts).
    func findings() -> [String] {
        let k = max(1, threshold)
        let hidden = shares.indices.filter { shares[$0] == nil }
        var feasible: [Int: Set<Int>] = [:]
        var feasibleR = Set<Int>()
        var hiddenValues: [Int: Set<Int>] = [:]
        for r in respondents {
            var intervals: [Int: ClosedRange<Int>] = [:]
            var possible = true
            for index in shares.indices {
                guard let share = shares[index] else { continue }
                guard let range = share.numerators(of: r, precision: precision) else {
                    possible = false
                    break
                }
                intervals[index] = range
            }
            guard possible else { continue }
            let shownLow = intervals.values.reduce(0) { $0 + $1.lowerBound }
            let shownHigh = intervals.values.reduce(0) { $0 + $1.upperBound }
            // The hidden total H = r − shown sum, with H in [k, |hidden|·(k−1)] when anything is hidden.
            let hiddenCap = hidden.count * (k - 1)
            let hiddenLow = hidden.isEmpty ? 0 : k
            let lowH = max(hiddenLow, r - shownHigh)
            let highH = min(hiddenCap, r - shownLow)
            guard lowH <= highH else { continue }
            feasibleR.insert(r)
            for (index, range) in intervals {
                // y_index = r − H − (the other shown), over every feasible H and others.
                let othersLow = shownLow - range.lowerBound
                let othersHigh = shownHigh - range.upperBound
                let low = max(range.lowerBound, r - highH - othersHigh)
                let high = min(range.upperBound, r - lowH - othersLow)
                guard low <= high else { continue }
                feasible[index, default: []].formUnion(low...high)
            }
            for index in hidden {
                let low = max(0, lowH - (hidden.count - 1) * (k - 1))
                let high = min(k - 1, highH)
                guard low <= high else { continue }
                hiddenValues[index, default: []].formUnion(low...high)
            }
        }
        var findings: [String] = []
        guard !feasibleR.isEmpty else { return ["the publication does not match the data it was made from"] }
        for index in hidden where (hiddenValues[index]?.count ?? 0) < 2 {
            findings.append("hidden choice \(index) pinned")
        }
        if respondents.lowerBound < DisclosureAuditor.smallGroup {
            if feasibleR.count < 2 { findings.append("respondents pinned") }
            for index in shares.indices where shares[index] != nil && (feasible[index]?.count ?? 0) < 2 {
                findings.append("choice \(index) pinned")
            }
        }
        return findings
    }
}
