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

    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> TeamsFormTexts {
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

        let options = ReflectFileParser.options(
            root, reader: reader, labelLimit: TeamsTextLimits.option, descriptionLimit: TeamsTextLimits.option)

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
}
