import DebriefCore
import DebriefPrompts

/// The reflection form as a Slack modal, and the way back from a submission to a core draft.
///
/// Every input block's `block_id` and `action_id` is the core `ReflectionFormField` raw value, so the
/// core's validation errors map 1:1 onto the fields Slack highlights, and reading a submission back
/// needs no lookup table.
public enum ReflectionModal {
    /// The `callback_id` of the form; route `view_submission`s with it.
    public static let callbackID = "reflection"
    /// The `callback_id` of the thank-you view.
    public static let thanksCallbackID = "reflection_thanks"

    /// `{"response_action":"clear"}`: close the whole modal stack after a successful save.
    public static let clear: JSONValue = ["response_action": "clear"]

    /// The form, optionally prefilled (for "Add details" on a quick reflection, or after an error).
    ///
    /// - Parameter privateMetadata: echoed back on submission (for example the reflection id being
    ///   completed). Slack allows 3000 characters; keep it to ids, never personal text.
    /// - Parameter question: the week's rotating question (optional to answer), shown before the consent choice.
    public static func view(
        prompts: PromptLibrary, prefill: ReflectionDraft = ReflectionDraft(), privateMetadata: String = "",
        question: RotatingQuestion? = nil, questionTexts: QuestionFormTexts = .english
    )
        -> JSONValue
    {
        let modal = prompts.modal
        let options = prompts.options
        var blocks: [JSONValue] = [BlockKit.section(modal.intro)]

        var text = textInput(.text, multiline: true, maxLength: ReflectionDraft.maximumTextLength, prompts: prompts)
        if let value = prefill.text, !value.isEmpty {
            text["initial_value"] = .string(BlockKit.truncate(value, to: ReflectionDraft.maximumTextLength))
        }
        blocks.append(input(.text, element: .object(text), optional: false, prompts: prompts))

        let categories = TaskCategory.allCases.map { BlockKit.option(text: options.label($0), value: $0.rawValue) }
        blocks.append(
            input(
                .taskCategory,
                element: select(.taskCategory, categories, selected: prefill.taskCategory, prompts: prompts),
                optional: true, prompts: prompts))

        var tool = textInput(.tool, multiline: false, maxLength: ReflectionDraft.maximumToolLength, prompts: prompts)
        if let value = prefill.tool, !value.isEmpty {
            tool["initial_value"] = .string(BlockKit.truncate(value, to: ReflectionDraft.maximumToolLength))
        }
        blocks.append(input(.tool, element: .object(tool), optional: true, prompts: prompts))

        let outcomes = Outcome.allCases.map { BlockKit.option(text: options.label($0), value: $0.rawValue) }
        blocks.append(
            input(
                .outcome, element: radio(.outcome, outcomes, selected: prefill.outcome), optional: true,
                prompts: prompts))

        let minutes = MinutesSaved.allCases.map { BlockKit.option(text: options.label($0), value: $0.rawValue) }
        blocks.append(
            input(
                .minutesSaved,
                element: select(.minutesSaved, minutes, selected: prefill.minutesSaved, prompts: prompts),
                optional: true, prompts: prompts))

        let confidence = OptionTexts.confidenceValues.map {
            BlockKit.option(text: options.label(confidence: $0), value: String($0))
        }
        blocks.append(
            input(
                .confidence, element: select(.confidence, confidence, selected: prefill.confidence, prompts: prompts),
                optional: true, prompts: prompts))

        let blockers = Blocker.allCases.map { BlockKit.option(text: options.label($0), value: $0.rawValue) }
        var checkboxes: [String: JSONValue] = [
            "type": "checkboxes", "action_id": .string(ReflectionFormField.blockers.rawValue),
            "options": .array(blockers),
        ]
        let chosen = blockers.filter { option in prefill.blockers.contains { option["value"]?.stringValue == $0 } }
        if !chosen.isEmpty { checkboxes["initial_options"] = .array(chosen) }
        blocks.append(input(.blockers, element: .object(checkboxes), optional: true, prompts: prompts))

        if let question { blocks.append(questionBlock(question, texts: questionTexts)) }

        let consents = Consent.allCases.map { consent in
            let texts = options.texts(consent)
            return BlockKit.option(text: texts.label, value: consent.rawValue, description: texts.description)
        }
        let consentValue = prefill.consent.flatMap(Consent.init(rawValue:)) ?? .aggregateOnly
        blocks.append(
            input(
                .consent, element: radio(.consent, consents, selected: consentValue.rawValue), optional: false,
                prompts: prompts))

        return [
            "type": "modal",
            "callback_id": .string(callbackID),
            "title": BlockKit.plainText(modal.title, limit: BlockKit.Limit.modalTitle),
            "submit": BlockKit.plainText(modal.submit, limit: BlockKit.Limit.modalButton),
            "close": BlockKit.plainText(modal.close, limit: BlockKit.Limit.modalButton),
            "private_metadata": .string(BlockKit.prefix(privateMetadata, utf16Count: BlockKit.Limit.privateMetadata)),
            "blocks": .array(Array(blocks.prefix(BlockKit.Limit.blocksPerView))),
        ]
    }

