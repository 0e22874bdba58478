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
        return html
            + "<p><small>Counts published top blockers, never people. Leaders and admins answer them with the "
            + "Respond button on the leadership digest's message in Slack or Teams.</small></p>"
    }
}
