import DebriefCore
import Foundation
import Testing

@Suite("Digest determinism, noise and encoding")
struct DigestDeterminismTests {
    typealias Cell = DigestFixtures.Cell

    static var bigOrg: [Cell] {
        [
            Cell(team: "Support", role: .leader, respondents: 12, difference: 9),
            Cell(team: "Support", role: .ic, respondents: 80, difference: 30),
            Cell(team: "Sales", role: .manager, respondents: 15),
            Cell(team: "Sales", role: .ic, respondents: 40, difference: 21),
            Cell(team: "Ops", role: .leader, respondents: 8, difference: 6),
            Cell(team: "Ops", role: .ic, respondents: 33),
        ]
    }

    static var quotes: [QuoteCandidate] {
        (1...8).map {
            QuoteCandidate(
                text: "Quote number \($0) about drafting", consent: .anonymousQuote, group: .team("Support"),
                roleLevel: .ic)
        }
    }

    @Test("the same input and seed give the same document; store row order does not matter")
    func sameSeedSameDocument() {
        let input = DigestFixtures.input(stats: DigestFixtures.steady(Self.bigOrg), quotes: Self.quotes)
        let first = DigestFixtures.build(input, seed: 11)
        #expect(first == DigestFixtures.build(input, seed: 11))
        var reordered = input
        reordered.quoteCandidates.reverse()
        #expect(first == DigestFixtures.build(reordered, seed: 11))
        #expect(first.quotes?.quotes.count == 5)
    }

    @Test("building all digests of a week at once gives the same documents as one by one")
    func batch() {
        let stats = DigestFixtures.steady(Self.bigOrg)
        var settings = PrivacySettings()
        settings.noiseEpsilon = 1
        let inputs = [DigestAudience.leadership, .team("Support"), .team("Sales"), .team("Ops"), .team("Nobody")].map {
            DigestFixtures.input($0, stats: stats, settings: settings, quotes: Self.quotes)
        }
        var generator = SeededGenerator(seed: 21)
        let together = DigestBuilder.build(inputs, random: &generator)
        #expect(together == inputs.map { DigestFixtures.build($0, seed: 21) })
        #expect(together.last?.isQuiet == true)
    }

    @Test("leaders' notes: one per leader, at most five, the same whatever order the store returns them in")
    func leaderNotesOnePerLeader() {
        var notes = (1...4).map {
            LeaderNote(
                text: "Nadia tried idea \($0) for the roadmap", displayName: "Nadia Yilmaz", consent: .attributed)
        }
        notes += ["Omar Haddad", "Priya Raman", "Jon Berg", "Ines Roth", "Tom Wu"].map {
            LeaderNote(text: "Prepared the team update with AI", displayName: $0, consent: .attributed)
        }
        let input = DigestFixtures.input(stats: DigestFixtures.steady(Self.bigOrg), notes: notes)
        let document = DigestFixtures.build(input, seed: 5)
        let shown = document.fromLeaders?.notes ?? []
        #expect(shown.count == DigestBuilder.maximumLeaderNotes)
        #expect(Set(shown.map(\.displayName)).count == shown.count, "each leader once: \(shown.map(\.displayName))")
        var reversed = input
        reversed.leaderNotes.reverse()
        #expect(DigestFixtures.build(reversed, seed: 5).fromLeaders == document.fromLeaders)
        let team = DigestFixtures.build(
            DigestFixtures.input(.team("Support"), stats: DigestFixtures.steady(Self.bigOrg), notes: notes), seed: 5)
        #expect(team.fromLeaders == document.fromLeaders, "every audience of the week sees the same notes")
    }

