import Foundation
import Mustache

/// The wording of weekly digests: Mustache templates in `prompts/digests/`, loaded and checked at start.
///
/// Digests are read by leaders and whole teams every week, so their tone matters and will be tuned
/// by people who do not build Debrief; templates let them change a sentence without a release. The
/// templates only ever see a plain context of already formatted, already anonymised values (bucket
/// labels, percentages, intervals — see ``DigestTemplateContext``), never counts of small groups or
/// anything about a person, and every value is escaped for the platform's markup (``TextMarkup``).
///
/// - `leadership.mustache` / `team.mustache`: the short main message (first line is the header).
/// - `details.mustache`: the thread reply with every section.
/// - `quiet.mustache`: the single line posted for a week with too few answers.
public struct DigestTemplates: Sendable {
    /// The folder of digest templates, relative to the prompts directory.
    public static let directoryName = "digests"
    /// The template names (file names without `.mustache`), in the order they are checked.
    public static let names = ["leadership", "team", "details", "quiet"]
    public static let fileExtension = "mustache"

    let leadership: MustacheTemplate
    let team: MustacheTemplate
    let details: MustacheTemplate
    let quiet: MustacheTemplate

    /// Loads and checks the four templates under `promptsDirectory/digests/`.
    ///
    /// - Throws: ``PromptError`` listing every problem in every file, each with file (`digests/team.mustache`),
    ///   line and what to change: unreadable files, unclosed or crossed sections, names digests do not
    ///   provide, `{{{triple}}}` tags that would skip escaping, and Mustache syntax errors.
    /// - Parameter markup: how the platform the digests are posted on escapes values (its adapter says).
    public static func load(from promptsDirectory: URL, markup: TextMarkup) throws(PromptError) -> DigestTemplates {
        var issues: [PromptIssue] = []
        var parsed: [String: MustacheTemplate] = [:]
        for name in names {
            let file = directoryName + "/" + name + "." + fileExtension
            let url = promptsDirectory.appendingPathComponent(directoryName).appendingPathComponent(
                name + "." + fileExtension)
            let text: String
            do {
                let data = try Data(contentsOf: url)
                guard let decoded = String(data: data, encoding: .utf8) else {
                    issues.append(
                        PromptIssue(file: file, line: nil, key: nil, message: "is not UTF-8 text; save it as UTF-8"))
                    continue
                }
                text = decoded
            } catch {
                issues.append(
                    PromptIssue(
                        file: file, line: nil, key: nil,
                        message: "could not be read; it should exist at \(url.path)"))
                continue
            }
            switch parse(text, file: file, shape: DigestTemplateContext.shape(for: name), markup: markup) {
            case .success(let template): parsed[name] = template
            case .failure(let error): issues += error.issues
            }
        }
        guard issues.isEmpty, let leadership = parsed["leadership"], let team = parsed["team"],
            let details = parsed["details"], let quiet = parsed["quiet"]
        else {
            throw PromptError(issues: issues)
        }
        return DigestTemplates(leadership: leadership, team: team, details: details, quiet: quiet)
    }

    /// Checks and parses one template's text; `file` is used in messages only.
    static func parse(_ text: String, file: String, shape: [String: DigestContextShape], markup: TextMarkup)
        -> Result<MustacheTemplate, PromptError>
    {
        let issues = DigestTemplateCheck.issues(text: text, file: file, shape: shape)
        guard issues.isEmpty else { return .failure(PromptError(issues: issues)) }
        // The pragma sits alone on a line of its own before the author's first line, so Mustache drops
        // it from the output and every line the parser reports is one more than the author's.
        markup.register()
        let source = "{{% CONTENT_TYPE: \(markup.name)}}\n" + text
        do {
            return .success(try MustacheTemplate(string: source))
        } catch let error as MustacheTemplate.ParserError {
            let line = max(error.context.lineNumber - 1, 1)
            return .failure(
                PromptError(issues: [
                    PromptIssue(
                        file: file, line: line, key: nil,
                        message: "is not a valid Mustache template (\(describe(error.error)))"
                            + " near `\(error.context.line.trimmingCharacters(in: .whitespaces))`")
                ]))
        } catch {
            return .failure(
                PromptError(issues: [
                    PromptIssue(file: file, line: nil, key: nil, message: "is not a valid Mustache template")
                ]))
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "syntax error" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with another name than it was opened with"
        case .unfinishedName: return "a tag is not finished; write names as `{{name}}`"
        case .expectedSectionEnd: return "a section is never closed"
        default: return "a tag Debrief does not support"
        }
    }
}
