import DebriefCore
import DebriefFakeSlack
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// `/reflect ideas` through the real server and a fake Slack: only consented examples, scrubbed, named only when
/// the author chose it; "Useful" counted once; `forget` takes examples and marks away.
@Suite("Ideas: Slack end to end")
struct IdeasSlackEndToEndTests {
    static let colleagues = [
        FakeSlack.User(id: "U0001", name: "Alice Example"),
        FakeSlack.User(id: "U0002", name: "Dana Schmidt"),
        FakeSlack.User(id: "U0003", name: "Mia Chen"),
        FakeSlack.User(id: "U0004", name: "Olaf Krüger"),
        FakeSlack.User(id: "U0005", name: "Lars Berg"),
    ]

    func pseudonym(_ user: String) -> Pseudonym {
        Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
    }

    func submit(_ server: TestServer, user: String, _ text: String, consent: String, category: String = "communication")
        async throws
    {
        let response = try await server.postSigned(
            SlackBodies.reflectionSubmission(
                text: text, outcome: "saved_time", minutes: "16-30", category: category, consent: consent, user: user))
        #expect(response.status == .ok)
    }

    func ideas(_ server: TestServer, _ topic: String, user: String = "U0001") async throws -> (String, JSONValue) {
        let response = try await server.postSigned(SlackBodies.slashCommand("ideas \(topic)", user: user))
        #expect(response.status == .ok)
        return (response.text, try #require(response.json))
    }

    func usefulButtons(_ reply: JSONValue) -> [JSONValue] {
        (reply["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }.filter {
            $0["action_id"] == "idea_useful"
        }
    }

    @Test(
        "ideas shows consented examples only once k people consented, scrubbed and unnamed unless attributed; Useful counts once; forget removes"
    )
    func ideasEndToEnd() async throws {
        let server = try await TestServer.start { configuration in
            configuration.privacy.anonymityThreshold = 3
            configuration.privacy.quoteThreshold = 3
        }
        server.slack.setUsers(Self.colleagues)
        try await submit(
            server, user: "U0002", "Drafted a reply to a customer email with ChatGPT, Lars Berg checked the tone",
            consent: "anonymous_quote")
        try await submit(server, user: "U0004", "Wrote the email campaign text with Claude", consent: "aggregate_only")
        try await submit(
            server, user: "U0005", "Protokoll der Teamsitzung mit KI zusammengefasst", consent: "anonymous_quote")

        // Two people consented, three are needed: why, and how far off in words.
        let (early, _) = try await ideas(server, "email")
        #expect(early.contains("at least 3 people have agreed to be quoted"))
        #expect(early.contains("a couple more colleagues"))
        #expect(!early.contains("ChatGPT"))

        try await submit(
            server, user: "U0003", "Sorted my email inbox into follow-ups with Copilot rules", consent: "attributed")
        let (text, reply) = try await ideas(server, "email")
        #expect(text.contains("Sorted my email inbox"), "the attributed example")
        #expect(text.contains("shared by Mia Chen"), "named because she chose it")
        #expect(text.contains("Drafted a reply to a customer email"), "the anonymous example")
        #expect(text.contains("[name] checked the tone"), "a colleague's name in the text is scrubbed")
        #expect(!text.contains("Lars") && !text.contains("Dana") && !text.contains("Olaf"))
        #expect(!text.contains("campaign"), "an aggregate-only reflection never shows")
        #expect(!text.contains("Protokoll"), "it does not match the topic")
        #expect(text.contains("week "), "the week, nothing finer")
        let buttons = usefulButtons(reply)
        #expect(buttons.count == 2)

        // Accents and case folded: "protokoll" finds "Protokoll".
        let (german, _) = try await ideas(server, "PROTOKOLL teamsitzung")
        #expect(german.contains("Protokoll der Teamsitzung mit KI zusammengefasst"))

        // Hostile topics answer helpfully, never fail.
        for topic in ["\"NEAR(*", "-", "📧📧", String(repeating: "x", count: 3_000), "'; DROP TABLE reflections; --"] {
            let (answer, _) = try await ideas(server, topic)
            #expect(!answer.isEmpty)
            #expect(!answer.lowercased().contains("went wrong"), "\(topic.prefix(20)) was not refused as an error")
        }
        let (nothing, _) = try await ideas(server, "spreadsheet")
        #expect(nothing.contains("No colleague's example matches “spreadsheet”"))

        // Useful: counted once, whoever clicks twice.
        let dana = try #require(
            try await server.store.exportPerson(pseudonym("U0002"))?.reflections.first?.id)
        #expect(buttons.contains { $0["value"]?.stringValue == dana })
        for id in ["first", "second"] {
            let url = server.slack.responseURL(id: id)
            let click = try await server.postSigned(
                SlackBodies.blockAction(actionID: "idea_useful", value: dana, responseURL: url))
            #expect(click.status == .ok)
            let answer = try await server.slack.waitForCall(method: FakeSlack.responseURLMethod)
            _ = answer
        }
        #expect(try await server.store.ideaMarkCount(by: pseudonym("U0001")) == 1)
        let (after, _) = try await ideas(server, "email")
        #expect(after.contains("1 colleague found this useful"))
        let mine = try await server.postSigned(SlackBodies.slashCommand("mine"))
        #expect(mine.text.contains("marked useful: 1"))

        // Dana erases herself: her example and the mark on it go.
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "reflection_forget_confirm", value: "confirm", user: "U0002",
                responseURL: server.slack.responseURL(id: "forget")))
        #expect(try await server.store.ideaMarkCount(by: pseudonym("U0001")) == 0)
        let (gone, _) = try await ideas(server, "customer")
        #expect(!gone.contains("Drafted a reply"))
        // Gone from the database files too, the full-text index's pages included ("customer" was only hers).
        #expect(DatabaseFiles.found(["customer", "Drafted a reply"], in: server.databasePath) == [])
        try await server.stop()
    }

    @Test("the caller's own examples are left out, and ideas with no topic shows the most useful")
    func ownExcludedAndMostUseful() async throws {
        let server = try await TestServer.start { configuration in
            configuration.privacy.anonymityThreshold = 2
            configuration.privacy.quoteThreshold = 2
        }
        server.slack.setUsers(Self.colleagues)
        try await submit(server, user: "U0001", "Summarised a long email thread with AI", consent: "anonymous_quote")
        try await submit(
            server, user: "U0002", "Outlined the quarterly report with ChatGPT", consent: "anonymous_quote")
        try await submit(server, user: "U0003", "Checked contract clauses with Copilot", consent: "anonymous_quote")
        let (own, _) = try await ideas(server, "email")
        #expect(own.contains("No colleague's example matches"), "Alice's own example is not served to her")
        let report = try #require(try await server.store.exportPerson(pseudonym("U0002"))?.reflections.first?.id)
        _ = try await server.postSigned(
            SlackBodies.blockAction(
                actionID: "idea_useful", value: report, user: "U0005", responseURL: server.slack.responseURL(id: "u")))
        let (top, reply) = try await ideas(server, "")
        #expect(top.contains("most useful"))
        let first = usefulButtons(reply).first?["value"]?.stringValue
        #expect(first == report, "the example marked useful comes first")
        try await server.stop()
    }
}
