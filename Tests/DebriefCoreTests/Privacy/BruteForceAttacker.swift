import Foundation

@testable import DebriefCore

/// The ground-truth attacker of `../shared/reference/disclosure.md` §6: a reader who knows the roster (who is
/// in which team and role), k and every rule, and reads a week's whole publication. It enumerates every
/// world consistent with the roster — in each cell, how many people reflected and how many of them reported a
/// real difference — re-runs the production release for each world and keeps the worlds that publish exactly
/// what the true world publishes. Whatever is the same in every kept world is known to the reader.
///
/// People in one cell are interchangeable to this reader, so worlds are enumerated per cell (respondents,
/// yes), which is exact and far smaller than 3ᴺ person-by-person worlds.
struct BruteForceAttacker {
    struct World: Hashable {
        var cells: [AtomKey: Counts]
    }

    struct Counts: Hashable {
        var respondents: Int
        var yes: Int
    }

    /// A small organisation: people per cell and what they did this week.
    struct Organisation: CustomStringConvertible {
        var roster: [AtomKey: Int]
        var truth: [AtomKey: Counts]
        var k: Int

        var description: String {
            roster.keys.sorted().map { key in
                let counts = truth[key] ?? Counts(respondents: 0, yes: 0)
                return
                    "\(key.team ?? "-")/\(key.role.rawValue): \(counts.respondents)/\(roster[key] ?? 0) yes \(counts.yes)"
            }.joined(separator: ", ") + " k=\(k)"
        }

        var weekRoster: WeekRoster {
            WeekRoster(cells: roster.map { WeekRoster.Cell(team: $0.key.team, role: $0.key.role, people: $0.value) })
        }
    }

    static let week = DigestFixtures.week

    /// Every group's stats for a world: each respondent reflected once; "yes" people saved time, the others
    /// saw no difference; everyone named a category (so distributions have people behind them too).
    static func stats(_ cells: [AtomKey: Counts]) -> [DigestGroup: GroupWeekStats] {
        var result: [DigestGroup: GroupWeekStats] = [:]
        for (key, counts) in cells {
            let cell = GroupWeekStats(
                respondents: counts.respondents, reflections: counts.respondents,
                outcomeCounts: [.savedTime: counts.yes, .noDifference: counts.respondents - counts.yes],
                respondentsReportingDifference: counts.yes,
                categoryCounts: [.drafting: counts.respondents],
                answeredBy: [
                    .outcome: counts.respondents, .category: counts.respondents, .minutesSaved: 0, .confidence: 0,
                ])
            var groups: [DigestGroup] = [.organisation, .role(key.role)]
            if let team = key.team { groups += [.team(team), .teamRole(team, key.role)] }
            for group in groups {
                var total = result[group] ?? GroupWeekStats(answeredBy: [:])
                total.respondents += cell.respondents
                total.reflections += cell.reflections
                total.respondentsReportingDifference += cell.respondentsReportingDifference
                for (outcome, count) in cell.outcomeCounts { total.outcomeCounts[outcome, default: 0] += count }
                for (category, count) in cell.categoryCounts { total.categoryCounts[category, default: 0] += count }
                var answered = total.answeredBy ?? [:]
                for (question, count) in cell.answeredBy ?? [:] { answered[question, default: 0] += count }
                total.answeredBy = answered
                result[group] = total
            }
        }
        return result
    }

    static func release(_ cells: [AtomKey: Counts], organisation: Organisation) -> WeekRelease {
        DigestBuilder.release(
            week: week, stats: stats(cells), roster: organisation.weekRoster, cohorts: nil, previous: nil,
            settings: PrivacySettings(k: organisation.k, kQuotes: organisation.k), seed: 7)
    }

    /// Every world the roster allows.
    static func worlds(_ roster: [AtomKey: Int]) -> [World] {
        var worlds: [[AtomKey: Counts]] = [[:]]
        for (key, people) in roster.sorted(by: { $0.key < $1.key }) {
            var next: [[AtomKey: Counts]] = []
            for world in worlds {
                for respondents in 0...people {
                    for yes in 0...respondents {
                        var extended = world
                        extended[key] = Counts(respondents: respondents, yes: yes)
                        next.append(extended)
                    }
                }
            }
            worlds = next
        }
        return worlds.map(World.init)
    }

    /// What the reader re-runs for each candidate world.
    enum Reader {
        /// The whole production release, audit and remedies included: the reader learns from *which* remedies
        /// were applied too (disclosure.md §6, the ground truth).
        case rerunsPipeline
        /// The published strings under the truth's own suppression and remedies: every world that renders the
        /// same ranges, shares and reasons (a hidden group's reason follows from the roster, so it says nothing).
        /// The auditor's model, which it checks more strictly still (it also assumes the reader knows which
        /// hidden groups had fewer than k).
        case readsNumbers
    }

