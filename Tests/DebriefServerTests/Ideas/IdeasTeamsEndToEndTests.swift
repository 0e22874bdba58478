import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import HTTPTypes
import Testing

/// `ideas …` typed to the bot in Teams: the same examples as Slack, drawn as a card with a "Useful" button that
/// counts once whichever way the click arrives (Action.Execute invoke or the Action.Submit fallback).
@Suite("Ideas: Teams end to end")
struct IdeasTeamsEndToEndTests {
    @Test("ideas in a Teams chat shows consented examples with a Useful button; a second click counts nothing")
    func ideasInTeams() async throws {
        let tenant = try await TeamsTenant.start()
        let server = try await TestServer.start(
            slackConfigured: false,
            configure: {
                tenant.configure(&$0)
                $0.privacy.anonymityThreshold = 2
                $0.privacy.quoteThreshold = 2
            })
        let megan = tenant.person("Megan", number: 2, timeZone: "Europe/Berlin")
        let pseudonymizer = Pseudonymizer(secret: TestServer.pseudonymKey)
        for (index, (text, consent)) in [
            ("Drafted the quarterly report outline with ChatGPT", Consent.anonymousQuote),
            ("Summarised the report feedback with Copilot", .anonymousQuote),
            ("A private report trick", .aggregateOnly),
        ].enumerated() {
            let user = PlatformUser(platform: .teams, workspace: TeamsTenant.tenantID, userID: "colleague-\(index)")
            try await server.store.recordReflection(
                Reflection(
                    id: "r\(index)", person: pseudonymizer.pseudonym(for: user), createdAt: server.clock.now(),
                    source: .modal, text: text, taskCategory: .drafting, outcome: .savedTime, minutesSaved: .upTo30,
                    consent: consent),
                from: DeliveryAddress(user))
        }

        let ask = tenant.activity("message", from: megan, id: "m1", extra: ["text": "ideas report"])
        #expect(try await tenant.post(ask, to: server, now: server.clock.now()).status == .ok)
        let posted = try await tenant.connector.waitForCalls(.sendToConversation, count: 1)
        let card = TeamsEndToEndTests.card(try JSONValue.decode(try #require(posted.last).body))
        let words = TeamsEndToEndTests.words(card)
        #expect(words.contains("Drafted the quarterly report outline with ChatGPT"))
        #expect(words.contains("Summarised the report feedback with Copilot"))
        #expect(!words.contains("private report trick"), "aggregate-only never shows")
        #expect(words.contains("Useful"))

        // Useful through Action.Execute, then again through the Action.Submit fallback: one mark.
        let invoke = tenant.activity(
            "invoke", from: megan, id: "inv-1",
            extra: [
                "name": "adaptiveCard/action",
                "value": [
                    "action": ["type": "Action.Execute", "verb": "idea.useful", "data": ["reflection_id": "r0"]],
                    "trigger": "manual",
                ],
            ])
        let first = try #require(try await tenant.post(invoke, to: server, now: server.clock.now()).json)
        #expect(TeamsEndToEndTests.words(first["value"]).contains("counted as useful"))
        let submit = tenant.activity(
            "message", from: megan, id: "m2", extra: ["value": ["debrief_verb": "idea.useful", "reflection_id": "r0"]])
        #expect(try await tenant.post(submit, to: server, now: server.clock.now()).status == .ok)
        try await server.settle()
        let meganPseudonym = pseudonymizer.pseudonym(
            for: PlatformUser(platform: .teams, workspace: TeamsTenant.tenantID, userID: megan.objectID))
        #expect(try await server.store.ideaMarkCount(by: meganPseudonym) == 1)

        // Hostile topics answer with a sentence, never an error.
        let hostile = tenant.activity("message", from: megan, id: "m3", extra: ["text": "ideas \"NEAR(* 📧"])
        #expect(try await tenant.post(hostile, to: server, now: server.clock.now()).status == .ok)
        #expect(
            try await reply(containing: "No colleague's example matches “near”", tenant: tenant),
            "NEAR is just a word here")
        let symbols = tenant.activity("message", from: megan, id: "m4", extra: ["text": "ideas \"*( 📧 -"])
        #expect(try await tenant.post(symbols, to: server, now: server.clock.now()).status == .ok)
        #expect(try await reply(containing: "couldn't find a word to search for", tenant: tenant))
        #expect(try await reply(containing: "already marked this example", tenant: tenant), "the Submit fallback")
        try await server.stop()
        await tenant.stop()
    }

    /// Whether a card sent to a chat says `text`, waiting up to five seconds for the background send.
    func reply(containing text: String, tenant: TeamsTenant) async throws -> Bool {
        try await eventually(timeout: .seconds(5)) {
            tenant.connector.postedActivities().contains {
                TeamsEndToEndTests.words(TeamsEndToEndTests.card(try? JSONValue.decode($0.body))).contains(text)
            } ? true : nil
        } ?? false
    }
}
