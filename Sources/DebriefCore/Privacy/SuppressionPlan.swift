import Foundation

/// Which groups of one week may be shown, after k-anonymity and complementary suppression.
///
/// This is the first, fast pass; the `DisclosureAuditor` then checks what the plan lets through against a
/// reader who knows the org chart, and asks for more to be hidden (`forcedHidden`) until nothing sensitive
/// can be pinned down.
///
/// **Primary suppression.** A group with fewer than k distinct respondents shows nothing.
///
/// **Complementary suppression.** Groups form additive partitions: teams partition the organisation, role
/// levels partition it too, team × role cells partition each team (rows) and each role level (columns).
/// People counted in a parent but in none of its published children (people without a team) form an
/// implicit, never-shown remainder. For every partition whose parent is shown, subtracting the shown children
/// from the parent yields the hidden children together; the plan keeps hiding the smallest shown child (ties
/// by name) until the hidden part is empty, or holds at least k respondents *and* at least two cells that
/// have people in them — one hidden cell in a shown row gives itself away by subtraction.
///
/// **Structure from the roster.** Cells nobody holds (a team without leaders) are structurally empty and are
/// not cells at all: they can neither hide anybody nor serve as a complement. Groups made of exactly the same
/// people (a team that is all ICs and its IC cell) are one group: hiding one hides the other. A hidden parent
/// hides its cells (a hidden team cannot be rebuilt from its role cells). The loop runs to a fixed point
/// across all partitions.
///
/// - Important: build one plan per week from the stats of *every* group and use it for every audience of
///   that week. Decisions use exact counts, never noised ones.
public struct SuppressionPlan: Sendable, Equatable {
    /// The k the plan was made with.
    public let threshold: Int
    /// Groups that may be shown.
    public let visible: Set<DigestGroup>
    /// Groups hidden because they have fewer than k respondents.
    public let belowThreshold: Set<DigestGroup>
    /// Groups hidden so that a smaller group cannot be derived by subtraction (or because the auditor found
    /// that showing them would pin something down).
    public let complementary: Set<DigestGroup>

    /// True when `group` may be shown.
    public func isVisible(_ group: DigestGroup) -> Bool { visible.contains(group) }

    /// Why `group` is hidden, or nil when it is visible. Unknown groups are `belowThreshold` (nobody answered).
    public func reason(for group: DigestGroup) -> SuppressionReason? {
        if visible.contains(group) { return nil }
        if complementary.contains(group) { return .protectsSmallerGroup }
        return .belowThreshold
    }

    /// The plan for one week's groups without a roster (headcounts unknown: every group's cells are the
    /// team × role groups present in `stats`).
    public init(stats: [DigestGroup: GroupWeekStats], threshold: Int) {
        let table = DisclosureTable(cells: Self.cells(of: stats), roster: nil, present: Set(stats.keys))
        self.init(table: table, threshold: threshold, forcedHidden: [])
    }

    /// Exact counts per atom, recovered from the group stats the store sums (people without a team are the
    /// role total minus the role's team cells).
    static func cells(of stats: [DigestGroup: GroupWeekStats]) -> [AtomKey: (respondents: Int, yes: Int)] {
        var cells: [AtomKey: (respondents: Int, yes: Int)] = [:]
        var teamed: [RoleLevel: (respondents: Int, yes: Int)] = [:]
        for (group, value) in stats {
            guard case .teamRole(let team, let role) = group else { continue }
            cells[AtomKey(team: team, role: role)] = (value.respondents, value.respondentsReportingDifference)
            let sum = teamed[role] ?? (0, 0)
            teamed[role] = (sum.respondents + value.respondents, sum.yes + value.respondentsReportingDifference)
        }
        for role in RoleLevel.allCases {
            guard let total = stats[.role(role)] else { continue }
            let sum = teamed[role] ?? (0, 0)
            let respondents = total.respondents - sum.respondents
            // A role level present with nobody beyond its team cells still exists: keep its cell (possibly empty).
            if respondents > 0 || sum.respondents == 0 {
                cells[AtomKey(team: nil, role: role)] = (
                    max(0, respondents), max(0, total.respondentsReportingDifference - sum.yes)
                )
            }
        }
        // Respondents counted in the organisation but in no role level (stats that give only the total): one
        // cell without team or role detail.
        if let organisation = stats[.organisation] {
            let counted = cells.values.reduce(0) { $0 + $1.respondents }
            let yes = cells.values.reduce(0) { $0 + $1.yes }
            if organisation.respondents > counted {
                let key = AtomKey(team: nil, role: .ic)
                let existing = cells[key] ?? (0, 0)
                cells[key] = (
                    existing.respondents + organisation.respondents - counted,
                    existing.yes + max(0, organisation.respondentsReportingDifference - yes)
                )
            }
        }
        return cells
    }

