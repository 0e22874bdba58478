import DebriefCore
import DebriefDigestSamples
import DebriefPrompts
import DebriefSlack
import DebriefTestSupport
import Foundation
import Testing

@Suite("Digest messages in Slack")
struct DigestMessageTests {
    let templates: DigestTemplates
    let link = "https://debrief.example.com/digests/dg_2026-W47_leadership?sig=1797600000.q2-7wAbC"

    init() throws {
        templates = try SlackChatPlatform.digestTemplates(from: RepositoryPrompts.directory)
    }

    func blocks(_ message: JSONValue) -> [JSONValue] { message["blocks"]?.arrayValue ?? [] }

    func sectionTexts(_ message: JSONValue) -> [String] {
        blocks(message).filter { $0["type"] == "section" }.compactMap { $0["text"]?["text"]?.stringValue }
    }

    func expectPostable(_ message: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let fallback = message["text"]?.stringValue ?? ""
        #expect(!fallback.isEmpty, "no notification fallback text", sourceLocation: sourceLocation)
        #expect(
            fallback.utf16.count <= 4_000, "fallback is \(fallback.utf16.count) characters",
            sourceLocation: sourceLocation)
        #expect(BlockKitLimitChecker.violations(in: message, surface: .message) == [], sourceLocation: sourceLocation)
    }

    // MARK: - Main message

    @Test func theMainMessageIsAHeaderKeyLinesAndAButtonToThePage() throws {
        let document = DigestSamples.leadership
        let texts = templates.render(document, link: link)
        let message = DigestMessage.main(texts: texts, document: document, link: link)
        expectPostable(message)
        let blocks = blocks(message)
        #expect(blocks.map { $0["type"]?.stringValue } == ["header", "section", "actions"])
        #expect(blocks[0]["text"]?["text"] == "AI at work across the organisation, week 47, 2026")
        let keyLines = try #require(blocks[1]["text"]?["text"]?.stringValue).split(separator: "\n")
        #expect((2...4).contains(keyLines.count))
        #expect(
            keyLines.first == "*20–49* people reflected on using AI this week, up 25–49% on the previous four weeks.")
        let button = try #require(blocks[2]["elements"]?[0])
        #expect(button["type"] == "button")
        #expect(button["url"]?.stringValue == link)
        #expect(button["text"]?["text"] == "Open the full digest")
        #expect(button["action_id"]?.stringValue == DigestMessage.openActionID)
        #expect(
            message["text"]?.stringValue?.hasPrefix("AI at work across the organisation, week 47, 2026\n*20–49*")
                == true)
    }

    @Test func theButtonCarriesASignedLinkThatVerifies() throws {
        let key = "a-test-secret-of-at-least-32-bytes!!"
        let expiry = DigestSamples.wednesday.addingTimeInterval(DigestLink.defaultLifetime)
        let signed = DigestLink.url(
            baseURL: "https://debrief.example.com", digestID: "dg_7", expiresAt: expiry,
            key: DigestLink.key(secret: key))
        let document = DigestSamples.leadership
        let message = DigestMessage.main(
            texts: templates.render(document, link: signed), document: document, link: signed)
        let url = try #require(blocks(message).last?["elements"]?[0]?["url"]?.stringValue)
        #expect(url == signed)
        let sig = try #require(URLComponents(string: url)?.queryItems?.first { $0.name == "sig" }?.value)
        let result = DigestLink.verify(digestID: "dg_7", sig: sig, now: DigestSamples.wednesday, secret: key)
        #expect((try? result.get()) != nil)
    }

    @Test func aTeamMessageStaysShortToo() {
        let document = DigestSamples.team
        let message = DigestMessage.main(texts: templates.render(document, link: link), document: document, link: link)
        expectPostable(message)
        #expect(blocks(message)[0]["text"]?["text"] == "AI at work in Platform, week 47, 2026")
        let lines = sectionTexts(message).first?.split(separator: "\n") ?? []
        #expect((2...4).contains(lines.count))
        #expect(lines.first == ":bulb: *From leaders:* Ana Ruiz shared what they tried with AI this week.")
    }

    @Test func aHeaderWithEscapedCharactersShowsThemPlainly() {
        var document = DigestSamples.team
        document.audience = .team("R&D <ops>")
        let message = DigestMessage.main(texts: templates.render(document, link: link), document: document, link: link)
        expectPostable(message)
        #expect(blocks(message)[0]["text"]?["text"] == "AI at work in R&D <ops>, week 47, 2026")
        #expect(sectionTexts(message).first?.contains("people in R&amp;D &lt;ops&gt; reflected") == true)
    }

    // MARK: - Thread reply

    @Test func theThreadReplyHasOneSectionPerDigestSection() {
        let document = DigestSamples.leadership
        let texts = templates.render(document, link: link)
        let reply = DigestMessage.threadReply(texts: texts, document: document)
        expectPostable(reply)
        #expect(DigestMessage.hasThreadReply(texts: texts, document: document))
        let sections = sectionTexts(reply)
        #expect(blocks(reply).allSatisfy { $0["type"] == "section" })
        let titles = sections.compactMap { $0.split(separator: "\n").first.map(String.init) }
        #expect(
            titles == [
                "*Participation*", "*Outcomes*", "*Minutes saved*", "*Confidence*", "*Perception gap: leaders and ICs*",
                "*By role and team*", "*Use cases*", "*Blockers*", "*From training to practice*", "*In their words*",
                "*What leaders tried*", "*Not shown this week*",
                "_Groups with fewer than 5 people who reflected show no numbers, trends or quotes; quotes need at least 10._",
            ])
        #expect(sections[1].contains("• Saved time: 42%"))
    }

    @Test func quotesAndNotesCannotPingOrLinkAnyone() {
        var document = DigestSamples.leadership
        document.quotes = QuotesSection(quotes: [
            DigestQuote(text: "Told <!channel> & <@U123ABC> about <https://evil.example|this>", role: nil)
        ])
        document.fromLeaders = LeaderNotesSection(notes: [
            DigestLeaderNote(displayName: "Ana <b>Ruiz</b>", text: "Tried <script>alert(1)</script>")
        ])
        let texts = templates.render(document, link: link)
        let reply = DigestMessage.threadReply(texts: texts, document: document)
        expectPostable(reply)
        let all = sectionTexts(reply).joined(separator: "\n") + (reply["text"]?.stringValue ?? "")
        for raw in ["<!channel>", "<@U123ABC>", "<https://evil.example", "<script>", "<b>"] {
            #expect(!all.contains(raw), "\(raw) reached Slack unescaped")
        }
        #expect(all.contains("&lt;!channel&gt; &amp; &lt;@U123ABC&gt; about &lt;https://evil.example|this&gt;"))
        #expect(all.contains("*Ana &lt;b&gt;Ruiz&lt;/b&gt;*: Tried &lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func aVeryLongDigestStaysWithinEveryLimit() {
        let document = DigestSamples.leadership
        let paragraph = String(repeating: "Long &amp; winding sentence about AI at work. ", count: 80)
        let details = (1...70).map { "*Section \($0)*\n" + paragraph }.joined(separator: "\n\n")
        let texts = DigestTexts(
            main: "Headline\nOne line", details: details + "\n\n" + String(repeating: "x", count: 7_000))
        let reply = DigestMessage.threadReply(texts: texts, document: document)
        expectPostable(reply)
        let sections = sectionTexts(reply)
        #expect(sections.count <= 50)
        #expect(sections.allSatisfy { $0.utf16.count <= 3_000 })
        #expect(sections.reduce(0) { $0 + $1.utf16.count } <= 12_000)
        #expect(sections.last?.hasSuffix("…") == true)
        // A cut never leaves half an entity such as `&am…` behind.
        for section in sections {
            if let ampersand = section.lastIndex(of: "&") {
                #expect(section[ampersand...].contains(";"), "cut inside an entity: …\(section.suffix(20))")
            }
        }
    }

    @Test func aReceiptOrPreviewOfALongDigestIsAValidEphemeralReply() {
        let paragraph = String(repeating: "Long &amp; winding sentence about AI at work. ", count: 80)
        let texts = DigestTexts(
            main: "Headline\n" + paragraph,
            details: (1...70).map { "*Section \($0)*\n" + paragraph }.joined(separator: "\n\n"))
        let reply = DigestMessage.ephemeral(intro: "*Your privacy receipt.* Intro.", texts: texts, note: "_a note_")
        #expect(reply["response_type"] == "ephemeral")
        expectPostable(reply)
        let sections = sectionTexts(reply)
        #expect(sections.first?.hasPrefix("*Your privacy receipt.* Intro.") == true)
        #expect(sections.allSatisfy { $0.utf16.count <= 3_000 } && sections.count <= 50)
        #expect(sections.reduce(0) { $0 + $1.utf16.count } <= 12_000)
        let short = DigestMessage.ephemeral(
            intro: "Intro", texts: DigestTexts(main: "Main", details: "Details"), note: "Note")
        #expect(sectionTexts(short) == ["Intro", "Main", "Details", "Note"])
    }

    @Test func aVeryLongMainMessageIsCutWithinLimits() {
        let document = DigestSamples.leadership
        let texts = DigestTexts(
            main: String(repeating: "H", count: 400) + "\n" + String(repeating: "key line &amp; more\n", count: 400),
            details: "")
        let message = DigestMessage.main(texts: texts, document: document, link: link)
        expectPostable(message)
        #expect(blocks(message).count == 3)
    }

    // MARK: - Quiet week

    @Test func aQuietWeekIsOneShortLine() throws {
        let document = DigestSamples.quiet
        let texts = templates.render(document, link: link)
        let message = DigestMessage.main(texts: texts, document: document, link: link)
        expectPostable(message)
        let blocks = blocks(message)
        #expect(blocks.count == 1)
        let line = try #require(blocks.first?["text"]?["text"]?.stringValue)
        #expect(!line.contains("\n"))
        #expect(line.count <= 200)
        #expect(line.hasPrefix("Week 47, 2026 was a quiet week in Platform"))
        #expect(message["text"]?.stringValue == line)
        #expect(!DigestMessage.hasThreadReply(texts: texts, document: document))
    }

    @Test func aTeamHeadlineNamesEachLeaderOnce() {
        var document = DigestSamples.team
        document.fromLeaders = LeaderNotesSection(notes: [
            DigestLeaderNote(displayName: "Nadia Yilmaz", text: "Tried it on a memo"),
            DigestLeaderNote(displayName: "Nadia Yilmaz", text: "Planned the offsite with it"),
            DigestLeaderNote(displayName: "Ben Ode", text: "Summarised a long thread"),
        ])
        let main = templates.render(document, link: link).main
        #expect(main.contains("Nadia Yilmaz and Ben Ode shared"), "\(main)")
        #expect(main.components(separatedBy: "Nadia Yilmaz").count == 2, "named once: \(main)")
    }

    @Test func aQuietWeekWithNotesFromLeadersRepliesWithThem() {
        var document = DigestSamples.quiet
        document.fromLeaders = LeaderNotesSection(notes: [
            DigestLeaderNote(displayName: "Ana Ruiz", text: "Tried it on a memo")
        ])
        document.sectionOrder = [.fromLeaders]
        let texts = templates.render(document, link: link)
        #expect(!texts.main.contains("\n"))
        #expect(DigestMessage.hasThreadReply(texts: texts, document: document))
        let reply = DigestMessage.threadReply(texts: texts, document: document)
        expectPostable(reply)
        #expect(sectionTexts(reply).first == "*What leaders tried*\n• *Ana Ruiz*: Tried it on a memo")
    }
}
