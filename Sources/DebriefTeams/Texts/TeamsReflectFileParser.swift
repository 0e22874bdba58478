import DebriefCore
import DebriefPrompts
import Yams

/// Parses `teams/reflect.yaml`: the form, one label per vocabulary value, the thanks and the error messages.
///
/// The fields and choices are the core's (``ReflectionFormField`` and the closed vocabularies), so the
/// Teams card asks exactly what the Slack modal asks.
enum TeamsReflectFileParser {
    /// Fields whose input shows a placeholder (text inputs and compact menus), as in the Slack modal.
    static let fieldsWithPlaceholder: Set<ReflectionFormField> = [
        .text, .taskCategory, .tool, .minutesSaved, .confidence,
    ]

    static func parse(_ root: Node.Mapping?, reader: TeamsPromptReader) -> TeamsFormTexts {
        if let root { reader.checkKeys(root, path: nil, allowed: ["form", "options", "thanks", "errors"]) }
        let formNode = reader.mapping(root, "form", path: nil, allowed: ["title", "submit", "intro", "fields"])
        let title = reader.text(formNode, "title", path: "form", limit: TeamsTextLimits.button)
        let submit = reader.text(formNode, "submit", path: "form", limit: TeamsTextLimits.button)
        let intro = reader.text(formNode, "intro", path: "form", limit: TeamsTextLimits.paragraph)
        let fieldsNode = reader.mapping(
            formNode, "fields", path: "form", allowed: ReflectionFormField.allCases.map(\.rawValue))
        var fields: [ReflectionFormField: FieldTexts] = [:]
        for field in ReflectionFormField.allCases {
            let path = "form.fields." + field.rawValue
            let hasPlaceholder = fieldsWithPlaceholder.contains(field)
            let node = reader.mapping(
                fieldsNode, field.rawValue, path: "form.fields",
                allowed: hasPlaceholder ? ["label", "placeholder", "hint"] : ["label", "hint"])
            let label = reader.text(node, "label", path: path, limit: TeamsTextLimits.label)
            let placeholder =
                hasPlaceholder ? reader.text(node, "placeholder", path: path, limit: TeamsTextLimits.placeholder) : nil
            let hint = reader.text(node, "hint", path: path, limit: TeamsTextLimits.paragraph, optional: true)
            fields[field] = FieldTexts(label: label ?? "", placeholder: placeholder, hint: hint)
        }
        let modal = ModalTexts(title: title ?? "", submit: submit ?? "", close: "", intro: intro ?? "", fields: fields)

        let optionsNode = reader.mapping(
            root, "options", path: nil,
            allowed: ["task_category", "outcome", "minutes_saved", "confidence", "blockers", "consent"])
        let options = OptionTexts(
            taskCategory: labels(optionsNode, "task_category", TaskCategory.self, reader: reader),
            outcome: labels(optionsNode, "outcome", Outcome.self, reader: reader),
            minutesSaved: labels(optionsNode, "minutes_saved", MinutesSaved.self, reader: reader),
            confidence: confidenceLabels(optionsNode, reader: reader),
            blockers: labels(optionsNode, "blockers", Blocker.self, reader: reader),
            consent: consentTexts(optionsNode, reader: reader))

        let thanksNode = reader.mapping(root, "thanks", path: nil, allowed: ["title", "text"])
        let thanks = ThanksTexts(
            title: reader.text(thanksNode, "title", path: "thanks", limit: TeamsTextLimits.title) ?? "", close: "",
            text: reader.text(thanksNode, "text", path: "thanks", limit: TeamsTextLimits.paragraph) ?? "")

        let errorsNode = reader.mapping(
            root, "errors", path: nil,
            allowed: ["missing", "too_short", "too_long", "not_one_of", "contradicts", "storage_failed", "summary"])
        let limit = TeamsTextLimits.fieldError
        func error(_ key: String, _ placeholders: Set<String> = [], required: Set<String> = []) -> String {
            reader.text(
                errorsNode, key, path: "errors", limit: limit, placeholders: placeholders,
                requiredPlaceholders: required) ?? ""
        }
        let validation = ValidationTexts(
            missing: error("missing"), tooShort: error("too_short", ["minimum"], required: ["minimum"]),
            tooLong: error("too_long", ["maximum"], required: ["maximum"]), notOneOf: error("not_one_of"),
            contradicts: error("contradicts", ["other"]), storageFailed: error("storage_failed"))
        return TeamsFormTexts(
            modal: modal, options: options, thanks: thanks, validation: validation, errorSummary: error("summary"))
    }

    /// One label per case of a core vocabulary, keyed by its raw value.
    static func labels<Value: RawRepresentable & CaseIterable & Hashable>(
        _ options: Node.Mapping?, _ key: String, _ type: Value.Type, reader: TeamsPromptReader
    ) -> [Value: String] where Value.RawValue == String {
        let node = reader.mapping(options, key, path: "options", allowed: Value.allCases.map(\.rawValue))
        var result: [Value: String] = [:]
        for value in Value.allCases {
            if let text = reader.text(node, value.rawValue, path: "options." + key, limit: TeamsTextLimits.option) {
                result[value] = text
            }
        }
        return result
    }

    static func confidenceLabels(_ options: Node.Mapping?, reader: TeamsPromptReader) -> [Int: String] {
        let keys = OptionTexts.confidenceValues.map(String.init)
        let node = reader.mapping(options, "confidence", path: "options", allowed: keys)
        var result: [Int: String] = [:]
        for value in OptionTexts.confidenceValues {
            if let text = reader.text(
                node, String(value), path: "options.confidence", limit: TeamsTextLimits.option)
            {
                result[value] = text
            }
        }
        return result
    }

    static func consentTexts(_ options: Node.Mapping?, reader: TeamsPromptReader) -> [Consent: ConsentTexts] {
        let node = reader.mapping(options, "consent", path: "options", allowed: Consent.allCases.map(\.rawValue))
        var result: [Consent: ConsentTexts] = [:]
        for consent in Consent.allCases {
            let path = "options.consent." + consent.rawValue
            let entry = reader.mapping(
                node, consent.rawValue, path: "options.consent", allowed: ["label", "description"])
            let label = reader.text(entry, "label", path: path, limit: TeamsTextLimits.option)
            let description = reader.text(entry, "description", path: path, limit: TeamsTextLimits.option)
            if let label, let description {
                result[consent] = ConsentTexts(label: label, description: description)
            }
        }
        return result
    }
}
