import Foundation

extension DigestComposer {
    // MARK: - Perception gap

    /// Team digests use the team's own leaders and ICs when both are shown with a share, otherwise the
    /// organisation's.
    func perceptionGapSection(suppressed: inout [SuppressedSection]) -> PerceptionGapSection? {
        var scopes: [(DigestGroup, DigestGroup, DigestGroup)] = []
        if case .team(let team) = input.audience {
            scopes.append((.team(team), .teamRole(team, .leader), .teamRole(team, .ic)))
        }
        scopes.append((.organisation, .role(.leader), .role(.ic)))
        let week = input.week
        for (scope, leaderGroup, icGroup) in scopes {
            guard let leaders = side(.leader, shown(leaderGroup, in: week)),
                let ics = side(.ic, shown(icGroup, in: week)),
                let now = Self.gap(shown(leaderGroup, in: week), shown(icGroup, in: week))
            else { continue }
            let trend = window.compactMap { point -> PerceptionGapPoint? in
                guard let l = shown(leaderGroup, in: point), let i = shown(icGroup, in: point),
                    let leaderShare = l.difference, let icShare = i.difference, let gap = Self.gap(l, i)
                else { return nil }
                return PerceptionGapPoint(
                    week: point, leaderPercent: leaderShare, icPercent: icShare, gapPoints: gap.points,
                    gapInterval: gap.interval, isClearDifference: gap.isClear)
            }
            return PerceptionGapSection(
                scope: scope, leaders: leaders, ics: ics, gapPoints: now.points, gapInterval: now.interval,
                isClearDifference: now.isClear, trend: trend)
        }
        let reasons = [DigestGroup.role(.leader), .role(.ic)].compactMap { reason(for: $0, in: week) }
        suppressed.append(
            SuppressedSection(
                section: .perceptionGap,
                reason: reasons.contains(.belowThreshold) || reasons.isEmpty ? .belowThreshold : .protectsSmallerGroup,
                message: "Leaders and ICs are not compared this week: one side had fewer than \(k) people who "
                    + "reflected, or showing it would reveal a smaller group."))
        return nil
    }

    func side(_ role: RoleLevel, _ release: GroupRelease?) -> PerceptionGapSide? {
        guard let release, let respondents = release.respondents, let difference = release.difference,
            let interval = release.differenceInterval
        else { return nil }
        return PerceptionGapSide(
            role: role, respondents: respondents, difference: difference, differenceInterval: interval,
            medianMinutes: release.medianMinutes, medianConfidence: release.medianConfidence)
    }

    /// The gap is the difference of the two *shown* shares (their midpoints), so readers can check it; the
    /// interval is Newcombe's, computed from what is shown (`ProportionInterval.shownDifference`) and rounded
    /// outwards, and "clear" only when that interval excludes 0.
    static func gap(_ leaders: GroupRelease?, _ ics: GroupRelease?) -> (
        points: Int, interval: PercentInterval, isClear: Bool
    )? {
        guard let leaders, let ics, let l = leaders.difference, let i = ics.difference,
            let lRange = leaders.respondents, let iRange = ics.respondents
        else { return nil }
        let interval = ProportionInterval.shownDifference(
            l, precision: leaders.precision, atLeast: lRange.lowerBound, minus: i, precision: ics.precision,
            atLeast: iRange.lowerBound
        ).percentInterval
        return (l.midpoint - i.midpoint, interval, !interval.contains(0))
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
        guard let release = shown(group, in: input.week), let respondents = release.respondents else { return nil }
        return GroupRow(
            group: group, label: label, respondents: respondents, difference: release.difference,
            medianMinutes: release.medianMinutes, medianConfidence: release.medianConfidence)
    }

    /// Role and team rows that may be shown; hidden ones are left out and mentioned in words only.
    func breakdownSection(suppressed: inout [SuppressedSection]) -> GroupBreakdownSection? {
        let week = input.week
        let present = releases[week]?.groups.map(\.group) ?? []
        let roleGroups = RoleLevel.allCases.map { DigestGroup.role($0) }.filter { present.contains($0) }
        let teamNames = present.compactMap { group -> String? in
            if case .team(let team) = group { return team }
            return nil
        }.sorted()
        let roles = RoleLevel.allCases.compactMap { row(.role($0), label: Self.label(for: $0)) }
        let teams = teamNames.compactMap { row(.team($0), label: $0) }

        func note(_ hidden: [DigestGroup], _ what: String) {
            guard !hidden.isEmpty else { return }
            let reasons = hidden.compactMap { reason(for: $0, in: week) }
            suppressed.append(
                SuppressedSection(
                    section: .breakdown,
                    reason: reasons.allSatisfy { $0 == .belowThreshold } ? .belowThreshold : .protectsSmallerGroup,
                    message: "Some \(what) are not shown: fewer than \(k) people in them reflected, "
                        + "or showing them would reveal a smaller group."))
        }
        note(roleGroups.filter { shown($0, in: week) == nil }, "role levels")
        note(teamNames.map { DigestGroup.team($0) }.filter { shown($0, in: week) == nil }, "teams")
        guard !roles.isEmpty || !teams.isEmpty else { return nil }
        return GroupBreakdownSection(roles: roles, teams: teams)
    }

    // MARK: - Training to practice

    func trainingSection(suppressed: inout [SuppressedSection]) -> TrainingToPracticeSection? {
        guard let release = releases[input.week] else { return nil }
        let rows = release.cohorts.map { cohort in
            CohortRow(
                trainingID: cohort.trainingID, title: cohort.title, participants: cohort.participants,
                reflectedPercent: cohort.reflected, appliedPercent: cohort.applied, repeatedPercent: cohort.repeated)
        }
        if release.cohortsHidden {
            suppressed.append(
                SuppressedSection(
                    section: .trainingToPractice, reason: .belowThreshold,
                    message: "Trainings with fewer than \(k) participants are not shown."))
        }
        if rows.contains(where: { $0.reflectedPercent == nil }) {
            suppressed.append(
                SuppressedSection(
                    section: .trainingToPractice, reason: .belowThreshold,
                    message: "A training's funnel is shown once at least \(k) of its participants have reflected, "
                        + "and moves only when at least \(k) more have."))
        }
        return rows.isEmpty ? nil : TrainingToPracticeSection(cohorts: rows)
    }
}
