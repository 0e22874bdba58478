import Foundation

/// Makes one week's `WeekRelease`: decides what may be published and publishes it.
///
/// 1. **Structure** (roster only, so the decision tells a reader nothing new): a group whose headcount is
///    below k is never shown; of two groups that differ by fewer than k people (a role that is one team plus
///    one person), the finer one is hidden.
/// 2. **Suppression plan**: k-anonymity and complementary suppression (`SuppressionPlan`).
/// 3. **Audit**: the `DisclosureAuditor` checks every number about to be published against everything else
///    published for the week; each finding hides a group or coarsens a share (whole percents → quarters →
///    withheld), and the plan and the audit run again, until nothing is pinned.
/// 4. **Publication**: ranges, shares at their precision, medians and distributions only where k people
///    answered the question, optional noise; cohort funnels repeat last week's values until at least k more
///    people reflected.
enum ReleaseBuilder {
    /// Rounds of audit and remedy before everything left is hidden (fail closed).
    static let maximumRounds = 200

    struct Decisions {
        var forcedHidden: Set<Int> = []
        var precision: [Int: SharePrecision] = [:]
        var withheldShares: Set<Int> = []
    }

    /// What the audit loop settled for a week: the suppression plan and the remedies.
    struct Settled {
        var plan: SuppressionPlan
        var decisions: Decisions
    }

    static func release(
        week: WeekKey, stats: [DigestGroup: GroupWeekStats], roster: WeekRoster?, cohorts: [TrainingCohortStats]?,
        previous: WeekRelease?, settings: PrivacySettings, seed: UInt64, questions: QuestionWeekInput? = nil
    ) -> WeekRelease {
        let k = settings.effectiveK
        let table = DisclosureTable(cells: SuppressionPlan.cells(of: stats), roster: roster, present: Set(stats.keys))
        var release = release(
            week: week, table: table, settled: settle(table: table, stats: stats, k: k), stats: stats, roster: roster,
            cohorts: cohorts, previous: previous, settings: settings, seed: seed)
        // The questions publish after the groups are settled: a side is shown only when its role group is.
        if let questions {
            release.questions = QuestionReleaseBuilder.release(
                questions, main: release, roster: roster, settings: settings, seed: seed)
        }
        return release
    }

    /// Runs structure, plan, audit and remedies until nothing is pinned (or everything is hidden).
    static func settle(table: DisclosureTable, stats: [DigestGroup: GroupWeekStats], k: Int) -> Settled {
        var decisions = Decisions()
        decisions.forcedHidden = structurallyHidden(table, threshold: k)
        for group in table.groups.indices {
            let exact = table.respondents(group)
            decisions.precision[group] = SharePrecision.forGroup(atLeast: bucket(exact, k).lowerBound)
        }
        var plan = SuppressionPlan(table: table, threshold: k, forcedHidden: decisions.forcedHidden)
        var rounds = 0
        while true {
            let publications = self.publications(table: table, plan: plan, decisions: decisions, stats: stats, k: k)
            let findings = DisclosureAuditor(table: table, publications: publications, threshold: k).findings()
            guard !findings.isEmpty else { break }
            rounds += 1
            if rounds > maximumRounds, let organisation = table.groupIndex[.organisation] {
                // Fail closed: a week the remedies cannot make safe is a quiet week.
                decisions.forcedHidden.insert(organisation)
                plan = SuppressionPlan(table: table, threshold: k, forcedHidden: decisions.forcedHidden)
                break
            }
            // Findings touching no shown group are fixed by the roster alone (nothing published narrows them).
            guard remedy(findings, table: table, decisions: &decisions) else { break }
            plan = SuppressionPlan(table: table, threshold: k, forcedHidden: decisions.forcedHidden)
        }
        return Settled(plan: plan, decisions: decisions)
    }

    /// Publishes a week under settled decisions. Tests use it to render other worlds under the truth's decisions
    /// (the auditor's own model: what the published numbers allow, whatever led to them).
    static func release(
        week: WeekKey, table: DisclosureTable, settled: Settled, stats: [DigestGroup: GroupWeekStats],
        roster: WeekRoster?, cohorts: [TrainingCohortStats]?, previous: WeekRelease?, settings: PrivacySettings,
        seed: UInt64
    ) -> WeekRelease {
        let k = settings.effectiveK
        let plan = settled.plan
        let decisions = settled.decisions
        let groups = table.groups.indices.map { index in
            groupRelease(
                index, table: table, plan: plan, decisions: decisions, stats: stats, week: week, settings: settings,
                seed: seed)
        }
        let cohortReleases: [CohortRelease]
        let cohortsHidden: Bool
        if let cohorts {
            cohortReleases = self.cohorts(
                cohorts, previous: previous?.cohorts ?? [], week: week, settings: settings, seed: seed)
            cohortsHidden = cohorts.contains { $0.participants < k }
        } else {
            // A week released late (for a trend) repeats the funnels last published instead of publishing new ones.
            cohortReleases = previous?.cohorts ?? []
            cohortsHidden = previous?.cohortsHidden ?? false
        }
        return WeekRelease(
            week: week, threshold: k, quoteThreshold: settings.effectiveKQuotes,
            noiseEpsilon: settings.effectiveEpsilon,
            roster: roster, groups: groups, cohorts: cohortReleases, cohortsHidden: cohortsHidden)
    }