    /// Reads a submitted form back into a core draft; validate it with `ReflectionDraft.validate()`.
    ///
    /// Reads each field by block id whatever element type carried it, so layout changes in the modal
    /// do not break older open forms.
    public static func draft(from submission: ViewSubmission) -> ReflectionDraft {
        func value(_ field: ReflectionFormField) -> SlackInputValue? {
            submission.value(block: field.rawValue, action: field.rawValue)
                ?? submission.value(block: field.rawValue)
        }
        return ReflectionDraft(
            text: value(.text)?.singleValue,
            taskCategory: value(.taskCategory)?.singleValue,
            tool: value(.tool)?.singleValue,
            outcome: value(.outcome)?.singleValue,
            minutesSaved: value(.minutesSaved)?.singleValue,
            confidence: value(.confidence)?.singleValue,
            blockers: value(.blockers)?.allValues ?? [],
            consent: value(.consent)?.singleValue)
    }

    /// The response to a `view_submission` that keeps the form open and shows each problem under its field.
    public static func errorsResponse(_ errors: ReflectionValidationErrors, prompts: PromptLibrary) -> JSONValue {
        var messages: [String: JSONValue] = [:]
        for (field, problem) in errors.problems {
            messages[field.rawValue] = .string(prompts.message(for: problem))
        }
        return ["response_action": "errors", "errors": .object(messages)]
    }

    /// The response to a `view_submission` that could not be stored because of a failure on Debrief's
    /// side: the form stays open with everything the person typed, and a sentence under the first field
    /// asks them to press Save again.
    public static func storageFailureResponse(prompts: PromptLibrary) -> JSONValue {
        [
            "response_action": "errors",
            "errors": [ReflectionFormField.text.rawValue: .string(prompts.validation.storageFailed)],
        ]
    }

    /// The `private_metadata` for a form that completes (or replaces) a stored reflection; empty for a new one.
    ///
    /// Only the reflection id travels through Slack, never its text or the person's identity.
    public static func privateMetadata(reflectionID: String?) -> String {
        guard let reflectionID, !reflectionID.isEmpty else { return "" }
        return reflectionIDPrefix + reflectionID
    }

