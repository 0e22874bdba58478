import DebriefCore
import Yams

/// Parses `slack/reflect.yaml`: the form, the labels of every vocabulary value, the thank-you view
/// and the validation messages.
package enum ReflectFileParser {
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

        let options = options(
            root, reader: reader, labelLimit: PromptLimits.optionText, descriptionLimit: PromptLimits.optionDescription)

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

    /// The `options` section: one label per value of every vocabulary the form asks about, the same keys on
    /// every platform (Slack's `reflect.yaml`, Teams' `teams/reflect.yaml`); only the lengths differ.
    package static func options(
        _ root: Node.Mapping?, reader: PromptFileReader, labelLimit: Int, descriptionLimit: Int
    ) -> OptionTexts {
        let node = reader.mapping(
            root, "options", path: nil,
            allowed: ["task_category", "outcome", "minutes_saved", "confidence", "blockers", "consent"])
        func labels<Value: RawRepresentable & CaseIterable & Hashable>(_ key: String, _ type: Value.Type)
            -> [Value: String] where Value.RawValue == String
        {
            let path = "options." + key
            let values = reader.mapping(node, key, path: "options", allowed: Value.allCases.map(\.rawValue))
            var result: [Value: String] = [:]
            for value in Value.allCases {
                if let text = reader.text(values, value.rawValue, path: path, limit: labelLimit) {
                    result[value] = text
                }
            }
            return result
        }
        var confidence: [Int: String] = [:]
        let confidenceNode = reader.mapping(
            node, "confidence", path: "options", allowed: OptionTexts.confidenceValues.map(String.init))
        for value in OptionTexts.confidenceValues {
            if let text = reader.text(confidenceNode, String(value), path: "options.confidence", limit: labelLimit) {
                confidence[value] = text
            }
        }
        var consent: [Consent: ConsentTexts] = [:]
        let consentNode = reader.mapping(node, "consent", path: "options", allowed: Consent.allCases.map(\.rawValue))
        for level in Consent.allCases {
            let path = "options.consent." + level.rawValue
            let entry = reader.mapping(
                consentNode, level.rawValue, path: "options.consent", allowed: ["label", "description"])
            let label = reader.text(entry, "label", path: path, limit: labelLimit)
            let description = reader.text(entry, "description", path: path, limit: descriptionLimit)
            if let label, let description { consent[level] = ConsentTexts(label: label, description: description) }
        }
        return OptionTexts(
            taskCategory: labels("task_category", TaskCategory.self), outcome: labels("outcome", Outcome.self),
            minutesSaved: labels("minutes_saved", MinutesSaved.self), confidence: confidence,
            blockers: labels("blockers", Blocker.self), consent: consent)
    }
}
