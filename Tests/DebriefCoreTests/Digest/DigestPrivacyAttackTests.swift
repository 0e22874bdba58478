import DebriefCore
import Foundation
import Testing

/// Attempts a curious reader could make on real digests, and what they get.
@Suite("Digest privacy attacks")
struct DigestPrivacyAttackTests {
    typealias Cell = DigestFixtures.Cell

    // MARK: - Small groups and subtraction

    @Test("a team of 4 in an org of 30: its digest is one quiet line, and leaders see no row for it")
    func teamOfFour() throws {
        let stats = DigestFixtures.steady(DigestFixtures.orgOf30)
        let team = DigestFixtures.build(DigestFixtures.input(.team("Platform"), stats: stats))
        #expect(team.isQuiet)
        let reason = try #require(team.quietReason)
        #expect(!reason.contains("\n"))
        #expect(team.participation == nil && team.outcomeMix == nil && team.minutesSaved == nil)
        #expect(team.confidence == nil && team.perceptionGap == nil && team.quotes == nil)
        #expect(team.sectionOrder.isEmpty)

        let leadership = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
        #expect(!leadership.isQuiet)
        let teams = try #require(leadership.breakdown).teams
        #expect(!teams.contains { $0.label == "Platform" })
        #expect(try !DigestFixtures.visibleText(leadership).contains("Platform"))
        // Org minus the visible teams must not isolate Platform: Sales (6) is hidden with it.
        #expect(teams.map(\.label) == ["Support"])
        // What subtraction yields is Platform and Sales together: 4 + 6 people, at least k.
        let plan = SuppressionPlan(stats: stats[DigestFixtures.week] ?? [:], threshold: 5)
        #expect(plan.reason(for: .team("Platform")) == .belowThreshold)
        #expect(plan.reason(for: .team("Sales")) == .protectsSmallerGroup)
        #expect(leadership.suppressed.contains { $0.section == .breakdown && $0.reason == .protectsSmallerGroup })
    }

