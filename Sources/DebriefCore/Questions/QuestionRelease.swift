import Foundation

/// What a week publishes about the rotating questions: part of the week's `WeekRelease`, made once, audited with
/// it, stored, and re-served to the leadership digest, the page and the privacy receipt.
public struct QuestionRelease: Sendable, Equatable, Codable {
    /// Questions with choices where both leaders and ICs could be shown.
    ///
    /// - Important: no flag says whether something was held back: such a flag would depend on the answers (a
    ///   published fact about a group smaller than k). The footer states the rule instead, every week.
    public var gaps: [ExpectationGapQuestion]
    /// Themes with at least k people, most frequent first (by the shown range, ties in taxonomy order).
    public var themes: [ThemeRow]

    public init(gaps: [ExpectationGapQuestion], themes: [ThemeRow]) {
        self.gaps = gaps
        self.themes = themes
    }
}

/// Leaders' and ICs' answers to one question with choices, side by side.
public struct ExpectationGapQuestion: Sendable, Equatable, Codable {
    public var questionID: String
    public var prompt: String
    /// Leaders who answered, as a range.
    public var leaders: CountBucket
    /// ICs who answered, as a range.
    public var ics: CountBucket
    public var leaderPrecision: SharePrecision
    public var icPrecision: SharePrecision
    /// Every choice at least one side shows, in the question's order.
    public var rows: [ExpectationGapRow]

    public init(
        questionID: String, prompt: String, leaders: CountBucket, ics: CountBucket, leaderPrecision: SharePrecision,
        icPrecision: SharePrecision, rows: [ExpectationGapRow]
    ) {
        self.questionID = questionID
        self.prompt = prompt
        self.leaders = leaders
        self.ics = ics
        self.leaderPrecision = leaderPrecision
        self.icPrecision = icPrecision
        self.rows = rows
    }
}

/// One choice: each side's share of its people with a Wilson interval, and the gap when both are shown.
///
/// A side's share is nil when fewer than k of its people chose it, or when it is held back so that the hidden
/// choices together hold at least k people (otherwise the total minus the others would give it away).
public struct ExpectationGapRow: Sendable, Equatable, Codable {
    public var choiceID: String
    public var label: String
    public var leaders: PublishedPercent?
    public var leadersInterval: PercentInterval?
    public var ics: PublishedPercent?
    public var icsInterval: PercentInterval?
    /// Leaders' share minus ICs' (midpoints of the shown shares), in points; nil unless both are shown.
    public var gapPoints: Int?
    /// Newcombe's interval for the gap from what is shown, rounded outwards.
    public var gapInterval: PercentInterval?
    /// False when the interval includes 0 (or there is no gap): "not a clear difference".
    public var isClearDifference: Bool

    public init(
        choiceID: String, label: String, leaders: PublishedPercent?, leadersInterval: PercentInterval?,
        ics: PublishedPercent?, icsInterval: PercentInterval?, gapPoints: Int?, gapInterval: PercentInterval?,
        isClearDifference: Bool
    ) {
        self.choiceID = choiceID
        self.label = label
        self.leaders = leaders
        self.leadersInterval = leadersInterval
        self.ics = ics
        self.icsInterval = icsInterval
        self.gapPoints = gapPoints
        self.gapInterval = gapInterval
        self.isClearDifference = isClearDifference
    }
}

/// A free-text theme held by at least k people.
public struct ThemeRow: Sendable, Equatable, Codable {
    public var themeID: String
    public var label: String
    public var people: CountBucket
    /// At least k_quotes people: consented answers may be quoted under it.
    public var quotable: Bool

    public init(themeID: String, label: String, people: CountBucket, quotable: Bool) {
        self.themeID = themeID
        self.label = label
        self.people = people
        self.quotable = quotable
    }
}

// MARK: - Digest sections

/// Leadership digest: where leaders' expectations differ from their people's, per question with choices.
public struct ExpectationGapSection: Sendable, Equatable, Codable {
    public var questions: [ExpectationGapQuestion]

    public init(questions: [ExpectationGapQuestion]) { self.questions = questions }
}

/// Leadership digest: the most frequent themes in free-text answers, with consented, scrubbed quotes.
public struct ThemesSection: Sendable, Equatable, Codable {
    public var themes: [ThemeEntry]

    public init(themes: [ThemeEntry]) { self.themes = themes }
}

/// One theme as shown: its range of people and at most one quote.
public struct ThemeEntry: Sendable, Equatable, Codable {
    public var themeID: String
    public var label: String
    public var people: CountBucket
    /// Scrubbed; only from someone who consented to be quoted, never with a name.
    public var quote: String?

    public init(themeID: String, label: String, people: CountBucket, quote: String?) {
        self.themeID = themeID
        self.label = label
        self.people = people
        self.quote = quote
    }
}
