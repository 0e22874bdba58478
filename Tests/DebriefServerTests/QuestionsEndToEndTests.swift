import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefStore
import DebriefTestSupport
import Foundation
import Testing

/// The rotating questions through the fake Slack: the form carries one optional question, the answer is stored
/// with the reflection, and the leadership digest compares leaders with ICs only once both sides reach k.
@Suite("Rotating questions end to end")
struct QuestionsEndToEndTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }
    /// Wednesday of ISO week 2026-W47.
    static let midWeek = date("2026-11-18T10:00:00Z")
    /// Monday 23 November 2026, 09:05 in Berlin: digests of W47 are due.
    static let digestTime = date("2026-11-23T08:05:00Z")

    static func configure(_ configuration: inout DebriefConfiguration) {
        configuration.digests.leadershipChannel = "CLEAD"
        configuration.privacy.anonymityThreshold = 5
        configuration.privacy.quoteThreshold = 5
    }

    static func user(_ id: String) -> PlatformUser { PlatformUser(platform: .slack, workspace: "T0001", userID: id) }
    static func pseudonym(_ id: String) -> Pseudonym {
        Pseudonymizer(secret: "test-pseudonym-key-0123456789").pseudonym(for: user(id))
    }

    /// 12 leaders (team Lead) and 24 ICs (Sales, Support), so every group is large enough to be shown.
    static func assignRoles(_ store: any DebriefDataStore) async throws {
        var assignments: [RoleAssignment] = []
        for index in 0..<12 { assignments.append(role("UL\(index)", "leader", "Lead")) }
        for index in 0..<12 { assignments.append(role("US\(index)", "ic", "Sales")) }
        for index in 0..<12 { assignments.append(role("UP\(index)", "ic", "Support")) }
        for assignment in assignments {
            try await store.upsertPerson(assignment.address, pseudonym: assignment.pseudonym, at: midWeek)
        }
        _ = try await store.assignRoles(assignments, at: midWeek)
    }

    static func role(_ id: String, _ level: String, _ team: String) -> RoleAssignment {
        RoleAssignment(
            address: DeliveryAddress(platform: .slack, workspace: "T0001", userID: id), pseudonym: pseudonym(id),
            roleLevel: level, team: team)
    }

    /// A reflection form as Slack submits it, with the rotating question's element when `answer` is given.
    static func submission(user: String, question: String?, answer: String?, freeText: Bool = false) -> String {
        var values: [String: JSONValue] = [
            "text": ["text": ["type": "plain_text_input", "value": "Summarised the week's customer calls with AI"]],
            "outcome": ["outcome": ["type": "radio_buttons", "selected_option": ["value": "saved_time"]]],
            "consent": ["consent": ["type": "radio_buttons", "selected_option": ["value": "anonymous_quote"]]],
        ]
        if let question {
            let element: JSONValue =
                freeText
                ? ["type": "plain_text_input", "value": answer.map(JSONValue.string) ?? .null]
                : ["type": "radio_buttons", "selected_option": answer.map { ["value": .string($0)] } ?? .null]
            values["rotating_question"] = ["question:" + question: element]
        }
        return SlackBodies.interaction([
            "type": "view_submission", "team": ["id": "T0001", "domain": "acme"],
            "user": ["id": .string(user), "username": "u", "name": "u", "team_id": "T0001"],
            "api_app_id": "A0001", "token": "legacy", "trigger_id": "3.4.ghi",
            "view": [
                "id": "V0001", "team_id": "T0001", "type": "modal", "callback_id": "reflection",
                "private_metadata": "", "hash": "1735689600.abc", "state": ["values": .object(values)],
            ],
        ])
    }

    @Test("the form opened by /reflect carries one optional question from prompts/questions")
    func formCarriesAQuestion() async throws {
        let server = try await TestServer.start(clockStart: Self.midWeek, configure: Self.configure)
        _ = try await server.postSigned(SlackBodies.slashCommand("", user: "UL0", trigger: "1.2.q"))
        let call = try await server.slack.waitForCall(method: "views.open")
        let blocks = try #require(call.argument("view")?["blocks"]?.arrayValue)
        let question = try #require(blocks.first { $0["block_id"]?.stringValue == "rotating_question" })
        #expect(question["optional"] == true)
        let actionID = try #require(question["element"]?["action_id"]?.stringValue)
        #expect(["question:ai_help_wish", "question:stay_human", "question:time_saved_use"].contains(actionID))
        // Before the consent choice, which stays the last block.
        #expect(blocks.last?["block_id"]?.stringValue == "consent")
        try await server.stop()
    }

    @Test("a choice that is not the question's keeps the form open and stores nothing")
    func badAnswerKeepsTheForm() async throws {
        let server = try await TestServer.start(clockStart: Self.midWeek, configure: Self.configure)
        let response = try await server.postSigned(
            Self.submission(user: "UL0", question: "time_saved_use", answer: "naps"))
        #expect(response.json?["response_action"] == "errors")
        #expect(response.json?["errors"]?["rotating_question"]?.stringValue?.contains("Pick one") == true)
        #expect(try await server.store.exportPerson(Self.pseudonym("UL0")) == nil)
        try await server.stop()
    }

    @Test(
        "answers are stored with the reflection; the leadership digest shows the gap only when both sides reach k",
        arguments: [4, 10])
    func expectationGapNeedsKOnBothSides(leadersAnswering: Int) async throws {
        let server = try await TestServer.start(clockStart: Self.midWeek, configure: Self.configure)
        try await Self.assignRoles(server.store)
        // Ten leaders reflect; `leadersAnswering` of them answer (half learning, half deeper quality).
        for index in 0..<10 {
            let answering = index < leadersAnswering
            let body = Self.submission(
                user: "UL\(index)", question: answering ? "time_saved_use" : nil,
                answer: answering ? (index % 2 == 0 ? "learning" : "deeper_quality") : nil)
            let response = try await server.postSigned(body)
            #expect(response.json?["response_action"] == "update", "UL\(index): \(response.text)")
        }
        // Twenty ICs answer: 5 more of the same work, 10 deeper quality, 5 learning.
        let icAnswers =
            Array(repeating: "more_same_work", count: 5) + Array(repeating: "deeper_quality", count: 10)
            + Array(repeating: "learning", count: 5)
        for (index, answer) in icAnswers.enumerated() {
            let user = index < 10 ? "US\(index)" : "UP\(index - 10)"
            _ = try await server.postSigned(Self.submission(user: user, question: "time_saved_use", answer: answer))
        }
        // A free-text answer is stored too; the stored answer is in the person's export.
        _ = try await server.postSigned(
            Self.submission(user: "US11", question: "stay_human", answer: "Trust with clients", freeText: true))
        let export = try #require(try await server.store.exportPerson(Self.pseudonym("US0")))
        #expect(export.questionAnswers?.map(\.choice) == ["more_same_work"])
        #expect(export.questionAnswers?.first?.reflectionID == export.reflections.first?.id)
        #expect(
            try await server.store.exportPerson(Self.pseudonym("US11"))?.questionAnswers?.first?.text
                == "Trust with clients")

        server.clock.advance(to: Self.digestTime)
        let thread = try await eventually(timeout: .seconds(10)) {
            try await server.runDueWork()
            return server.slack.calls("chat.postMessage").first {
                $0.string("channel") == "CLEAD" && $0.string("thread_ts") != nil
            }?.string("text")
        }
        let details = try #require(thread, "the leadership digest was posted with details")
        let release = try #require(try await server.store.releases(weeks: ["2026-W47"])["2026-W47"])
        let questions = try JSONDecoder().decode(WeekRelease.self, from: release).questions
        if leadersAnswering < 5 {
            #expect(
                !details.contains("*Expectation gap: leaders and ICs*"),
                "4 leaders answering are fewer than k: \(details)")
            #expect(questions?.gaps.isEmpty == true)
        } else {
            #expect(details.contains("*Expectation gap: leaders and ICs*"), "\(details)")
            #expect(details.contains("What did you do with the time AI saved you?"))
            #expect(details.contains("Deeper work on quality: leaders"))
            let gap = try #require(questions?.gaps.first)
            let deeper = try #require(gap.rows.first { $0.choiceID == "deeper_quality" })
            #expect(deeper.leaders != nil && deeper.ics != nil && deeper.gapInterval != nil)
            // Learning is held back for the leaders: five chose it, but with nothing else hidden it would be the
            // total minus the rest.
            #expect(gap.rows.first { $0.choiceID == "learning" }?.leaders == nil)
        }
        #expect(!details.contains("Trust with clients"), "one person's theme is never shown")
        try await server.stop()
    }
}
