import Foundation

/// The digest page's "You said, we did" and loop-closure sections (issue #13), escaped like every other text.
extension DigestPage {
    static func youSaidWeDid(_ section: YouSaidWeDidSection) -> String {
        section.responses.map { response in
            let themes = response.themes.map(\.label).joined(separator: " · ")
            return "<blockquote><p>\(HTMLText.escape(response.text))</p><footer>— "
                + "\(HTMLText.escape(response.displayName)), answering \(HTMLText.escape(themes)) "
                + "(\(HTMLText.escape(DigestLabels.week(response.answeredWeek))))</footer></blockquote>"
        }.joined()
    }

    static func loopClosure(_ section: LoopClosureSection) -> String {
        var html =
            "<p class=\"lead\">Leaders answered <strong>\(section.answeredInTime) of \(section.publishedBlockers)"
            + "</strong> top blockers of the last \(section.weeks.count) digests within 14 days "
            + "(\(section.percent)%).</p>"
        if section.open.isEmpty {
            html += "<p>No blocker is waiting for an answer.</p>"
        } else {
            html += "<p>Still open:</p><ul>"
            for item in section.open {
                let state = item.windowClosed ? "no answer within 14 days" : "waiting for an answer"
                html +=
                    "<li>\(HTMLText.escape(DigestLabels.blocker(item.blocker))) "
                    + "(\(HTMLText.escape(DigestLabels.shortWeek(item.week))), \(state))</li>"
            }
            html += "</ul>"
        }
        return html + "<p><small>Counts published top blockers, never people.</small></p>"
    }

    /// Where a leader responds from: the page has no sign-in, so the Respond action lives on the digest's message,
    /// where the platform says who clicked (only leaders and admins may respond).
    static func respondNote(_ document: DigestDocument) -> String {
        guard document.audience == .leadership, !document.isQuiet, !ResponseTheme.published(in: document).isEmpty
        else { return "" }
        return "<section id=\"respond\"><h2>Respond</h2><p>Leaders and the people who run Debrief answer this "
            + "digest's blockers and use cases with the <strong>Respond</strong> button on its message in the "
            + "leadership channel. Teams read the answers under \u{201C}You said, we did\u{201D} in their next "
            + "digest, with the leader's name.</p></section>\n"
    }
}
