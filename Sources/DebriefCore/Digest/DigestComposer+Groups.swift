import Foundation

extension DigestComposer {
    // MARK: - Perception gap

    /// Team digests use the team's own leaders and ICs when both can be shown, otherwise the organisation's.
    func perceptionGapSection(suppressed: inout [SuppressedSection]) -> PerceptionGapSection? {
        var scopes: [(DigestGroup, DigestGroup, DigestGroup)] = []
        if case .team(let team) = input.audience {
            scopes.append((.team(team), .teamRole(team, .leader), .teamRole(team, .ic)))
        }
        scopes.append((.organisation, .role(.leader), .role(.ic)))
        let week = input.week
        for (scope, leaderGroup, icGroup) in scopes {
            guard let leaders = published(leaderGroup, in: week), let ics = published(icGroup, in: week) else {
                continue
            }
            let now = Self.gap(leaders: leaders, ics: ics)
            let trend = window.compactMap { point -> PerceptionGapPoint? in
                guard let l = published(leaderGroup, in: point), let i = published(icGroup, in: point) else {
                    return nil
                }
                let gap = Self.gap(leaders: l, ics: i)
                return PerceptionGapPoint(
                    week: point, leaderPercent: l.differencePercent, icPercent: i.differencePercent,
                    gapPoints: gap.points, gapInterval: gap.interval, isClearDifference: gap.isClear)
            }
            return PerceptionGapSection(
                scope: scope, leaders: side(.leader, leaders), ics: side(.ic, ics), gapPoints: now.points,
                gapInterval: now.interval, isClearDifference: now.isClear, trend: trend)
        }
        let reasons = [DigestGroup.role(.leader), .role(.ic)].compactMap { plans[week]?.reason(for: $0) }
        suppressed.append(
            SuppressedSection(
                section: .perceptionGap,
                reason: reasons.contains(.belowThreshold) || reasons.isEmpty ? .belowThreshold : .protectsSmallerGroup,
                message: "Leaders and ICs are not compared this week: one side had fewer than \(k) people who "
                    + "reflected, or showing it would reveal a smaller group."))
        return nil
    }

    func side(_ role: RoleLevel, _ stats: PublishedStats) -> PerceptionGapSide {
        PerceptionGapSide(
            role: role, respondents: bucket(stats.respondents), differencePercent: stats.differencePercent,
            differenceInterval: stats.differenceInterval.percentInterval, medianMinutes: stats.medianMinutes,
            medianConfidence: stats.medianConfidence)
    }

    /// The gap is the difference of the two *shown* percents, so readers can check it; the interval is
    /// Newcombe's, rounded outwards, and "clear" only when that rounded interval excludes 0.
    static func gap(leaders: PublishedStats, ics: PublishedStats) -> (
        points: Int, interval: PercentInterval, isClear: Bool
    ) {
        let interval = ProportionInterval.newcombeDifference(
            successes1: leaders.difference, trials1: leaders.respondents, successes2: ics.difference,
            trials2: ics.respondents
        ).percentInterval
        return (leaders.differencePercent - ics.differencePercent, interval, !interval.contains(0))
    }

    // MARK: - Breakdown

    static func label(for role: RoleLevel) -> String {
        switch role {
        case .leader: "Leaders"
        case .manager: "Managers"
        case .ic: "ICs"
        }
    }

    func row(_ group: DigestGroup, label: String) -> GroupRow? {
        guard let stats = published(group, in: input.week) else { return nil }
        return GroupRow(
            group: group, label: label, respondents: bucket(stats.respondents),
            differencePercent: stats.differencePercent, medianMinutes: stats.medianMinutes,
            medianConfidence: stats.medianConfidence)
    }

    /// Role and team rows that may be shown; hidden ones are left out and mentioned in words only.
    func breakdownSection(suppressed: inout [SuppressedSection]) -> GroupBreakdownSection? {
        let week = input.week
        let present = Set(input.stats[week]?.keys.map { $0 } ?? [])
        let roleGroups = RoleLevel.allCases.map { DigestGroup.role($0) }.filter { present.contains($0) }
        let teamNames = present.compactMap { group -> String? in
            if case .team(let team) = group { return team }
            return nil
        }.sorted()
        let roles = RoleLevel.allCases.compactMap { row(.role($0), label: Self.label(for: $0)) }
        let teams = teamNames.compactMap { row(.team($0), label: $0) }

        func note(_ hidden: [DigestGroup], _ what: String) {
            guard !hidden.isEmpty else { return }
            let reasons = hidden.compactMap { plans[week]?.reason(for: $0) }
            suppressed.append(
                SuppressedSection(
                    section: .breakdown,
                    reason: reasons.allSatisfy { $0 == .belowThreshold } ? .belowThreshold : .protectsSmallerGroup,
                    message: "Some \(what) are not shown: fewer than \(k) people in them reflected, "
                        + "or showing them would reveal a smaller group."))
        }
        note(roleGroups.filter { !isVisible($0, in: week) }, "role levels")
        note(teamNames.map { DigestGroup.team($0) }.filter { !isVisible($0, in: week) }, "teams")
        guard !roles.isEmpty || !teams.isEmpty else { return nil }
        return GroupBreakdownSection(roles: roles, teams: teams)
    }

    // MARK: - Training to practice

    func trainingSection(suppressed: inout [SuppressedSection]) -> TrainingToPracticeSection? {
        let cohorts = input.cohorts.sorted {
            $0.title != $1.title ? $0.title < $1.title : $0.trainingID < $1.trainingID
        }
        var rows: [CohortRow] = []
        var hidden = false
        for cohort in cohorts {
            guard cohort.participants >= k else {
                hidden = true
                continue
            }
            let participants = cohort.participants
            /// Keyed by the exact value too: a cumulative count that did not change since last week gets the
            /// same noise again instead of a fresh draw that could be averaged.
            func draw(_ name: String, _ count: Int) -> Int {
                let exact = min(max(0, count), participants)
                guard let noise else { return exact }
                var generator = SeededGenerator.derived(
                    from: seed, label: "cohort|\(cohort.trainingID)|\(name)|\(exact)")
                return min(participants, noise.noised(exact, using: &generator))
            }
            rows.append(
                CohortRow(
                    trainingID: cohort.trainingID, title: cohort.title, participants: bucket(participants),
                    reflectedPercent: PercentShares.percent(draw("reflected", cohort.reflected), of: participants),
                    appliedPercent: PercentShares.percent(draw("applied", cohort.applied), of: participants),
                    repeatedPercent: PercentShares.percent(draw("repeated", cohort.repeated), of: participants)))
        }
        if hidden {
            suppressed.append(
                SuppressedSection(
                    section: .trainingToPractice, reason: .belowThreshold,
                    message: "Trainings with fewer than \(k) participants are not shown."))
        }
        return rows.isEmpty ? nil : TrainingToPracticeSection(cohorts: rows)
    }
}
