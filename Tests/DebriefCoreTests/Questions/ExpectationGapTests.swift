import Foundation
import Testing

@testable import DebriefCore

/// The expectation gap and the themes as a week's release publishes them: k distinct people per side and per
/// choice, complementary suppression, the choice auditor, and what the leadership digest then shows.
@Suite struct ExpectationGapTests {
    typealias Cell = DigestFixtures.Cell

    /// Two teams; 20 leaders (10 + 10) and 40 ICs (20 + 20) reflected; 24 leaders and 44 ICs in the roster.
    static let cells: [Cell] = [
        Cell(team: "A", role: .leader, respondents: 10), Cell(team: "A", role: .ic, respondents: 20),
        Cell(team: "B", role: .leader, respondents: 10), Cell(team: "B", role: .ic, respondents: 20),
    ]
    static let roster = WeekRoster(cells: [
        .init(team: "A", role: .leader, people: 12), .init(team: "A", role: .ic, people: 22),
        .init(team: "B", role: .leader, people: 12), .init(team: "B", role: .ic, people: 22),
    ])
    static let everyLeaderChoice = ["same_work": 5, "quality": 5, "learning": 5, "admin": 5]
    static let timeSaved = RotatingQuestion(
        id: "time_saved", prompt: "What did you do with the time AI saved you?",
        choices: [
            QuestionChoice(id: "same_work", label: "More of the same work"),
            QuestionChoice(id: "quality", label: "Deeper work on quality"),
            QuestionChoice(id: "learning", label: "Learning"),
            QuestionChoice(id: "admin", label: "Admin backlog"),
        ])
    static let settings = PrivacySettings(k: 5, kQuotes: 5)

