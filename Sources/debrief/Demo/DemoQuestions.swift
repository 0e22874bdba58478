import DebriefCore
import DebriefFakeSlack
import Foundation

/// The rotating question as the demo's people meet it: read from the form the server opened (the question the
/// rotation chose for that person and week), answered the way the field describes leaders and ICs — leaders
/// expect the saved time to go into deeper work and learning, ICs report more of the same work and the admin
/// backlog — so the leadership digest has an expectation gap to show once both sides reach k.
struct DemoQuestion: Sendable, Equatable {
    var id: String
    /// The choice ids offered, in order; empty for a free-text question.
    var choices: [String]

    /// The question in an opened reflection form (a `views.open` view), or nil when the form carries none.
    init?(view: JSONValue) {
        guard case .array(let blocks)? = view["blocks"],
            let block = blocks.first(where: { $0["block_id"]?.stringValue == "rotating_question" }),
            let actionID = block["element"]?["action_id"]?.stringValue, actionID.hasPrefix("question:")
        else { return nil }
        id = String(actionID.dropFirst("question:".count))
        if case .array(let options)? = block["element"]?["options"] {
            choices = options.compactMap { $0["value"]?.stringValue }
        } else {
            choices = []
        }
    }

    /// What `person` answers: deterministic for the person and the question (same seed, same demo), about one in
    /// five leaving the optional question empty.
    func answer(by person: DemoPerson) -> String? {
        let roll = Self.roll(person.index, id)
        if roll % 5 == 0 { return nil }
        if choices.isEmpty { return Self.freeText[roll % Self.freeText.count] }
        let preferred = person.role == .leader ? Self.leaderLeaning : Self.icLeaning
        // Three in four follow their side's leaning; the rest pick any offered choice.
        let leaning = preferred.filter(choices.contains)
        if roll % 4 != 0, !leaning.isEmpty { return leaning[(roll / 4) % leaning.count] }
        return choices[(roll / 4) % choices.count]
    }

    /// The value to submit for `answer`: the selected radio option, or the text.
    func submittedValue(_ answer: String) -> JSONValue {
        guard !choices.isEmpty else { return ["type": "plain_text_input", "value": .string(answer)] }
        return [
            "type": "radio_buttons",
            "selected_option": ["text": ["type": "plain_text", "text": .string(answer)], "value": .string(answer)],
        ]
    }

    /// Leanings overlap (both sides name deeper work and drafting) so shared answers can be compared.
    private static let leaderLeaning = ["deeper_quality", "learning", "deeper_quality", "analysis", "drafting"]
    private static let icLeaning = ["more_same_work", "admin_backlog", "deeper_quality", "drafting", "admin"]
    private static let freeText = [
        "Building trust with clients and the relationship behind it",
        "Judgement calls on people decisions stay with us",
        "Coaching and feedback for the team",
        "Creative ideas for the product, not the first draft of them",
        "Checking quality and accuracy before anything leaves the team",
    ]

    /// A stable pseudo-random number from the person and the question (no global random state: same demo, same
    /// answers).
    private static func roll(_ index: Int, _ questionID: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(index)|\(questionID)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int(hash % 1_000_003)
    }
}

extension DemoSlack {
    /// The rotating question in the reflection form opened for `triggerID`, if the server opened one with a question.
    func openedQuestion(trigger triggerID: String) -> DemoQuestion? {
        for call in slack.calls("views.open").reversed() where call.string("trigger_id") == triggerID {
            var view = call.argument("view")
            if let text = view?.stringValue { view = try? JSONValue.decode(Data(text.utf8)) }
            return view.flatMap(DemoQuestion.init(view:))
        }
        return nil
    }
}
