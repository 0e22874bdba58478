import DebriefCore
import Testing

@Suite("Complementary suppression")
struct SuppressionPlanTests {
    typealias Cell = DigestFixtures.Cell

    static func plan(_ cells: [Cell], k: Int = 5) -> SuppressionPlan {
        SuppressionPlan(stats: DigestFixtures.groups(cells), threshold: k)
    }

    @Test("leaders 6, managers 3, ICs 21: managers hidden, and leaders too so managers ≠ org − ICs − leaders")
    func managersOfThree() {
        let plan = Self.plan([
            Cell(team: nil, role: .leader, respondents: 6), Cell(team: nil, role: .manager, respondents: 3),
            Cell(team: nil, role: .ic, respondents: 21),
        ])
        #expect(plan.reason(for: .role(.manager)) == .belowThreshold)
        #expect(plan.reason(for: .role(.leader)) == .protectsSmallerGroup)
        #expect(plan.isVisible(.role(.ic)))
        #expect(plan.isVisible(.organisation))
    }

    @Test(
        "team partitions: what stays hidden is never smaller than k",
        arguments: [
            ([4, 6, 20], ["A"], ["B"]),  // one small team: the next smallest joins it
            ([4, 3, 20], ["A", "B"], []),  // two small teams already hide 7 people together
            ([2, 2, 10, 12], ["A", "B"], ["C"]),  // 2 + 2 < 5: keep hiding
            ([10, 10, 10], [], []),
            ([1, 30], ["A"], ["B"]),  // two teams: hiding one means hiding both
        ] as [([Int], [String], [String])])
    func teams(sizes: [Int], below: [String], complementary: [String]) {
        let names = ["A", "B", "C", "D"]
        let plan = Self.plan(
            sizes.enumerated().map { Cell(team: names[$0.offset], role: .ic, respondents: $0.element) })
        #expect(Set(plan.belowThreshold.compactMap(Self.teamName)) == Set(below))
        #expect(Set(plan.complementary.compactMap(Self.teamName)) == Set(complementary))
    }

    static func teamName(_ group: DigestGroup) -> String? {
        if case .team(let name) = group { return name }
        return nil
    }

    @Test("people without a team are an invisible remainder: org 13 with one team of 12 hides the team")
    func remainder() {
        let plan = Self.plan([
            Cell(team: "Ops", role: .ic, respondents: 12), Cell(team: nil, role: .ic, respondents: 1),
        ])
        #expect(plan.isVisible(.organisation))
        #expect(plan.reason(for: .team("Ops")) == .protectsSmallerGroup)
    }

    @Test("org 12 = 1 leader + 11 ICs: ICs hidden, else org − ICs is the leader's answers")
    func overlappingByOne() {
        let plan = Self.plan([
            Cell(team: "Ops", role: .leader, respondents: 1), Cell(team: "Ops", role: .ic, respondents: 11),
        ])
        #expect(!plan.isVisible(.role(.ic)))
        #expect(!plan.isVisible(.teamRole("Ops", .ic)))
        #expect(plan.isVisible(.team("Ops")))
        #expect(plan.isVisible(.organisation))
    }

    @Test("a hidden team hides its role cells, so it cannot be rebuilt from them")
    func cascade() {
        let plan = Self.plan([
            Cell(team: "A", role: .ic, respondents: 3), Cell(team: "B", role: .leader, respondents: 5),
            Cell(team: "B", role: .ic, respondents: 5), Cell(team: "C", role: .ic, respondents: 30),
        ])
        #expect(!plan.isVisible(.team("B")))
        #expect(!plan.isVisible(.teamRole("B", .ic)))
        #expect(!plan.isVisible(.teamRole("B", .leader)))
    }

    @Test("a present cell with nobody in it is hidden and protected too (\"no leader answered\" is not derivable)")
    func zeroCell() {
        var stats = DigestFixtures.groups([Cell(team: nil, role: .ic, respondents: 20)])
        stats[.role(.leader)] = GroupWeekStats()
        let plan = SuppressionPlan(stats: stats, threshold: 5)
        #expect(!plan.isVisible(.role(.ic)))
        #expect(plan.isVisible(.organisation))
    }

    /// The invariant behind every case above, checked on random organisations: for every partition whose parent
    /// is shown, the people hidden in it (hidden cells plus the remainder) are either nobody or at least k.
    @Test("random organisations: nothing shown below k, and no partition hides fewer than k people")
    func randomOrganisations() {
        var generator = SeededGenerator(seed: 47)
        for _ in 0..<300 {
            var cells: [Cell] = []
            let teams = Int.random(in: 1...6, using: &generator)
            for team in 0..<teams {
                for role in RoleLevel.allCases where Bool.random(using: &generator) {
                    cells.append(
                        Cell(team: "T\(team)", role: role, respondents: Int.random(in: 1...14, using: &generator)))
                }
            }
            if Bool.random(using: &generator) {
                cells.append(Cell(team: nil, role: .ic, respondents: Int.random(in: 1...6, using: &generator)))
            }
            let k = Int.random(in: 3...6, using: &generator)
            let stats = DigestFixtures.groups(cells)
            let plan = SuppressionPlan(stats: stats, threshold: k)
            Self.checkInvariant(stats: stats, plan: plan, k: k)
        }
    }

    static func checkInvariant(stats: [DigestGroup: GroupWeekStats], plan: SuppressionPlan, k: Int) {
        func n(_ group: DigestGroup) -> Int { stats[group]?.respondents ?? 0 }
        for group in plan.visible { #expect(n(group) >= k) }
        let teams = Set(
            stats.keys.compactMap { group -> String? in
                if case .team(let team) = group { return team }
                return nil
            })
        var partitions: [(DigestGroup, [DigestGroup])] = [
            (.organisation, teams.map { .team($0) }), (.organisation, RoleLevel.allCases.map { .role($0) }),
        ]
        for team in teams { partitions.append((.team(team), RoleLevel.allCases.map { .teamRole(team, $0) })) }
        for role in RoleLevel.allCases { partitions.append((.role(role), teams.map { .teamRole($0, role) })) }
        for (parent, all) in partitions where plan.isVisible(parent) {
            let children = all.filter { stats[$0] != nil }
            guard !children.isEmpty else { continue }
            let remainder = max(0, n(parent) - children.map(n).reduce(0, +))
            let hiddenMass = remainder + children.filter { !plan.isVisible($0) }.map(n).reduce(0, +)
            let anyHidden = remainder > 0 || children.contains { !plan.isVisible($0) }
            #expect(!anyHidden || hiddenMass >= k, "partition of \(parent) hides only \(hiddenMass)")
        }
        for group in stats.keys {
            if case .teamRole(let team, let role) = group, plan.isVisible(group) {
                #expect(plan.isVisible(.team(team)) && plan.isVisible(.role(role)))
            }
        }
    }
}
