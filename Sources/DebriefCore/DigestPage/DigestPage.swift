/// The full digest as one self-contained HTML page, served at `GET /digests/<id>?sig=…`.
///
/// Slack messages stay short so channels are not cluttered; the page behind the "Open the full digest"
/// button carries every section with three inline SVG charts (participation trend, outcome mix, the
/// perception gap over time). It is a single string with inline CSS and no scripts, fonts, images or
/// links to anything, so it renders on a phone, offline, or written to a file by `debrief demo`, and
/// can be served with a strict `Content-Security-Policy`.
///
/// Every chart's numbers are also printed as text next to it (for screen readers, for copying, and so
/// a chart is never the only place a number appears), and every text is HTML-escaped: quotes and
/// leaders' notes are people's words and may contain anything. Pure: the same document gives the same bytes.
/// - Important: renders only what the ``DigestDocument`` holds; sections held back are explained in
///   words (``DigestLabels/suppression(_:)``), never with a number.
public enum DigestPage {
    /// The page for `document`, headed by `title` (for example "AI at work — Acme").
    public static func html(document: DigestDocument, title: String) -> String {
        var body = header(document: document, title: title)
        if document.isQuiet {
            let line =
                document.quietReason
                ?? "A quiet week: too few people reflected to share anything without exposing anyone."
            body += "<section id=\"quiet\"><p class=\"quiet\">\(e(line))</p></section>"
            if let notes = document.fromLeaders, !notes.notes.isEmpty {
                body += section(.fromLeaders, fromLeaders(notes), document: document)
            }
            if let responses = document.youSaidWeDid, !responses.responses.isEmpty {
                body += section(.youSaidWeDid, youSaidWeDid(responses), document: document)
            }
        } else {
            var shown: Set<DigestSectionKind> = []
            for kind in document.sectionOrder where !shown.contains(kind) {
                guard let content = content(of: kind, in: document) else { continue }
                shown.insert(kind)
                body += section(kind, content, document: document)
            }
            body += heldBack(document: document, shown: shown)
        }
        body += respondNote(document)
        body += footer(document.footer)
        return page(title: title, body: body)
    }

    /// The page shown with a 403 when a link does not verify: what happened and what to do, nothing else.
    public static func refusal(_ error: DigestLinkError, title: String = "Debrief digest") -> String {
        page(
            title: title,
            body: "<header class=\"page\"><h1>\(e(title))</h1></header>"
                + "<section id=\"refused\"><p class=\"lead\">\(e(error.explanation))</p></section>")
    }

    // MARK: - Frame

    private static func page(title: String, body: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"robots\" content=\"noindex, nofollow\"><meta name=\"referrer\" content=\"no-referrer\">"
            + "<title>\(e(title))</title><style>\(DigestPageStyle.css)</style></head>\n<body><main>\n"
            + body + "\n</main></body></html>\n"
    }

    private static func header(document: DigestDocument, title: String) -> String {
        let who: String
        switch document.audience {
        case .leadership: who = "Leadership digest"
        case .team(let team): who = "Team digest: " + team
        }
        return "<header class=\"page\"><h1>\(e(title))</h1><p class=\"meta\">\(e(who)) · "
            + "\(e(DigestLabels.week(document.week).capitalizedFirst))</p></header>\n"
    }

    private static func section(_ kind: DigestSectionKind, _ content: String, document: DigestDocument) -> String {
        var notes = ""
        for held in document.suppressed where held.section == kind {
            notes += "<p class=\"held\">\(e(DigestLabels.suppression(held.reason, partial: true)))</p>"
        }
        return "<section id=\"\(kind.rawValue)\"><h2>\(e(DigestLabels.sectionTitle(kind)))</h2>"
            + content + notes + "</section>\n"
    }

    /// Sections that were held back entirely, each with its reason in words.
    private static func heldBack(document: DigestDocument, shown: Set<DigestSectionKind>) -> String {
        var items: [String] = []
        var seen: Set<String> = []
        for held in document.suppressed where !shown.contains(held.section) {
            let key = held.section.rawValue + "/" + held.reason.rawValue
            guard seen.insert(key).inserted else { continue }
            items.append(
                "<h3>\(e(DigestLabels.sectionTitle(held.section)))</h3>"
                    + "<p class=\"held\">\(e(DigestLabels.suppression(held.reason)))</p>")
        }
        guard !items.isEmpty else { return "" }
        return "<section id=\"not-shown\"><h2>Not shown this week</h2>" + items.joined() + "</section>\n"
    }

