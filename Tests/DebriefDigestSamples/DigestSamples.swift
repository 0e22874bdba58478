import DebriefCore
import Foundation

/// Worked digest documents with round, recognisable numbers, built by hand so page tests do not depend
/// on the aggregation. Shared by the core's page tests and the Slack message tests.
public enum DigestSamples {
    /// Wednesday 18 November 2026, noon UTC: in ISO week 2026-W47.
    public static let wednesday = Date(timeIntervalSince1970: 1_795_003_200)
    public static let week = weekKey(47)

    public static func bucket(_ lower: Int, _ upper: Int?) -> CountBucket {
        CountBucket(
            lowerBound: lower, upperBound: upper, label: upper.map { "\(lower)\u{2013}\($0)" } ?? "\(lower)+")
    }

    public static func weekKey(_ number: Int) -> WeekKey {
        WeekKey(containing: wednesday.addingTimeInterval(Double(number - 47) * 7 * 86_400), in: utc)
    }

    public static let utc = TimeZone(identifier: "UTC") ?? TimeZone.current

    public static let scriptQuote = "Drafted the Q3 brief in half the time <script>alert('x')</script> & it read better"

    public static let footer = DigestFooter(
        threshold: 5, quoteThreshold: 10, noiseEpsilon: nil,
        lines: [
            "Groups with fewer than 5 people who reflected show no numbers, trends or quotes; quotes need at least 10."
        ])

