import DebriefCore
import DebriefDigestSamples
import DebriefSlack
import DebriefTestSupport
import Foundation
import Testing

@testable import DebriefPrompts

@Suite("Digest templates")
struct DigestTemplatesTests {
    let templates: DigestTemplates
    let link = "https://debrief.example.com/digests/dg_1?sig=1797600000.abc"

    init() throws {
        templates = try SlackChatPlatform.digestTemplates(from: RepositoryPrompts.directory)
    }

    /// A copy of the repository's `prompts/` with `digests/<name>.mustache` replaced by `text`.
    static func brokenCopy(_ name: String, _ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("debrief-digest-prompts-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.copyItem(at: RepositoryPrompts.directory, to: directory)
        try Data(text.utf8).write(to: directory.appendingPathComponent("digests/\(name).mustache"))
        return directory
    }

    static func loadIssues(_ name: String, _ text: String) throws -> [PromptIssue] {
        let directory = try brokenCopy(name, text)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try SlackChatPlatform.digestTemplates(from: directory)
            return []
        } catch {
            return error.issues
        }
    }

    // MARK: - Loading

    @Test func theRepositoryTemplatesLoadAndPassThePromptCheck() {
        #expect(PromptCheck.run(directory: RepositoryPrompts.directory) == [])
    }

    @Test func anUnclosedSectionNamesTheFileAndTheLineItOpens() throws {
        let issues = try Self.loadIssues(
            "team",
            """
            AI at work in {{team}}
            {{#participation}}
            *{{people}}* people reflected.
            Every section is in the thread.
            """)
        #expect(issues.count == 1)
        let issue = try #require(issues.first)
        #expect(issue.file == "digests/team.mustache")
        #expect(issue.line == 2)
        #expect(issue.description.hasPrefix("prompts/digests/team.mustache:2 (participation): "))
        #expect(issue.message.contains("never closed"))
        #expect(issue.message.contains("{{/participation}}"))
    }

