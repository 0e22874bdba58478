import DebriefCore
import DebriefStore
import DebriefStoreTestSupport
import Foundation
import Testing

/// Answers to the rotating questions on every backend: stored by pseudonym with StoredText rules, counted once per
/// person and question a week (their latest), listed in the export, and gone after erasure.
@Suite("Question answers", .cleansUpStores)
struct QuestionAnswerStoreTests {
    let day = Date(timeIntervalSince1970: 1_795_000_000)

    func person(_ store: any StoreUnderTest, _ name: String, role: String) async throws -> (Pseudonym, DeliveryAddress)
    {
        let pseudonym = Pseudonym(rawValue: "p_" + name)
        let address = DeliveryAddress(platform: .slack, workspace: "T0001", userID: "U" + name.uppercased())
        try await store.upsertPerson(address, pseudonym: pseudonym, at: day)
        try await store.assignRoles(
            [RoleAssignment(address: address, pseudonym: pseudonym, roleLevel: role, team: "Sales")], at: day)
        return (pseudonym, address)
    }

    func answer(
        _ id: String, _ person: Pseudonym, _ question: String, choice: String? = nil, text: String? = nil,
        consent: Consent = .aggregateOnly, week: String = "2026-W47"
    ) -> QuestionAnswer {
        QuestionAnswer(
            id: id, person: person, questionID: question, choice: choice, text: text, consent: consent, week: week,
            reflectionID: "r-" + id)
    }

    @Test(
        "the week's answers are the latest per person and question, with the author's role", arguments: StoreBackend.all
    )
    func weeklyAnswers(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (ana, _) = try await person(store, "ana", role: "leader")
        let (ben, _) = try await person(store, "ben", role: "ic")
        try await store.recordQuestionAnswer(answer("1", ana, "time_saved_use", choice: "learning"))
        try await store.recordQuestionAnswer(answer("2", ana, "time_saved_use", choice: "admin_backlog"))
        try await store.recordQuestionAnswer(
            answer(
                "3", ben, "stay_human", text: "Trust\u{0}with clients",
                consent: .anonymousQuote))
        try await store.recordQuestionAnswer(answer("4", ben, "time_saved_use", choice: "learning", week: "2026-W46"))
        let week = try await store.questionAnswers(week: "2026-W47")
        #expect(
            week == [
                WeeklyQuestionAnswer(
                    person: ben, roleLevel: "ic", questionID: "stay_human", choice: nil,
                    text: "Trust\u{FFFD}with clients",
                    consent: .anonymousQuote),
                WeeklyQuestionAnswer(
                    person: ana, roleLevel: "leader", questionID: "time_saved_use", choice: "admin_backlog", text: nil,
                    consent: .aggregateOnly),
            ])
        #expect(try await store.lastQuestionAnswered(by: ben) == "time_saved_use")
        #expect(try await store.lastQuestionAnswered(by: Pseudonym(rawValue: "p_nobody")) == nil)
        await #expect(throws: StoreError.personNotFound) {
            try await store.recordQuestionAnswer(answer("5", Pseudonym(rawValue: "p_nobody"), "x", choice: "y"))
        }
    }

    @Test("answers are in /reflect mine and gone after /reflect forget", arguments: StoreBackend.all)
    func exportAndErasure(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let (ana, address) = try await person(store, "ana", role: "leader")
        let (ben, _) = try await person(store, "ben", role: "ic")
        try await store.recordQuestionAnswer(answer("a1", ana, "stay_human", text: "Judgement calls"))
        try await store.recordQuestionAnswer(answer("b1", ben, "stay_human", text: "Coaching people"))
        let export = try #require(try await store.exportPerson(ana))
        #expect(export.questionAnswers?.map(\.text) == ["Judgement calls"])
        #expect(export.questionAnswers?.first?.reflectionID == "r-a1")

        try await store.erasePerson(ana, address: address)
        #expect(try await store.questionAnswers(of: ana).isEmpty)
        #expect(try await store.exportPerson(ana) == nil)
        #expect(try await store.questionAnswers(week: "2026-W47").map(\.person) == [ben])
    }
}