    @Test("the team hidden to protect the small one gets a quiet digest too, worded like any quiet week")
    func complementaryTeamIsQuiet() throws {
        let stats = DigestFixtures.steady(DigestFixtures.orgOf30)
        let sales = DigestFixtures.build(DigestFixtures.input(.team("Sales"), stats: stats))
        let platform = DigestFixtures.build(DigestFixtures.input(.team("Platform"), stats: stats))
        #expect(sales.isQuiet)
        // Same words for both, so the line does not tell "fewer than k" from "protecting another team".
        #expect(
            sales.quietReason?.replacingOccurrences(of: "Sales", with: "X")
                == platform.quietReason?.replacingOccurrences(of: "Platform", with: "X"))
        let support = DigestFixtures.build(DigestFixtures.input(.team("Support"), stats: stats))
        #expect(!support.isQuiet)
        #expect(support.participation?.respondents.label == "20–49")
    }

    @Test("leaders 6, managers 3, ICs 21: managers are hidden and so are leaders, so no gap is shown")
    func managersOfThree() throws {
        let stats = DigestFixtures.steady(DigestFixtures.orgOf30)
        let leadership = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
        let roles = try #require(leadership.breakdown).roles
        #expect(roles.map(\.label) == ["ICs"])
        #expect(leadership.perceptionGap == nil)
        #expect(leadership.suppressed.contains { $0.section == .perceptionGap })
        #expect(leadership.suppressed.contains { $0.section == .breakdown && $0.message.contains("role levels") })
    }

    @Test("two overlapping groups differing by one person: org of 12 and its 11 ICs are never both shown")
    func overlappingByOne() throws {
        let cells = [
            Cell(team: "Ops", role: .leader, respondents: 1, difference: 1),
            Cell(team: "Ops", role: .ic, respondents: 11),
        ]
        let stats = DigestFixtures.steady(cells)
        let leadership = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
        #expect(leadership.breakdown?.roles.isEmpty ?? true)
        #expect(leadership.perceptionGap == nil)
        let team = DigestFixtures.build(DigestFixtures.input(.team("Ops"), stats: stats))
        #expect(!team.isQuiet)
        #expect(team.perceptionGap == nil)
        // The team and the org are the same 12 people: their numbers agree, nothing to subtract.
        #expect(team.outcomeMix == leadership.outcomeMix)
    }

    @Test("one person without a team: a team of 12 in an org of 13 is not shown, in either digest")
    func remainderOfOne() throws {
        let cells = [
            Cell(team: "Ops", role: .ic, respondents: 12), Cell(team: nil, role: .ic, respondents: 1, difference: 0),
        ]
        let stats = DigestFixtures.steady(cells)
        let leadership = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
        #expect(leadership.breakdown?.teams.isEmpty ?? true)
        #expect(DigestFixtures.build(DigestFixtures.input(.team("Ops"), stats: stats)).isQuiet)
    }

    // MARK: - Across weeks

    @Test("a team at 4 then 5 shows its range but no change and no earlier weeks")
    func crossingTheThreshold() throws {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for offset in -4...0 {
            stats[DigestFixtures.week(offset: offset)] = DigestFixtures.groups([
                Cell(team: "Data", role: .ic, respondents: offset == 0 ? 5 : 4),
                Cell(team: "Support", role: .ic, respondents: 20),
                Cell(team: "Sales", role: .ic, respondents: 8),
            ])
        }
        let team = DigestFixtures.build(DigestFixtures.input(.team("Data"), stats: stats))
        let participation = try #require(team.participation)
        #expect(participation.respondents.label == "5–9")
        #expect(participation.change == nil)
        #expect(participation.trend.dropLast().allSatisfy { $0.respondents == nil })
        #expect(participation.trend.last?.respondents?.label == "5–9")
        #expect(team.suppressed.contains { $0.reason == .earlierWeeksHidden })

        // In the leadership digest the earlier weeks hid Data and Sales together; this week Data is shown.
        let leadership = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
        #expect(leadership.breakdown?.teams.map(\.label) == ["Data", "Sales", "Support"])
    }

    @Test("a week hidden for a group stays hidden in later trends")
    func hiddenWeekStaysHidden() throws {
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for offset in -6...0 {
            stats[DigestFixtures.week(offset: offset)] = DigestFixtures.groups([
                Cell(team: "A", role: .ic, respondents: offset == -3 ? 3 : 12)
            ])
        }
        let participation = try #require(
            DigestFixtures.build(DigestFixtures.input(.team("A"), stats: stats)).participation)
        #expect(participation.trend.map { $0.respondents == nil } == [false, false, false, true, false, false, false])
        #expect(participation.change == nil)
    }

    // MARK: - Quotes and notes

    static let names = ["Anna Schmidt", "Bram de Vries"]

    static func quote(_ text: String, _ consent: Consent = .anonymousQuote, team: String = "Support") -> QuoteCandidate
    {
        QuoteCandidate(text: text, consent: consent, group: .team(team), roleLevel: .ic)
    }

    @Test("quotes naming a colleague, an e-mail, a phone number, a Slack mention or a URL are scrubbed")
    func scrubbedQuotes() throws {
        let stats = DigestFixtures.steady([Cell(team: "Support", role: .ic, respondents: 25)])
        let quotes = [
            Self.quote("Anna Schmidt showed me how to summarise tickets"),
            Self.quote("Mail bram.devries@example.com for the prompt we used"),
            Self.quote("Call +49 30 1234567 if the bot breaks again"),
            Self.quote("Thanks <@U024BE7LH> for the template idea"),
            Self.quote("The prompt is at https://wiki.example.com/ai-prompts"),
        ]
        let document = DigestFixtures.build(
            DigestFixtures.input(.team("Support"), stats: stats, quotes: quotes, names: Self.names))
        let shown = try #require(document.quotes).quotes.map(\.text)
        #expect(shown.count == 5)
        let all = shown.joined(separator: "\n")
        for secret in ["Anna", "Schmidt", "bram", "example.com", "1234567", "U024BE7LH", "<@", "https"] {
            #expect(!all.contains(secret), "\(secret) leaked")
        }
        for placeholder in ["[name]", "[email]", "[phone]", "[mention]", "[link]"] {
            #expect(all.contains(placeholder))
        }
    }

    @Test("a group with 9 respondents shows numbers but no quotes; with 10 it shows them")
    func quoteThreshold() throws {
        for (size, expectQuotes) in [(9, false), (10, true)] {
            let stats = DigestFixtures.steady([
                Cell(team: "Support", role: .ic, respondents: size), Cell(team: "Sales", role: .ic, respondents: 20),
            ])
            let document = DigestFixtures.build(
                DigestFixtures.input(
                    .team("Support"), stats: stats, quotes: [Self.quote("Drafted the FAQ in half the time")]))
            #expect(!document.isQuiet)
            #expect(document.participation != nil)
            // Breakdowns wait for 20 respondents: several shares of a group of ten add up to people's answers.
            #expect(document.outcomeMix == nil && document.categories == nil)
            #expect(document.suppressed.contains { $0.section == .outcomeMix && $0.message.contains("20") })
            #expect((document.quotes != nil) == expectQuotes)
            #expect(document.suppressed.contains { $0.reason == .tooFewForQuotes } == !expectQuotes)
        }
    }

    @Test("a quote from a small team is not shown to leaders even though the organisation is large")
    func quoteFromSmallTeam() {
        let stats = DigestFixtures.steady(DigestFixtures.orgOf30)
        let document = DigestFixtures.build(
            DigestFixtures.input(
                .leadership, stats: stats, quotes: [Self.quote("Our tiny team loves it", team: "Platform")]))
        #expect(document.quotes == nil)
    }

    @Test("only consented quotes: aggregate_only text never appears")
    func consentForQuotes() throws {
        let stats = DigestFixtures.steady([Cell(team: "Support", role: .ic, respondents: 25)])
        let quotes = [
            Self.quote("Private: used it on my performance review", .aggregateOnly),
            Self.quote("Used it to outline the onboarding guide", .anonymousQuote),
        ]
        let document = DigestFixtures.build(DigestFixtures.input(.team("Support"), stats: stats, quotes: quotes))
        #expect(try #require(document.quotes).quotes.map(\.text) == ["Used it to outline the onboarding guide"])
        #expect(try !DigestFixtures.visibleText(document).contains("performance review"))
    }

    @Test("a leader who chose aggregate_only never appears under 'from leaders'; attributed leaders come first")
    func leaderConsent() throws {
        let stats = DigestFixtures.steady([Cell(team: "Support", role: .ic, respondents: 25)])
        let notes = [
            LeaderNote(text: "Tried it on the board memo", displayName: "Dana Quiet", consent: .aggregateOnly),
            LeaderNote(text: "Summarised the survey with it", displayName: "Dana Quote", consent: .anonymousQuote),
            LeaderNote(
                text: "Used it to prepare my 1:1s, ask Anna Schmidt how", displayName: "Lee Open", consent: .attributed),
        ]
        let document = DigestFixtures.build(
            DigestFixtures.input(.team("Support"), stats: stats, notes: notes, names: Self.names))
        let shown = try #require(document.fromLeaders).notes
        #expect(
            shown == [DigestLeaderNote(displayName: "Lee Open", text: "Used it to prepare my 1:1s, ask [name] how")])
        let text = try DigestFixtures.visibleText(document)
        #expect(!text.contains("Dana") && !text.contains("board memo") && !text.contains("survey"))
        #expect(document.sectionOrder.first == .fromLeaders)
    }

    @Test("a quiet team week still carries what leaders tried, and nothing else")
    func quietWithLeaders() {
        let stats = DigestFixtures.steady(DigestFixtures.orgOf30)
        let notes = [LeaderNote(text: "Drafted the all-hands with it", displayName: "Lee Open", consent: .attributed)]
        let document = DigestFixtures.build(DigestFixtures.input(.team("Platform"), stats: stats, notes: notes))
        #expect(document.isQuiet)
        #expect(document.sectionOrder == [.fromLeaders])
        #expect(document.fromLeaders?.notes.count == 1)
    }

    // MARK: - What the document can contain

    @Test("suppression notes name thresholds only, never a count")
    func footerHasNoCounts() {
        let stats = DigestFixtures.steady(DigestFixtures.orgOf30)
        let cohorts = [
            TrainingCohortStats(trainingID: "t", title: "Pilot", participants: 3, reflected: 2, applied: 1, repeated: 0)
        ]
        let document = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats, cohorts: cohorts))
        #expect(!document.suppressed.isEmpty)
        for entry in document.suppressed {
            let numbers = entry.message.split(whereSeparator: { !$0.isNumber }).map(String.init)
            #expect(numbers.allSatisfy { $0 == "5" || $0 == "10" }, "\(entry.message)")
        }
        #expect(document.footer.threshold == 5)
        #expect(document.footer.quoteThreshold == 10)
        #expect(document.footer.noiseEpsilon == nil)
    }

    @Test("an organisation below k is one quiet line")
    func quietOrganisation() throws {
        let stats = DigestFixtures.steady([Cell(team: "A", role: .ic, respondents: 4)])
        let document = DigestFixtures.build(DigestFixtures.input(.leadership, stats: stats))
        #expect(document.isQuiet)
        #expect(try #require(document.quietReason).contains("quiet week"))
        #expect(document.participation == nil && document.breakdown == nil && document.trainingToPractice == nil)
    }
}
