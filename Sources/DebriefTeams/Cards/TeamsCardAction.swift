import DebriefCore
import Foundation

/// What a person did on one of Debrief's cards, decoded from what Teams sends back.
///
/// Cards send the same data two ways (reference `teams.md` §1.4, §5): an `Action.Execute` click arrives as
/// an `invoke` activity named `adaptiveCard/action` whose `value.action` has the `verb` and the `data`
/// merged with the card's inputs; the `Action.Submit` fallback of older clients arrives as a `message`
/// whose `value` is the data merged with the inputs (the verb is in ``TeamsCardData/verb``). Both decode
/// to the same case here, so handlers never care which path a click took.
///
/// - Important: the payload is untrusted. Decoding never crashes on any JSON; wrong types, unknown verbs
///   and malformed ids give a ``TeamsCardActionError`` that names the field and never echoes a person's text.
public enum TeamsCardAction: Sendable, Equatable {
    /// "Reflect (1 min)" on a nudge: answer with the form for this nudge.
    case reflect(nudgeID: String)
    /// "Snooze 1 day" on a nudge.
    case snooze(nudgeID: String)
    /// "Not this one" on a nudge.
    case skip(nudgeID: String)
    /// Show the form: for "Add details" under a quick reflection (`reflectionID` set) or "Write a reflection".
    case openForm(reflectionID: String?)
    /// "Save" on the form; validate `draft` with ``ReflectionDraft/validate()`` and `question` (the answer to
    /// the rotating question, nil when the card carried none, as on cards sent before questions existed) with
    /// the question service.
    case submitReflection(
        ReflectionDraft, nudgeID: String?, replacingReflectionID: String?, question: QuestionAnswerDraft? = nil)
    /// "Yes, delete everything".
    case confirmForget
    /// "No, keep it".
    case cancelForget
    /// "Useful" under a colleague's example (`ideas`).
    case ideaUseful(reflectionID: String)
    /// A habit message's button: the message id and the answer.
    case habit(promptID: String, answer: HabitAnswer)
    /// "Respond" on the leadership digest card: the form, privately, for leaders and admins.
    case respond(digestID: String)
    /// "Publish" on the Respond form; check with ``LeaderResponseForm/validate(offered:eligibleTeams:)``.
    case submitResponse(LeaderResponseForm, digestID: String)

    /// The invoke name of an `Action.Execute` click.
    public static let invokeName = "adaptiveCard/action"
    /// The longest nudge or reflection id accepted (Debrief's ids are far shorter).
    public static let maximumIDLength = 200
    /// The most blockers a submission may list (there are six choices).
    public static let maximumBlockers = 20
    /// The longest single choice value read from a submission (choice values are short identifiers).
    public static let maximumChoiceLength = 64
    /// The most themes or teams a Respond submission may list (a form offers at most a hundred teams).
    public static let maximumResponseChoices = 200
    /// The longest team name read from a Respond submission.
    public static let maximumTeamNameLength = 200

    /// Decodes a card action from an activity: an `invoke` named ``invokeName`` or a `message` with a
    /// `value` object. Returns ``TeamsCardActionError/notACardAction`` for anything else (a plain message).
    public static func decode(_ activity: Activity) -> Result<TeamsCardAction, TeamsCardActionError> {
        switch activity.type {
        case ActivityType.invoke:
            guard activity.name == invokeName else { return .failure(.notACardAction) }
            return decode(invokeValue: activity.value)
        case ActivityType.message:
            guard let value = activity.value else { return .failure(.notACardAction) }
            return decode(submitValue: value)
        default:
            return .failure(.notACardAction)
        }
    }

    /// Decodes the `value` of an `adaptiveCard/action` invoke:
    /// `{"action": {"type": "Action.Execute", "verb": …, "data": {…inputs…}}, "trigger": "manual"}`.
    public static func decode(invokeValue value: JSONValue?) -> Result<TeamsCardAction, TeamsCardActionError> {
        guard let value else { return .failure(.missing("value")) }
        guard let object = value.objectValue else { return .failure(.wrongType("value", expected: "an object")) }
        guard let action = object["action"] else { return .failure(.missing("value.action")) }
        guard let actionObject = action.objectValue else {
            return .failure(.wrongType("value.action", expected: "an object"))
        }
        if let type = actionObject["type"] {
            guard type.stringValue == "Action.Execute" else { return .failure(.unsupportedActionType) }
        }
        var data: [String: JSONValue] = [:]
        if let raw = actionObject["data"] {
            switch raw {
            case .object(let object): data = object
            case .null: break
            default: return .failure(.wrongType("value.action.data", expected: "an object"))
            }
        }
        let verb: String
        switch actionObject["verb"] {
        case .string(let value): verb = value
        case nil, .null?:
            guard let fromData = data[TeamsCardData.verb] else { return .failure(.missing("value.action.verb")) }
            guard let string = fromData.stringValue else {
                return .failure(.wrongType(TeamsCardData.verb, expected: "a text"))
            }
            verb = string
        default: return .failure(.wrongType("value.action.verb", expected: "a text"))
        }
        return decode(verb: verb, data: data)
    }

