import DebriefCore
import Foundation
import Yams

/// The rotating questions (`prompts/questions/*.yaml`) and the free-text theme taxonomy
/// (`prompts/questions/themes.yaml`), loaded and validated together.
///
/// A question goes to everyone, leaders and ICs alike, one at a time in rotation; the leadership digest compares
/// their answers. So a question must exist in every language its file uses (nobody gets half a question), its
/// choices fit a Slack radio button and a Teams choice set, and ids are unique across files because answers are
/// stored by id. Loading fails with every problem at once, each with file, line and key (`questions[2].choices[0].id`).
public struct QuestionLibrary: Sendable, Equatable {
    /// Questions per locale code, in file order (files by name); always contains ``NudgeLocale/fallback``.
    public let questions: [String: [RotatingQuestion]]
    public let taxonomy: ThemeTaxonomy
    /// The words around a question in the form, per locale (`form:` in a questions file).
    public let form: [String: QuestionFormTexts]

    public init(
        questions: [String: [RotatingQuestion]], taxonomy: ThemeTaxonomy, form: [String: QuestionFormTexts] = [:]
    ) {
        var questions = questions
        if questions[NudgeLocale.fallback] == nil { questions[NudgeLocale.fallback] = [] }
        self.questions = questions
        self.taxonomy = taxonomy
        var form = form
        if form[NudgeLocale.fallback] == nil { form[NudgeLocale.fallback] = .english }
        self.form = form
    }

    /// The form's words in the person's language.
    public func formTexts(for locale: String?) -> QuestionFormTexts {
        let code = NudgeLocale.resolve(locale, available: Set(form.keys))
        return form[code] ?? form[NudgeLocale.fallback] ?? .english
    }

    /// No questions: nothing is asked (an installation without `prompts/questions/`).
    public static let empty = QuestionLibrary(questions: [:], taxonomy: ThemeTaxonomy(themes: []))

    /// The questions in the person's language (exact code, then language, then English).
    public func questions(for locale: String?) -> [RotatingQuestion] {
        let code = NudgeLocale.resolve(locale, available: Set(questions.keys))
        return questions[code] ?? questions[NudgeLocale.fallback] ?? []
    }

    /// The English questions: what digests and stored releases use for labels.
    public var reference: [RotatingQuestion] { questions[NudgeLocale.fallback] ?? [] }

    /// The folder, relative to the prompts directory.
    public static let directoryName = "questions"
    /// The theme taxonomy's file name in that folder; every other `.yaml` there holds questions.
    public static let themesFileName = "themes.yaml"
    /// Slack allows ten options in a radio group; more is a survey, not a short question.
    public static let maximumChoices = 10
    public static let promptLimit = 150
    public static let choiceLimit = 75

    /// Loads the folder under `directory` (the `prompts/` folder itself). A missing folder means no questions.
    ///
    /// - Throws: ``PromptError`` listing every problem in every file.
    public static func load(from directory: URL) throws(PromptError) -> QuestionLibrary {
        let folder = directory.appendingPathComponent(directoryName, isDirectory: true)
        guard FileManager.default.fileExists(atPath: folder.path) else { return .empty }
        let names =
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") && $0 != themesFileName }.sorted()
        var issues: [PromptIssue] = []
        var byLocale: [String: [RotatingQuestion]] = [:]
        var form: [String: QuestionFormTexts] = [:]
        var ids: [String: String] = [:]
        for name in names {
            let reader = PromptFileReader(file: directoryName + "/" + name)
            let root = reader.open(directory: directory)
            let parsed = QuestionFileParser.parse(root, reader: reader, knownIDs: &ids)
            for (code, texts) in QuestionFileParser.parseForm(root, reader: reader) { form[code] = texts }
            issues += reader.issues
            for (code, questions) in parsed { byLocale[code, default: []] += questions }
        }
        var taxonomy = ThemeTaxonomy(themes: [])
        let themesPath = folder.appendingPathComponent(themesFileName).path
        if FileManager.default.fileExists(atPath: themesPath) {
            let reader = PromptFileReader(file: directoryName + "/" + themesFileName)
            taxonomy = ThemeFileParser.parse(reader.open(directory: directory), reader: reader)
            issues += reader.issues
        }
        guard issues.isEmpty else { throw PromptError(issues: issues) }
        return QuestionLibrary(questions: byLocale, taxonomy: taxonomy, form: form)
    }
}

