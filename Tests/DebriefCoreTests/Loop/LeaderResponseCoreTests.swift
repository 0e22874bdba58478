import DebriefCore
import DebriefDigestSamples
import Foundation
import Testing

/// The Respond form's rules (the k rule for named teams among them) and loop closure, as tables.
@Suite("Leader responses: form rules and loop closure")
struct LeaderResponseCoreTests {
    static let offered: [ResponseTheme] = [.blocker(.noAccess), .blocker(.noTime), .category(.drafting)]
    static let eligible: Set<String> = ["Sales", "Support"]

    enum Field: Sendable { case text, themes, audience, teams }

    struct FormCase: Sendable, CustomTestStringConvertible {
        var name: String
        var form: LeaderResponseForm
        /// nil: accepted.
        var expectedProblem: Field?
        var mentions: String?
        var testDescription: String { name }
    }

    static let formCases: [FormCase] = [
        FormCase(
            name: "all teams, one theme",
            form: .init(
                text: "We fix access", themeKeys: ["blocker:no_access"],
                audienceChoice: "all", teams: []), expectedProblem: nil),
        FormCase(
            name: "named eligible team",
            form: .init(
                text: "We fix access", themeKeys: ["blocker:no_access"],
                audienceChoice: "teams", teams: ["Sales"]), expectedProblem: nil),
        FormCase(
            name: "a team smaller than k is refused by name",
            form: .init(
                text: "We fix access", themeKeys: ["blocker:no_access"], audienceChoice: "teams",
                teams: ["Sales", "Tiny"]), expectedProblem: .teams, mentions: "Tiny"),
        FormCase(
            name: "named teams without a team",
            form: .init(
                text: "We fix access", themeKeys: ["blocker:no_time"],
                audienceChoice: "teams", teams: []), expectedProblem: .teams),
        FormCase(
            name: "empty text",
            form: .init(
                text: " \n ", themeKeys: ["blocker:no_time"], audienceChoice: "all",
                teams: []), expectedProblem: .text),
        FormCase(
            name: "too long",
            form: .init(
                text: String(repeating: "a", count: 1_001), themeKeys: ["blocker:no_time"],
                audienceChoice: "all", teams: []), expectedProblem: .text, mentions: "1000"),
        FormCase(
            name: "no theme", form: .init(text: "We fix it", themeKeys: [], audienceChoice: "all", teams: []),
            expectedProblem: .themes),
        FormCase(
            name: "a theme the digest did not publish",
            form: .init(
                text: "We fix it",
                themeKeys: ["blocker:skills"], audienceChoice: "all", teams: []), expectedProblem: .themes),
        FormCase(
            name: "an unknown audience",
            form: .init(
                text: "We fix it", themeKeys: ["blocker:no_time"],
                audienceChoice: "everyone", teams: []), expectedProblem: .audience),
    ]

    @Test("the form accepts only published themes and teams whose digest had k people", arguments: formCases)
    func form(_ testCase: FormCase) {
        let result = testCase.form.validate(offered: Self.offered, eligibleTeams: Self.eligible)
        switch (result, testCase.expectedProblem) {
        case (.success, nil): break
        case (.failure(let errors), let field?):
            let problem: String? =
                switch field {
                case .text: errors.text
                case .themes: errors.themes
                case .audience: errors.audience
                case .teams: errors.teams
                }
            #expect(problem != nil, "\(errors)")
            if let mentions = testCase.mentions {
                #expect(problem?.replacingOccurrences(of: ",", with: "").contains(mentions) == true, "\(errors)")
            }
        default:
            Issue.record("unexpected \(result)")
        }
    }

    @Test("only team digests of that week with numbers make a team eligible; quiet ones (under k) do not")
    func eligibility() {
        var sales = DigestSamples.team
        sales.audience = .team("Sales")
        var tiny = DigestSamples.team
        tiny.audience = .team("Tiny")
        tiny.isQuiet = true
        tiny.participation = nil
        var lastWeek = DigestSamples.team
        lastWeek.audience = .team("Support")
        lastWeek.week = DigestSamples.weekKey(46)
        let teams = ResponseEligibility.teams(
            week: DigestSamples.week, teamDigests: [sales, tiny, lastWeek, DigestSamples.leadership])
        #expect(teams == ["Sales"])
    }

