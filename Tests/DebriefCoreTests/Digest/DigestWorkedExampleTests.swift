import DebriefCore
import Testing

/// Hand-computed digests: what a leader reading the digest would see, number by number.
@Suite("Digest worked examples")
struct DigestWorkedExampleTests {
    /// Organisation of 35 (10 leaders, 5 managers, 20 ICs) this week, 48 reflections among them.
    static var organisation: [DigestGroup: GroupWeekStats] {
        let org = GroupWeekStats(
            respondents: 35, reflections: 48,
            outcomeCounts: [.savedTime: 20, .betterQuality: 12, .newCapability: 4, .noDifference: 8, .worse: 4],
            respondentsReportingDifference: 7,
            minutesSavedCounts: [.none: 8, .upTo15: 12, .upTo30: 16, .upTo60: 8, .upTo120: 4],
            confidenceCounts: [2: 8, 3: 16, 4: 16, 5: 8],
            categoryCounts: [.drafting: 20, .research: 16, .coding: 8, .admin: 4],
            blockerCounts: [.noTime: 12, .policyUnclear: 12, .skills: 4])
        let leaders = GroupWeekStats(
            respondents: 10, reflections: 10, respondentsReportingDifference: 7,
            minutesSavedCounts: [.upTo60: 6, .upTo30: 4], confidenceCounts: [4: 6, 5: 4])
        let managers = GroupWeekStats(respondents: 5, reflections: 5, respondentsReportingDifference: 3)
        let ics = GroupWeekStats(
            respondents: 20, reflections: 20, respondentsReportingDifference: 6,
            minutesSavedCounts: [.none: 11, .upTo15: 9], confidenceCounts: [2: 8, 3: 12])
        return [.organisation: org, .role(.leader): leaders, .role(.manager): managers, .role(.ic): ics]
    }

    static func document() -> DigestDocument {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for offset in -4...0 { stats[DigestFixtures.week(offset: offset)] = organisation }
        return DigestFixtures.build(DigestFixtures.input(stats: stats))
    }

    @Test("outcome mix: 20/12/4/8/4 of 48 reflections shows 42/25/8/17/8%, and 7 of 35 people saw a difference")
    func outcomes() throws {
        let mix = try #require(Self.document().outcomeMix)
        #expect(mix.shares.map(\.percent) == [42, 25, 8, 17, 8])
        #expect(mix.shares.map(\.outcome) == Outcome.allCases)
        #expect(mix.differencePercent == 20)
    }

    @Test("minutes saved 8/12/16/8/4: the 24th of 48 is 16–30 (median), the 12th 1–15, the 36th 16–30")
    func minutes() throws {
        let minutes = try #require(Self.document().minutesSaved)
        #expect(minutes.median == .upTo30)
        #expect(minutes.lowerQuartile == .upTo15)
        #expect(minutes.upperQuartile == .upTo30)
        #expect(minutes.medianMinutes == 23)
        #expect(minutes.shares.map(\.percent) == [17, 25, 33, 17, 8, 0])
    }

    @Test("confidence 8/16/16/8 at levels 2–5: the 24th and 25th answers are 3 and 4, so the median is 3.5")
    func confidence() throws {
        let confidence = try #require(Self.document().confidence)
        #expect(confidence.median == 3.5)
        #expect(confidence.shares.map(\.percent) == [0, 17, 33, 33, 17])
    }

    @Test("top three categories and blockers")
    func categoriesAndBlockers() throws {
        let document = Self.document()
        let categories = try #require(document.categories)
        #expect(categories.top.map(\.category) == [.drafting, .research, .coding])
        #expect(categories.top.map(\.percent) == [42, 33, 17])
        let blockers = try #require(document.blockers)
        #expect(blockers.top.map(\.blocker) == [.policyUnclear, .noTime, .skills])
        #expect(blockers.top.map(\.percent) == [25, 25, 8])
    }

    @Test("perception gap: leaders 7/10 (70%, 39–90) against ICs 6/20 (30%, 14–52) is 40 points, 2–65, clear")
    func gap() throws {
        let gap = try #require(Self.document().perceptionGap)
        #expect(gap.scope == .organisation)
        #expect(gap.leaders.differencePercent == 70)
        #expect(gap.leaders.differenceInterval == PercentInterval(lower: 39, upper: 90))
        #expect(gap.ics.differencePercent == 30)
        #expect(gap.ics.differenceInterval == PercentInterval(lower: 14, upper: 52))
        #expect(gap.gapPoints == 40)
        #expect(gap.gapInterval == PercentInterval(lower: 2, upper: 65))
        #expect(gap.isClearDifference)
        #expect(gap.leaders.medianMinutes == .upTo60)
        #expect(gap.ics.medianMinutes == MinutesSaved.none)
        #expect(gap.leaders.medianConfidence == 4)
        #expect(gap.ics.medianConfidence == 3)
        #expect(gap.leaders.respondents.label == "10–19")
        #expect(gap.ics.respondents.label == "20–49")
        #expect(gap.trend.count == 5)
        #expect(gap.trend.allSatisfy { $0.gapPoints == 40 })
    }

