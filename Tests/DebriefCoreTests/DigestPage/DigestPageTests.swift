import DebriefCore
import DebriefDigestSamples
import Foundation
import Testing

@Suite("Digest page")
struct DigestPageTests {
    let title = "AI at work — Acme"

    // MARK: - Reading the page like a person

    /// Every `<svg …>…</svg>` in order.
    static func svgs(_ html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest[start.upperBound...].range(of: "</svg>") {
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// The chart with `id`.
    static func chart(_ id: String, in html: String) -> String? {
        svgs(html).first { $0.contains("id=\"\(id)\"") }
    }

    /// The `<text>` labels a chart draws, decoded.
    static func labels(_ svg: String) -> [String] {
        var result: [String] = []
        var rest = svg[...]
        while let open = rest.range(of: "<text"), let close = rest[open.upperBound...].range(of: ">"),
            let end = rest[close.upperBound...].range(of: "</text>")
        {
            result.append(decode(String(rest[close.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// What a reader sees outside the charts: tags removed, entities decoded, whitespace collapsed.
    static func pageText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: "<strong>", with: "").replacingOccurrences(of: "</strong>", with: "")
        for (open, close) in [("<style>", "</style>"), ("<svg", "</svg>"), ("<title>", "</title>")] {
            while let start = text.range(of: open), let end = text[start.upperBound...].range(of: close) {
                text.removeSubrange(start.lowerBound..<end.upperBound)
            }
        }
        var plain = ""
        var inTag = false
        for character in text {
            if character == "<" {
                inTag = true
                plain.append(" ")
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                plain.append(character)
            }
        }
        return decode(plain).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The `<section id="…">` with that id.
    static func section(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\""),
            let end = html[start.upperBound...].range(of: "</section>")
        else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    // MARK: - Tests

    @Test func aFullDigestIsACompletePhoneReadablePage() {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("<title>AI at work — Acme</title>"))
        #expect(html.contains("<style>"))
        #expect(html.hasSuffix("</html>\n"))
        let text = Self.pageText(html)
        #expect(text.contains("Leadership digest · Week 47, 2026"))
        for heading in [
            "Participation", "Outcomes", "Minutes saved", "Confidence", "Perception gap: leaders and ICs",
            "By role and team", "Use cases", "Blockers", "From training to practice", "In their words",
            "What leaders tried",
        ] {
            #expect(html.contains("<h2>\(heading)</h2>"), "missing section \(heading)")
        }
    }

    @Test func itLoadsNothingFromElsewhereAndRunsNoScript() {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        for forbidden in ["http://", "https://", "<script", "<link", "<img", "src=", "url(", "@import", "<iframe"] {
            #expect(!html.contains(forbidden), "page contains \(forbidden)")
        }
    }

    @Test func aFullDigestHasThreeLabelledCharts() {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        let charts = Self.svgs(html)
        #expect(charts.count == 3)
        for chart in charts {
            #expect(chart.contains("role=\"img\""))
            #expect(chart.contains("<title id="))
            #expect(chart.contains("<desc id="))
            #expect(chart.contains("aria-labelledby="))
            #expect(chart.contains("viewBox=\"0 0 320 "))
        }
        #expect(Self.chart("chart-participation", in: html) != nil)
        #expect(Self.chart("chart-outcomes", in: html) != nil)
        #expect(Self.chart("chart-gap", in: html) != nil)
    }

    @Test func theOutcomeChartShowsTheDocumentsPercentagesAsTheTextDoes() throws {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        let chart = try #require(Self.chart("chart-outcomes", in: html))
        let labels = Self.labels(chart)
        #expect(
            labels == [
                "Saved time", "42%", "Better quality", "23%", "New capability", "12%", "No difference", "18%", "Worse",
                "5%",
            ])
        let text = Self.pageText(html)
        for (label, percent) in [
            ("Saved time", "42%"), ("Better quality", "23%"), ("New capability", "12%"), ("No difference", "18%"),
            ("Worse", "5%"),
        ] {
            #expect(text.contains("\(label) \(percent)"), "page text lacks \(label) \(percent)")
        }
        #expect(text.contains("58% of people who reflected reported a real difference"))
        // The longest bar is saved time: 42% of the bar space.
        #expect(chart.contains("<rect class=\"bar\" x=\"124\" y=\"12\" width=\"63.8\""))
    }

    @Test func theParticipationChartLabelsBucketsNeverMidpoints() throws {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        let chart = try #require(Self.chart("chart-participation", in: html))
        #expect(
            Self.labels(chart) == [
                "10–19", "W43", "10–19", "W44", "20–49", "W45", "20–49", "W46", "20–49", "W47",
            ])
        #expect(chart.contains("class=\"bar now\""))
        let text = Self.pageText(html)
        #expect(text.contains("20–49 people reflected, in 50–99 reflections."))
        #expect(text.contains("Compared with the average of the previous four weeks: up 25–49%."))
        #expect(text.contains("Week 43, 2026 10–19"))
        #expect(text.contains("Week 47, 2026 20–49"))
        // The midpoints used for heights (14.5, 34.5) are never written out.
        #expect(!html.contains(">14.5<") && !html.contains(">34.5<") && !html.contains(">34<"))
    }

    @Test func aWeekThatWasNotShownHasNoBarAndSaysSo() throws {
        var document = DigestSamples.leadership
        document.participation?.trend[1].respondents = nil
        document.participation?.change = nil
        let html = DigestPage.html(document: document, title: title)
        let chart = try #require(Self.chart("chart-participation", in: html))
        #expect(Self.labels(chart)[2...3] == ["not shown", "W44"])
        #expect(chart.components(separatedBy: "<rect").count - 1 == 4)
        let text = Self.pageText(html)
        #expect(text.contains("Week 44, 2026 not shown"))
        #expect(!text.contains("Compared with the average"))
    }

    @Test func theGapChartShowsEachWeeksGapAndTheTableItsInterval() throws {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        let chart = try #require(Self.chart("chart-gap", in: html))
        let labels = Self.labels(chart)
        #expect(labels.contains("no gap"))
        for (week, gap) in [("W44", "+20"), ("W45", "+15"), ("W46", "+9"), ("W47", "+12")] {
            #expect(labels.contains(week) && labels.contains(gap), "\(week) \(gap) missing from \(labels)")
        }
        #expect(chart.contains("class=\"band\""))
        #expect(chart.contains("class=\"line\""))
        let text = Self.pageText(html)
        #expect(
            text.contains("Leaders report a real difference 12 points more often than ICs across the organisation."))
        #expect(text.contains("Gap: +12 pts, 95% interval −3 to +27. Not a clear difference"))
        #expect(text.contains("W47 70% 58% +12 pts (−3 to +27)"))
        #expect(text.contains("W44 75% 55% +20 pts (+2 to +36)"))
        #expect(text.contains("Report a real difference 70% (45–87%) 58% (44–71%)"))
        #expect(text.contains("Median minutes saved 31–60 min 16–30 min"))
        #expect(text.contains("Median confidence 4 out of 5 3.5 out of 5"))
    }

    @Test func aQuoteIsShownAsWrittenButCannotInjectMarkup() {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; it read better"))
        #expect(Self.pageText(html).contains(DigestSamples.scriptQuote + " — an IC"))
        #expect(Self.pageText(html).contains("Asked it to critique my strategy memo & it found two gaps — Ana Ruiz"))
    }

    @Test func aTitleOrTeamNameWithMarkupIsEscapedToo() {
        var document = DigestSamples.team
        document.audience = .team("R&D <ops>")
        let html = DigestPage.html(document: document, title: "<b>Acme</b>")
        #expect(!html.contains("<b>"))
        #expect(html.contains("<title>&lt;b&gt;Acme&lt;/b&gt;</title>"))
        #expect(html.contains("Team digest: R&amp;D &lt;ops&gt;"))
    }

    @Test func heldBackSectionsSayWhyInWordsWithoutNumbers() throws {
        let html = DigestPage.html(document: DigestSamples.team, title: title)
        let notShown = try #require(Self.section("not-shown", in: html))
        let text = Self.pageText(notShown)
        #expect(
            text.contains(
                "Perception gap: leaders and ICs Not shown: too few people answered for this to stay anonymous."))
        #expect(
            text.contains(
                "In their words No quotes: too few people answered to quote anyone without hinting at who said it."))
        let digits = text.filter(\.isNumber)
        #expect(digits.isEmpty, "held-back sections must not show numbers: \(text)")
        #expect(Self.section("perception_gap", in: html) == nil)
        #expect(Self.section("quotes", in: html) == nil)
        // Only the two charts whose sections are shown.
        #expect(Self.svgs(html).count == 2)
        #expect(Self.chart("chart-gap", in: html) == nil)
    }

    @Test func aPartlyHeldBackSectionExplainsItselfInPlace() throws {
        let html = DigestPage.html(document: DigestSamples.leadership, title: title)
        let breakdown = try #require(Self.section("breakdown", in: html))
        #expect(
            breakdown.contains(
                "<p class=\"held\">Some groups are not shown: too few people answered for them to stay anonymous.</p>"))
        #expect(Self.section("not-shown", in: html) == nil)
    }

