import DebriefCore
import DebriefPrompts
import Foundation

/// The reflection form as an Adaptive Card: the same fields, choices, limits, required answers and consent
/// levels as the Slack modal, because both come from the core (``ReflectionFormField``, the closed
/// vocabularies, ``ReflectionDraft`` limits) and the same texts.
///
/// Each input's `id` is the ``ReflectionFormField`` raw value, so the core's validation errors map 1:1 onto
/// the inputs and ``TeamsCardAction`` reads a submission back without a lookup table. When validation fails
/// the card comes back (as the invoke response) with every answer kept and a red line under each field
/// that needs a look. "Save" is an `Action.Execute` with verb ``TeamsCardVerb/submitReflection`` and an
/// `Action.Submit` fallback; its data carries the nudge id and the id of the reflection being completed,
/// never a person's text or identity.
public enum ReflectionFormCard {
    /// The form.
    ///
    /// - Parameters:
    ///   - prefill: the answers to show (a stored quick reflection for "Add details", or the submission that
    ///     failed validation); values that are not one of the choices are dropped, text is cut to its limit.
    ///   - errors: shown under their fields, with a summary line at the top.
    ///   - storageFailed: saving failed on Debrief's side: say so at the top, keep the answers.
    ///   - nudgeID: the nudge the form answers, if any.
    ///   - reflectionID: the stored reflection the form completes or replaces, if any.
    ///   - question: the rotating question (optional to answer), shown before the consent choice.
    public static func card(
        texts: TeamsTexts, prefill: ReflectionDraft = ReflectionDraft(), errors: ReflectionValidationErrors? = nil,
        storageFailed: Bool = false, nudgeID: String? = nil, reflectionID: String? = nil,
        question: ReflectionFormQuestion? = nil
    ) -> JSONValue {
        let form = texts.form
        let library = texts.library
        var body: [JSONValue] = [
            AdaptiveCard.text(form.modal.title, size: "Large", weight: "Bolder"),
            AdaptiveCard.text(form.modal.intro, subtle: true),
        ]
        if storageFailed {
            body.append(AdaptiveCard.text(form.validation.storageFailed, weight: "Bolder", color: "Attention"))
        } else if !(errors?.problems.isEmpty ?? true) || question?.error != nil {
            body.append(AdaptiveCard.text(form.errorSummary, weight: "Bolder", color: "Attention"))
        }
        for field in ReflectionFormField.allCases {
            if field == .consent, let question { body.append(contentsOf: question.elements) }
            body.append(input(field, prefill: prefill, texts: form))
            if let problem = errors?.problems[field] {
                body.append(AdaptiveCard.text(library.message(for: problem), color: "Attention", spacing: "Small"))
            }
            if let hint = form.modal.field(field).hint, !hint.isEmpty {
                body.append(AdaptiveCard.text(hint, size: "Small", subtle: true, spacing: "Small"))
            }
        }
        var data: [String: JSONValue] = [:]
        if let nudgeID, !nudgeID.isEmpty { data[TeamsCardData.nudgeID] = .string(nudgeID) }
        if let reflectionID, !reflectionID.isEmpty { data[TeamsCardData.reflectionID] = .string(reflectionID) }
        if let question { data.merge(question.data) { _, new in new } }
        return AdaptiveCard.card(
            body: body,
            actions: [AdaptiveCard.execute(title: form.modal.submit, verb: .submitReflection, data: data)],
            fallbackText: form.modal.title, fullWidth: true)
    }

    /// The card that replaces the form after a successful save.
    public static func thanks(texts: TeamsTexts) -> JSONValue {
        let thanks = texts.form.thanks
        return AdaptiveCard.card(
            body: [AdaptiveCard.text(thanks.title, size: "Medium", weight: "Bolder"), AdaptiveCard.text(thanks.text)],
            fallbackText: thanks.title)
    }

    /// Whether a field must be answered; the others may be left empty, as in the Slack modal.
    public static func isRequired(_ field: ReflectionFormField) -> Bool {
        field == .text || field == .consent
    }

    // MARK: - Inputs