    private static func footer(_ footer: DigestFooter) -> String {
        var lines = footer.lines
        if lines.isEmpty {
            lines.append(
                "Anonymous by design: a group with fewer than \(footer.threshold) people who answered shows nothing,"
                    + " and quotes need at least \(footer.quoteThreshold).")
            if let epsilon = footer.noiseEpsilon {
                lines.append("Counts include random noise (epsilon \(DigestLabels.epsilon(epsilon))).")
            }
        }
        return "<footer class=\"page\">" + lines.map { "<p>\(e($0))</p>" }.joined() + "</footer>"
    }

    // MARK: - Sections

    private static func content(of kind: DigestSectionKind, in document: DigestDocument) -> String? {
        switch kind {
        case .participation: return document.participation.map(participation)
        case .outcomeMix: return document.outcomeMix.map(outcomeMix)
        case .minutesSaved: return document.minutesSaved.map(minutesSaved)
        case .confidence: return document.confidence.map(confidence)
        case .categories: return document.categories.map { categories($0) }
        case .blockers: return document.blockers.map { blockers($0) }
        case .perceptionGap: return document.perceptionGap.map { perceptionGap($0, week: document.week) }
        case .breakdown: return document.breakdown.map(breakdown)
        case .trainingToPractice: return document.trainingToPractice.map(training)
        case .quotes: return document.quotes.flatMap { $0.quotes.isEmpty ? nil : quotes($0) }
        case .fromLeaders: return document.fromLeaders.flatMap { $0.notes.isEmpty ? nil : fromLeaders($0) }
        case .youSaidWeDid: return document.youSaidWeDid.flatMap { $0.responses.isEmpty ? nil : youSaidWeDid($0) }
        case .loopClosure: return document.loopClosure.map(loopClosure)
        case .expectationGap: return document.expectationGap.map(expectationGapHTML)
        case .themes: return document.themes.map(themesHTML)
        case .tryThis: return document.tryThis.map(tryThis)
        }
    }

    private static func tryThis(_ section: TryThisSection) -> String {
        let example = section.example
        var details: [String] = []
        if let category = example.taskCategory { details.append(DigestLabels.category(category)) }
        if let outcome = example.outcome { details.append(DigestLabels.outcome(outcome)) }
        if let minutes = example.minutesSaved, minutes != .none {
            details.append(DigestLabels.minutes(minutes) + " saved")
        }
        if let author = example.author { details.append("shared by " + author) }
        let intro =
            section.teamTopCategory == nil
            ? "One of the organisation's most useful examples from colleagues:"
            : "A colleague elsewhere in the organisation, on this team's most common use case:"
        return "<p>\(intro)</p>"
            + "<blockquote>\(e(example.text))</blockquote>"
            + "<p class=\"held\">\(e(details.joined(separator: " · ")))</p>"
            + "<p>More examples: <code>/reflect ideas</code> in Slack, <code>ideas</code> to the bot in Teams.</p>"
    }

