import DebriefCore
import Testing

/// Hand-computed digests: what a leader reading the digest would see, number by number.
///
/// Shares are shown at the precision the group's published range allows (`SharePrecision`): whole percents
/// from 100 respondents, ten-point bands from 20, quarters below.
@Suite("Digest worked examples")
struct DigestWorkedExampleTests {
    /// Organisation of 140 (40 leaders, 20 managers, 80 ICs) this week, 192 reflections among them.
    static var organisation: [DigestGroup: GroupWeekStats] {
        let org = GroupWeekStats(
            respondents: 140, reflections: 192,
            outcomeCounts: [.savedTime: 80, .betterQuality: 48, .newCapability: 16, .noDifference: 32, .worse: 16],
            respondentsReportingDifference: 64,
            minutesSavedCounts: [.none: 32, .upTo15: 48, .upTo30: 64, .upTo60: 32, .upTo120: 16],
            confidenceCounts: [2: 32, 3: 64, 4: 64, 5: 32],
            categoryCounts: [.drafting: 80, .research: 64, .coding: 32, .admin: 16],
            blockerCounts: [.noTime: 48, .policyUnclear: 48, .skills: 16])
        let leaders = GroupWeekStats(
            respondents: 40, reflections: 40, respondentsReportingDifference: 28,
            minutesSavedCounts: [.upTo60: 24, .upTo30: 16], confidenceCounts: [4: 24, 5: 16])
        let managers = GroupWeekStats(respondents: 20, reflections: 20, respondentsReportingDifference: 12)
        let ics = GroupWeekStats(
            respondents: 80, reflections: 80, respondentsReportingDifference: 24,
            minutesSavedCounts: [.none: 44, .upTo15: 36], confidenceCounts: [2: 32, 3: 48])
        return [.organisation: org, .role(.leader): leaders, .role(.manager): managers, .role(.ic): ics]
    }

    static func document() -> DigestDocument {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for offset in -4...0 { stats[DigestFixtures.week(offset: offset)] = organisation }
        return DigestFixtures.build(DigestFixtures.input(stats: stats))
    }

    @Test("outcome mix: 80/48/16/32/16 of 192 reflections shows 42/25/8/17/8%, and 64 of 140 people saw a difference")
    func outcomes() throws {
        let mix = try #require(Self.document().outcomeMix)
        #expect(mix.shares.map(\.percent) == [42, 25, 8, 17, 8])
        #expect(mix.shares.map(\.outcome) == Outcome.allCases)
        #expect(mix.difference == 46)
    }

    @Test("minutes saved 32/48/64/32/16: the 96th of 192 is 16–30 (median), the 48th 1–15, the 144th 16–30")
    func minutes() throws {
        let minutes = try #require(Self.document().minutesSaved)
        #expect(minutes.median == .upTo30)
        #expect(minutes.lowerQuartile == .upTo15)
        #expect(minutes.upperQuartile == .upTo30)
        #expect(minutes.medianMinutes == 23)
        // Nobody said "more than two hours": shown as 0–5%, never as a flat "nobody".
        #expect(minutes.shares.map(\.percent) == [17, 25, 33, 17, 8, PublishedPercent(lower: 0, upper: 5)])
    }