    /// The worlds a reader cannot tell apart from the truth.
    static func indistinguishable(from organisation: Organisation, reader: Reader = .rerunsPipeline) -> [World] {
        let published = release(organisation.truth, organisation: organisation).groups
        let settings = PrivacySettings(k: organisation.k, kQuotes: organisation.k)
        let truthStats = stats(organisation.truth)
        let truthTable = DisclosureTable(
            cells: SuppressionPlan.cells(of: truthStats), roster: organisation.weekRoster, present: Set(truthStats.keys)
        )
        let settled = ReleaseBuilder.settle(table: truthTable, stats: truthStats, k: organisation.k)
        func rendered(_ world: World) -> [GroupRelease] {
            switch reader {
            case .rerunsPipeline:
                return release(world.cells, organisation: organisation).groups
            case .readsNumbers:
                let worldStats = stats(world.cells)
                let table = DisclosureTable(
                    cells: SuppressionPlan.cells(of: worldStats), roster: organisation.weekRoster,
                    present: Set(worldStats.keys))
                guard table.groups == truthTable.groups else { return [] }
                return ReleaseBuilder.release(
                    week: week, table: table, settled: settled, stats: worldStats, roster: organisation.weekRoster,
                    cohorts: nil, previous: nil, settings: settings, seed: 7
                ).groups
            }
        }
        // A world can only publish the same week if every group the truth shows has, in that world, a count in
        // the shown range and the shown share: checking that first (a necessary condition) spares most of the
        // full re-runs. The full re-run then decides.
        let shown = published.filter { $0.visibility == .shown }
        return worlds(organisation.roster).filter { world in
            for group in shown {
                guard let range = group.respondents else { continue }
                let members = world.cells.filter { $0.key.belongs(to: group.group) }.map(\.value)
                let respondents = members.reduce(0) { $0 + $1.respondents }
                let yes = members.reduce(0) { $0 + $1.yes }
                guard respondents >= range.lowerBound, respondents <= (range.upperBound ?? Int.max) else {
                    return false
                }
                if let share = group.difference,
                    PublishedPercent.publish(yes, of: respondents, precision: group.precision) != share
                {
                    return false
                }
            }
            return rendered(world) == published
        }
    }

    /// One person's state, as the reader of the kept worlds sees it.
    enum Pin: Equatable, CustomStringConvertible {
        case participation(AtomKey, reflected: Bool)
        case answer(AtomKey, yes: Bool)
        case smallCount(AtomKey, String)

        var description: String {
            switch self {
            case .participation(let key, let reflected):
                "everyone in \(key.team ?? "-")/\(key.role.rawValue) \(reflected ? "reflected" : "did not reflect")"
            case .answer(let key, let yes):
                "everyone in \(key.team ?? "-")/\(key.role.rawValue) answered \(yes ? "yes" : "no")"
            case .smallCount(let key, let what):
                "\(what) of \(key.team ?? "-")/\(key.role.rawValue) (fewer than k) is pinned"
            }
        }
    }

    /// What the kept worlds pin down about people: a cell where everybody's state is the same in every kept
    /// world, or a count below k that is the same in every kept world. `insider` is a reader inside a cell who
    /// knows their own record: worlds inconsistent with it are dropped and they are not counted as "unknown".
    static func pins(
        kept: [World], organisation: Organisation, insider: (key: AtomKey, counts: Counts)? = nil
    ) -> [Pin] {
        var pins: [Pin] = []
        let worlds = kept.filter { world in
            guard let insider, let counts = world.cells[insider.key] else { return true }
            let people = organisation.roster[insider.key] ?? 0
            if insider.counts.respondents == 0 { return counts.respondents <= people - 1 }
            if insider.counts.yes == 1 { return counts.yes >= 1 }
            return counts.respondents - counts.yes >= 1
        }
        for (key, people) in organisation.roster where people > 0 {
            let own = insider?.key == key ? insider?.counts : nil
            let others = people - (own == nil ? 0 : 1)
            guard others > 0 else { continue }
            let counts = worlds.compactMap { $0.cells[key] }.map { counts in
                Counts(respondents: counts.respondents - (own?.respondents ?? 0), yes: counts.yes - (own?.yes ?? 0))
            }
            guard !counts.isEmpty else { continue }
            if counts.allSatisfy({ $0.respondents == others }) { pins.append(.participation(key, reflected: true)) }
            if counts.allSatisfy({ $0.respondents == 0 }) { pins.append(.participation(key, reflected: false)) }
            if counts.allSatisfy({ $0.yes == others }) { pins.append(.answer(key, yes: true)) }
            if counts.allSatisfy({ $0.respondents == others && $0.yes == 0 }) { pins.append(.answer(key, yes: false)) }
            let truth = organisation.truth[key] ?? Counts(respondents: 0, yes: 0)
            if truth.respondents < organisation.k {
                if Set(counts.map(\.respondents)).count == 1 {
                    pins.append(.smallCount(key, "the number who reflected"))
                }
                if truth.respondents > 0 && Set(counts.map(\.yes)).count == 1 {
                    pins.append(.smallCount(key, "the number who said yes"))
                }
            }
        }
        return pins
    }
}
