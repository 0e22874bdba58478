import DebriefCore
import DebriefPlatform
import DebriefTeams
import Testing

/// The habit's messages as Teams cards: one `Action.Execute` per choice carrying the message id and the
/// answer, decoded back into the same action whichever way the click arrives.
@Suite("Habit cards")
struct HabitCardTests {
    let delivery = HabitDelivery(
        promptID: "h_1", kind: .keepAsking, text: "Should I keep asking?",
        choices: [
            HabitChoice(answer: .keep, label: "Keep asking"), HabitChoice(answer: .lessOften, label: "Less often"),
            HabitChoice(answer: .stop, label: "Stop these prompts"),
        ])

    @Test("every choice is a button carrying the message id and its answer, and decodes back")
    func roundTrip() throws {
        let card = HabitCard.card(delivery)
        let actions = try #require(card["actions"]?.arrayValue)
        #expect(actions.map { $0["title"]?.stringValue } == ["Keep asking", "Less often", "Stop these prompts"])
        for (action, answer) in zip(actions, [HabitAnswer.keep, .lessOften, .stop]) {
            #expect(action["verb"] == "habit.answer")
            let data = try #require(action["data"])
            #expect(data["habit_id"] == "h_1" && data["habit_answer"] == .string(answer.rawValue))
            var submit = data.objectValue ?? [:]
            submit["debrief_verb"] = "habit.answer"
            #expect(
                TeamsCardAction.decode(submitValue: .object(submit))
                    == .success(.habit(promptID: "h_1", answer: answer)))
        }
    }

    @Test("a click without an answer, with an unknown one, or without a valid id is refused")
    func refused() {
        for value: JSONValue in [
            ["debrief_verb": "habit.answer", "habit_id": "h_1"],
            ["debrief_verb": "habit.answer", "habit_id": "h_1", "habit_answer": "streak"],
            ["debrief_verb": "habit.answer", "habit_answer": "keep"],
            ["debrief_verb": "habit.answer", "habit_id": "", "habit_answer": "keep"],
        ] {
            guard case .failure = TeamsCardAction.decode(submitValue: value) else {
                Issue.record("accepted \(value)")
                continue
            }
        }
    }
}
