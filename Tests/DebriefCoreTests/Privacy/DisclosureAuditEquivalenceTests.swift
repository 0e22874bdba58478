import Foundation
import Testing

@testable import DebriefCore

/// The auditor shares work between its readers (`AuditBasis`): forms computed once, a witness's moved forms
/// kept as a bitset, overlapping groups found through their cells. Sharing must not change a single decision,
/// so these tests run the audit as it was written before — every reader's forms and every witness check from
/// scratch, every pair of shown groups intersected — on organisations large enough to have many insiders and
/// findings, and require the same findings in the same order.
@Suite("Disclosure: the shared audit decides exactly what the plain audit decides")
struct DisclosureAuditEquivalenceTests {
    /// The plain audit, kept as the oracle.
    enum PlainAudit {
        static func sets(_ auditor: DisclosureAuditor) -> [[Int]] {
            let table = auditor.table
            var sets: [[Int]] = []
            var seen = Set<[Int]>()
            func add(_ atoms: [Int]) {
                let sorted = atoms.sorted()
                guard !sorted.isEmpty, seen.insert(sorted).inserted else { return }
                sets.append(sorted)
            }
            for atom in table.atoms.indices where table.roster[atom] > 0 { add([atom]) }
            for (group, publication) in auditor.publications.enumerated() {
                if case .hidden = publication { add(table.members[group]) }
            }
            let shown = auditor.publications.indices.filter {
                if case .shown = auditor.publications[$0] { true } else { false }
            }
            for group in shown { add(table.members[group]) }
            let memberSets = table.members.map(Set.init)
            for first in shown {
                for second in shown where first != second {
                    guard !memberSets[first].intersection(memberSets[second]).isEmpty else { continue }
                    let difference = memberSets[first].subtracting(memberSets[second])
                    if !difference.isEmpty { add(Array(difference)) }
                }
            }
            return sets
        }

        static func findings(_ auditor: DisclosureAuditor) -> [DisclosureFinding] {
            var witnesses: [WitnessSearch.World] = []
            let sets = sets(auditor)
            var all = findings(auditor, insider: nil, witnesses: &witnesses, sets: sets)
            guard all.isEmpty || !auditor.stopsAtFirstFinding else { return all }
            for insider in auditor.insiders() {
                var reused = witnesses
                let inside = findings(auditor, insider: insider, witnesses: &reused, sets: sets)
                if !inside.isEmpty && auditor.stopsAtFirstFinding { return inside }
                all += inside
            }
            return all
        }

        static func findings(
            _ auditor: DisclosureAuditor, insider: DisclosureAuditor.Insider?, witnesses: inout [WitnessSearch.World],
            sets: [[Int]]
        ) -> [DisclosureFinding] {
            var search = WitnessSearch(auditor: auditor, insider: insider)
            guard search.truthIsConsistent() else { return [] }
            var open = auditor.sensitiveForms(insider: insider, sets: sets)
            let known = witnesses.filter { search.admits($0) }
            open.removeAll { form in known.contains { search.moves(form, in: $0) } }
            for (pass, cap) in [
                min(DisclosureAuditor.quickNodes, auditor.maximumNodes), auditor.maximumNodes,
            ].enumerated() {
                var index = 0
                while index < open.count {
                    let form = open[index]
                    var witness: WitnessSearch.World?
                    for direction in form.direction == 0 ? [-1, 1] : [form.direction] {
                        if let found = search.witness(for: form, direction: direction, nodeCap: cap) {
                            witness = found
                            break
                        }
                    }
                    if let witness {
                        open.removeAll { search.moves($0, in: witness) }
                        witnesses.append(witness)
                    } else if pass == 1 && auditor.stopsAtFirstFinding {
                        return [finding(auditor, form)]
                    } else {
                        index += 1
                    }
                }
            }
            return open.map { finding(auditor, $0) }
        }

        static func finding(_ auditor: DisclosureAuditor, _ form: SensitiveForm) -> DisclosureFinding {
            DisclosureFinding(
                form: form, touchingGroups: auditor.touching(form.atoms), summary: auditor.describe(form))
        }
    }

    /// Seeds of the compared organisations.
    static let seeds = Array(UInt64(1)...16)