    private static func participation(_ section: ParticipationSection) -> String {
        var html =
            "<p class=\"lead\"><strong>\(e(section.respondents.label))</strong> people reflected, in "
            + "<strong>\(e(section.reflections.label))</strong> reflections.</p>"
        if let change = section.change {
            html += "<p>Compared with the average of the previous four weeks: \(e(DigestLabels.change(change))).</p>"
        }
        guard !section.trend.isEmpty else { return html }
        let last = section.trend.count - 1
        let columns = section.trend.enumerated().map { index, point in
            SVGChart.Column(
                label: DigestLabels.shortWeek(point.week), value: point.respondents.map(height) ?? 0,
                valueLabel: point.respondents?.label ?? hiddenWeek, highlighted: index == last)
        }
        let summary = section.trend.map {
            DigestLabels.shortWeek($0.week) + ": " + ($0.respondents?.label ?? hiddenWeek)
        }
        html += SVGChart.columns(
            id: "chart-participation", title: "People who reflected, by week",
            description: "Ranges of people who reflected each week, oldest first. " + summary.joined(separator: "; "),
            columns: columns)
        html +=
            "<table><caption>People who reflected, by week</caption><thead><tr><th>Week</th>"
            + "<th class=\"num\">People</th></tr></thead><tbody>"
        for point in section.trend {
            html +=
                "<tr><td>\(e(DigestLabels.week(point.week).capitalizedFirst))</td>"
                + "<td class=\"num\">\(e(point.respondents?.label ?? hiddenWeek))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    private static let hiddenWeek = "not shown"

    /// A bucket's height in a chart: its midpoint, or a quarter above the start of the open top range.
    private static func height(_ bucket: CountBucket) -> Double {
        guard let upper = bucket.upperBound else { return Double(bucket.lowerBound) * 1.25 }
        return Double(bucket.lowerBound + upper) / 2
    }

    private static func outcomeMix(_ section: OutcomeMixSection) -> String {
        var html = ""
        if let difference = section.difference {
            html +=
                "<p class=\"lead\"><strong>\(e(DigestLabels.percent(difference)))</strong> of people"
                + " who reflected reported a real difference: saved time, better quality or a new capability.</p>"
        }
        let rows = section.shares.map {
            SVGChart.Row(
                label: DigestLabels.outcome($0.outcome), share: Double($0.percent.midpoint) / 100,
                valueLabel: DigestLabels.percent($0.percent))
        }
        let summary = section.shares.map { DigestLabels.outcome($0.outcome) + " " + DigestLabels.percent($0.percent) }
        html += SVGChart.bars(
            id: "chart-outcomes", title: "Outcome mix this week",
            description: "Share of this week's reflections by outcome. " + summary.joined(separator: "; "), rows: rows)
        html += shareList(section.shares.map { (DigestLabels.outcome($0.outcome), $0.percent) })
        return html
    }

    private static func minutesSaved(_ section: MinutesSavedSection) -> String {
        "<p class=\"lead\">Median time saved per reflection: <strong>\(e(DigestLabels.minutes(section.median)))"
            + "</strong>.</p><p>The middle half of answers: \(e(DigestLabels.minutesSpread(section))).</p>"
            + shareList(section.shares.map { (DigestLabels.minutes($0.bucket), $0.percent) })
    }

    private static func confidence(_ section: ConfidenceSection) -> String {
        "<p class=\"lead\">Median confidence in what AI produced: <strong>"
            + "\(e(DigestLabels.confidenceOutOfFive(section.median)))</strong>.</p>"
            + shareList(section.shares.map { ("Level \($0.level) of 5", $0.percent) })
    }

    private static func categories(_ section: CategorySection) -> String {
        "<p>What people applied AI to, as a share of this week's reflections.</p>"
            + shareList(section.top.map { (DigestLabels.category($0.category), $0.percent) })
    }

    private static func blockers(_ section: BlockerSection) -> String {
        "<p>What got in the way, as a share of this week's reflections mentioning it.</p>"
            + shareList(section.top.map { (DigestLabels.blocker($0.blocker), $0.percent) })
    }

    private static func perceptionGap(_ section: PerceptionGapSection, week: WeekKey) -> String {
        var html = "<p class=\"lead\">\(e(DigestPage.gapSentence(section)))</p>"
        html +=
            "<p>Gap: <strong>\(e(DigestLabels.points(section.gapPoints)))</strong>, 95% interval "
            + "\(e(DigestLabels.pointsInterval(section.gapInterval))). "
            + (section.isClearDifference
                ? "A clear difference: the interval does not include zero."
                : "Not a clear difference: the interval includes zero, so this may be chance.") + "</p>"
        html +=
            "<table><caption>Leaders and ICs side by side</caption><thead><tr><th></th>"
            + "<th class=\"num\">Leaders</th><th class=\"num\">ICs</th></tr></thead><tbody>"
        func row(_ label: String, _ leaders: String, _ ics: String) {
            html += "<tr><td>\(e(label))</td><td class=\"num\">\(e(leaders))</td><td class=\"num\">\(e(ics))</td></tr>"
        }
        row("People who reflected", section.leaders.respondents.label, section.ics.respondents.label)
        row(
            "Report a real difference",
            DigestLabels.percent(section.leaders.difference)
                + " (" + DigestLabels.percentInterval(section.leaders.differenceInterval) + ")",
            DigestLabels.percent(section.ics.difference)
                + " (" + DigestLabels.percentInterval(section.ics.differenceInterval) + ")")
        row(
            "Median minutes saved", section.leaders.medianMinutes.map(DigestLabels.minutes) ?? notGiven,
            section.ics.medianMinutes.map(DigestLabels.minutes) ?? notGiven)
        row(
            "Median confidence", section.leaders.medianConfidence.map(DigestLabels.confidenceOutOfFive) ?? notGiven,
            section.ics.medianConfidence.map(DigestLabels.confidenceOutOfFive) ?? notGiven)
        html += "</tbody></table>"

        let trend =
            section.trend.isEmpty
            ? [
                PerceptionGapPoint(
                    week: week, leaderPercent: section.leaders.difference,
                    icPercent: section.ics.difference, gapPoints: section.gapPoints,
                    gapInterval: section.gapInterval, isClearDifference: section.isClearDifference)
            ] : section.trend
        let points = trend.map {
            SVGChart.IntervalPoint(
                label: DigestLabels.shortWeek($0.week), value: Double($0.gapPoints), low: Double($0.gapInterval.lower),
                high: Double($0.gapInterval.upper), valueLabel: DigestLabels.signed($0.gapPoints))
        }
        let summary = trend.map {
            DigestLabels.shortWeek($0.week) + ": " + DigestLabels.gap($0.gapPoints, $0.gapInterval)
        }
        html += SVGChart.intervalLine(
            id: "chart-gap", title: "Perception gap over time, leaders minus ICs",
            description: "Points by which leaders report a real difference more often than ICs, with the 95% interval"
                + " shaded, oldest first. " + summary.joined(separator: "; "),
            points: points, zeroLabel: "no gap")
        html +=
            "<table><caption>The gap by week (leaders minus ICs, in points)</caption><thead><tr><th>Week</th>"
            + "<th class=\"num\">Leaders</th><th class=\"num\">ICs</th><th class=\"num\">Gap (95% interval)</th>"
            + "</tr></thead><tbody>"
        for point in trend {
            html +=
                "<tr><td>\(e(DigestLabels.shortWeek(point.week)))</td>"
                + "<td class=\"num\">\(DigestLabels.percent(point.leaderPercent))</td>"
                + "<td class=\"num\">\(DigestLabels.percent(point.icPercent))</td>"
                + "<td class=\"num\">\(e(DigestLabels.gap(point.gapPoints, point.gapInterval)))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// "Leaders report a real difference 12 points more often than ICs across the organisation."
    static func gapSentence(_ section: PerceptionGapSection) -> String {
        let scope = DigestLabels.scope(section.scope)
        let size = abs(section.gapPoints)
        let unit = size == 1 ? "point" : "points"
        if section.gapPoints > 0 {
            return "Leaders report a real difference \(size) \(unit) more often than ICs \(scope)."
        } else if section.gapPoints < 0 {
            return "ICs report a real difference \(size) \(unit) more often than leaders \(scope)."
        }
        return "Leaders and ICs report a real difference equally often \(scope)."
    }

    private static let notGiven = "not given"

    private static func breakdown(_ section: GroupBreakdownSection) -> String {
        var html = ""
        for (caption, rows) in [("By role", section.roles), ("By team", section.teams)] where !rows.isEmpty {
            html +=
                "<div class=\"wide\"><table><caption>\(e(caption))</caption><thead><tr><th>Group</th>"
                + "<th class=\"num\">Real difference</th><th class=\"num\">Median minutes saved</th>"
                + "<th class=\"num\">Confidence</th></tr></thead><tbody>"
            for row in rows {
                html +=
                    "<tr><td>\(e(row.label))<br><small>\(e(row.respondents.label)) people</small></td>"
                    + "<td class=\"num\">\(DigestLabels.percent(row.difference))</td>"
                    + "<td class=\"num\">\(e(row.medianMinutes.map(DigestLabels.minutes) ?? notGiven))</td>"
                    + "<td class=\"num\">\(e(row.medianConfidence.map(DigestLabels.confidence) ?? notGiven))</td></tr>"
            }
            html += "</tbody></table></div>"
        }
        return html
    }

    private static func training(_ section: TrainingToPracticeSection) -> String {
        var html =
            "<p>For each training, the share of its participants who reflected, who applied it on real"
            + " work, and who applied it again.</p><div class=\"wide\"><table><thead><tr><th>Training</th>"
            + "<th class=\"num\">Reflected</th><th class=\"num\">Applied</th><th class=\"num\">Repeated</th>"
            + "</tr></thead><tbody>"
        for cohort in section.cohorts {
            html +=
                "<tr><td>\(e(cohort.title))<br><small>\(e(cohort.participants.label)) participants</small></td>"
                + "<td class=\"num\">\(DigestLabels.percent(cohort.reflectedPercent))</td>"
                + "<td class=\"num\">\(DigestLabels.percent(cohort.appliedPercent))</td>"
                + "<td class=\"num\">\(DigestLabels.percent(cohort.repeatedPercent))</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    private static func quotes(_ section: QuotesSection) -> String {
        section.quotes.map { quote in
            "<blockquote><p>\(e(quote.text))</p>"
                + (quote.role.map { "<footer>— \(e(DigestLabels.roleOfOne($0)))</footer>" } ?? "") + "</blockquote>"
        }.joined()
    }

    private static func fromLeaders(_ section: LeaderNotesSection) -> String {
        section.notes.map { note in
            "<blockquote><p>\(e(note.text))</p><footer>— \(e(note.displayName))</footer></blockquote>"
        }.joined()
    }

    private static func shareList(_ items: [(String, PublishedPercent)]) -> String {
        "<ul class=\"shares\">"
            + items.map { "<li><span>\(e($0.0))</span><span>\(e(DigestLabels.percent($0.1)))</span></li>" }.joined()
            + "</ul>"
    }

    private static func e(_ text: String) -> String { HTMLText.escape(text) }
}

extension String {
    /// "week 47, 2026" → "Week 47, 2026".
    fileprivate var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
