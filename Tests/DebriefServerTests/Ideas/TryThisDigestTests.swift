import DebriefCore
import DebriefFakeSlack
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import Testing

/// "Try this" in the posted team digest: an example for the team's top use case from another team that is large
/// enough, never from the team itself or from a team below k.
@Suite("Ideas: Try this in team digests")
struct TryThisDigestTests {
    func pseudonym(_ user: String) -> Pseudonym {
        Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
            for: PlatformUser(platform: .slack, workspace: "T0001", userID: user))
    }

    func add(_ store: any DebriefDataStore, _ user: String, id: String, _ text: String) async throws {
        try await store.insertReflection(
            Reflection(
                id: id, person: pseudonym(user), createdAt: DigestEndToEndTests.midWeek, source: .modal, text: text,
                taskCategory: .drafting, outcome: .savedTime, minutesSaved: .upTo30, consent: .anonymousQuote))
    }

    @Test("the Sales digest carries a Support colleague's drafting example; never Sales' own, never Tiny's (below k)")
    func tryThisInTeamDigest() async throws {
        let server = try await TestServer.start(
            clockStart: DigestEndToEndTests.beforeDigest, configure: DigestEndToEndTests.configure)
        DigestEndToEndTests.registerDirectory(server.slack)
        server.slack.setUser(FakeSlack.User(id: "UP1", name: "Greta Holm"))
        try await DigestEndToEndTests.seed(server.store)
        try await add(
            server.store, "UP1", id: "support-idea",
            "Built a release notes checklist with Copilot, Greta Holm tested it")
        try await add(server.store, "UT1", id: "tiny-idea", "Tiny team secret drafting trick with Claude")
        server.clock.advance(by: 15 * 60)
        func salesCalls() -> [String] {
            server.slack.calls("chat.postMessage").filter { $0.string("channel") == "CSALES" }.map {
                String(decoding: $0.body, as: UTF8.self)
            }
        }
        _ = try await eventually(timeout: .seconds(10)) {
            try await server.runDueWork()
            return salesCalls().count >= 2 ? true : nil
        }
        let sales = salesCalls().joined()
        #expect(sales.contains("Try this"))
        #expect(sales.contains("Built a release notes checklist with Copilot"), "Support's example")
        #expect(sales.contains("[name] tested it") && !sales.contains("Greta"), "scrubbed like a quote")
        #expect(!sales.contains("Tiny team secret"), "a team below k never supplies the example")
        let leadership = server.slack.calls("chat.postMessage").filter { $0.string("channel") == "CLEAD" }.map {
            String(decoding: $0.body, as: UTF8.self)
        }.joined()
        #expect(!leadership.contains("Try this"), "team digests only")
        try await server.stop()
    }
}