    private static func input(_ field: ReflectionFormField, prefill: ReflectionDraft, texts: TeamsFormTexts)
        -> JSONValue
    {
        let options = texts.options
        switch field {
        case .text:
            return textInput(
                field, value: prefill.text, maxLength: ReflectionDraft.maximumTextLength, multiline: true, texts: texts)
        case .tool:
            return textInput(
                field, value: prefill.tool, maxLength: ReflectionDraft.maximumToolLength, multiline: false,
                texts: texts)
        case .taskCategory:
            let choices = TaskCategory.allCases.map { (options.label($0), $0.rawValue) }
            return choiceSet(
                field, choices, selected: prefill.taskCategory.map { [$0] } ?? [], style: "compact", texts: texts)
        case .outcome:
            let choices = Outcome.allCases.map { (options.label($0), $0.rawValue) }
            return choiceSet(
                field, choices, selected: prefill.outcome.map { [$0] } ?? [], style: "expanded", texts: texts)
        case .minutesSaved:
            let choices = MinutesSaved.allCases.map { (options.label($0), $0.rawValue) }
            return choiceSet(
                field, choices, selected: prefill.minutesSaved.map { [$0] } ?? [], style: "compact", texts: texts)
        case .confidence:
            let choices = OptionTexts.confidenceValues.map { (options.label(confidence: $0), String($0)) }
            return choiceSet(
                field, choices, selected: prefill.confidence.map { [$0] } ?? [], style: "compact", texts: texts)
        case .blockers:
            let choices = Blocker.allCases.map { (options.label($0), $0.rawValue) }
            return choiceSet(
                field, choices, selected: prefill.blockers, style: "expanded", multiSelect: true, texts: texts)
        case .consent:
            // Each choice carries its promise: "No, only count it in the totals — Your words are never shown…".
            let choices = Consent.allCases.map { consent in
                let consentTexts = options.texts(consent)
                return (consentTexts.label + " — " + consentTexts.description, consent.rawValue)
            }
            let selected = prefill.consent.flatMap(Consent.init(rawValue:)) ?? .aggregateOnly
            return choiceSet(field, choices, selected: [selected.rawValue], style: "expanded", texts: texts)
        }
    }

    private static func textInput(
        _ field: ReflectionFormField, value: String?, maxLength: Int, multiline: Bool, texts: TeamsFormTexts
    ) -> JSONValue {
        let fieldTexts = texts.modal.field(field)
        var input: [String: JSONValue] = [
            "type": "Input.Text", "id": .string(field.rawValue), "label": .string(fieldTexts.label),
            "isMultiline": .bool(multiline), "maxLength": .number(Double(maxLength)),
        ]
        if let placeholder = fieldTexts.placeholder { input["placeholder"] = .string(placeholder) }
        if let value, !value.isEmpty {
            input["value"] = .string(TeamsMarkup.plain(prefix(value, utf16Count: maxLength)))
        }
        required(field, &input, texts: texts)
        return .object(input)
    }

    private static func choiceSet(
        _ field: ReflectionFormField, _ choices: [(title: String, value: String)], selected: [String], style: String,
        multiSelect: Bool = false, texts: TeamsFormTexts
    ) -> JSONValue {
        let fieldTexts = texts.modal.field(field)
        var input: [String: JSONValue] = [
            "type": "Input.ChoiceSet", "id": .string(field.rawValue), "label": .string(fieldTexts.label),
            "style": .string(style), "isMultiSelect": .bool(multiSelect), "wrap": true,
            "choices": .array(choices.map { ["title": .string($0.title), "value": .string($0.value)] }),
        ]
        if let placeholder = fieldTexts.placeholder { input["placeholder"] = .string(placeholder) }
        // Only values that are exactly one of the choices, in the choices' order, each once.
        let chosen = choices.map(\.value).filter { selected.contains($0) }
        if !chosen.isEmpty { input["value"] = .string((multiSelect ? chosen : [chosen[0]]).joined(separator: ",")) }
        required(field, &input, texts: texts)
        return .object(input)
    }

    private static func required(
        _ field: ReflectionFormField, _ input: inout [String: JSONValue], texts: TeamsFormTexts
    ) {
        guard isRequired(field) else { return }
        input["isRequired"] = true
        input["errorMessage"] = .string(texts.validation.missing)
    }

    /// At most `utf16Count` UTF-16 units of `text`, ending on a character boundary (no "…": it is an input).
    private static func prefix(_ text: String, utf16Count: Int) -> String {
        guard text.utf16.count > utf16Count else { return text }
        var count = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf16.count
            if count + size > utf16Count { break }
            count += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}