    static func bucket(_ count: Int, _ k: Int) -> CountBucket {
        CountBucket.bucket(for: max(count, k), threshold: k)
            ?? CountBucket(lowerBound: k, upperBound: nil, label: "\(k)+")
    }

    /// Which groups of shown ones are of "finer" kind: hidden first when two groups are too close.
    static func rank(_ group: DigestGroup) -> Int {
        switch group {
        case .organisation: 0
        case .team: 1
        case .role: 2
        case .teamRole: 3
        }
    }

    /// Groups that must never be shown because of the roster alone: fewer than k people in them, or fewer
    /// than k people between them and another group (the finer of the two is hidden).
    static func structurallyHidden(_ table: DisclosureTable, threshold k: Int) -> Set<Int> {
        var hidden = Set<Int>()
        let headcounts = table.groups.indices.map { table.headcount($0) }
        for group in table.groups.indices where headcounts[group] < k { hidden.insert(group) }
        let sets = table.members.map(Set.init)
        // Pairs without a cell in common are skipped below: find the others through their cells, in index order.
        var groupsByAtom = Array(repeating: [Int](), count: table.atoms.count)
        for (group, members) in table.members.enumerated() {
            for atom in members { groupsByAtom[atom].append(group) }
        }
        for first in table.groups.indices {
            var sharing = Set<Int>()
            for atom in table.members[first] { sharing.formUnion(groupsByAtom[atom]) }
            for second in sharing.sorted() where first < second {
                guard !hidden.contains(first), !hidden.contains(second) else { continue }
                let common = sets[first].intersection(sets[second]).reduce(0) { $0 + table.roster[$1] }
                let onlyFirst = headcounts[first] - common
                let onlySecond = headcounts[second] - common
                let tooClose = (onlyFirst > 0 && onlyFirst < k) || (onlySecond > 0 && onlySecond < k)
                // Disjoint groups (nothing in common) are a partition's business, not a difference's.
                guard tooClose, common > 0 else { continue }
                let finer =
                    (rank(table.groups[first]), headcounts[second]) > (rank(table.groups[second]), headcounts[first])
                    ? first : second
                hidden.insert(finer)
            }
        }
        return hidden
    }

    /// What every group would publish under `plan` and `decisions`, as the auditor models it (exact counts).
    static func publications(
        table: DisclosureTable, plan: SuppressionPlan, decisions: Decisions, stats: [DigestGroup: GroupWeekStats],
        k: Int
    ) -> [GroupPublication] {
        table.groups.indices.map { index in
            let group = table.groups[index]
            let respondents = table.respondents(index)
            guard !plan.hiddenIndices.contains(index) else { return .hidden(belowThreshold: respondents < k) }
            let shown = bucket(respondents, k)
            let range = shown.lowerBound...(shown.upperBound ?? Int.max)
            var reflectionsAtMost: Int?
            if publishesDistributions(group), let reflections = stats[group]?.reflections {
                reflectionsAtMost = bucket(max(reflections, respondents), k).upperBound
            }
            let precision = decisions.precision[index] ?? .quarters
            let share: PublishedPercent? =
                decisions.withheldShares.contains(index)
                ? nil : PublishedPercent.publish(table.yes(index), of: respondents, precision: precision)
            return .shown(respondents: range, reflectionsAtMost: reflectionsAtMost, share: share, precision: precision)
        }
    }

    /// Applies one remedy per finding; false when nothing could change.
    static func remedy(_ findings: [DisclosureFinding], table: DisclosureTable, decisions: inout Decisions) -> Bool {
        var changed = false
        var handled = Set<Int>()
        for finding in findings {
            let touching = finding.touchingGroups
            guard !touching.contains(where: handled.contains) else { continue }
            if finding.form.quantity != .respondents,
                let group = touching.first(where: { !decisions.withheldShares.contains($0) })
            {
                if let coarser = (decisions.precision[group] ?? .quarters).coarser {
                    decisions.precision[group] = coarser
                } else {
                    decisions.withheldShares.insert(group)
                }
                handled.insert(group)
                changed = true
                continue
            }
            let candidates = touching.filter { table.groups[$0] != .organisation }
            if let group = candidates.first ?? touching.first, !decisions.forcedHidden.contains(group) {
                decisions.forcedHidden.insert(group)
                handled.insert(group)
                changed = true
            }
        }
        return changed
    }