    @Test("a quote that scrubs to nothing readable makes room for the next one; five are still shown")
    func emptyAfterScrubbingIsSkipped() {
        var quotes = Self.quotes
        quotes += (1...6).map {
            QuoteCandidate(
                text: "Anna Schmidt \($0)@example.com", consent: .anonymousQuote, group: .team("Support"),
                roleLevel: .ic)
        }
        let input = DigestFixtures.input(
            stats: DigestFixtures.steady(Self.bigOrg), quotes: quotes, names: ["Anna Schmidt"])
        for seed in UInt64(0)..<6 {
            let shown = DigestFixtures.build(input, seed: seed).quotes?.quotes.map(\.text) ?? []
            #expect(shown.count == 5, "seed \(seed): \(shown)")
            #expect(shown.allSatisfy { $0.hasPrefix("Quote number") }, "seed \(seed): \(shown)")
        }
    }

    @Test("quotes are shuffled by the seed")
    func shuffled() {
        let input = DigestFixtures.input(stats: DigestFixtures.steady(Self.bigOrg), quotes: Self.quotes)
        let orders = Set((0..<8).map { DigestFixtures.build(input, seed: UInt64($0)).quotes?.quotes.map(\.text) ?? [] })
        #expect(orders.count > 1)
    }

    @Test("with noise the shown numbers move a little, the footer states ε, and the same seed repeats them")
    func noise() throws {
        let exactInput = DigestFixtures.input(stats: DigestFixtures.steady(Self.bigOrg))
        let exact = DigestFixtures.build(exactInput)
        var noisyInput = exactInput
        noisyInput.settings.noiseEpsilon = 1
        let documents = (0..<40).map { DigestFixtures.build(noisyInput, seed: UInt64($0)) }
        #expect(documents.contains { $0.outcomeMix != exact.outcomeMix || $0.breakdown != exact.breakdown })
        let exactShare = try #require(exact.outcomeMix?.difference?.midpoint)
        let shares = documents.compactMap { $0.outcomeMix?.difference?.midpoint }
        #expect(shares.count == documents.count)
        #expect(shares.allSatisfy { abs($0 - exactShare) <= 5 })
        let mean = Double(shares.reduce(0, +)) / Double(shares.count)
        #expect(abs(mean - Double(exactShare)) < 1.5)
        for document in documents {
            #expect(document.footer.noiseEpsilon == 1)
            #expect(document.footer.lines.contains { $0.contains("ε = 1") })
        }
        #expect(DigestFixtures.build(noisyInput, seed: 3) == documents[3])
    }

    @Test("with noise a team's numbers are the same in the leadership digest and in its own digest")
    func noiseIsConsistentAcrossAudiences() throws {
        var settings = PrivacySettings()
        settings.noiseEpsilon = 0.5
        let stats = DigestFixtures.steady(Self.bigOrg)
        for seed in UInt64(0)..<10 {
            let leadership = DigestFixtures.build(
                DigestFixtures.input(.leadership, stats: stats, settings: settings), seed: seed)
            let team = DigestFixtures.build(
                DigestFixtures.input(.team("Sales"), stats: stats, settings: settings), seed: seed)
            let row = try #require(leadership.breakdown?.teams.first { $0.label == "Sales" })
            #expect(row.difference == team.outcomeMix?.difference)
            #expect(row.respondents == team.participation?.respondents)
        }
    }

    @Test("input and document survive a JSON round trip")
    func codable() throws {
        let input = DigestFixtures.input(
            .team("Support"), stats: DigestFixtures.steady(Self.bigOrg),
            cohorts: [
                TrainingCohortStats(
                    trainingID: "t1", title: "Basics", participants: 30, reflected: 20, applied: 10, repeated: 5)
            ],
            quotes: Self.quotes,
            notes: [LeaderNote(text: "Tried it", displayName: "Lee", consent: .attributed)], names: ["Anna Schmidt"])
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        let decodedInput = try decoder.decode(DigestInput.self, from: encoder.encode(input))
        #expect(decodedInput == input)
        let document = DigestFixtures.build(input)
        #expect(try decoder.decode(DigestDocument.self, from: encoder.encode(document)) == document)
        let json = String(decoding: try encoder.encode(input), as: UTF8.self)
        #expect(json.contains(#""saved_time""#))
    }
}
