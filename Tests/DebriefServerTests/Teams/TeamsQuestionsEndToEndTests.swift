import DebriefCore
import DebriefFakeTeams
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import Testing

/// The rotating question on the Teams reflection card, end to end: the card carries the same one optional
/// question as the Slack form, a refused answer keeps the card with the reason under the question and stores
/// nothing, and a valid answer is stored with the reflection.
@Suite("Teams rotating questions end to end")
struct TeamsQuestionsEndToEndTests {
    /// Wednesday of ISO week 2026-W47.
    static let midWeek = ISO8601DateFormatter().date(from: "2026-11-18T10:00:00Z") ?? .distantPast

    /// A "Save" click on the form: the card's data (the question's id) merged with its inputs.
    static func submit(
        _ tenant: TeamsTenant, from person: TeamsTenant.Person, id: String, questionID: String?, answer: String?
    ) -> JSONValue {
        var data: [String: JSONValue] = [
            "text": "Summarised the week's customer calls with AI", "outcome": "saved_time",
            "consent": "aggregate_only",
        ]
        if let questionID { data["question_id"] = .string(questionID) }
        if let answer { data["question_answer"] = .string(answer) }
        return tenant.activity(
            "invoke", from: person, id: id,
            extra: [
                "name": "adaptiveCard/action",
                "value": ["action": ["type": "Action.Execute", "verb": "reflection.submit", "data": .object(data)]],
            ])
    }

    /// The first object in `card` whose `id` is `id`.
    static func element(_ id: String, in card: JSONValue?) -> JSONValue? {
        switch card {
        case .object(let object)?:
            if object["id"]?.stringValue == id { return card }
            for key in object.keys.sorted() {
                if let found = element(id, in: object[key]) { return found }
            }
        case .array(let items)?:
            for item in items {
                if let found = element(id, in: item) { return found }
            }
        default: break
        }
        return nil
    }

    @Test("the card asks the question; an invented choice or too long text is refused, a valid answer is stored")
    func questionOnTheCard() async throws {
        let tenant = try await TeamsTenant.start()
        let server = try await TestServer.start(
            slackConfigured: false, clockStart: Self.midWeek, configure: { tenant.configure(&$0) })
        let megan = tenant.person("Megan", number: 2, timeZone: "Europe/Berlin")
        let person = Pseudonymizer(secret: TestServer.pseudonymKey).pseudonym(
            for: PlatformUser(platform: .teams, workspace: TeamsTenant.tenantID, userID: megan.objectID))

        // "Write a reflection": the form carries one optional question, before the consent choice.
        let open = tenant.activity(
            "invoke", from: megan, id: "inv-open",
            extra: [
                "name": "adaptiveCard/action",
                "value": ["action": ["type": "Action.Execute", "verb": "reflection.open", "data": [:]]],
            ])
        let form = try #require(try await tenant.post(open, to: server, now: server.clock.now()).json?["value"])
        let inputIDs = TeamsEndToEndTests.inputIDs(form)
        #expect(inputIDs.suffix(2) == ["question_answer", "consent"], "\(inputIDs)")
        let question = try #require(Self.element("question_answer", in: form))
        #expect(question["isRequired"] == false)
        let questionID = try #require(form["actions"]?[0]?["data"]?["question_id"]?.stringValue)
        #expect(["ai_help_wish", "stay_human", "time_saved_use"].contains(questionID))
        if questionID == "stay_human" {
            #expect(question["type"] == "Input.Text" && question["maxLength"]?.numberValue == 500)
        } else {
            #expect(question["type"] == "Input.ChoiceSet" && (question["choices"]?.arrayValue?.count ?? 0) >= 2)
        }

        // An invented choice: the card comes back with the reason under the question; nothing is stored.
        let invented = try #require(
            try await tenant.post(
                Self.submit(tenant, from: megan, id: "inv-1", questionID: "time_saved_use", answer: "naps"),
                to: server, now: server.clock.now()
            ).json)
        #expect(invented["statusCode"]?.numberValue == 200)
        let refused = invented["value"]
        #expect(TeamsEndToEndTests.inputIDs(refused).contains("question_answer"), "the form again, to fix")
        #expect(TeamsEndToEndTests.words(refused).contains("Pick one of the answers listed"))
        #expect(refused?["actions"]?[0]?["data"]?["question_id"] == "time_saved_use", "the question answered")
        #expect(Self.element("question_answer", in: refused)?["value"] == nil, "an invented choice is not selected")
        #expect(Self.element("text", in: refused)?["value"] == "Summarised the week's customer calls with AI")
        #expect(try await server.store.exportPerson(person)?.reflections.isEmpty ?? true)
        #expect(try await server.store.exportPerson(person)?.questionAnswers?.isEmpty ?? true)

        // Free text over the limit is refused the same way.
        let long = String(repeating: "Trust with clients. ", count: 40)
        let tooLong = try #require(
            try await tenant.post(
                Self.submit(tenant, from: megan, id: "inv-2", questionID: "stay_human", answer: long),
                to: server, now: server.clock.now()
            ).json)
        #expect(TeamsEndToEndTests.words(tooLong["value"]).contains("at most 500 characters"))
        #expect(try await server.store.exportPerson(person)?.reflections.isEmpty ?? true)
        #expect(try await server.store.exportPerson(person)?.questionAnswers?.isEmpty ?? true)

        // A valid choice is stored with the reflection, and the card becomes the thanks.
        let valid = try #require(
            try await tenant.post(
                Self.submit(tenant, from: megan, id: "inv-3", questionID: "time_saved_use", answer: "learning"),
                to: server, now: server.clock.now()
            ).json)
        #expect(TeamsEndToEndTests.inputIDs(valid["value"]).isEmpty, "the thanks: \(valid)")
        let export = try #require(try await server.store.exportPerson(person))
        #expect(export.reflections.count == 1)
        #expect(export.questionAnswers?.map(\.questionID) == ["time_saved_use"])
        #expect(export.questionAnswers?.map(\.choice) == ["learning"])
        #expect(export.questionAnswers?.first?.reflectionID == export.reflections.first?.id)

        // A card sent before questions existed (no question field) still saves the reflection, with no answer.
        let old = try #require(
            try await tenant.post(
                Self.submit(tenant, from: megan, id: "inv-4", questionID: nil, answer: nil), to: server,
                now: server.clock.now()
            ).json)
        #expect(TeamsEndToEndTests.inputIDs(old["value"]).isEmpty, "saved: \(old)")
        let after = try #require(try await server.store.exportPerson(person))
        #expect(after.reflections.count == 2 && after.questionAnswers?.count == 1)
        try await server.stop()
        await tenant.stop()
    }
}
