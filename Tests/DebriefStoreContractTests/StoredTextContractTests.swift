import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// People's words with a NUL in them (`%00` in a Slack form, `\u0000` in JSON) are stored whole on every backend:
/// PostgreSQL refuses U+0000 in text and SQLite reads text back cut at it.
@Suite("Stored text", .cleansUpStores)
struct StoredTextContractTests {
    let day = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(
        "a NUL in a reflection, a training's title and a team name is kept as U+FFFD, with the rest of the text",
        arguments: StoreBackend.all)
    func nulCharacters(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let person = Pseudonym(rawValue: "p_nul")
        let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U0NUL")
        let reflection = Reflection(
            id: "r-nul", person: person, createdAt: day, source: .quick, text: "before\u{0}after",
            tool: "Cl\u{0}aude")
        try await store.recordReflection(reflection, from: address)
        let stored = try #require(try await store.reflection(id: "r-nul", of: person))
        #expect(stored.text == "before\u{FFFD}after")
        #expect(stored.tool == "Cl\u{FFFD}aude")
        var edited = stored
        edited.text = "edited\u{0}text"
        #expect(try await store.replaceReflection(edited))
        #expect(try await store.reflection(id: "r-nul", of: person)?.text == "edited\u{FFFD}text")

        let training = Training(
            id: "t-nul", workspace: "T0001", title: "AI\u{0}basics", topic: "prompts\u{0}", endedAt: day,
            sequenceID: "default", createdAt: day)
        try await store.registerTraining(training, participants: [], jobs: [])
        let registered = try #require(try await store.training(id: "t-nul"))
        #expect(registered.title == "AI\u{FFFD}basics" && registered.topic == "prompts\u{FFFD}")

        try await store.assignRoles(
            [RoleAssignment(address: address, pseudonym: person, roleLevel: "ic", team: "Sales\u{0}EMEA")], at: day)
        #expect(try await store.roleAndTeam(of: person)?.team == "Sales\u{FFFD}EMEA")
    }
}