    @Test("a 10-point gap between 5 leaders and 20 ICs is flagged as not a clear difference")
    func unclearGap() throws {
        var week = Self.organisation
        week[.role(.leader)] = GroupWeekStats(respondents: 10, reflections: 10, respondentsReportingDifference: 6)
        week[.role(.ic)] = GroupWeekStats(respondents: 20, reflections: 20, respondentsReportingDifference: 10)
        let document = DigestFixtures.build(DigestFixtures.input(stats: [DigestFixtures.week: week]))
        let gap = try #require(document.perceptionGap)
        #expect(gap.gapPoints == 10)
        #expect(gap.gapInterval.contains(0))
        #expect(!gap.isClearDifference)
    }

    @Test("participation: ranges, never numbers; 35 people every week is steady")
    func participation() throws {
        let participation = try #require(Self.document().participation)
        #expect(participation.respondents.label == "20–49")
        #expect(participation.reflections.label == "20–49")
        #expect(participation.change?.direction == .steady)
        #expect(participation.change?.magnitude.label == "under 10%")
        #expect(participation.trend.map(\.respondents?.label) == Array(repeating: "20–49", count: 5))
    }

    @Test(
        "participation change against the average of the previous four weeks, in coarse ranges",
        arguments: [
            ([20, 20, 20, 20], 30, ChangeDirection.up, "50–99%"),
            ([20, 20, 20, 20], 21, .steady, "under 10%"),
            ([40, 40, 40, 40], 30, .down, "25–49%"),
            ([10, 10, 10, 10], 25, .up, "100%+"),
            ([20, 30, 20, 30], 28, .up, "10–24%"),
        ])
    func change(previous: [Int], current: Int, direction: ChangeDirection, label: String) throws {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for (index, count) in (previous + [current]).enumerated() {
            stats[DigestFixtures.week(offset: index - previous.count)] = [
                .organisation: GroupWeekStats(respondents: count, reflections: count)
            ]
        }
        let change = try #require(DigestFixtures.build(DigestFixtures.input(stats: stats)).participation?.change)
        #expect(change.direction == direction)
        #expect(change.magnitude.label == label)
    }

    @Test("training to practice: shares of participants per cohort, small cohorts left out")
    func training() throws {
        let cohorts = [
            TrainingCohortStats(
                trainingID: "t1", title: "Prompting basics", participants: 40, reflected: 30, applied: 22, repeated: 9),
            TrainingCohortStats(
                trainingID: "t2", title: "Tiny pilot", participants: 4, reflected: 4, applied: 3, repeated: 1),
        ]
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for offset in -4...0 { stats[DigestFixtures.week(offset: offset)] = Self.organisation }
        let document = DigestFixtures.build(DigestFixtures.input(stats: stats, cohorts: cohorts))
        let section = try #require(document.trainingToPractice)
        #expect(section.cohorts.count == 1)
        let row = try #require(section.cohorts.first)
        #expect(row.title == "Prompting basics")
        #expect(row.participants.label == "20–49")
        #expect([row.reflectedPercent, row.appliedPercent, row.repeatedPercent] == [75, 55, 23])
        #expect(document.suppressed.contains { $0.section == .trainingToPractice && $0.reason == .belowThreshold })
        #expect(try !DigestFixtures.visibleText(document).contains("Tiny pilot"))
    }

    @Test("leadership breakdown rows per role with their own measures")
    func breakdown() throws {
        let breakdown = try #require(Self.document().breakdown)
        #expect(breakdown.roles.map(\.label) == ["Leaders", "Managers", "ICs"])
        #expect(breakdown.roles.map(\.differencePercent) == [70, 60, 30])
        #expect(breakdown.roles.map(\.respondents.label) == ["10–19", "5–9", "20–49"])
        #expect(breakdown.roles[1].medianMinutes == nil)
    }
}

@Suite("Perception gap scope")
struct PerceptionGapScopeTests {
    typealias Cell = DigestFixtures.Cell

    @Test("a team with enough leaders and ICs of its own compares them; otherwise the organisation's are shown")
    func scope() throws {
        let stats = DigestFixtures.steady([
            Cell(team: "Big", role: .leader, respondents: 10, difference: 8),
            Cell(team: "Big", role: .ic, respondents: 20, difference: 10),
            Cell(team: "Small", role: .leader, respondents: 1, difference: 1),
            Cell(team: "Small", role: .ic, respondents: 12, difference: 3),
            Cell(team: "Other", role: .leader, respondents: 6, difference: 2),
            Cell(team: "Other", role: .ic, respondents: 9, difference: 3),
        ])
        let big = try #require(DigestFixtures.build(DigestFixtures.input(.team("Big"), stats: stats)).perceptionGap)
        #expect(big.scope == .team("Big"))
        #expect(big.leaders.differencePercent == 80 && big.ics.differencePercent == 50 && big.gapPoints == 30)
        let small = try #require(DigestFixtures.build(DigestFixtures.input(.team("Small"), stats: stats)).perceptionGap)
        #expect(small.scope == .organisation)
        // Leaders 8+1+2 of 17, ICs 10+3+3 of 41.
        #expect(small.leaders.differencePercent == 65 && small.ics.differencePercent == 39)
        #expect(small.gapPoints == 26)
    }
}
