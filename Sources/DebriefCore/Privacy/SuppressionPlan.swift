import Foundation

/// Which groups of one week may be shown, after k-anonymity and complementary suppression.
///
/// **Primary suppression.** A group with fewer than k distinct respondents shows nothing.
///
/// **Complementary suppression.** Groups form additive partitions: teams partition the organisation, role levels
/// partition it too, `teamRole` cells partition each team (rows) and each role level (columns). People counted
/// in a parent but in none of its listed children form an implicit, never-shown remainder cell. For every
/// partition whose parent is shown, subtracting the shown children from the parent yields the *union* of the
/// hidden children (and the remainder). The plan therefore keeps hiding the smallest shown child (ties broken by
/// name) until that union is empty or has at least k respondents. A cell with zero respondents counts as hidden
/// too, so "nobody among the leaders answered" cannot be derived either. Hiding a parent hides all its cells
/// (a hidden team cannot be rebuilt from its role cells). The loop runs to a fixed point across all partitions,
/// so row and column constraints of the team×role table are satisfied together.
///
/// - Important: build one plan per week from the stats of *every* group, and use it for every audience of that
///   week. Then a team digest and the leadership digest agree on what is hidden, and no pair of digests (or a
///   digest and the privacy receipt) can be subtracted from each other. Decisions use exact counts, never noised
///   ones.
public struct SuppressionPlan: Sendable, Equatable {
    /// The k the plan was made with.
    public let threshold: Int
    /// Groups present in the stats that may be shown.
    public let visible: Set<DigestGroup>
    /// Groups present in the stats hidden because they have fewer than k respondents.
    public let belowThreshold: Set<DigestGroup>
    /// Groups present in the stats hidden so that a smaller group cannot be derived by subtraction.
    public let complementary: Set<DigestGroup>

    /// True when `group` is present and may be shown.
    public func isVisible(_ group: DigestGroup) -> Bool { visible.contains(group) }

    /// Why `group` is hidden, or nil when it is visible. Absent groups are `belowThreshold` (nobody answered).
    public func reason(for group: DigestGroup) -> SuppressionReason? {
        if visible.contains(group) { return nil }
        if complementary.contains(group) { return .protectsSmallerGroup }
        return .belowThreshold
    }

    /// Builds the plan for one week.
    public init(stats: [DigestGroup: GroupWeekStats], threshold: Int) {
        let k = max(1, threshold)
        self.threshold = k
        let respondents = stats.mapValues { max(0, $0.respondents) }
        let primary = Set(respondents.filter { $0.value < k }.keys)
        var hidden = primary

        var teams = Set<String>()
        for group in respondents.keys {
            switch group {
            case .team(let team), .teamRole(let team, _): teams.insert(team)
            case .organisation, .role: break
            }
        }
        var partitions: [(parent: DigestGroup, children: [DigestGroup])] = []
        func present(_ groups: [DigestGroup]) -> [DigestGroup] { groups.filter { respondents[$0] != nil } }
        let sortedTeams = teams.sorted()
        partitions.append((.organisation, present(sortedTeams.map { .team($0) })))
        partitions.append((.organisation, present(RoleLevel.allCases.map { .role($0) })))
        for team in sortedTeams {
            partitions.append((.team(team), present(RoleLevel.allCases.map { .teamRole(team, $0) })))
        }
        for role in RoleLevel.allCases {
            partitions.append((.role(role), present(sortedTeams.map { .teamRole($0, role) })))
        }
        partitions = partitions.filter { respondents[$0.parent] != nil && !$0.children.isEmpty }

        func cascade() {
            if hidden.contains(.organisation) {
                hidden.formUnion(respondents.keys)
                return
            }
            for group in respondents.keys {
                if case .teamRole(let team, let role) = group,
                    hidden.contains(.team(team)) || hidden.contains(.role(role))
                {
                    hidden.insert(group)
                }
            }
        }

        var changed = true
        while changed {
            changed = false
            cascade()
            for partition in partitions {
                guard let parentCount = respondents[partition.parent], !hidden.contains(partition.parent) else {
                    continue
                }
                let childTotal = partition.children.reduce(0) { $0 + (respondents[$1] ?? 0) }
                let remainder = max(0, parentCount - childTotal)
                var hiddenMass = remainder
                var anyHidden = remainder > 0
                for child in partition.children where hidden.contains(child) {
                    anyHidden = true
                    hiddenMass += respondents[child] ?? 0
                }
                guard anyHidden, hiddenMass < k else { continue }
                let candidates = partition.children.filter { !hidden.contains($0) }
                    .sorted {
                        let left = respondents[$0] ?? 0
                        let right = respondents[$1] ?? 0
                        return left != right ? left < right : $0.sortKey < $1.sortKey
                    }
                if let next = candidates.first {
                    hidden.insert(next)
                    changed = true
                }
            }
        }
        cascade()

        self.visible = Set(respondents.keys).subtracting(hidden)
        self.belowThreshold = primary
        self.complementary = hidden.subtracting(primary)
    }
}
