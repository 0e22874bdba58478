import Foundation

extension DigestPage {
    /// One table per question: each choice's share among leaders and among ICs with 95 % intervals, and the gap.
    static func expectationGapHTML(_ section: ExpectationGapSection) -> String {
        section.questions.map { question in
            var html = "<h3>\(HTMLText.escape(question.prompt))</h3>"
            html +=
                "<table><caption>\(HTMLText.escape(ExpectationGapText.caption(question)))</caption><thead><tr><th></th>"
                + "<th class=\"num\">Leaders</th><th class=\"num\">ICs</th><th class=\"num\">Gap</th></tr></thead><tbody>"
            for row in question.rows {
                html +=
                    "<tr><td>\(HTMLText.escape(row.label))</td>"
                    + "<td class=\"num\">\(HTMLText.escape(ExpectationGapText.share(row.leaders, row.leadersInterval)))</td>"
                    + "<td class=\"num\">\(HTMLText.escape(ExpectationGapText.share(row.ics, row.icsInterval)))</td>"
                    + "<td class=\"num\">\(HTMLText.escape(ExpectationGapText.gap(row)))</td></tr>"
            }
            return html + "</tbody></table>"
        }.joined()
    }

    static func themesHTML(_ section: ThemesSection) -> String {
        "<ul class=\"shares\">"
            + section.themes.map { theme in
                "<li><span>\(HTMLText.escape(theme.label))</span><span>\(HTMLText.escape(theme.people.label)) people"
                    + "</span></li>"
                    + (theme.quote.map { "<blockquote><p>\(HTMLText.escape($0))</p></blockquote>" } ?? "")
            }.joined() + "</ul>"
    }
}

/// The words every renderer (Slack, Teams, the page, templates) uses for the expectation gap, so they agree.
public enum ExpectationGapText {
    /// "Leaders: 5–9 answered · ICs: 20–49 answered".
    public static func caption(_ question: ExpectationGapQuestion) -> String {
        "Leaders: \(question.leaders.label) answered · ICs: \(question.ics.label) answered"
    }

    /// "25–49% (12–71%)" or "not shown" for a share held back.
    public static func share(_ share: PublishedPercent?, _ interval: PercentInterval?) -> String {
        guard let share else { return "not shown" }
        guard let interval else { return DigestLabels.percent(share) }
        return DigestLabels.percent(share) + " (" + DigestLabels.percentInterval(interval) + ")"
    }

    /// "+20 points (−5 to +44), not clear" or "—" when a side is not shown.
    public static func gap(_ row: ExpectationGapRow) -> String {
        guard let points = row.gapPoints, let interval = row.gapInterval else { return "—" }
        return DigestLabels.points(points) + " (" + DigestLabels.pointsInterval(interval) + ")"
            + (row.isClearDifference ? ", clear" : ", not clear")
    }
}
