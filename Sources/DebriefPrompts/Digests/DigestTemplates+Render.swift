import DebriefCore
import Mustache

extension DigestTemplates {
    /// The texts of one digest post: `leadership` or `team` (or `quiet`) for the main message and `details`
    /// for the thread reply.
    ///
    /// - Parameters:
    ///   - document: the digest; only its formatted values reach the templates.
    ///   - link: the signed URL of the digest page (``DigestLink``), available as `{{link}}`.
    public func render(_ document: DigestDocument, link: String) -> DigestTexts {
        let context = DigestTemplateContext.make(document, link: link).mapValues(\.mustache)
        let main: String
        if document.isQuiet {
            main = Self.tidy(quiet.render(context)).split(separator: "\n").joined(separator: " ")
        } else {
            switch document.audience {
            case .leadership: main = Self.tidy(leadership.render(context))
            case .team: main = Self.tidy(team.render(context))
            }
        }
        // A quiet week is one line; only notes from leaders, if any, are worth a reply.
        let hasDetails =
            !document.isQuiet || !(document.fromLeaders?.notes.isEmpty ?? true)
            || !(document.youSaidWeDid?.responses.isEmpty ?? true)
        return DigestTexts(main: main, details: hasDetails ? Self.tidy(details.render(context)) : "")
    }

    /// Trims trailing spaces from lines, turns runs of blank lines (left by sections that rendered
    /// nothing) into one, and trims the ends, so authors can lay templates out freely.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            if line.isEmpty {
                if !lines.isEmpty { blank = true }
                continue
            }
            if blank { lines.append("") }
            blank = false
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