    /// Decodes the `value` of an `Action.Submit` message: the card's data merged with its inputs.
    public static func decode(submitValue value: JSONValue) -> Result<TeamsCardAction, TeamsCardActionError> {
        guard let data = value.objectValue else { return .failure(.wrongType("value", expected: "an object")) }
        guard let verbValue = data[TeamsCardData.verb] else { return .failure(.missing(TeamsCardData.verb)) }
        guard let verb = verbValue.stringValue else {
            return .failure(.wrongType(TeamsCardData.verb, expected: "a text"))
        }
        return decode(verb: verb, data: data)
    }

    // MARK: - Verbs

    private static func decode(verb rawVerb: String, data: [String: JSONValue])
        -> Result<TeamsCardAction, TeamsCardActionError>
    {
        guard let verb = TeamsCardVerb(rawValue: rawVerb) else { return .failure(.unknownVerb) }
        do {
            switch verb {
            case .reflect: return .success(.reflect(nudgeID: try requiredID(TeamsCardData.nudgeID, in: data)))
            case .snooze: return .success(.snooze(nudgeID: try requiredID(TeamsCardData.nudgeID, in: data)))
            case .skip: return .success(.skip(nudgeID: try requiredID(TeamsCardData.nudgeID, in: data)))
            case .openForm:
                return .success(.openForm(reflectionID: try optionalID(TeamsCardData.reflectionID, in: data)))
            case .confirmForget: return .success(.confirmForget)
            case .cancelForget: return .success(.cancelForget)
            case .ideaUseful:
                return .success(.ideaUseful(reflectionID: try requiredID(TeamsCardData.reflectionID, in: data)))
            case .habitAnswer:
                guard case .string(let raw)? = data[TeamsCardData.habitAnswer], let answer = HabitAnswer(rawValue: raw)
                else { return .failure(.missing(TeamsCardData.habitAnswer)) }
                return .success(.habit(promptID: try requiredID(TeamsCardData.habitID, in: data), answer: answer))
            case .respond: return .success(.respond(digestID: try requiredID(TeamsCardData.digestID, in: data)))
            case .submitResponse:
                return .success(
                    .submitResponse(
                        try responseForm(from: data), digestID: try requiredID(TeamsCardData.digestID, in: data)))
            case .submitReflection:
                let draft = try self.draft(from: data)
                return .success(
                    .submitReflection(
                        draft, nudgeID: try optionalID(TeamsCardData.nudgeID, in: data),
                        replacingReflectionID: try optionalID(TeamsCardData.reflectionID, in: data),
                        question: try questionAnswer(from: data)))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Reads the form's inputs (ids are ``ReflectionFormField`` raw values) into a core draft.
    ///
    /// Teams sends every input as a text: an empty text for an untouched input, and a multi-select as
    /// comma-separated values. A missing input is an unanswered one (clients leave out hidden inputs).
    static func draft(from data: [String: JSONValue]) throws(TeamsCardActionError) -> ReflectionDraft {
        func text(_ field: ReflectionFormField) throws(TeamsCardActionError) -> String? {
            switch data[field.rawValue] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw .wrongType(field.rawValue, expected: "a text")
            }
        }
        func choice(_ field: ReflectionFormField) throws(TeamsCardActionError) -> String? {
            guard let value = try text(field) else { return nil }
            guard value.utf8.count <= maximumChoiceLength else { throw .tooLong(field.rawValue) }
            return value
        }
        var blockers: [String] = []
        switch data[ReflectionFormField.blockers.rawValue] {
        case nil, .null?: break
        case .string(let value)?:
            blockers = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        case .array(let values)?:
            for value in values {
                guard let string = value.stringValue else {
                    throw .wrongType(ReflectionFormField.blockers.rawValue, expected: "texts")
                }
                blockers.append(string)
            }
        default: throw .wrongType(ReflectionFormField.blockers.rawValue, expected: "a text")
        }
        guard blockers.count <= maximumBlockers else { throw .tooLong(ReflectionFormField.blockers.rawValue) }
        guard blockers.allSatisfy({ $0.utf8.count <= maximumChoiceLength }) else {
            throw .tooLong(ReflectionFormField.blockers.rawValue)
        }
        return ReflectionDraft(
            text: try text(.text), taskCategory: try choice(.taskCategory), tool: try text(.tool),
            outcome: try choice(.outcome), minutesSaved: try choice(.minutesSaved), confidence: try choice(.confidence),
            blockers: blockers, consent: try choice(.consent))
    }

    /// Reads the rotating question's answer: nil when the card carried no question or it was left empty.
    ///
    /// The answer's length and choice are not judged here: the question service does that, so a bad answer keeps
    /// the card with a sentence under the question instead of an invoke error. An answer without a question id
    /// (a tampered card) gets an empty id, which the service refuses as a question no longer asked.
    static func questionAnswer(from data: [String: JSONValue]) throws(TeamsCardActionError) -> QuestionAnswerDraft? {
        let value: String
        switch data[TeamsCardData.questionAnswer] {
        case nil, .null?: return nil
        case .string(let text)?: value = text
        default: throw .wrongType(TeamsCardData.questionAnswer, expected: "a text")
        }
        guard !value.isEmpty else { return nil }
        let questionID = try optionalID(TeamsCardData.questionID, in: data) ?? ""
        return QuestionAnswerDraft(questionID: questionID, value: value)
    }

    /// Reads the Respond form's inputs (``LeaderResponseInput``). A multi-select arrives as one text of
    /// comma-separated values; team values are percent-encoded by ``LeaderResponseCard/choiceValue(_:)`` so a
    /// team name with a comma survives. What the values mean is checked by the core, not here.
    static func responseForm(from data: [String: JSONValue]) throws(TeamsCardActionError) -> LeaderResponseForm {
        func text(_ key: String) throws(TeamsCardActionError) -> String? {
            switch data[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw .wrongType(key, expected: "a text")
            }
        }
        func list(_ key: String, limit: Int) throws(TeamsCardActionError) -> [String] {
            var values: [String] = []
            switch data[key] {
            case nil, .null?: break
            case .string(let value)?: values = value.split(separator: ",").map(String.init)
            case .array(let items)?:
                for item in items {
                    guard let string = item.stringValue else { throw .wrongType(key, expected: "texts") }
                    values.append(string)
                }
            default: throw .wrongType(key, expected: "a text")
            }
            guard values.count <= maximumResponseChoices else { throw .tooLong(key) }
            let decoded = values.map { LeaderResponseCard.decodeChoiceValue($0) }
            guard decoded.allSatisfy({ $0.utf8.count <= limit }) else { throw .tooLong(key) }
            return decoded.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        let audience = try text(LeaderResponseInput.audience)
        guard (audience?.utf8.count ?? 0) <= maximumChoiceLength else { throw .tooLong(LeaderResponseInput.audience) }
        return LeaderResponseForm(
            text: try text(LeaderResponseInput.text),
            themeKeys: try list(LeaderResponseInput.themes, limit: maximumChoiceLength), audienceChoice: audience,
            teams: try list(LeaderResponseInput.teams, limit: maximumTeamNameLength))
    }

    private static func requiredID(_ key: String, in data: [String: JSONValue]) throws(TeamsCardActionError) -> String {
        guard let id = try optionalID(key, in: data) else { throw .missing(key) }
        return id
    }

    /// An id from card data: 1 to ``maximumIDLength`` printable ASCII characters without spaces, or absent.
    private static func optionalID(_ key: String, in data: [String: JSONValue]) throws(TeamsCardActionError)
        -> String?
    {
        switch data[key] {
        case nil, .null?: return nil
        case .string(let id)?:
            if id.isEmpty { return nil }
            guard id.utf8.count <= maximumIDLength,
                id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
            else { throw .invalidID(key) }
            return id
        default: throw .wrongType(key, expected: "a text")
        }
    }
}

/// Why a card's payload could not be read. Descriptions name the field and what was expected, never the
/// value (it may be a person's text), so they are safe in logs and in an invoke's error response.
public enum TeamsCardActionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The activity is not a card action at all (a plain message, another invoke).
    case notACardAction
    case missing(String)
    case wrongType(String, expected: String)
    /// `value.action.type` is not `Action.Execute`.
    case unsupportedActionType
    /// The verb is not one Debrief's cards use.
    case unknownVerb
    /// An id that is empty, too long, or has characters Debrief's ids never have.
    case invalidID(String)
    /// A choice value or list longer than any Debrief's cards send.
    case tooLong(String)

    public var description: String {
        switch self {
        case .notACardAction: "not a card action"
        case .missing(let field): "\(field) is missing"
        case .wrongType(let field, let expected): "\(field) should be \(expected)"
        case .unsupportedActionType: "value.action.type should be Action.Execute"
        case .unknownVerb: "the verb is not one of Debrief's card actions"
        case .invalidID(let field):
            "\(field) should be 1 to \(TeamsCardAction.maximumIDLength) printable ASCII characters without spaces"
        case .tooLong(let field): "\(field) is longer than any of the card's choices"
        }
    }

    /// The invoke error `code` for ``TeamsInvokeResponse/error(statusCode:code:message:)``.
    public var code: String {
        switch self {
        case .notACardAction, .unsupportedActionType: "NotSupported"
        default: "BadRequest"
        }
    }
}