    static func release(_ tally: QuestionTally, themes: [ThemeTally] = [], settings: PrivacySettings = settings)
        -> QuestionRelease?
    {
        DigestBuilder.release(
            week: DigestFixtures.week, stats: DigestFixtures.groups(cells), roster: roster, cohorts: [],
            previous: nil, settings: settings, seed: 7, questions: QuestionWeekInput(tallies: [tally], themes: themes)
        ).questions
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var leaders: [String: Int]
        var ics: [String: Int]
        /// nil: no gap for the question. Otherwise choice → (leaders shown, ICs shown).
        var expected: [String: (Bool, Bool)]?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "both sides reach k: every choice held by k is compared",
            leaders: everyLeaderChoice, ics: ["same_work": 10, "quality": 10, "learning": 10, "admin": 10],
            expected: [
                "same_work": (true, true), "quality": (true, true), "learning": (true, true),
                "admin": (true, true),
            ]),
        Case(
            name: "a side of k−1 people answering: no gap at all",
            leaders: ["same_work": 2, "learning": 2], ics: ["same_work": 20, "learning": 20], expected: nil),
        Case(
            name: "a lone hidden choice would be the total minus the others: the smallest shown is hidden too",
            leaders: everyLeaderChoice, ics: ["same_work": 20, "quality": 12, "learning": 5, "admin": 3],
            expected: [
                "same_work": (true, true), "quality": (true, true), "learning": (true, false),
                "admin": (true, false),
            ]),
        Case(
            name: "two small hidden choices together under k: still another is hidden",
            leaders: everyLeaderChoice, ics: ["same_work": 20, "quality": 16, "learning": 2, "admin": 2],
            expected: [
                "same_work": (true, true), "quality": (true, false), "learning": (true, false),
                "admin": (true, false),
            ]),
        Case(
            name: "choices nobody chose are hidden too, so they hide one that somebody chose",
            leaders: ["same_work": 10, "learning": 10],
            ics: ["same_work": 10, "quality": 10, "learning": 10, "admin": 10],
            expected: [
                "same_work": (true, true), "quality": (false, true), "learning": (false, true),
                "admin": (false, true),
            ]),
        Case(
            name: "everyone on one side chose the same: nothing about that side is shown",
            leaders: ["learning": 20], ics: ["same_work": 20, "learning": 20], expected: nil),
    ]

    @Test(arguments: cases)
    func suppression(_ example: Case) {
        let release = Self.release(QuestionTally(question: Self.timeSaved, leaders: example.leaders, ics: example.ics))
        let gap = release?.gaps.first
        guard let expected = example.expected else {
            #expect(gap == nil)
            return
        }
        guard let gap else {
            Issue.record("no gap published")
            return
        }
        var shown: [String: (Bool, Bool)] = [:]
        for row in gap.rows { shown[row.choiceID] = (row.leaders != nil, row.ics != nil) }
        #expect(Set(shown.keys) == Set(expected.keys))
        for (choice, sides) in expected {
            #expect(shown[choice]?.0 == sides.0, "leaders, \(choice)")
            #expect(shown[choice]?.1 == sides.1, "ICs, \(choice)")
        }
        // Whatever is hidden on a side holds at least k people together, or nothing is hidden.
        for (side, counts) in [(0, example.leaders), (1, example.ics)] {
            let hidden = Self.timeSaved.choices.filter { choice in
                let row = gap.rows.first { $0.choiceID == choice.id }
                return (side == 0 ? row?.leaders : row?.ics) == nil
            }
            let total = hidden.reduce(0) { $0 + (counts[$1.id] ?? 0) }
            #expect(hidden.isEmpty || total >= 5)
        }
    }

    @Test func gapRowsCarryIntervalsAndTheDifferenceOfTheShownShares() throws {
        let release = Self.release(
            QuestionTally(
                question: Self.timeSaved, leaders: Self.everyLeaderChoice,
                ics: ["same_work": 10, "quality": 10, "learning": 10, "admin": 10]))
        let gap = try #require(release?.gaps.first)
        #expect(gap.leaders.label == "20–49")
        #expect(gap.ics.label == "20–49")
        let learning = try #require(gap.rows.first { $0.choiceID == "learning" })
        let leaders = try #require(learning.leaders)
        let ics = try #require(learning.ics)
        #expect(learning.gapPoints == leaders.midpoint - ics.midpoint)
        let interval = try #require(learning.gapInterval)
        #expect(interval.contains(learning.gapPoints ?? 0))
        #expect(learning.leadersInterval.map { $0.lower <= leaders.lower && leaders.upper <= $0.upper } == true)
    }

    @Test func aSideWhoseRoleGroupTheReleaseHidesIsNotShown() {
        // All 10 leaders of the roster reflected: "10–19" beside a roster of 10 would say so, so the release hides
        // the leaders, and their answers to the question are not shown either.
        let cells: [Cell] = [
            Cell(team: "A", role: .leader, respondents: 5), Cell(team: "A", role: .ic, respondents: 20),
            Cell(team: "B", role: .leader, respondents: 5), Cell(team: "B", role: .ic, respondents: 20),
        ]
        let roster = WeekRoster(cells: [
            .init(team: "A", role: .leader, people: 5), .init(team: "A", role: .ic, people: 22),
            .init(team: "B", role: .leader, people: 5), .init(team: "B", role: .ic, people: 22),
        ])
        let release = DigestBuilder.release(
            week: DigestFixtures.week, stats: DigestFixtures.groups(cells), roster: roster, cohorts: [],
            previous: nil, settings: Self.settings, seed: 7,
            questions: QuestionWeekInput(tallies: [
                QuestionTally(
                    question: Self.timeSaved, leaders: ["same_work": 5, "quality": 5],
                    ics: ["same_work": 20, "learning": 20])
            ]))
        #expect(release.shown(.role(.leader)) == nil)
        #expect(release.questions?.gaps.isEmpty == true)
    }

    @Test func theAuditorFindsPinnedCounts() {
        let k = 5
        // One hidden choice with an exactly known total: the total minus the shown choice gives it away.
        let lone = Self.audit(respondents: 30...30, counts: [27, 3], shown: [true, false], precision: .whole, k: k)
        #expect(!lone.isEmpty)
        // Two hidden choices holding at least k together in a range that fits several totals: safe.
        let pair = Self.audit(
            respondents: 20...49, counts: [22, 3, 3], shown: [true, false, false], precision: .tens, k: k)
        #expect(pair.isEmpty)
        // A small side whose range the roster closes to one count: the count of people is pinned.
        let closed = Self.audit(respondents: 10...10, counts: [5, 5], shown: [true, true], precision: .quarters, k: k)
        #expect(closed.contains("respondents pinned"))
        let open = Self.audit(respondents: 10...12, counts: [5, 5], shown: [true, true], precision: .quarters, k: k)
        #expect(open.isEmpty)
    }

    static func audit(
        respondents: ClosedRange<Int>, counts: [Int], shown: [Bool], precision: SharePrecision, k: Int
    ) -> [String] {
        let total = counts.reduce(0, +)
        let shares = counts.indices.map {
            shown[$0] ? PublishedPercent.publish(counts[$0], of: total, precision: precision) : nil
        }
        return ChoiceDistributionAuditor(respondents: respondents, shares: shares, precision: precision, threshold: k)
            .findings()
    }

    @Test func noiseChangesNoDecisionAndIsDrawnOnce() throws {
        let tally = QuestionTally(
            question: Self.timeSaved, leaders: Self.everyLeaderChoice,
            ics: ["same_work": 10, "quality": 10, "learning": 10, "admin": 10])
        let noisy = PrivacySettings(k: 5, kQuotes: 5, noiseEpsilon: 1)
        let first = try #require(Self.release(tally, settings: noisy)?.gaps.first)
        let second = try #require(Self.release(tally, settings: noisy)?.gaps.first)
        #expect(first == second)
        #expect(first.rows.count == 4)
    }

    // MARK: - Themes

    static let taxonomy = ThemeTaxonomy(themes: [
        .init(id: "relationships", label: "Relationships and trust", keywords: ["relationship", "vertrauen", "trust"]),
        .init(id: "creativity", label: "Creativity", keywords: ["creativ", "kreativ"]),
        .init(id: "judgement", label: "Judgement and decisions", keywords: ["decision", "entscheidung", "judg"]),
    ])

    @Test func taxonomyMatchesGermanAndEnglishByWordStart() {
        #expect(
            Self.taxonomy.themes(of: "Die Kreativität im Team und das Vertrauen der Kunden") == [
                "relationships", "creativity",
            ])
        #expect(Self.taxonomy.themes(of: "Client relationships; final decisions") == ["relationships", "judgement"])
        #expect(Self.taxonomy.themes(of: "distrust") == [])
        #expect(Self.taxonomy.themes(of: "") == [])
    }

    @Test func aThemeHeldByOnePersonIsNotShownAndQuotesNeedConsent() throws {
        let themes = [
            ThemeTally(theme: Self.taxonomy.themes[0], people: 6),
            ThemeTally(theme: Self.taxonomy.themes[1], people: 1),
            ThemeTally(theme: Self.taxonomy.themes[2], people: 4),
        ]
        let stats = DigestFixtures.groups(Self.cells)
        let input = DigestInput(
            audience: .leadership, week: DigestFixtures.week, stats: [DigestFixtures.week: stats],
            directoryNames: ["Ana Ruiz"], settings: Self.settings, rosters: [DigestFixtures.week: Self.roster],
            questions: QuestionWeekInput(themes: themes),
            themeQuotes: [
                ThemeQuoteCandidate(
                    text: "My call with Ana Ruiz builds trust", consent: .anonymousQuote,
                    themeIDs: ["relationships"]),
                ThemeQuoteCandidate(
                    text: "Private: trust is mine", consent: .aggregateOnly, themeIDs: ["relationships"]),
                ThemeQuoteCandidate(text: "Only my creativity", consent: .anonymousQuote, themeIDs: ["creativity"]),
            ])
        var random = SeededGenerator(seed: 1)
        let document = DigestBuilder.build(input, random: &random)
        let section = try #require(document.themes)
        #expect(section.themes.map(\.themeID) == ["relationships"])
        #expect(section.themes.first?.quote == "My call with [name] builds trust")
        #expect(document.sectionOrder.contains(.themes))
        // Team digests never carry the leadership sections.
        var team = input
        team.audience = .team("A")
        #expect(DigestBuilder.build(team, random: &random).themes == nil)
    }

    @Test func storedReleasesWithoutQuestionsStillDecode() throws {
        let release = DigestBuilder.release(
            week: DigestFixtures.week, stats: DigestFixtures.groups(Self.cells), roster: Self.roster, cohorts: [],
            previous: nil, settings: Self.settings, seed: 7)
        let data = try JSONEncoder().encode(release)
        #expect(!String(decoding: data, as: UTF8.self).contains("questions"))
        #expect(try JSONDecoder().decode(WeekRelease.self, from: data) == release)
    }
}
