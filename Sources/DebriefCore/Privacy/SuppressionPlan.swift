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
        // Work on integer indices: a year of a large organisation means thousands of groups per week.
        let groups = stats.keys.map { ($0, $0.sortKey) }.sorted { $0.1 < $1.1 }.map(\.0)
        var index: [DigestGroup: Int] = [:]
        for (position, group) in groups.enumerated() { index[group] = position }
        let respondents = groups.map { max(0, stats[$0]?.respondents ?? 0) }
        var hidden = respondents.map { $0 < k }
        let primary = hidden

        var teamNames: [String] = []
        var teamRoleCells: [String: [Int]] = [:]
        var roleCells: [RoleLevel: [Int]] = [:]
        for (position, group) in groups.enumerated() {
            switch group {
            case .team(let team):
                teamNames.append(team)
            case .teamRole(let team, let role):
                teamRoleCells[team, default: []].append(position)
                roleCells[role, default: []].append(position)
            case .organisation, .role:
                break
            }
        }
        /// Children sorted smallest first (ties by name), so "hide the next smallest" is the first one not hidden.
        func sortedBySize(_ children: [Int]) -> [Int] {
            children.sorted { respondents[$0] != respondents[$1] ? respondents[$0] < respondents[$1] : $0 < $1 }
        }
        var partitions: [(parent: Int, children: [Int], childTotal: Int)] = []
        func addPartition(_ parent: DigestGroup, _ children: [DigestGroup]) {
            guard let parentIndex = index[parent] else { return }
            let present = children.compactMap { index[$0] }
            guard !present.isEmpty else { return }
            partitions.append((parentIndex, sortedBySize(present), present.reduce(0) { $0 + respondents[$1] }))
        }
        addPartition(.organisation, teamNames.map { .team($0) })
        addPartition(.organisation, RoleLevel.allCases.map { .role($0) })
        for team in teamNames { addPartition(.team(team), RoleLevel.allCases.map { .teamRole(team, $0) }) }
        for role in RoleLevel.allCases {
            addPartition(.role(role), (roleCells[role] ?? []).map { groups[$0] })
        }
        /// A hidden parent hides its cells: a hidden team cannot be rebuilt from its role cells.
        var cascades: [(parent: Int, cells: [Int])] = []
        if let organisation = index[.organisation] { cascades.append((organisation, Array(groups.indices))) }
        for team in teamNames {
            if let parent = index[.team(team)] { cascades.append((parent, teamRoleCells[team] ?? [])) }
        }
        for role in RoleLevel.allCases {
            if let parent = index[.role(role)] { cascades.append((parent, roleCells[role] ?? [])) }
        }

        var changed = true
        while changed {
            changed = false
            for cascade in cascades where hidden[cascade.parent] {
                for cell in cascade.cells where !hidden[cell] {
                    hidden[cell] = true
                    changed = true
                }
            }
            for partition in partitions where !hidden[partition.parent] {
                let remainder = max(0, respondents[partition.parent] - partition.childTotal)
                var hiddenMass = remainder
                var anyHidden = remainder > 0
                var smallestVisible: Int?
                for child in partition.children {
                    if hidden[child] {
                        anyHidden = true
                        hiddenMass += respondents[child]
                    } else if smallestVisible == nil {
                        smallestVisible = child
                    }
                }
                guard anyHidden, hiddenMass < k, let next = smallestVisible else { continue }
                hidden[next] = true
                changed = true
            }
        }

        var visible = Set<DigestGroup>()
        var belowThreshold = Set<DigestGroup>()
        var complementary = Set<DigestGroup>()
        for (position, group) in groups.enumerated() {
            if primary[position] {
                belowThreshold.insert(group)
            } else if hidden[position] {
                complementary.insert(group)
            } else {
                visible.insert(group)
            }
        }
        self.visible = visible
        self.belowThreshold = belowThreshold
        self.complementary = complementary
    }
}