    /// The organisation-wide digest with every section.
    public static var leadership: DigestDocument {
        DigestDocument(
            audience: .leadership, week: week, isQuiet: false, quietReason: nil,
            sectionOrder: [
                .participation, .outcomeMix, .minutesSaved, .confidence, .perceptionGap, .breakdown, .categories,
                .blockers, .trainingToPractice, .quotes, .fromLeaders,
            ],
            participation: ParticipationSection(
                respondents: bucket(20, 49), reflections: bucket(50, 99),
                change: ParticipationChange(
                    direction: .up,
                    magnitude: ChangeMagnitude(lowerPercent: 25, upperPercent: 49, label: "25\u{2013}49%")),
                trend: [
                    ParticipationPoint(week: weekKey(43), respondents: bucket(10, 19)),
                    ParticipationPoint(week: weekKey(44), respondents: bucket(10, 19)),
                    ParticipationPoint(week: weekKey(45), respondents: bucket(20, 49)),
                    ParticipationPoint(week: weekKey(46), respondents: bucket(20, 49)),
                    ParticipationPoint(week: weekKey(47), respondents: bucket(20, 49)),
                ]),
            outcomeMix: OutcomeMixSection(
                shares: [
                    OutcomeShare(outcome: .savedTime, percent: 42), OutcomeShare(outcome: .betterQuality, percent: 23),
                    OutcomeShare(outcome: .newCapability, percent: 12),
                    OutcomeShare(outcome: .noDifference, percent: 18),
                    OutcomeShare(outcome: .worse, percent: 5),
                ], difference: 58),
            minutesSaved: MinutesSavedSection(
                median: .upTo30, lowerQuartile: .upTo15, upperQuartile: .upTo60, medianMinutes: 23,
                shares: [
                    MinutesShare(bucket: .none, percent: 10), MinutesShare(bucket: .upTo15, percent: 25),
                    MinutesShare(bucket: .upTo30, percent: 30), MinutesShare(bucket: .upTo60, percent: 20),
                    MinutesShare(bucket: .upTo120, percent: 10), MinutesShare(bucket: .moreThan120, percent: 5),
                ]),
            confidence: ConfidenceSection(
                median: 3.5,
                shares: [
                    ConfidenceShare(level: 1, percent: 5), ConfidenceShare(level: 2, percent: 10),
                    ConfidenceShare(level: 3, percent: 30), ConfidenceShare(level: 4, percent: 40),
                    ConfidenceShare(level: 5, percent: 15),
                ]),
            categories: CategorySection(top: [
                CategoryShare(category: .drafting, percent: 31), CategoryShare(category: .research, percent: 22),
                CategoryShare(category: .coding, percent: 17),
            ]),
            blockers: BlockerSection(top: [
                BlockerShare(blocker: .policyUnclear, percent: 27), BlockerShare(blocker: .trustInOutput, percent: 19),
                BlockerShare(blocker: .noAccess, percent: 8),
            ]),
            perceptionGap: PerceptionGapSection(
                scope: .organisation,
                leaders: PerceptionGapSide(
                    role: .leader, respondents: bucket(10, 19), difference: 70,
                    differenceInterval: PercentInterval(lower: 45, upper: 87), medianMinutes: .upTo60,
                    medianConfidence: 4),
                ics: PerceptionGapSide(
                    role: .ic, respondents: bucket(20, 49), difference: 58,
                    differenceInterval: PercentInterval(lower: 44, upper: 71), medianMinutes: .upTo30,
                    medianConfidence: 3.5),
                gapPoints: 12, gapInterval: PercentInterval(lower: -3, upper: 27), isClearDifference: false,
                trend: [
                    PerceptionGapPoint(
                        week: weekKey(44), leaderPercent: 75, icPercent: 55, gapPoints: 20,
                        gapInterval: PercentInterval(lower: 2, upper: 36), isClearDifference: true),
                    PerceptionGapPoint(
                        week: weekKey(45), leaderPercent: 71, icPercent: 56, gapPoints: 15,
                        gapInterval: PercentInterval(lower: -1, upper: 30), isClearDifference: false),
                    PerceptionGapPoint(
                        week: weekKey(46), leaderPercent: 66, icPercent: 57, gapPoints: 9,
                        gapInterval: PercentInterval(lower: -6, upper: 24), isClearDifference: false),
                    PerceptionGapPoint(
                        week: weekKey(47), leaderPercent: 70, icPercent: 58, gapPoints: 12,
                        gapInterval: PercentInterval(lower: -3, upper: 27), isClearDifference: false),
                ]),
            breakdown: GroupBreakdownSection(
                roles: [
                    GroupRow(
                        group: .role(.leader), label: "Leaders", respondents: bucket(10, 19), difference: 70,
                        medianMinutes: .upTo60, medianConfidence: 4),
                    GroupRow(
                        group: .role(.ic), label: "ICs", respondents: bucket(20, 49), difference: 58,
                        medianMinutes: .upTo30, medianConfidence: 3.5),
                ],
                teams: [
                    GroupRow(
                        group: .team("Platform"), label: "Platform", respondents: bucket(10, 19),
                        difference: 64, medianMinutes: .upTo30, medianConfidence: 4)
                ]),
            trainingToPractice: TrainingToPracticeSection(cohorts: [
                CohortRow(
                    trainingID: "t1", title: "Prompting for briefs", participants: bucket(20, 49), reflectedPercent: 64,
                    appliedPercent: 41, repeatedPercent: 18)
            ]),
            quotes: QuotesSection(quotes: [
                DigestQuote(text: scriptQuote, role: .ic),
                DigestQuote(text: "Summarised 40 pages of policy before the meeting", role: nil),
            ]),
            fromLeaders: LeaderNotesSection(notes: [
                DigestLeaderNote(
                    displayName: "Ana Ruiz", text: "Asked it to critique my strategy memo & it found two gaps")
            ]),
            suppressed: [
                SuppressedSection(
                    section: .breakdown, reason: .belowThreshold,
                    message: "Some teams are not shown: fewer than 5 people answered.")
            ],
            footer: footer)
    }

    /// A team digest whose perception gap and quotes were held back.
    public static var team: DigestDocument {
        var document = leadership
        document.audience = .team("Platform")
        document.sectionOrder = [
            .fromLeaders, .participation, .outcomeMix, .minutesSaved, .confidence, .categories, .blockers,
        ]
        document.perceptionGap = nil
        document.breakdown = nil
        document.trainingToPractice = nil
        document.quotes = nil
        document.suppressed = [
            SuppressedSection(
                section: .perceptionGap, reason: .belowThreshold,
                message: "The perception gap is not shown: fewer than 5 leaders or ICs reflected."),
            SuppressedSection(
                section: .quotes, reason: .tooFewForQuotes,
                message: "Quotes appear only when at least 10 people in the group reflected."),
        ]
        return document
    }

    public static var quiet: DigestDocument {
        DigestDocument(
            audience: .team("Platform"), week: week, isQuiet: true,
            quietReason: "A quiet week for Platform: too few reflections to share anything without exposing someone.",
            sectionOrder: [], suppressed: [], footer: footer)
    }
}
