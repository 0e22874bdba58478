import DebriefCore
import Foundation

/// Builds digest inputs the way the store does: from (team, role) cells summed into every group.
enum DigestFixtures {
    /// 2026-W47 (Monday 16 November 2026).
    static let week =
        WeekKey("2026-W47") ?? WeekKey(containing: Date(timeIntervalSince1970: 1_795_003_200), in: .current)

    static func week(offset: Int) -> WeekKey {
        WeekKey(containing: week.monday.adding(days: 7 * offset))
    }

    /// One (team, role) cell of one week.
    struct Cell {
        var team: String?
        var role: RoleLevel
        var respondents: Int
        /// Of the respondents; defaults to about 60%.
        var difference: Int? = nil
    }

    /// A cell's stats with a plausible spread: every respondent reflected once, with an outcome, minutes,
    /// confidence and category, and `difference` of them reported a real difference.
    static func cellStats(_ cell: Cell) -> GroupWeekStats {
        let n = cell.respondents
        let difference = min(n, cell.difference ?? (n * 6 / 10))
        let none = n - difference
        return GroupWeekStats(
            respondents: n, reflections: n,
            outcomeCounts: [.savedTime: difference, .noDifference: none],
            respondentsReportingDifference: difference,
            minutesSavedCounts: [.upTo30: difference, .none: none],
            confidenceCounts: [4: difference, 3: none],
            categoryCounts: [.drafting: n],
            blockerCounts: none > 0 ? [.noTime: none] : [:])
    }

    static func add(_ stats: GroupWeekStats, into total: inout GroupWeekStats) {
        total.respondents += stats.respondents
        total.reflections += stats.reflections
        total.respondentsReportingDifference += stats.respondentsReportingDifference
        for (key, value) in stats.outcomeCounts { total.outcomeCounts[key, default: 0] += value }
        for (key, value) in stats.minutesSavedCounts { total.minutesSavedCounts[key, default: 0] += value }
        for (key, value) in stats.confidenceCounts { total.confidenceCounts[key, default: 0] += value }
        for (key, value) in stats.categoryCounts { total.categoryCounts[key, default: 0] += value }
        for (key, value) in stats.blockerCounts { total.blockerCounts[key, default: 0] += value }
    }

    /// Every group of one week, summed from cells like `DigestInputAssembler` does.
    static func groups(_ cells: [Cell]) -> [DigestGroup: GroupWeekStats] {
        var result: [DigestGroup: GroupWeekStats] = [:]
        for cell in cells {
            let stats = cellStats(cell)
            var groups: [DigestGroup] = [.organisation, .role(cell.role)]
            if let team = cell.team { groups += [.team(team), .teamRole(team, cell.role)] }
            for group in groups { add(stats, into: &result[group, default: GroupWeekStats()]) }
        }
        return result
    }

    /// The same cells in this week and the `history` weeks before it.
    static func steady(_ cells: [Cell], history: Int = 4) -> [WeekKey: [DigestGroup: GroupWeekStats]] {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for offset in -history...0 { stats[week(offset: offset)] = groups(cells) }
        return stats
    }

    /// Org of 30: Platform 4 (the small team), Sales 6, Support 20; leaders 6, managers 3, ICs 21.
    static let orgOf30: [Cell] = [
        Cell(team: "Platform", role: .ic, respondents: 4),
        Cell(team: "Sales", role: .leader, respondents: 1),
        Cell(team: "Sales", role: .manager, respondents: 1),
        Cell(team: "Sales", role: .ic, respondents: 4),
        Cell(team: "Support", role: .leader, respondents: 5),
        Cell(team: "Support", role: .manager, respondents: 2),
        Cell(team: "Support", role: .ic, respondents: 13),
    ]

    static func input(
        _ audience: DigestAudience = .leadership, stats: [WeekKey: [DigestGroup: GroupWeekStats]],
        settings: PrivacySettings = PrivacySettings(), cohorts: [TrainingCohortStats] = [],
        quotes: [QuoteCandidate] = [], notes: [LeaderNote] = [], names: [String] = []
    ) -> DigestInput {
        DigestInput(
            audience: audience, week: week, stats: stats, cohorts: cohorts, quoteCandidates: quotes,
            leaderNotes: notes, directoryNames: names, settings: settings)
    }

    static func build(_ input: DigestInput, seed: UInt64 = 42) -> DigestDocument {
        var generator = SeededGenerator(seed: seed)
        return DigestBuilder.build(input, random: &generator)
    }

    /// Every string a reader could see, for "does not appear anywhere" assertions.
    /// Throws rather than returning "" when encoding fails, so a "does not contain" check cannot pass vacuously.
    static func visibleText(_ document: DigestDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
