import Foundation
import Testing

@testable import DebriefCore

/// The published numbers of a week, attacked by a reader who knows the org chart and reads everything:
/// the cases testers found (overlapping groups, empty cells, one respondent behind a statistic, ranges that pin
/// counts, a team where everybody reflected) and random small organisations checked against a brute-force
/// attacker that re-runs the production release for every world the roster allows.
@Suite("Disclosure: attacks on a week's publication")
struct DisclosureAttackTests {
    typealias Counts = BruteForceAttacker.Counts
    typealias Organisation = BruteForceAttacker.Organisation

    static func key(_ team: String?, _ role: RoleLevel) -> AtomKey { AtomKey(team: team, role: role) }

    static func table(_ organisation: Organisation) -> DisclosureTable {
        let stats = BruteForceAttacker.stats(organisation.truth)
        return DisclosureTable(
            cells: SuppressionPlan.cells(of: stats), roster: organisation.weekRoster, present: Set(stats.keys))
    }

    static func release(_ organisation: Organisation) -> WeekRelease {
        BruteForceAttacker.release(organisation.truth, organisation: organisation)
    }

    // MARK: - Overlapping groups

    /// disclosure.md §2: Platform is 6 people, all managers; P is the only manager outside Platform.
    static let platformAndP = Organisation(
        roster: [key("Platform", .manager): 6, key("Sales", .manager): 1, key("Sales", .ic): 12],
        truth: [
            key("Platform", .manager): Counts(respondents: 6, yes: 4),
            key("Sales", .manager): Counts(respondents: 1, yes: 1),
            key("Sales", .ic): Counts(respondents: 10, yes: 5),
        ], k: 5)

    @Test("managers = Platform + one person: the auditor pins P when both are shown with whole percents")
    func oneP() throws {
        let organisation = Self.platformAndP
        let table = Self.table(organisation)
        // Publish both groups the way the old digest did: "5–9 people: 67%" and "5–9 people: 71%".
        let publications = table.groups.indices.map { index -> GroupPublication in
            let group = table.groups[index]
            guard group == .team("Platform") || group == .role(.manager) else { return .hidden(belowThreshold: false) }
            return .shown(
                respondents: 5...9, reflectionsAtMost: nil,
                share: PublishedPercent.publish(table.yes(index), of: table.respondents(index), precision: .whole),
                precision: .whole)
        }
        var auditor = DisclosureAuditor(table: table, publications: publications, threshold: 5)
        auditor.stopsAtFirstFinding = false
        let findings = auditor.findings()
        let sales = try #require(table.atoms.firstIndex(of: Self.key("Sales", .manager)))
        #expect(findings.contains { $0.form.atoms == [sales] }, "P's participation or answer is pinned")
    }

    @Test("managers = Platform + one person: the release never shows both, and P stays hidden")
    func onePReleased() {
        let release = Self.release(Self.platformAndP)
        #expect(!(release.shown(.team("Platform")) != nil && release.shown(.role(.manager)) != nil))
        // The group hidden to protect P had enough people for quotes; hidden, it supplies none.
        let hidden = release.groups.filter { $0.visibility != .shown }
        #expect(hidden.contains { [.team("Platform"), .role(.manager)].contains($0.group) })
        #expect(hidden.allSatisfy { !$0.quotable })
        let kept = BruteForceAttacker.indistinguishable(from: Self.platformAndP)
        #expect(BruteForceAttacker.pins(kept: kept, organisation: Self.platformAndP).isEmpty)
    }

    // MARK: - Empty cells

    /// Team A has only ICs, so team A and its IC cell are the same people. B's one leader must stay hidden.
    static let allICs = Organisation(
        roster: [key("A", .ic): 6, key("B", .leader): 1, key("B", .ic): 9],
        truth: [
            key("A", .ic): Counts(respondents: 6, yes: 3), key("B", .leader): Counts(respondents: 1, yes: 1),
            key("B", .ic): Counts(respondents: 8, yes: 2),
        ], k: 5)

    @Test("a team made only of ICs and its IC cell are one group: both shown or both hidden")
    func emptyCellsAreNotComplements() {
        let release = Self.release(Self.allICs)
        #expect((release.shown(.team("A")) == nil) == (release.shown(.teamRole("A", .ic)) == nil))
        let kept = BruteForceAttacker.indistinguishable(from: Self.allICs)
        #expect(BruteForceAttacker.pins(kept: kept, organisation: Self.allICs).isEmpty)
    }

    @Test("cells nobody holds are not hidden cells: a team without leaders still shows its numbers")
    func structuralZerosDoNotHide() {
        var organisation = Self.allICs
        organisation.roster = [Self.key("A", .ic): 30, Self.key("B", .ic): 30]
        organisation.truth = [
            Self.key("A", .ic): Counts(respondents: 25, yes: 10), Self.key("B", .ic): Counts(respondents: 22, yes: 11),
        ]
        let release = Self.release(organisation)
        #expect(release.shown(.team("A")) != nil && release.shown(.team("B")) != nil)
        #expect(release.shown(.organisation) != nil)
    }

    // MARK: - Everyone, nobody