    /// 2–4 teams of leaders, managers and ICs (cells of 0–9 people, some empty), people without a team,
    /// participation from none to all, answers skewed, k from 3 to 5.
    static func organisation(seed: UInt64) -> BruteForceAttacker.Organisation {
        var random = SeededGenerator(seed: seed)
        var roster: [AtomKey: Int] = [:]
        var truth: [AtomKey: BruteForceAttacker.Counts] = [:]
        let teams = (0..<Int.random(in: 2...4, using: &random)).map { Optional("T\($0)") } + [nil]
        for team in teams {
            for role in [RoleLevel.leader, .manager, .ic] {
                let size = Int.random(in: 0...(role == .ic ? 9 : 3), using: &random)
                guard size > 0 else { continue }
                let key = AtomKey(team: team, role: role)
                roster[key] = size
                let respondents = Int.random(in: 0...size, using: &random)
                let skew = Int.random(in: 0...3, using: &random)
                let yes =
                    skew == 0 ? 0 : skew == 1 ? respondents : Int.random(in: 0...respondents, using: &random)
                truth[key] = BruteForceAttacker.Counts(respondents: respondents, yes: yes)
            }
        }
        return BruteForceAttacker.Organisation(roster: roster, truth: truth, k: Int.random(in: 3...5, using: &random))
    }

    /// Auditors of the organisation's week: as the release's first round publishes it (structural hiding,
    /// precision by size), and as a careless publisher would (nothing hidden but groups under k, whole
    /// percents), which pins many quantities. Searches are capped lower than in production so that the plain
    /// audit stays fast in a debug build; the caps bound both audits alike.
    static func auditors(_ organisation: BruteForceAttacker.Organisation) -> [DisclosureAuditor] {
        let stats = BruteForceAttacker.stats(organisation.truth)
        let table = DisclosureTable(
            cells: SuppressionPlan.cells(of: stats), roster: organisation.weekRoster, present: Set(stats.keys))
        let k = organisation.k
        var careful = ReleaseBuilder.Decisions()
        careful.forcedHidden = ReleaseBuilder.structurallyHidden(table, threshold: k)
        var careless = ReleaseBuilder.Decisions()
        for group in table.groups.indices {
            careful.precision[group] = SharePrecision.forGroup(
                atLeast: ReleaseBuilder.bucket(table.respondents(group), k).lowerBound)
            careless.precision[group] = .whole
        }
        return [careful, careless].map { decisions in
            let plan = SuppressionPlan(table: table, threshold: k, forcedHidden: decisions.forcedHidden)
            let publications = ReleaseBuilder.publications(
                table: table, plan: plan, decisions: decisions, stats: stats, k: k)
            var auditor = DisclosureAuditor(table: table, publications: publications, threshold: k)
            auditor.maximumNodes = 60
            return auditor
        }
    }

    @Test("the same findings, in the same order, for every reader", arguments: Self.seeds)
    func sameFindings(seed: UInt64) {
        for (index, var auditor) in Self.auditors(Self.organisation(seed: seed)).enumerated() {
            // Every pinned quantity of the careless publication would take minutes in a debug build: its first.
            for stops in index == 0 ? [true, false] : [true] {
                auditor.stopsAtFirstFinding = stops
                let shared = auditor.findings()
                let plain = PlainAudit.findings(auditor)
                #expect(shared == plain, "seed \(seed), stops at first: \(stops)")
            }
        }
    }

    @Test("the organisations exercise what sharing changes: insiders, reused witnesses and findings")
    func organisationsAreNotTrivial() {
        var insiders = 0
        var withFindings = 0
        for seed in Self.seeds {
            for auditor in Self.auditors(Self.organisation(seed: seed)) {
                insiders += auditor.insiders().count
                if !auditor.findings().isEmpty { withFindings += 1 }
            }
        }
        #expect(insiders >= 100)
        #expect(withFindings >= 8)
    }

    @Test("an insider's forms are the outside reader's minus the one-person sets that hold their own record")
    func insiderForms() {
        for seed in Self.seeds {
            for auditor in Self.auditors(Self.organisation(seed: seed)) {
                let basis = AuditBasis(auditor: auditor)
                let sets = PlainAudit.sets(auditor)
                #expect(auditor.sensitiveSets() == sets, "seed \(seed)")
                for insider in [nil] + auditor.insiders() {
                    #expect(
                        basis.openForms(for: insider).map { basis.forms[$0] }
                            == auditor.sensitiveForms(insider: insider, sets: sets), "seed \(seed)")
                }
            }
        }
    }

    @Test("a witness's moved forms are exactly the forms it gives another value on their side")
    func movedForms() throws {
        for seed in Self.seeds {
            for auditor in Self.auditors(Self.organisation(seed: seed)) {
                let basis = AuditBasis(auditor: auditor)
                var search = WitnessSearch(auditor: auditor)
                for form in basis.forms.prefix(30) {
                    for direction in [-1, 1] {
                        guard let world = search.witness(for: form, direction: direction) else { continue }
                        let known = basis.known(world)
                        for (index, other) in basis.forms.enumerated() {
                            #expect(known.moved.contains(index) == search.moves(other, in: world), "seed \(seed)")
                        }
                    }
                }
            }
        }
    }
}