    /// The reflection id a submitted form refers to, or nil for a new reflection or foreign metadata.
    public static func reflectionID(fromPrivateMetadata metadata: String) -> String? {
        guard metadata.hasPrefix(reflectionIDPrefix) else { return nil }
        let id = String(metadata.dropFirst(reflectionIDPrefix.count))
        guard !id.isEmpty, id.utf8.count <= 200,
            id.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7f })
        else { return nil }
        return id
    }

    private static let reflectionIDPrefix = "reflection_id="

    /// The response to a successful `view_submission` that replaces the form with a short thank-you.
    public static func thanksView(prompts: PromptLibrary) -> JSONValue {
        let thanks = prompts.thanks
        let view: JSONValue = [
            "type": "modal",
            "callback_id": .string(thanksCallbackID),
            "title": BlockKit.plainText(thanks.title, limit: BlockKit.Limit.modalTitle),
            "close": BlockKit.plainText(thanks.close, limit: BlockKit.Limit.modalButton),
            "blocks": [BlockKit.section(thanks.text)],
        ]
        return ["response_action": "update", "view": view]
    }

    // MARK: - Elements

    private static func input(_ field: ReflectionFormField, element: JSONValue, optional: Bool, prompts: PromptLibrary)
        -> JSONValue
    {
        let texts = prompts.modal.field(field)
        var block: [String: JSONValue] = [
            "type": "input",
            "block_id": .string(field.rawValue),
            "label": BlockKit.plainText(texts.label, limit: BlockKit.Limit.label),
            "element": element,
            "optional": .bool(optional),
        ]
        if let hint = texts.hint, !hint.isEmpty {
            block["hint"] = BlockKit.plainText(hint, limit: BlockKit.Limit.hint)
        }
        return .object(block)
    }

    private static func textInput(_ field: ReflectionFormField, multiline: Bool, maxLength: Int, prompts: PromptLibrary)
        -> [String: JSONValue]
    {
        var element: [String: JSONValue] = [
            "type": "plain_text_input",
            "action_id": .string(field.rawValue),
            "multiline": .bool(multiline),
            "max_length": .number(Double(min(maxLength, BlockKit.Limit.plainTextInput))),
        ]
        if let placeholder = prompts.modal.field(field).placeholder {
            element["placeholder"] = BlockKit.plainText(placeholder, limit: BlockKit.Limit.placeholder)
        }
        return element
    }

    private static func select(
        _ field: ReflectionFormField, _ options: [JSONValue], selected: String?, prompts: PromptLibrary
    )
        -> JSONValue
    {
        var element: [String: JSONValue] = [
            "type": "static_select", "action_id": .string(field.rawValue), "options": .array(options),
        ]
        if let placeholder = prompts.modal.field(field).placeholder {
            element["placeholder"] = BlockKit.plainText(placeholder, limit: BlockKit.Limit.placeholder)
        }
        // Slack rejects an initial_option that is not exactly one of the options, so only reuse ours.
        if let selected, let option = options.first(where: { $0["value"]?.stringValue == selected }) {
            element["initial_option"] = option
        }
        return .object(element)
    }

    private static func radio(_ field: ReflectionFormField, _ options: [JSONValue], selected: String?) -> JSONValue {
        var element: [String: JSONValue] = [
            "type": "radio_buttons", "action_id": .string(field.rawValue), "options": .array(options),
        ]
        if let selected, let option = options.first(where: { $0["value"]?.stringValue == selected }) {
            element["initial_option"] = option
        }
        return .object(element)
    }
}

extension ReflectionModal {
    /// The `block_id` of the rotating question; its element's `action_id` is `question:<id>`, so a submission says
    /// which question was answered without anything in `private_metadata`.
    public static let questionBlockID = "rotating_question"
    static let questionActionPrefix = "question:"

    /// The rotating question as an optional input: radio buttons for a question with choices, a text field
    /// (capped at the stored length) for free text.
    static func questionBlock(_ question: RotatingQuestion, texts: QuestionFormTexts) -> JSONValue {
        let actionID = JSONValue.string(questionActionPrefix + question.id)
        var element: [String: JSONValue]
        if question.isFreeText {
            element = [
                "type": "plain_text_input", "action_id": actionID, "multiline": true,
                "max_length": .number(Double(RotatingQuestion.maximumAnswerLength)),
            ]
            if let placeholder = question.placeholder {
                element["placeholder"] = BlockKit.plainText(placeholder, limit: BlockKit.Limit.placeholder)
            }
        } else {
            element = [
                "type": "radio_buttons", "action_id": actionID,
                "options": .array(question.choices.prefix(10).map { BlockKit.option(text: $0.label, value: $0.id) }),
            ]
        }
        return [
            "type": "input", "block_id": .string(questionBlockID),
            "label": BlockKit.plainText(question.prompt, limit: BlockKit.Limit.label),
            "hint": BlockKit.plainText(texts.hint, limit: BlockKit.Limit.hint),
            "element": .object(element), "optional": true,
        ]
    }

    /// The answer to the rotating question in a submitted form, or nil when the form carried none.
    public static func questionAnswer(from submission: ViewSubmission) -> QuestionAnswerDraft? {
        guard let block = submission.values[questionBlockID],
            let (action, value) = block.first(where: { $0.key.hasPrefix(questionActionPrefix) })
        else { return nil }
        return QuestionAnswerDraft(
            questionID: String(action.dropFirst(questionActionPrefix.count)), value: value.singleValue)
    }

    /// Keeps the form open with `message` under the question.
    public static func questionErrorResponse(_ message: String) -> JSONValue {
        ["response_action": "errors", "errors": .object([questionBlockID: .string(message)])]
    }
}
