import DebriefCore
import Yams

/// Parses `slack/reflect.yaml`: the form, the labels of every vocabulary value, the thank-you view
/// and the validation messages.
enum ReflectFileParser {
    struct Result {
        var modal: ModalTexts
        var options: OptionTexts
        var thanks: ThanksTexts
        var validation: ValidationTexts
    }

    /// Fields whose element shows a placeholder (text inputs and menus).
    static let fieldsWithPlaceholder: Set<ReflectionFormField> = [
        .text, .taskCategory, .tool, .minutesSaved, .confidence,
    ]

    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> Result {
        if let root { reader.checkKeys(root, path: nil, allowed: ["modal", "options", "thanks", "errors"]) }

        let modalNode = reader.mapping(
            root, "modal", path: "", allowed: ["title", "submit", "close", "intro", "fields"])
        let title = reader.text(modalNode, "title", path: "modal", limit: PromptLimits.modalTitle)
        let submit = reader.text(modalNode, "submit", path: "modal", limit: PromptLimits.modalButton)
        let close = reader.text(modalNode, "close", path: "modal", limit: PromptLimits.modalButton)
        let intro = reader.text(modalNode, "intro", path: "modal", limit: PromptLimits.sectionText)
        let fieldsNode = reader.mapping(
            modalNode, "fields", path: "modal", allowed: ReflectionFormField.allCases.map(\.rawValue))
        var fields: [ReflectionFormField: FieldTexts] = [:]
        for field in ReflectionFormField.allCases {
            let path = "modal.fields." + field.rawValue
            let hasPlaceholder = fieldsWithPlaceholder.contains(field)
            let node = reader.mapping(
                fieldsNode, field.rawValue, path: "modal.fields",
                allowed: hasPlaceholder ? ["label", "placeholder", "hint"] : ["label", "hint"])
            let label = reader.text(node, "label", path: path, limit: PromptLimits.label)
            let placeholder =
                hasPlaceholder ? reader.text(node, "placeholder", path: path, limit: PromptLimits.placeholder) : nil
            let hint = reader.text(node, "hint", path: path, limit: PromptLimits.hint, optional: true)
            fields[field] = FieldTexts(label: label ?? "", placeholder: placeholder, hint: hint)
        }
        let modal = ModalTexts(
            title: title ?? "", submit: submit ?? "", close: close ?? "", intro: intro ?? "", fields: fields)

        let optionsNode = reader.mapping(
            root, "options", path: "",
            allowed: ["task_category", "outcome", "minutes_saved", "confidence", "blockers", "consent"])
        let options = OptionTexts(
            taskCategory: labels(optionsNode, "task_category", TaskCategory.self, reader: reader),
            outcome: labels(optionsNode, "outcome", Outcome.self, reader: reader),
            minutesSaved: labels(optionsNode, "minutes_saved", MinutesSaved.self, reader: reader),
            confidence: confidenceLabels(optionsNode, reader: reader),
            blockers: labels(optionsNode, "blockers", Blocker.self, reader: reader),
            consent: consentTexts(optionsNode, reader: reader))

        let thanksNode = reader.mapping(root, "thanks", path: "", allowed: ["title", "close", "text"])
        let thanks = ThanksTexts(
            title: reader.text(thanksNode, "title", path: "thanks", limit: PromptLimits.modalTitle) ?? "",
            close: reader.text(thanksNode, "close", path: "thanks", limit: PromptLimits.modalButton) ?? "",
            text: reader.text(thanksNode, "text", path: "thanks", limit: PromptLimits.sectionText) ?? "")

        let errorsNode = reader.mapping(
            root, "errors", path: "",
            allowed: ["missing", "too_short", "too_long", "not_one_of", "contradicts", "storage_failed"])
        let limit = PromptLimits.fieldError
        let validation = ValidationTexts(
            missing: reader.text(errorsNode, "missing", path: "errors", limit: limit) ?? "",
            tooShort: reader.text(
                errorsNode, "too_short", path: "errors", limit: limit, placeholders: ["minimum"],
                requiredPlaceholders: ["minimum"]) ?? "",
            tooLong: reader.text(
                errorsNode, "too_long", path: "errors", limit: limit, placeholders: ["maximum"],
                requiredPlaceholders: ["maximum"]) ?? "",
            notOneOf: reader.text(errorsNode, "not_one_of", path: "errors", limit: limit) ?? "",
            contradicts: reader.text(errorsNode, "contradicts", path: "errors", limit: limit, placeholders: ["other"])
                ?? "",
            storageFailed: reader.text(errorsNode, "storage_failed", path: "errors", limit: limit) ?? "")
        return Result(modal: modal, options: options, thanks: thanks, validation: validation)
    }

    /// One label per case of a core vocabulary, keyed by its raw value.
    static func labels<Value: RawRepresentable & CaseIterable & Hashable>(
        _ options: Node.Mapping?, _ key: String, _ type: Value.Type, reader: PromptFileReader
    ) -> [Value: String] where Value.RawValue == String {
        let path = "options." + key
        let node = reader.mapping(options, key, path: "options", allowed: Value.allCases.map(\.rawValue))
        var result: [Value: String] = [:]
        for value in Value.allCases {
            if let text = reader.text(node, value.rawValue, path: path, limit: PromptLimits.optionText) {
                result[value] = text
            }
        }
        return result
    }

    static func confidenceLabels(_ options: Node.Mapping?, reader: PromptFileReader) -> [Int: String] {
        let keys = OptionTexts.confidenceValues.map(String.init)
        let node = reader.mapping(options, "confidence", path: "options", allowed: keys)
        var result: [Int: String] = [:]
        for value in OptionTexts.confidenceValues {
            if let text = reader.text(node, String(value), path: "options.confidence", limit: PromptLimits.optionText) {
                result[value] = text
            }
        }
        return result
    }

    static func consentTexts(_ options: Node.Mapping?, reader: PromptFileReader) -> [Consent: ConsentTexts] {
        let node = reader.mapping(options, "consent", path: "options", allowed: Consent.allCases.map(\.rawValue))
        var result: [Consent: ConsentTexts] = [:]
        for consent in Consent.allCases {
            let path = "options.consent." + consent.rawValue
            let entry = reader.mapping(
                node, consent.rawValue, path: "options.consent", allowed: ["label", "description"])
            let label = reader.text(entry, "label", path: path, limit: PromptLimits.optionText)
            let description = reader.text(entry, "description", path: path, limit: PromptLimits.optionDescription)
            if let label, let description {
                result[consent] = ConsentTexts(label: label, description: description)
            }
        }
        return result
    }
}
