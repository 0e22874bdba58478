import DebriefCore
import DebriefServer
import DebriefStore
import Foundation

/// The server's digest input assembly (`DigestInputAssembler`, internal to DebriefServer), rebuilt from
/// public API for the benchmark: the same store calls (SQL aggregates per week, team and role; cohort
/// counts; quote candidates) and the same grouping into organisation, role, team and team-role stats.
///
/// Kept line for line with the server's version so the timing means the same thing; if the server's
/// assembly changes, this should follow (or the server should expose a public entry point, see the
/// benchmark's report).
struct BenchDigestInput {
    let store: any DebriefDataStore
    let settings: PrivacySettings
    var historyWeeks = 12

    /// What every target of one week shares: the store's answers, and how long each query took.
    struct Sources {
        var cells: [WeeklyCellStats]
        var cohorts: [CohortCounts]
        var quotes: [QuoteRow]
        var timings: [Duration]
    }

    func sources(week: WeekKey, now: Date) async throws -> Sources {
        let weeks = (0...historyWeeks).map { WeekKey(containing: week.monday.adding(days: -7 * $0)) }
        let clock = ContinuousClock()
        var started = clock.now
        let cells = try await store.weeklyCells(weeks: weeks.map(\.description))
        let cellsTime = clock.now - started
        started = clock.now
        let cohorts = try await store.cohortStats(endedBefore: now)
        let cohortTime = clock.now - started
        started = clock.now
        let quotes = try await store.quoteCandidates(week: week.description, limit: 200)
        return Sources(
            cells: cells, cohorts: cohorts, quotes: quotes, timings: [cellsTime, cohortTime, clock.now - started])
    }

    func input(
        audience: DigestAudience, week: WeekKey, sources: Sources, leaderNames: [String: String],
        directoryNames: [String]
    ) -> DigestInput {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for cell in sources.cells {
            guard let key = WeekKey(cell.week) else { continue }
            let role = RoleLevel(rawValue: cell.roleLevel) ?? .ic
            var groups: [DigestGroup] = [.organisation, .role(role)]
            if let team = cell.team { groups += [.team(team), .teamRole(team, role)] }
            for group in groups {
                stats[key, default: [:]][group, default: GroupWeekStats()].benchAdd(cell)
            }
        }
        let cohorts = sources.cohorts.map {
            TrainingCohortStats(
                trainingID: $0.trainingID, title: $0.title, participants: $0.participants, reflected: $0.reflected,
                applied: $0.applied, repeated: $0.repeated)
        }
        var quotes: [QuoteCandidate] = []
        var notes: [LeaderNote] = []
        for row in sources.quotes {
            let role = RoleLevel(rawValue: row.roleLevel) ?? .ic
            var ownGroup = true
            if case .team(let team) = audience, row.team != team { ownGroup = false }
            if ownGroup {
                quotes.append(
                    QuoteCandidate(
                        text: row.text, consent: row.consent, group: row.team.map(DigestGroup.team) ?? .organisation,
                        roleLevel: role))
            }
            if role == .leader, row.consent == .attributed {
                let name = row.userID.flatMap { leaderNames[$0] } ?? "A leader"
                notes.append(LeaderNote(text: row.text, displayName: name, consent: row.consent))
            }
        }
        return DigestInput(
            audience: audience, week: week, stats: stats, cohorts: cohorts, quoteCandidates: quotes,
            leaderNotes: notes, directoryNames: directoryNames, settings: settings)
    }
}

extension GroupWeekStats {
    /// The server's `GroupWeekStats.add(_:)` (internal there).
    mutating func benchAdd(_ cell: WeeklyCellStats) {
        respondents += cell.respondents
        reflections += cell.reflections
        respondentsReportingDifference += cell.respondentsReportingDifference
        for (key, value) in cell.outcomes { if let outcome = Outcome(rawValue: key) { outcomeCounts[outcome, default: 0] += value } }
        for (key, value) in cell.minutesSaved {
            if let bucket = MinutesSaved(rawValue: key) { minutesSavedCounts[bucket, default: 0] += value }
        }
        for (key, value) in cell.categories {
            if let category = TaskCategory(rawValue: key) { categoryCounts[category, default: 0] += value }
        }
        for (key, value) in cell.blockers { if let blocker = Blocker(rawValue: key) { blockerCounts[blocker, default: 0] += value } }
        for (key, value) in cell.confidence { confidenceCounts[key, default: 0] += value }
    }
}
