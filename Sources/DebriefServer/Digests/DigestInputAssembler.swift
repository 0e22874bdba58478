import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation

/// Builds the core's ``DigestInput``s from the store's SQL aggregates.
///
/// The store is read once per week (`sources`): cells per (week, team, role) of the weeks still to be
/// released are summed into the organisation, team, role and team-role groups the digest compares, and the
/// same reads serve every audience of that week (`inputs`). Reading per audience would repeat the same
/// queries for every team.
public struct DigestInputAssembler: Sendable {
    let store: any DebriefDataStore
    let settings: PrivacySettings
    /// Weeks of history for trends (this week plus this many before).
    var historyWeeks = 12
    /// Consented reflections of a week read as quote candidates; far more than any digest shows, so that a
    /// team's own quotes are among them even in a large organisation.
    var maximumQuoteRows = 20_000

    public init(store: any DebriefDataStore, settings: PrivacySettings) {
        self.store = store
        self.settings = settings
    }

    /// One week's aggregates, read from the store once.
    public struct Sources: Sendable {
        public var week: WeekKey
        /// Cell sums of the weeks that were asked for (those still to be released), by week; a week without
        /// reflections has no entry.
        public var stats: [WeekKey: [DigestGroup: GroupWeekStats]]
        public var cohorts: [TrainingCohortStats]
        public var quoteRows: [QuoteRow]
    }

    /// Reads the week's quote candidates, and the aggregates that only a release is made from: the cells of
    /// `statsWeeks` (the weeks of the trend window that have no stored release) and, when `withCohorts`, the
    /// training cohorts (they go into the release of `week` alone).
    ///
    /// Why not always the whole window: a stored release is the only source of a week's published numbers,
    /// so once the window is released its cells are never looked at, and aggregating them (every reflection
    /// of thirteen weeks, with distinct-person counts) was most of a digest computation's time.
    public func sources(week: WeekKey, statsWeeks: [WeekKey], withCohorts: Bool, now: Date) async throws -> Sources {
        let cells = try await store.weeklyCells(weeks: statsWeeks.map(\.description))
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
        let cohorts = withCohorts ? try await store.cohortStats(endedBefore: now) : []
        let rows = try await store.quoteCandidates(week: week.description, limit: maximumQuoteRows)
        return Sources(week: week, stats: stats, cohorts: cohorts, quoteRows: rows)
    }

    /// The input of each audience, sharing `sources`.
    ///
    /// - Parameter names: the directory; nil when it could not be read, and then no free text (quotes,
    ///   leaders' notes) goes into any input, because it could not be scrubbed of colleagues' names.
    ///   - releases: the stored releases of the week and the weeks before it: the only source of numbers (the
    ///     inputs carry no stats, so nothing is recomputed from today's teams).
    public func inputs(
        for audiences: [DigestAudience], sources: Sources, names: DirectoryNames?, releases: [WeekKey: WeekRelease]
    ) -> [DigestInput] {
        var notes: [LeaderNote] = []
        var quotesByTeam: [String?: [QuoteCandidate]] = [:]
        if let names {
            for row in sources.quoteRows {
                let role = RoleLevel(rawValue: row.roleLevel) ?? .ic
                quotesByTeam[row.team, default: []].append(
                    QuoteCandidate(
                        text: row.text, consent: row.consent, group: row.team.map(DigestGroup.team) ?? .organisation,
                        roleLevel: role))
                // Leaders who chose to be named are shown to every team: modelling use openly is the point.
                // A leader whose name cannot be looked up is not shown as a note (their reflection may still
                // be quoted anonymously).
                if role == .leader, row.consent == .attributed,
                    let name = row.userID.flatMap({ names.displayNames[$0] })
                {
                    notes.append(LeaderNote(text: row.text, displayName: name, consent: row.consent))
                }
            }
        }
        let allQuotes =
            sources.quoteRows.isEmpty
            ? []
            : quotesByTeam.sorted { ($0.key ?? "") < ($1.key ?? "") }
                .flatMap(\.value)
        return audiences.map { audience in
            let quotes: [QuoteCandidate]
            switch audience {
            case .leadership: quotes = allQuotes
            case .team(let team): quotes = quotesByTeam[team] ?? []
            }
            return DigestInput(
                audience: audience, week: sources.week, stats: [:], cohorts: [], quoteCandidates: quotes,
                leaderNotes: notes, directoryNames: names?.directory ?? [], settings: settings, releases: releases)
        }
    }
}

extension GroupWeekStats {
    mutating func add(_ cell: WeeklyCellStats) {
        respondents += cell.respondents
        reflections += cell.reflections
        respondentsReportingDifference += cell.respondentsReportingDifference
        for (key, value) in cell.outcomes {
            if let outcome = Outcome(rawValue: key) { outcomeCounts[outcome, default: 0] += value }
        }
        for (key, value) in cell.minutesSaved {
            if let bucket = MinutesSaved(rawValue: key) { minutesSavedCounts[bucket, default: 0] += value }
        }
        for (key, value) in cell.categories {
            if let category = TaskCategory(rawValue: key) { categoryCounts[category, default: 0] += value }
        }
        for (key, value) in cell.blockers {
            if let blocker = Blocker(rawValue: key) { blockerCounts[blocker, default: 0] += value }
        }
        for (key, value) in cell.confidence { confidenceCounts[key, default: 0] += value }
        for (key, value) in cell.answeredBy {
            guard let question = Question(rawValue: key) else { continue }
            var answered = answeredBy ?? [:]
            answered[question, default: 0] += value
            answeredBy = answered
        }
    }
}