    @Test("a team of five where all five reflected is not shown: its range would say that everyone did")
    func everyoneReflected() {
        let organisation = Organisation(
            roster: [Self.key("Five", .ic): 5, Self.key("Big", .ic): 40],
            truth: [
                Self.key("Five", .ic): Counts(respondents: 5, yes: 2),
                Self.key("Big", .ic): Counts(respondents: 30, yes: 12),
            ],
            k: 5)
        let release = Self.release(organisation)
        #expect(release.shown(.team("Five")) == nil)
        #expect(release.shown(.team("Big")) == nil, "Big alone would be the organisation minus Five")
    }

    @Test(
        "shares never state 'nobody' or 'everybody': 0% and 100% are shown inside a band",
        arguments: [20, 50, 150, 600])
    func noZeroOrHundred(respondents: Int) {
        let precision = SharePrecision.forGroup(atLeast: respondents)
        for yes in [0, respondents] {
            let shown = PublishedPercent.publish(yes, of: respondents, precision: precision)
            #expect(!shown.isExact, "\(yes) of \(respondents) must not be shown exactly")
            let neighbour = yes == 0 ? 1 : respondents - 1
            #expect(PublishedPercent.publish(neighbour, of: respondents, precision: precision) == shown)
        }
    }

    // MARK: - Ranges beside shares

    /// disclosure.md §3: "5–9 people: 83%" fits 5 of 6 only. Now every pair of a range and a share fits at
    /// least two numerators and at least two (people, yes) pairs.
    @Test("every range shown beside a share fits at least two counts", arguments: [2, 3, 5, 10])
    func rangesAndSharesFitTwoCounts(k: Int) {
        var seen: [String: Set<Counts>] = [:]
        for respondents in k...400 {
            guard let bucket = CountBucket.bucket(for: respondents, threshold: k) else { continue }
            let precision = SharePrecision.forGroup(shownAs: bucket)
            for yes in 0...respondents {
                let shown = PublishedPercent.publish(yes, of: respondents, precision: precision)
                seen[bucket.label + " " + shown.label, default: []].insert(Counts(respondents: respondents, yes: yes))
            }
        }
        for (shown, counts) in seen where k >= 5 {
            #expect(Set(counts.map(\.yes)).count >= 2, "\(shown) pins the yes count")
            #expect(counts.count >= 2, "\(shown) pins the counts")
        }
    }

    // MARK: - Cohorts

    @Test("a cohort of ten with one person who reflected shows no step of the funnel")
    func cohortOfOne() {
        let settings = PrivacySettings()
        let cohort = TrainingCohortStats(
            trainingID: "t", title: "Prompting", participants: 10, reflected: 1, applied: 1, repeated: 0)
        let rows = ReleaseBuilder.cohorts(
            [cohort], previous: [], week: BruteForceAttacker.week, settings: settings, seed: 1)
        #expect(rows.count == 1)
        #expect(rows.first?.reflected == nil && rows.first?.applied == nil && rows.first?.repeated == nil)
    }

    @Test("a funnel moves only when at least k more people reflected, so two weeks never isolate fewer than k")
    func cohortIncrements() throws {
        let settings = PrivacySettings()
        func release(_ reflected: Int, applied: Int, previous: [CohortRelease]) -> CohortRelease? {
            ReleaseBuilder.cohorts(
                [
                    TrainingCohortStats(
                        trainingID: "t", title: "Prompting", participants: 40, reflected: reflected, applied: applied,
                        repeated: 0)
                ],
                previous: previous, week: BruteForceAttacker.week, settings: settings, seed: 1
            ).first
        }
        let first = try #require(release(10, applied: 6, previous: []))
        #expect(first.reflected != nil)
        let oneMore = try #require(release(11, applied: 7, previous: [first]))
        #expect(oneMore == first, "one more person: last week's row again")
        let fiveMore = try #require(release(15, applied: 9, previous: [first]))
        #expect(fiveMore.basis.reflected == 15)
    }

    // MARK: - Fail closed

    @Test("with no search budget every sensitive quantity counts as pinned, and the week is hidden")
    func failClosed() {
        let organisation = Self.platformAndP
        let table = Self.table(organisation)
        let plan = SuppressionPlan(table: table, threshold: 5, forcedHidden: [])
        var decisions = ReleaseBuilder.Decisions()
        for index in table.groups.indices { decisions.precision[index] = .quarters }
        let publications = ReleaseBuilder.publications(
            table: table, plan: plan, decisions: decisions, stats: BruteForceAttacker.stats(organisation.truth), k: 5)
        var auditor = DisclosureAuditor(table: table, publications: publications, threshold: 5)
        auditor.maximumNodes = 0
        #expect(!auditor.findings().isEmpty)
    }

    // MARK: - Random organisations against the brute-force attacker