    /// Builds the plan for one week's table, hiding at least `forcedHidden` (indices into `table.groups`).
    init(table: DisclosureTable, threshold: Int, forcedHidden: Set<Int>) {
        let k = max(1, threshold)
        self.threshold = k
        let groups = table.groups
        let respondents = groups.indices.map { table.respondents($0) }
        let headcounts = groups.indices.map { table.headcount($0) }
        let primary = groups.indices.map { respondents[$0] < k }
        var hidden = groups.indices.map { primary[$0] || forcedHidden.contains($0) }

        var teamCells: [String: [Int]] = [:]
        var roleCells: [RoleLevel: [Int]] = [:]
        var teams: [(name: String, index: Int)] = []
        for (position, group) in groups.enumerated() {
            switch group {
            case .team(let team): teams.append((team, position))
            case .teamRole(let team, let role):
                teamCells[team, default: []].append(position)
                roleCells[role, default: []].append(position)
            case .organisation, .role: break
            }
        }
        struct Partition {
            var parent: Int
            /// Smallest first (ties by position), so "hide the next smallest" is the first one shown.
            var children: [Int]
            var remainderRespondents: Int
            var remainderPeople: Int
        }
        var partitions: [Partition] = []
        func addPartition(_ parent: DigestGroup, _ children: [Int]) {
            guard let parentIndex = table.groupIndex[parent], !children.isEmpty else { return }
            let sorted = children.sorted { (respondents[$0], $0) < (respondents[$1], $1) }
            let childRespondents = children.reduce(0) { $0 + respondents[$1] }
            let childPeople = children.reduce(0) { $0 + headcounts[$1] }
            partitions.append(
                Partition(
                    parent: parentIndex, children: sorted,
                    remainderRespondents: max(0, respondents[parentIndex] - childRespondents),
                    remainderPeople: max(0, headcounts[parentIndex] - childPeople)))
        }
        addPartition(.organisation, teams.map(\.index))
        addPartition(.organisation, RoleLevel.allCases.compactMap { table.groupIndex[.role($0)] })
        for team in teams { addPartition(.team(team.name), teamCells[team.name] ?? []) }
        for role in RoleLevel.allCases { addPartition(.role(role), roleCells[role] ?? []) }

        var cascades: [(parent: Int, cells: [Int])] = []
        if let organisation = table.groupIndex[.organisation] { cascades.append((organisation, Array(groups.indices))) }
        for team in teams { cascades.append((team.index, teamCells[team.name] ?? [])) }
        for role in RoleLevel.allCases {
            if let parent = table.groupIndex[.role(role)] { cascades.append((parent, roleCells[role] ?? [])) }
        }
        // Groups of exactly the same cells are the same people.
        var aliases: [[Int]: [Int]] = [:]
        for position in groups.indices { aliases[table.members[position], default: []].append(position) }
        let aliasSets = aliases.values.filter { $0.count > 1 }

        var changed = true
        while changed {
            changed = false
            for set in aliasSets where set.contains(where: { hidden[$0] }) {
                for member in set where !hidden[member] {
                    hidden[member] = true
                    changed = true
                }
            }
            for cascade in cascades where hidden[cascade.parent] {
                for cell in cascade.cells where !hidden[cell] {
                    hidden[cell] = true
                    changed = true
                }
            }
            for partition in partitions where !hidden[partition.parent] {
                var hiddenMass = partition.remainderRespondents
                var hiddenUnits = partition.remainderPeople > 0 ? 1 : 0
                var anyHiddenChild = false
                var smallestShown: Int?
                for child in partition.children {
                    if hidden[child] {
                        anyHiddenChild = true
                        hiddenMass += respondents[child]
                        hiddenUnits += 1
                    } else if smallestShown == nil {
                        smallestShown = child
                    }
                }
                // People without a team alone may be derived when they are k or more; a hidden child needs
                // company (k respondents, two cells) so that neither it nor the remainder can be isolated.
                let needsMore =
                    anyHiddenChild
                    ? (hiddenMass < k || hiddenUnits < 2)
                    : (partition.remainderRespondents > 0 && partition.remainderRespondents < k)
                guard needsMore, let next = smallestShown else { continue }
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
        self.hiddenIndices = Set(groups.indices.filter { hidden[$0] })
    }

    /// Indices (into the table's groups) of every hidden group.
    let hiddenIndices: Set<Int>
}
