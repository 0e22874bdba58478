import DebriefCore
import DebriefDigestSamples
import Foundation
import Testing

@Suite("Ideas: Try this in the digest document and page")
struct TryThisSectionTests {
    static let example = IdeaExample(
        id: "r1", week: "2026-W47", taskCategory: .drafting, text: DigestSamples.scriptQuote, outcome: .savedTime,
        minutesSaved: .upTo30, author: nil, usefulCount: 3)

    @Test("only team digests carry it, shown last; a stored document without it still decodes")
    func teamOnly() throws {
        let section = TryThisSection(teamTopCategory: .drafting, example: Self.example)
        let team = DigestSamples.team.addingTryThis(section)
        #expect(team.tryThis == section && team.sectionOrder.last == .tryThis)
        #expect(DigestSamples.leadership.addingTryThis(section).tryThis == nil)
        #expect(DigestSamples.team.addingTryThis(nil) == DigestSamples.team)

        let encoder = JSONEncoder()
        let old = try encoder.encode(DigestSamples.team)
        #expect(try JSONDecoder().decode(DigestDocument.self, from: old).tryThis == nil)
        let new = try encoder.encode(team)
        #expect(try JSONDecoder().decode(DigestDocument.self, from: new) == team)
    }

    @Test("the page shows it escaped, with its details and no name unless attributed")
    func page() {
        let html = DigestPage.html(
            document: DigestSamples.team.addingTryThis(TryThisSection(teamTopCategory: nil, example: Self.example)),
            title: "Digest")
        #expect(html.contains("Try this"))
        #expect(
            html.contains("One of the organisation&#39;s most useful")
                || html.contains("One of the organisation's most useful"))
        #expect(!html.contains("<script>alert"), "a person's text is escaped")
        #expect(!html.contains("shared by"))
        var named = Self.example
        named.author = "Mia Chen"
        let attributed = DigestPage.html(
            document: DigestSamples.team.addingTryThis(TryThisSection(teamTopCategory: .drafting, example: named)),
            title: "Digest")
        #expect(attributed.contains("shared by Mia Chen"))
        #expect(
            attributed.contains("this team&#39;s most common use case")
                || attributed.contains("this team's most common use case"))
    }
}