    @Test("confidence 32/64/64/32 at levels 2–5: the 96th and 97th answers are 3 and 4, so the median is 3.5")
    func confidence() throws {
        let confidence = try #require(Self.document().confidence)
        #expect(confidence.median == 3.5)
        #expect(confidence.shares.map(\.percent) == [PublishedPercent(lower: 0, upper: 5), 17, 33, 33, 17])
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

    @Test("perception gap: leaders 28/40 (65–74%) against ICs 24/80 (25–34%) is 40 points and clear")
    func gap() throws {
        let gap = try #require(Self.document().perceptionGap)
        #expect(gap.scope == .organisation)
        // 40 leaders (range 20–49) and 80 ICs (50–99) are shown in ten-point bands.
        #expect(gap.leaders.difference == PublishedPercent(lower: 65, upper: 74))
        #expect(gap.ics.difference == PublishedPercent(lower: 25, upper: 34))
        // The gap is the difference of the bands' middles; its interval is computed from what is shown (the
        // lowest leader share 64.5% and the highest IC share 34.5% with 20 and 50 people, and the other way
        // round), so it is wider than one from exact counts.
        #expect(gap.gapPoints == 40)
        #expect(gap.gapInterval.lower > 0 && gap.gapInterval.upper < 70)
        #expect(gap.isClearDifference)
        #expect(gap.leaders.differenceInterval.lower < 64 && gap.leaders.differenceInterval.upper > 75)
        #expect(gap.leaders.medianMinutes == .upTo60)
        #expect(gap.ics.medianMinutes == MinutesSaved.none)
        #expect(gap.leaders.medianConfidence == 4)
        #expect(gap.ics.medianConfidence == 3)
        #expect(gap.leaders.respondents.label == "20–49")
        #expect(gap.ics.respondents.label == "50–99")
        #expect(gap.trend.count == 5)
        #expect(gap.trend.allSatisfy { $0.gapPoints == 40 })
    }

    @Test("a gap between 10 leaders and 20 ICs is flagged as not a clear difference")
    func unclearGap() throws {
        let week: [DigestGroup: GroupWeekStats] = [
            .organisation: GroupWeekStats(respondents: 35, reflections: 35, respondentsReportingDifference: 19),
            .role(.leader): GroupWeekStats(respondents: 10, reflections: 10, respondentsReportingDifference: 6),
            .role(.manager): GroupWeekStats(respondents: 5, reflections: 5, respondentsReportingDifference: 3),
            .role(.ic): GroupWeekStats(respondents: 20, reflections: 20, respondentsReportingDifference: 10),
        ]
        let document = DigestFixtures.build(DigestFixtures.input(stats: [DigestFixtures.week: week]))
        let gap = try #require(document.perceptionGap)
        // 6 of 10 leaders: "50–74%" (middle 62); 10 of 20 ICs: "45–54%" (middle 49).
        #expect(gap.gapPoints == 13)
        #expect(gap.gapInterval.contains(0))
        #expect(!gap.isClearDifference)
    }

    @Test("participation: ranges, never numbers; 140 people every week is steady")
    func participation() throws {
        let participation = try #require(Self.document().participation)
        #expect(participation.respondents.label == "100–199")
        #expect(participation.reflections.label == "100–199")
        #expect(participation.change?.direction == .steady)
        #expect(participation.change?.magnitude.label == "under 10%")
        #expect(participation.trend.map(\.respondents?.label) == Array(repeating: "100–199", count: 5))
    }

    /// The change is computed from the published ranges (their middles: 10–19 → 14.5, 20–49 → 34.5,
    /// 50–99 → 74.5, 100–199 → 149.5), so it tells nothing the trend does not: 20 → 30 people is "steady".
    @Test(
        "participation change against the average of the previous four weeks, from the published ranges",
        arguments: [
            ([20, 20, 20, 20], 60, ChangeDirection.up, "100%+"),
            ([20, 20, 20, 20], 30, .steady, "under 10%"),
            ([60, 60, 60, 60], 30, .down, "50–99%"),
            ([10, 10, 10, 10], 25, .up, "100%+"),
            ([120, 60, 120, 60], 60, .down, "25–49%"),
            ([60, 120, 60, 120], 120, .up, "25–49%"),
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
        // 40 participants (range 20–49): ten-point bands. 30 reflected (75%), 22 applied (55%), 9 repeated (22.5%).
        #expect(
            [row.reflectedPercent, row.appliedPercent, row.repeatedPercent]
                == [
                    PublishedPercent(lower: 75, upper: 84), PublishedPercent(lower: 55, upper: 64),
                    PublishedPercent(lower: 15, upper: 24),
                ])
        #expect(document.suppressed.contains { $0.section == .trainingToPractice && $0.reason == .belowThreshold })
        #expect(try !DigestFixtures.visibleText(document).contains("Tiny pilot"))
    }

    @Test("leadership breakdown rows per role with their own measures")
    func breakdown() throws {
        let breakdown = try #require(Self.document().breakdown)
        #expect(breakdown.roles.map(\.label) == ["Leaders", "Managers", "ICs"])
        #expect(
            breakdown.roles.map(\.difference)
                == [
                    PublishedPercent(lower: 65, upper: 74), PublishedPercent(lower: 55, upper: 64),
                    PublishedPercent(lower: 25, upper: 34),
                ])
        #expect(breakdown.roles.map(\.respondents.label) == ["20–49", "20–49", "50–99"])
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
        // 8 of 10 leaders: "75% or more" (middle 87); 10 of 20 ICs: "45–54%" (middle 49).
        #expect(big.leaders.difference == PublishedPercent(lower: 75, upper: 100))
        #expect(big.ics.difference == PublishedPercent(lower: 45, upper: 54))
        #expect(big.gapPoints == 38)
        let small = try #require(DigestFixtures.build(DigestFixtures.input(.team("Small"), stats: stats)).perceptionGap)
        #expect(small.scope == .organisation)
        // Leaders 8+1+2 of 17 (65%: "50–74%"), ICs 10+3+3 of 41 (39%: "35–44%").
        #expect(small.leaders.difference == PublishedPercent(lower: 50, upper: 74))
        #expect(small.ics.difference == PublishedPercent(lower: 35, upper: 44))
        #expect(small.gapPoints == 23)
    }
}