/// Parses one questions file: `questions:` a list of {`id`, `prompt` per language, `choices` (each `id` and
/// `label` per language) or `placeholder` per language for a free-text question}.
enum QuestionFileParser {
    static let questionKeys = ["id", "prompt", "choices", "placeholder"]

    /// Questions per locale; empty when the file had a problem.
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader, knownIDs: inout [String: String])
        -> [String: [RotatingQuestion]]
    {
        guard let root else { return [:] }
        let before = reader.issues.count
        reader.checkKeys(root, path: nil, allowed: ["questions", "form"])
        guard let items = reader.list(root, "questions", path: nil) else { return [:] }
        var result: [String: [RotatingQuestion]] = [:]
        var languages = Set<String>()
        var parsed:
            [(
                id: String, prompt: [String: String], choices: [(String, [String: String])],
                placeholder: [String: String], path: String, line: Int?
            )] = []
        for (index, item) in items.enumerated() {
            let path = "questions[\(index)]"
            guard let mapping = item.mapping else {
                reader.record(line: item.mark?.line, key: path, "should be a question with `id:` and `prompt:`")
                continue
            }
            reader.checkKeys(mapping, path: path, allowed: questionKeys)
            let id = parseID(mapping, path: path, reader: reader)
            if let id {
                if let other = knownIDs[id] {
                    reader.record(
                        line: PromptFileReader.value(mapping, "id")?.mark?.line, key: path + ".id",
                        "\"\(id)\" is already the id of a question in \(other); answers are stored by id, so ids "
                            + "must be unique across all question files")
                } else {
                    knownIDs[id] = reader.file
                }
            }
            let prompt = localized(mapping, "prompt", path: path, limit: QuestionLibrary.promptLimit, reader: reader)
            languages.formUnion(prompt.keys)
            var choices: [(String, [String: String])] = []
            if let choiceNodes = PromptFileReader.value(mapping, "choices") {
                if let list = choiceNodes.sequence {
                    if list.count < 2 || list.count > QuestionLibrary.maximumChoices {
                        reader.record(
                            line: choiceNodes.mark?.line, key: path + ".choices",
                            "has \(list.count) choices; give between 2 and \(QuestionLibrary.maximumChoices), or "
                                + "leave `choices` out for a free-text question")
                    }
                    var seen = Set<String>()
                    for (offset, node) in list.enumerated() {
                        let choicePath = path + ".choices[\(offset)]"
                        guard let choice = node.mapping else {
                            reader.record(
                                line: node.mark?.line, key: choicePath, "should be a choice with `id:` and `label:`")
                            continue
                        }
                        reader.checkKeys(choice, path: choicePath, allowed: ["id", "label"])
                        let choiceID = parseID(choice, path: choicePath, reader: reader)
                        if let choiceID, !seen.insert(choiceID).inserted {
                            reader.record(
                                line: PromptFileReader.value(choice, "id")?.mark?.line, key: choicePath + ".id",
                                "\"\(choiceID)\" is already a choice of this question; choice ids must be unique")
                        }
                        let label = localized(
                            choice, "label", path: choicePath, limit: QuestionLibrary.choiceLimit, reader: reader)
                        languages.formUnion(label.keys)
                        if let choiceID { choices.append((choiceID, label)) }
                    }
                } else {
                    reader.record(
                        line: choiceNodes.mark?.line, key: path + ".choices",
                        "should be a list of choices, each with `id:` and `label:`")
                }
            }
            var placeholder: [String: String] = [:]
            if PromptFileReader.value(mapping, "placeholder") != nil {
                if !choices.isEmpty {
                    reader.record(
                        line: PromptFileReader.value(mapping, "placeholder")?.mark?.line, key: path + ".placeholder",
                        "is only for free-text questions; a question with choices shows its choices")
                }
                placeholder = localized(
                    mapping, "placeholder", path: path, limit: PromptLimits.placeholder, reader: reader)
                languages.formUnion(placeholder.keys)
            }
            if let id {
                parsed.append((id, prompt, choices, placeholder, path, item.mark?.line))
            }
        }
        // Every question in every language the file uses, so nobody gets half a question.
        for question in parsed {
            for code in languages.sorted() {
                var missing: [String] = []
                if question.prompt[code] == nil { missing.append("prompt") }
                for (offset, choice) in question.choices.enumerated() where choice.1[code] == nil {
                    missing.append("choices[\(offset)].label")
                }
                if !question.placeholder.isEmpty && question.placeholder[code] == nil { missing.append("placeholder") }
                for key in missing {
                    reader.record(
                        line: question.line, key: question.path + "." + key + "." + code,
                        "is missing, though the file has `\(code)` texts; add it so everyone reading `\(code)` gets the "
                            + "whole question")
                }
            }
        }
        if !languages.contains(NudgeLocale.fallback) && !parsed.isEmpty {
            reader.record(line: nil, key: "questions", "has no `en` texts; English is required (it is the fallback)")
        }
        guard reader.issues.count == before else { return [:] }
        for code in languages {
            result[code] = parsed.map { question in
                RotatingQuestion(
                    id: question.id, prompt: question.prompt[code] ?? "",
                    choices: question.choices.map { QuestionChoice(id: $0.0, label: $0.1[code] ?? $0.0) },
                    placeholder: question.placeholder[code])
            }
        }
        return result
    }

    static let formKeys = ["hint", "unknown_choice", "unknown_question", "too_long"]

    /// The optional `form:` section: per language, the hint under a question and the messages for a rejected answer.
    static func parseForm(_ root: Node.Mapping?, reader: PromptFileReader) -> [String: QuestionFormTexts] {
        guard let root, let node = PromptFileReader.value(root, "form") else { return [:] }
        guard let languages = node.mapping else {
            reader.record(line: node.mark?.line, key: "form", "should hold one group of texts per language (`en:`)")
            return [:]
        }
        var result: [String: QuestionFormTexts] = [:]
        for (codeNode, _) in languages {
            let code = codeNode.scalar?.string ?? ""
            guard NudgeLocale.isValidCode(code) else {
                reader.record(
                    line: codeNode.mark?.line, key: "form." + code,
                    "is not a language code; use a two-letter ISO 639-1 code such as en or de")
                continue
            }
            guard let texts = reader.mapping(languages, code, path: "form", allowed: formKeys) else { continue }
            let path = "form." + code
            guard let hint = reader.text(texts, "hint", path: path, limit: PromptLimits.hint),
                let unknownChoice = reader.text(texts, "unknown_choice", path: path, limit: PromptLimits.fieldError),
                let unknownQuestion = reader.text(
                    texts, "unknown_question", path: path, limit: PromptLimits.fieldError),
                let tooLong = reader.text(
                    texts, "too_long", path: path, limit: PromptLimits.fieldError, placeholders: ["maximum"],
                    requiredPlaceholders: ["maximum"])
            else { continue }
            result[code] = QuestionFormTexts(
                hint: hint, unknownChoice: unknownChoice, unknownQuestion: unknownQuestion, tooLong: tooLong)
        }
        return result
    }

    /// An id: lowercase letters, digits and `_`, at most `RotatingQuestion.maximumIDLength` characters.
    static func parseID(_ mapping: Node.Mapping, path: String, reader: PromptFileReader) -> String? {
        guard let id = reader.text(mapping, "id", path: path) else { return nil }
        let allowed = id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard allowed, id.count <= RotatingQuestion.maximumIDLength else {
            reader.record(
                line: PromptFileReader.value(mapping, "id")?.mark?.line, key: path + ".id",
                "\"\(id)\" should be lowercase letters, digits and _ only, at most "
                    + "\(RotatingQuestion.maximumIDLength) characters (it is stored with every answer)")
            return nil
        }
        return id
    }

    /// Texts per language code under `key` (`en:` required).
    static func localized(
        _ mapping: Node.Mapping, _ key: String, path: String, limit: Int, reader: PromptFileReader
    ) -> [String: String] {
        let keyPath = PromptFileReader.join(path, key)
        guard let node = PromptFileReader.value(mapping, key) else {
            reader.record(line: mapping.mark?.line, key: keyPath, "is missing; add it with an `en:` text")
            return [:]
        }
        guard let texts = node.mapping else {
            reader.record(
                line: node.mark?.line, key: keyPath, "should hold one text per language (`en: …`, `de: …`)")
            return [:]
        }
        var result: [String: String] = [:]
        for (codeNode, _) in texts {
            let code = codeNode.scalar?.string ?? ""
            guard NudgeLocale.isValidCode(code) else {
                reader.record(
                    line: codeNode.mark?.line, key: PromptFileReader.join(path, key) + "." + code,
                    "is not a language code; use a two-letter ISO 639-1 code such as en or de (optionally de-CH)")
                continue
            }
            if let text = reader.text(texts, code, path: PromptFileReader.join(path, key), limit: limit) {
                result[code] = text
            }
        }
        if result[NudgeLocale.fallback] == nil && !texts.isEmpty {
            reader.record(
                line: PromptFileReader.value(mapping, key)?.mark?.line, key: PromptFileReader.join(path, key) + ".en",
                "is missing; English is required (it is the fallback)")
        }
        return result
    }
}