    @Test func teamDigestsStartWithWhatLeadersTried() throws {
        let html = DigestPage.html(document: DigestSamples.team, title: title)
        let leaders = try #require(html.range(of: "<section id=\"from_leaders\""))
        let participation = try #require(html.range(of: "<section id=\"participation\""))
        #expect(leaders.lowerBound < participation.lowerBound)
        #expect(Self.pageText(html).contains("Team digest: Platform · Week 47, 2026"))
    }

    @Test func aQuietWeekIsOneLineAndNoCharts() {
        let html = DigestPage.html(document: DigestSamples.quiet, title: title)
        #expect(Self.svgs(html).isEmpty)
        #expect(
            Self.pageText(html).contains(
                "A quiet week for Platform: too few reflections to share anything without exposing someone."))
        #expect(!html.contains("<h2>"))
    }

    @Test func theFooterStatesThePrivacyRules() {
        var document = DigestSamples.leadership
        let html = DigestPage.html(document: document, title: title)
        #expect(Self.pageText(html).contains("Groups with fewer than 5 people who reflected show no numbers"))
        document.footer = DigestFooter(threshold: 7, quoteThreshold: 12, noiseEpsilon: 0.5, lines: [])
        let fallback = Self.pageText(DigestPage.html(document: document, title: title))
        #expect(fallback.contains("fewer than 7 people who answered shows nothing, and quotes need at least 12."))
        #expect(fallback.contains("Counts include random noise (epsilon 0.5)."))
    }

    @Test func theSamePageForTheSameDocument() {
        #expect(
            DigestPage.html(document: DigestSamples.leadership, title: title)
                == DigestPage.html(document: DigestSamples.leadership, title: title))
    }

    @Test func aRefusedLinkGetsAPlainPage() {
        let html = DigestPage.refusal(.expired)
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(Self.pageText(html).contains(DigestLinkError.expired.explanation))
        #expect(Self.svgs(html).isEmpty)
    }

    @Test func aWeekWithoutGapTrendStillChartsThisWeek() throws {
        var document = DigestSamples.leadership
        document.perceptionGap?.trend = []
        let html = DigestPage.html(document: document, title: title)
        let chart = try #require(Self.chart("chart-gap", in: html))
        #expect(Self.labels(chart).contains("+12"))
        #expect(Self.labels(chart).contains("W47"))
    }
}