    /// Breakdowns (outcomes, minutes, confidence, categories, blockers) need a shown range starting here.
    static let breakdownsFrom = SharePrecision.tensFrom

    /// The organisation and teams are what digests are about: they show reflections and distributions.
    static func publishesDistributions(_ group: DigestGroup) -> Bool {
        switch group {
        case .organisation, .team: true
        case .role, .teamRole: false
        }
    }

    // MARK: - Publication

    static func groupRelease(
        _ index: Int, table: DisclosureTable, plan: SuppressionPlan, decisions: Decisions,
        stats: [DigestGroup: GroupWeekStats], week: WeekKey, settings: PrivacySettings, seed: UInt64
    ) -> GroupRelease {
        let group = table.groups[index]
        let k = settings.effectiveK
        let exact = stats[group] ?? GroupWeekStats()
        guard !plan.hiddenIndices.contains(index) else {
            // A hidden group publishes nothing that depends on this week's answers: its reason follows from the
            // roster alone (a group of fewer than k people can never be shown), and it never supplies quotes.
            // Saying "hidden to protect a smaller group" only when at least k answered would tell a reader of a
            // group of k people that every one of them reflected.
            return GroupRelease(
                group: group, visibility: table.headcount(index) < k ? .belowThreshold : .protectsSmallerGroup,
                quotable: false)
        }
        let quotable = exact.respondents >= settings.effectiveKQuotes
        let noise = settings.effectiveEpsilon.flatMap { GeometricNoise(epsilon: $0) }
        var generator = SeededGenerator.derived(from: seed, label: "stats|\(week)|\(group.sortKey)")
        let published = PublishedStats(exact, threshold: k, noise: noise, generator: &generator)
        let respondents = bucket(published.respondents, k)
        let audited = decisions.precision[index] ?? .quarters
        let precision = SharePrecision.forGroup(shownAs: respondents).coarsened(to: audited)
        var release = GroupRelease(
            group: group, visibility: .shown, respondents: respondents, precision: precision, quotable: quotable)
        if !decisions.withheldShares.contains(index) {
            let difference = PublishedPercent.publish(
                published.difference, of: published.respondents, precision: precision)
            release.difference = difference
            release.differenceInterval =
                ProportionInterval.shown(
                    difference, precision: precision, atLeast: respondents.lowerBound
                ).percentInterval
        }
        if exact.people(answering: .minutesSaved) >= k { release.medianMinutes = published.medianMinutes }
        if exact.people(answering: .confidence) >= k { release.medianConfidence = published.medianConfidence }
        guard publishesDistributions(group) else { return release }
        release.reflections = bucket(published.reflections, k)
        // A breakdown is several shares of one small group: beside its range, "50–74% saved time, 25–49% saw no
        // difference" fits one count where each share alone fits several. The auditor models one share per
        // group; breakdowns therefore wait until the range starts where shares get ten-point bands.
        guard respondents.lowerBound >= Self.breakdownsFrom else { return release }
        if exact.people(answering: .outcome) >= k {
            let counts = Outcome.allCases.map { published.outcomes[$0] ?? 0 }
            if counts.reduce(0, +) > 0 {
                let shares = PublishedPercent.distribution(counts, precision: precision)
                release.outcomeMix = OutcomeMixSection(
                    shares: zip(Outcome.allCases, shares).map { OutcomeShare(outcome: $0, percent: $1) },
                    difference: release.difference)
            }
        }
        if exact.people(answering: .minutesSaved) >= k { release.minutesSaved = minutesSection(published, precision) }
        if exact.people(answering: .confidence) >= k { release.confidence = confidenceSection(published, precision) }
        if exact.people(answering: .category) >= k {
            let order = TaskCategory.allCases
            let counts = order.map { published.categories[$0] ?? 0 }
            if counts.reduce(0, +) > 0 {
                let shares = PublishedPercent.distribution(counts, precision: precision)
                let top = self.top(order.indices.filter { counts[$0] > 0 }.map { (order[$0], shares[$0]) })
                release.categories = CategorySection(top: top.map { CategoryShare(category: $0.0, percent: $0.1) })
            }
        }
        let blockers = Blocker.allCases.filter { (published.blockers[$0] ?? 0) > 0 }.map { blocker in
            (
                blocker,
                PublishedPercent.publish(
                    published.blockers[blocker] ?? 0, of: published.reflections, precision: precision)
            )
        }
        let topBlockers = top(blockers)
        if !topBlockers.isEmpty {
            release.blockers = BlockerSection(top: topBlockers.map { BlockerShare(blocker: $0.0, percent: $0.1) })
        }
        return release
    }

