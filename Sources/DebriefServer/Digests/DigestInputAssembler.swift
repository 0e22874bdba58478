import DebriefCore
import DebriefStore
import Foundation

/// Builds the core's ``DigestInput`` from the store's SQL aggregates: cells per (week, team, role) are
/// summed into the organisation, team, role and team-role groups the digest compares.
struct DigestInputAssembler: Sendable {
    let store: any DebriefDataStore
    let settings: PrivacySettings
    /// Weeks of history for trends (this week plus this many before).
    var historyWeeks = 12

    func input(
        audience: DigestAudience, week: WeekKey, leaderNames: [String: String] = [:], directoryNames: [String] = [],
        now: Date
    ) async throws -> DigestInput {
        let weeks = (0...historyWeeks).map { Self.week(week, minus: $0) }
        let cells = try await store.weeklyCells(weeks: weeks.map(\.description))
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for cell in cells {
            guard let key = WeekKey(cell.week) else { continue }
            let role = RoleLevel(rawValue: cell.roleLevel) ?? .ic
            var groups: [DigestGroup] = [.organisation, .role(role)]
            if let team = cell.team { groups += [.team(team), .teamRole(team, role)] }
            for group in groups {
                stats[key, default: [:]][group, default: GroupWeekStats()].add(cell)
            }
        }
        let cohorts = try await store.cohortStats(endedBefore: now).map {
            TrainingCohortStats(
                trainingID: $0.trainingID, title: $0.title, participants: $0.participants, reflected: $0.reflected,
                applied: $0.applied, repeated: $0.repeated)
        }
        let rows = try await store.quoteCandidates(week: week.description, limit: 200)
        var quotes: [QuoteCandidate] = []
        var notes: [LeaderNote] = []
        for row in rows {
            let role = RoleLevel(rawValue: row.roleLevel) ?? .ic
            var ownGroup = true
            if case .team(let team) = audience, row.team != team { ownGroup = false }
            if ownGroup {
                quotes.append(
                    QuoteCandidate(
                        text: row.text, consent: row.consent, group: row.team.map(DigestGroup.team) ?? .organisation,
                        roleLevel: role))
            }
            // Leaders who chose to be named are shown to every team: modelling use openly is the point.
            if role == .leader, row.consent == .attributed {
                let name = row.userID.flatMap { leaderNames[$0] } ?? "A leader"
                notes.append(LeaderNote(text: row.text, displayName: name, consent: row.consent))
            }
        }
        return DigestInput(
            audience: audience, week: week, stats: stats, cohorts: cohorts, quoteCandidates: quotes,
            leaderNotes: notes, directoryNames: directoryNames, settings: settings)
    }

    /// User ids of leaders who chose `attributed` this week (to look up display names).
    func attributedLeaderUserIDs(week: WeekKey) async throws -> [String] {
        try await store.quoteCandidates(week: week.description, limit: 200)
            .filter { $0.roleLevel == RoleLevel.leader.rawValue && $0.consent == .attributed }.compactMap(\.userID)
    }

    static func week(_ week: WeekKey, minus count: Int) -> WeekKey {
        WeekKey(containing: week.monday.adding(days: -7 * count))
    }
}

extension GroupWeekStats {
    mutating func add(_ cell: WeeklyCellStats) {
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
