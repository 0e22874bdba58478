import DebriefCore
import DebriefTeams
import Foundation

extension FuzzTarget {
    /// What a Teams card sends back: an `adaptiveCard/action` invoke or an `Action.Submit` message. The first byte
    /// picks the door: 0 mod 3 a whole activity, 1 an invoke's `value`, 2 a submit's `value`.
    static let teamsCardAction = FuzzTarget(
        name: "teams-card-action",
        summary: "TeamsCardAction.decode on activities, invoke values and Action.Submit values"
    ) { input in
        let (selector, rest) = input.selector
        let result: Result<TeamsCardAction, TeamsCardActionError>
        switch selector % 3 {
        case 0:
            guard let activity = try? JSONDecoder().decode(Activity.self, from: rest.data) else { return }
            result = TeamsCardAction.decode(activity)
            TeamsActivityChecks.readers(of: activity)
            if activity.type == ActivityType.message, let value = activity.value {
                FuzzExpect.that(
                    result == TeamsCardAction.decode(submitValue: value), "a submit message decodes as its value")
            }
        case 1:
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: rest.data) else { return }
            result = TeamsCardAction.decode(invokeValue: value)
            let activity = Activity(type: ActivityType.invoke, value: value, name: TeamsCardAction.invokeName)
            FuzzExpect.that(TeamsCardAction.decode(activity) == result, "an invoke decodes as its value")
        default:
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: rest.data) else { return }
            result = TeamsCardAction.decode(submitValue: value)
            // The same click through `Action.Execute`: the verb moves to `action.verb`, the data stays.
            if let data = value.objectValue, let verb = data[TeamsCardData.verb]?.stringValue {
                let invoke: JSONValue = [
                    "action": ["type": "Action.Execute", "verb": .string(verb), "data": .object(data)],
                    "trigger": "manual",
                ]
                FuzzExpect.that(
                    TeamsCardAction.decode(invokeValue: invoke) == result,
                    "Action.Execute and Action.Submit decode the same click the same way")
            }
        }
        switch result {
        case .success(let action): TeamsCardActionChecks.action(action)
        case .failure(let error): TeamsCardActionChecks.error(error, input: rest)
        }
    }
}

enum TeamsCardActionChecks {
    static func action(_ action: TeamsCardAction) {
        switch action {
        case .reflect(let id), .snooze(let id), .skip(let id):
            identifier(id)
        case .openForm(let reflectionID):
            if let reflectionID { identifier(reflectionID) }
        case .submitReflection(let draft, let nudgeID, let reflectionID, let question):
            if let nudgeID { identifier(nudgeID) }
            if let question {
                if !question.questionID.isEmpty { identifier(question.questionID) }
                FuzzExpect.that(question.value?.isEmpty == false, "an empty answer is unanswered")
                // The service's rules must judge any decoded answer without crashing.
                _ = question.validate(against: [
                    RotatingQuestion(id: question.questionID, prompt: "?"),
                    RotatingQuestion(id: "choice", prompt: "?", choices: [QuestionChoice(id: "a", label: "A")]),
                ])
            }
            if let reflectionID { identifier(reflectionID) }
            FuzzExpect.that(draft.blockers.count <= TeamsCardAction.maximumBlockers, "blockers are bounded")
            for choice in [draft.taskCategory, draft.outcome, draft.minutesSaved, draft.confidence, draft.consent] {
                guard let choice else { continue }
                FuzzExpect.that(
                    !choice.isEmpty && choice.utf8.count <= TeamsCardAction.maximumChoiceLength,
                    "a choice read from a card is 1 to 64 bytes")
            }
            FuzzExpect.that(
                draft.blockers.allSatisfy { $0.utf8.count <= TeamsCardAction.maximumChoiceLength },
                "a blocker read from a card has at most 64 bytes")
            FuzzExpect.that(draft.text?.isEmpty != true && draft.tool?.isEmpty != true, "an empty input is unanswered")
            _ = draft.validate()
        case .confirmForget, .cancelForget:
            break
        case .habit(let promptID, _):
            identifier(promptID)
        case .ideaUseful(let reflectionID):
            identifier(reflectionID)
        case .respond(let digestID):
            identifier(digestID)
        case .submitResponse(let form, let digestID):
            identifier(digestID)
            // The core's rules must judge any decoded form without crashing.
            _ = form.validate(offered: [], eligibleTeams: [])
        }
    }

    /// Ids are what Debrief looks rows up by: 1 to 200 printable ASCII characters, no spaces.
    static func identifier(_ id: String) {
        FuzzExpect.that(
            (1...TeamsCardAction.maximumIDLength).contains(id.utf8.count), "a card id has 1 to 200 characters")
        FuzzExpect.that(
            id.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f }, "a card id is printable ASCII")
    }

    /// An error goes into logs and the invoke's error body: short, fixed words naming the field, never the value.
    static func error(_ error: TeamsCardActionError, input: FuzzInput) {
        let description = error.description
        FuzzExpect.that(!description.isEmpty && description.utf8.count <= 160, "a card error is short")
        FuzzExpect.that(
            description.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f }, "a card error is plain ASCII"
        )
        FuzzExpect.that(["NotSupported", "BadRequest"].contains(error.code), "a card error has a documented code")
        let fields =
            Set([
                "value", "value.action", "value.action.data", "value.action.verb", TeamsCardData.verb,
                TeamsCardData.nudgeID, TeamsCardData.reflectionID, TeamsCardData.questionID,
                TeamsCardData.questionAnswer,
            ]).union(ReflectionFormField.allCases.map(\.rawValue))
        switch error {
        case .missing(let field), .wrongType(let field, _), .invalidID(let field), .tooLong(let field):
            FuzzExpect.that(fields.contains(field), "a card error names one of the card's own fields")
        case .notACardAction, .unsupportedActionType, .unknownVerb:
            break
        }
    }
}