    /// The largest `DigestBuilder.topCount` entries by their *published* share (ties keep vocabulary order),
    /// so the order tells nothing finer than the shares themselves.
    static func top<Key>(_ entries: [(Key, PublishedPercent)]) -> [(Key, PublishedPercent)] {
        let sorted = entries.enumerated().sorted {
            ($0.element.1.lower, $0.element.1.upper, -$0.offset) > ($1.element.1.lower, $1.element.1.upper, -$1.offset)
        }
        return sorted.prefix(DigestBuilder.topCount).map(\.element)
    }

    static func minutesSection(_ stats: PublishedStats, _ precision: SharePrecision) -> MinutesSavedSection? {
        let order = MinutesSaved.allCases
        guard let median = Histogram.quantile(stats.minutes, order: order, numerator: 1, denominator: 2),
            let lower = Histogram.quantile(stats.minutes, order: order, numerator: 1, denominator: 4),
            let upper = Histogram.quantile(stats.minutes, order: order, numerator: 3, denominator: 4)
        else { return nil }
        let shares = PublishedPercent.distribution(order.map { stats.minutes[$0] ?? 0 }, precision: precision)
        return MinutesSavedSection(
            median: median, lowerQuartile: lower, upperQuartile: upper, medianMinutes: median.midpointMinutes,
            shares: zip(order, shares).map { MinutesShare(bucket: $0, percent: $1) })
    }

    static func confidenceSection(_ stats: PublishedStats, _ precision: SharePrecision) -> ConfidenceSection? {
        let levels = PublishedStats.confidenceLevels
        guard let median = stats.medianConfidence else { return nil }
        let shares = PublishedPercent.distribution(levels.map { stats.confidence[$0] ?? 0 }, precision: precision)
        return ConfidenceSection(
            median: median, shares: zip(levels, shares).map { ConfidenceShare(level: $0, percent: $1) })
    }

    // MARK: - Cohorts

    /// Cohort funnels for the week. A cohort needs k participants to appear and k who reflected before any
    /// share is shown; a new value is published only when the number who reflected moved by 0 or by k or
    /// more since the last published value (otherwise last week's row is repeated), so comparing two weeks
    /// never isolates fewer than k people.
    static func cohorts(
        _ cohorts: [TrainingCohortStats], previous: [CohortRelease], week: WeekKey, settings: PrivacySettings,
        seed: UInt64
    ) -> [CohortRelease] {
        let k = settings.effectiveK
        let noise = settings.effectiveEpsilon.flatMap { GeometricNoise(epsilon: $0) }
        var earlier: [String: CohortRelease] = [:]
        for release in previous { earlier[release.trainingID] = release }
        let sorted = cohorts.sorted { ($0.title, $0.trainingID) < ($1.title, $1.trainingID) }
        return sorted.compactMap { cohort -> CohortRelease? in
            let participants = max(0, cohort.participants)
            guard participants >= k else { return nil }
            if let last = earlier[cohort.trainingID] {
                if last.basis == cohort { return last }
                let moved = abs(cohort.reflected - last.basis.reflected)
                if moved > 0 && moved < k { return last }
            }
            let bucket = self.bucket(participants, k)
            guard cohort.reflected >= k else {
                return CohortRelease(
                    trainingID: cohort.trainingID, title: cohort.title, participants: bucket, reflected: nil,
                    applied: nil, repeated: nil, basis: cohort)
            }
            let precision = SharePrecision.forGroup(shownAs: bucket)
            func share(_ name: String, _ count: Int) -> PublishedPercent {
                var value = min(max(0, count), participants)
                if let noise {
                    var generator = SeededGenerator.derived(
                        from: seed, label: "cohort|\(cohort.trainingID)|\(name)|\(week)")
                    value = min(participants, noise.noised(value, using: &generator))
                }
                return PublishedPercent.publish(value, of: participants, precision: precision)
            }
            return CohortRelease(
                trainingID: cohort.trainingID, title: cohort.title, participants: bucket,
                reflected: share("reflected", cohort.reflected), applied: share("applied", cohort.applied),
                repeated: share("repeated", cohort.repeated), basis: cohort)
        }
    }
}