/// Parses `themes.yaml`: `themes:` a list of {`id`, `label`, `keywords` (a list, any language)}.
enum ThemeFileParser {
    static func parse(_ root: Node.Mapping?, reader: PromptFileReader) -> ThemeTaxonomy {
        guard let root else { return ThemeTaxonomy(themes: []) }
        reader.checkKeys(root, path: nil, allowed: ["themes"])
        guard let items = reader.list(root, "themes", path: nil) else { return ThemeTaxonomy(themes: []) }
        var themes: [ThemeTaxonomy.Theme] = []
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            let path = "themes[\(index)]"
            guard let mapping = item.mapping else {
                reader.record(
                    line: item.mark?.line, key: path, "should be a theme with `id:`, `label:` and `keywords:`")
                continue
            }
            reader.checkKeys(mapping, path: path, allowed: ["id", "label", "keywords"])
            let id = QuestionFileParser.parseID(mapping, path: path, reader: reader)
            if let id, !seen.insert(id).inserted {
                reader.record(
                    line: PromptFileReader.value(mapping, "id")?.mark?.line, key: path + ".id",
                    "\"\(id)\" is already the id of another theme; theme ids must be unique")
            }
            let label = reader.text(mapping, "label", path: path, limit: QuestionLibrary.choiceLimit)
            var keywords: [String] = []
            if let list = reader.list(mapping, "keywords", path: path) {
                if list.isEmpty {
                    reader.record(
                        line: PromptFileReader.value(mapping, "keywords")?.mark?.line, key: path + ".keywords",
                        "is empty; add the words (any language) that put an answer into this theme")
                }
                for (offset, node) in list.enumerated() {
                    if let word = reader.text(node, keyPath: path + ".keywords[\(offset)]", limit: 60) {
                        keywords.append(word)
                    }
                }
            }
            if let id, let label { themes.append(.init(id: id, label: label, keywords: keywords)) }
        }
        return ThemeTaxonomy(themes: themes)
    }
}

/// The words around a rotating question in the form.
public struct QuestionFormTexts: Sendable, Equatable {
    /// Under the question: that it is optional and what happens with the answer.
    public var hint: String
    public var unknownChoice: String
    public var unknownQuestion: String
    /// With `{maximum}`.
    public var tooLong: String

    public init(hint: String, unknownChoice: String, unknownQuestion: String, tooLong: String) {
        self.hint = hint
        self.unknownChoice = unknownChoice
        self.unknownQuestion = unknownQuestion
        self.tooLong = tooLong
    }

    /// Used only when no questions file has a `form.en` section.
    public static let english = QuestionFormTexts(
        hint: "Optional. Leaders are asked the same; only totals of at least k people are shown.",
        unknownChoice: "Pick one of the answers listed, or leave the question empty.",
        unknownQuestion: "This question changed while the form was open; leave it empty and save.",
        tooLong: "Keep your answer to at most {maximum} characters.")
}