    @Test func aMisspelledNameIsCaughtBeforeItRendersNothing() throws {
        let issues = try Self.loadIssues(
            "leadership",
            """
            {{! header }}
            AI at work, {{week_label}}
            {{#outcomes}}*{{diference}}* saw a difference.{{/outcomes}}
            """)
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.file == "digests/leadership.mustache")
        #expect(issue.line == 3)
        #expect(issue.key == "diference")
        #expect(issue.message.contains("difference"), "should list what is available: \(issue.message)")
    }

    @Test func crossedSectionsPointAtTheWrongClose() throws {
        let issues = try Self.loadIssues(
            "details",
            """
            {{#gap}}
            {{#leaders}}{{people}}
            {{/gap}}
            {{/leaders}}
            """)
        let issue = try #require(issues.first)
        #expect(issue.file == "digests/details.mustache")
        #expect(issue.line == 3)
        #expect(issue.message.contains("{{#leaders}}") && issue.message.contains("line 2"))
    }

    @Test func tripleMustacheWouldSkipEscapingAndIsRefused() throws {
        let issues = try Self.loadIssues("details", "{{#quotes}}\n> {{{text}}}\n{{/quotes}}\n")
        let issue = try #require(issues.first)
        #expect(issue.line == 2)
        #expect(issue.message.contains("without escaping"))
    }

    @Test func anUnfinishedTagNamesItsLine() throws {
        let issues = try Self.loadIssues("quiet", "{{! quiet }}\nA quiet {{week_label}}\nin {{team\n")
        let issue = try #require(issues.first)
        #expect(issue.file == "digests/quiet.mustache")
        #expect(issue.line == 3)
    }

    @Test func everyBrokenFileIsReportedAtOnce() throws {
        let directory = try Self.brokenCopy("team", "{{#participation}}\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{{nope}}\n".utf8).write(to: directory.appendingPathComponent("digests/quiet.mustache"))
        let issues = PromptCheck.run(directory: directory)
        #expect(Set(issues.map(\.file)) == ["digests/team.mustache", "digests/quiet.mustache"])
    }

    @Test func aMissingTemplateSaysWhereItShouldBe() throws {
        let directory = try Self.brokenCopy("team", "")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("digests/team.mustache"))
        do {
            _ = try SlackChatPlatform.digestTemplates(from: directory)
            Issue.record("loading should fail")
        } catch {
            #expect(error.file == "digests/team.mustache")
            #expect(error.issues.first?.message.contains("could not be read") == true)
        }
    }

    // MARK: - Rendering

    @Test func theLeadershipMessageStatesTheWeeksKeyNumbers() {
        let texts = templates.render(DigestSamples.leadership, link: link)
        #expect(texts.headline == "AI at work across the organisation, week 47, 2026")
        let lines = texts.summary.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "*20–49* people reflected on using AI this week, up 25–49% on the previous four weeks.",
                "*58%* of them saw a real difference; the most common outcome: saved time (42%).",
                "Perception gap, leaders minus ICs seeing a real difference: *+12 pts (−3 to +27)*, not a clear difference yet.",
                "Every section is in the thread. Anonymous by design: small groups are never shown.",
            ])
    }

    @Test func theDetailsCarryEverySectionWithTheDocumentsNumbers() {
        let details = templates.render(DigestSamples.leadership, link: link).details
        for expected in [
            "*Participation*\n20–49 people reflected, in 50–99 reflections. Against the average of the previous four weeks: up 25–49%.\nBy week: W43 10–19 · W44 10–19 · W45 20–49 · W46 20–49 · W47 20–49",
            "*Outcomes*\n58% of people who reflected saw a real difference (saved time, better quality or a new capability).\n• Saved time: 42%\n• Better quality: 23%\n• New capability: 12%\n• No difference: 18%\n• Worse: 5%",
            "*Minutes saved*\nMedian time saved per reflection: 16–30 min. The middle half of answers: 1–15 min to 31–60 min.",
            "*Confidence*\nMedian confidence in what AI produced: 3.5 out of 5.",
            "Leaders report a real difference 12 points more often than ICs across the organisation. Gap: *+12 pts* (95% interval −3 to +27). Not a clear difference: the interval includes zero.",
            "• Leaders (10–19 people): 70% see a real difference (45–87%), median 31–60 min saved, confidence 4 of 5",
            "• ICs (20–49 people): 58% see a real difference (44–71%), median 16–30 min saved, confidence 3.5 of 5",
            "Gap by week: W44 +20 pts (+2 to +36) · W45 +15 pts (−1 to +30) · W46 +9 pts (−6 to +24) · W47 +12 pts (−3 to +27)",
            "*Use cases*\n• Drafting: 31% of reflections\n• Research: 22% of reflections\n• Coding: 17% of reflections",
            "*Blockers*\n• Policy unclear: mentioned in 27% of reflections",
            "• _Prompting for briefs_ (20–49 participants): 64% reflected, 41% applied it at work, 18% applied it again",
            "*What leaders tried*\n• *Ana Ruiz*: Asked it to critique my strategy memo &amp; it found two gaps",
            "*Not shown this week*\n• _By role and team_: Some groups are not shown: too few people answered for them to stay anonymous.",
            "_Groups with fewer than 5 people who reflected show no numbers, trends or quotes; quotes need at least 10._",
        ] {
            #expect(details.contains(expected), "details lack:\n\(expected)\n--- in ---\n\(details)")
        }
    }

    @Test func quotesAreEscapedForSlack() {
        let details = templates.render(DigestSamples.leadership, link: link).details
        #expect(
            details.contains(
                "> Drafted the Q3 brief in half the time &lt;script&gt;alert('x')&lt;/script&gt; &amp; it read better (from an IC)"
            ))
        #expect(!details.contains("<script>"))
        #expect(!details.contains("&#39;"), "apostrophes are not HTML entities in Slack")
    }

    @Test func aTeamMessageLeadsWithWhatLeadersTried() {
        let texts = templates.render(DigestSamples.team, link: link)
        #expect(texts.headline == "AI at work in Platform, week 47, 2026")
        let lines = texts.summary.split(separator: "\n").map(String.init)
        #expect(lines.first == ":bulb: *From leaders:* Ana Ruiz shared what they tried with AI this week.")
        #expect(lines.contains("*20–49* people in Platform reflected this week, up 25–49% on the previous four weeks."))
        #expect(texts.details.hasPrefix("*What leaders tried*\n• *Ana Ruiz*: "))
        #expect(!texts.details.contains("*Perception gap"))
        #expect(
            texts.details.contains(
                "• _Perception gap: leaders and ICs_: Not shown: too few people answered for this to stay anonymous."))
        #expect(
            texts.details.contains(
                "• _In their words_: No quotes: too few people answered to quote anyone without hinting at who said it."
            ))
    }

    @Test func aQuietWeekIsOneShortLine() {
        let texts = templates.render(DigestSamples.quiet, link: link)
        #expect(
            texts.main
                == "Week 47, 2026 was a quiet week in Platform: too few people reflected to share anything without exposing anyone. Back next week."
        )
        #expect(!texts.main.contains("\n"))
        #expect(texts.details.isEmpty)
    }

    @Test func blankLinesLeftBySkippedSectionsAreTidied() {
        #expect(DigestTemplates.tidy("\n\nA  \n\n\n\nB\n\n") == "A\n\nB")
    }

    @Test func theContextHasOnlyNamesTheCheckKnows() {
        func check(
            _ value: [String: DigestTemplateContext.Value], _ shape: [String: DigestContextShape], _ path: String
        ) {
            for (key, child) in value {
                guard let expected = shape[key] else {
                    Issue.record("context has \(path)\(key) that templates cannot use")
                    continue
                }
                switch (child, expected) {
                case (.text, .value), (.flag, .value): break
                case (.object(let object), .object(let fields)): check(object, fields, path + key + ".")
                case (.list(let items), .list(let fields)):
                    for item in items { check(item, fields, path + key + "[].") }
                default: Issue.record("\(path)\(key) has the wrong kind")
                }
            }
        }
        for document in [DigestSamples.leadership, DigestSamples.team, DigestSamples.quiet] {
            check(DigestTemplateContext.make(document, link: link), DigestTemplateContext.shape, "")
        }
    }
}