    static let day: TimeInterval = 86_400
    static let start = DigestSamples.wednesday

    struct ClosureCase: Sendable, CustomTestStringConvertible {
        var name: String
        var published: [PublishedTopBlockers]
        var responses: [AnsweredThemes]
        var expected: (total: Int, answered: Int, percent: Int, open: [String])?
        var testDescription: String { name }
    }

    static func published(_ week: Int, _ blockers: [Blocker], daysAgo: Double) -> PublishedTopBlockers {
        PublishedTopBlockers(
            week: DigestSamples.weekKey(week), blockers: blockers, publishedAt: start.addingTimeInterval(-daysAgo * day)
        )
    }

    static func answered(_ week: Int, _ blockers: [Blocker], daysAgo: Double) -> AnsweredThemes {
        AnsweredThemes(
            week: DigestSamples.weekKey(week), themes: blockers.map(ResponseTheme.blocker),
            createdAt: start.addingTimeInterval(-daysAgo * day))
    }

    static let closureCases: [ClosureCase] = [
        ClosureCase(name: "nothing published", published: [], responses: [], expected: nil),
        ClosureCase(
            name: "one of two answered in time",
            published: [published(46, [.noAccess, .noTime], daysAgo: 9)],
            responses: [answered(46, [.noAccess], daysAgo: 8)],
            expected: (2, 1, 50, ["no_time"])),
        ClosureCase(
            name: "an answer after 14 days does not close the loop",
            published: [published(44, [.skills], daysAgo: 23)],
            responses: [answered(44, [.skills], daysAgo: 1)],
            expected: (1, 0, 0, ["skills"])),
        ClosureCase(
            name: "an answer to another week's digest does not count",
            published: [published(45, [.noTime], daysAgo: 16), published(46, [.noTime], daysAgo: 9)],
            responses: [answered(46, [.noTime], daysAgo: 8)],
            expected: (2, 1, 50, ["no_time"])),
        ClosureCase(
            name: "only the four weeks before this one; this week's own blockers are new",
            published: [
                published(42, [.skills], daysAgo: 37), published(43, [.skills], daysAgo: 30),
                published(47, [.skills], daysAgo: 0), published(46, [.noAccess], daysAgo: 9),
            ],
            responses: [answered(43, [.skills], daysAgo: 29)],
            expected: (2, 1, 50, ["no_access"])),
        ClosureCase(
            name: "a use-case answer does not answer a blocker",
            published: [published(46, [.noAccess], daysAgo: 9)],
            responses: [
                AnsweredThemes(
                    week: DigestSamples.weekKey(46), themes: [.category(.drafting)],
                    createdAt: start.addingTimeInterval(-8 * day))
            ],
            expected: (1, 0, 0, ["no_access"])),
    ]

    @Test("loop closure counts published top blockers answered within 14 days", arguments: closureCases)
    func closure(_ testCase: ClosureCase) {
        let section = LoopClosure.section(
            published: testCase.published, responses: testCase.responses, week: DigestSamples.week, now: Self.start)
        guard let expected = testCase.expected else {
            #expect(section == nil)
            return
        }
        #expect(section?.publishedBlockers == expected.total)
        #expect(section?.answeredInTime == expected.answered)
        #expect(section?.percent == expected.percent)
        #expect(section?.open.map(\.blocker.rawValue) == expected.open)
    }

    @Test("loop closure only ever reads blocker sections a leadership digest published")
    func onlyPublishedSections() {
        var held = DigestSamples.leadership
        held.blockers = nil
        #expect(PublishedTopBlockers(document: held, publishedAt: Self.start) == nil)
        #expect(PublishedTopBlockers(document: DigestSamples.team, publishedAt: Self.start) == nil)
        #expect(PublishedTopBlockers(document: DigestSamples.leadership, publishedAt: Self.start) != nil)
    }

    @Test("stored digests from before responses existed still decode, without the new sections")
    func oldDocumentsDecode() throws {
        let data = try JSONEncoder().encode(DigestSamples.leadership)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "youSaidWeDid")
        object.removeValue(forKey: "loopClosure")
        let decoded = try JSONDecoder().decode(
            DigestDocument.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.loopClosure == nil && decoded.youSaidWeDid == nil)
    }
}