    /// 2–3 teams, leaders and ICs (some cells empty), a few people without a team, answers skewed to all-yes or
    /// all-no, random participation, k of 2 or 3 so that small groups are shown at all.
    static func organisation(seed: UInt64) -> Organisation {
        var random = SeededGenerator(seed: seed)
        var roster: [AtomKey: Int] = [:]
        var truth: [AtomKey: Counts] = [:]
        let teams = ["A", "B", "C"].prefix(Int.random(in: 2...3, using: &random))
        var people = 0
        for team in teams.map { Optional($0) } + [nil] {
            for role in [RoleLevel.leader, .ic] {
                let size = team == nil ? Int.random(in: 0...1, using: &random) : Int.random(in: 0...3, using: &random)
                guard size > 0, people + size <= 9 else { continue }
                people += size
                let key = AtomKey(team: team, role: role)
                roster[key] = size
                let respondents = Int.random(in: 0...size, using: &random)
                let skew = Int.random(in: 0...2, using: &random)
                let yes = skew == 0 ? 0 : skew == 1 ? respondents : Int.random(in: 0...respondents, using: &random)
                truth[key] = Counts(respondents: respondents, yes: yes)
            }
        }
        return Organisation(roster: roster, truth: truth, k: Int.random(in: 2...3, using: &random))
    }

    static func assertNothingPinned(_ organisation: Organisation, reader: BruteForceAttacker.Reader = .rerunsPipeline) {
        let kept = BruteForceAttacker.indistinguishable(from: organisation, reader: reader)
        #expect(!kept.isEmpty, "the true world must be among the kept worlds: \(organisation)")
        let outside = BruteForceAttacker.pins(kept: kept, organisation: organisation)
        #expect(outside.isEmpty, "\(organisation): \(outside)")
        // A reader inside a small cell who knows their own record.
        for (key, counts) in organisation.truth where counts.respondents < organisation.k {
            let people = organisation.roster[key] ?? 0
            var states: [Counts] = []
            if counts.respondents < people { states.append(Counts(respondents: 0, yes: 0)) }
            if counts.yes > 0 { states.append(Counts(respondents: 1, yes: 1)) }
            if counts.respondents > counts.yes { states.append(Counts(respondents: 1, yes: 0)) }
            for state in states {
                let inside = BruteForceAttacker.pins(kept: kept, organisation: organisation, insider: (key, state))
                #expect(
                    inside.isEmpty, "\(organisation), insider in \(key.team ?? "-")/\(key.role.rawValue): \(inside)")
            }
        }
    }

    /// Fixed seeds, so that CI checks the same organisations every run (a brute-force run costs seconds, and
    /// shrinking a failure would cost many); `.fuzz/run`-style exploration with fresh seeds is done by hand
    /// with `DEBRIEF_ATTACK_SEEDS=<first>-<last>`.
    static let seeds: [UInt64] = {
        let range = ProcessInfo.processInfo.environment["DEBRIEF_ATTACK_SEEDS"]?.split(separator: "-")
            .compactMap { UInt64($0) }
        guard let range, range.count == 2, range[0] <= range[1] else { return Array(1...24) }
        return Array(range[0]...range[1])
    }()

    @Test(
        "random small organisations: a reader of the published numbers pins nobody, outside or inside",
        arguments: Self.seeds)
    func randomOrganisations(seed: UInt64) {
        Self.assertNothingPinned(Self.organisation(seed: seed), reader: .readsNumbers)
    }

    /// Known limitation, kept visible: the audit's remedies depend on the exact counts, so a reader who re-runs
    /// the whole release for every world learns from *which* remedy was applied. Five leaders, k = 3, all five
    /// reflected: the organisation shows "3–9, 50–74%"; had one of them not reflected, the auditor would have
    /// withheld the share — so a shown share says that all five reflected. Fixing this class needs a
    /// simulatable auditor (decisions made from what is already published, never from the truth); until then
    /// this test records the leak, and it fails the day the leak is fixed, to be turned into a plain test.
    @Test("known: the choice of remedy can itself give away a tiny organisation")
    func remedyPatternLeaks() {
        let organisation = Self.organisation(seed: 8)
        withKnownIssue("remedies depend on exact counts (no simulatable auditor yet)") {
            Self.assertNothingPinned(organisation)
        }
    }

    /// Found by the random organisations: every group hidden, and the reason "hidden to protect a smaller
    /// group" on A's two leaders said that both had reflected (the reason now follows from the roster).
    static let reasonGaveAway = Organisation(
        roster: [
            key(nil, .leader): 1, key("A", .ic): 1, key("A", .leader): 2, key("B", .ic): 2, key("B", .leader): 1,
            key("C", .leader): 1,
        ],
        truth: [
            key(nil, .leader): Counts(respondents: 1, yes: 0), key("A", .ic): Counts(respondents: 1, yes: 1),
            key("A", .leader): Counts(respondents: 2, yes: 2), key("B", .ic): Counts(respondents: 1, yes: 1),
            key("B", .leader): Counts(respondents: 1, yes: 1), key("C", .leader): Counts(respondents: 0, yes: 0),
        ], k: 2)

    /// Organisations that once failed, kept as regression cases.
    @Test("kept regression organisations", arguments: [Self.platformAndP, Self.allICs, Self.reasonGaveAway])
    func regressions(organisation: Organisation) {
        Self.assertNothingPinned(organisation)
    }
}

extension BruteForceAttacker.Organisation: @unchecked Sendable {}
