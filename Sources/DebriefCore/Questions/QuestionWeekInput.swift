import Foundation

/// One week's answers to the rotating questions, as counts: what the week's release publishes the expectation
/// gap and the themes from. The server counts them (each person's last answer to a question in the week), so the
/// core never sees an answer's author.
public struct QuestionWeekInput: Sendable, Equatable, Codable {
    /// Questions with choices, with the distinct people per choice on each side.
    public var tallies: [QuestionTally]
    /// The free-text themes with the distinct people whose answers match each (an answer may match several).
    public var themes: [ThemeTally]

    public init(tallies: [QuestionTally] = [], themes: [ThemeTally] = []) {
        self.tallies = tallies
        self.themes = themes
    }
}

/// A question with choices and how many distinct leaders and ICs chose each (managers are in neither side).
public struct QuestionTally: Sendable, Equatable, Codable {
    public var question: RotatingQuestion
    /// Choice id → distinct leaders whose answer it was.
    public var leaders: [String: Int]
    /// Choice id → distinct ICs whose answer it was.
    public var ics: [String: Int]

    public init(question: RotatingQuestion, leaders: [String: Int], ics: [String: Int]) {
        self.question = question
        self.leaders = leaders
        self.ics = ics
    }

    /// Counts in the question's choice order (unknown choices, from an edited file, are left out).
    func counts(_ side: RoleLevel) -> [Int] {
        let source = side == .leader ? leaders : ics
        return question.choices.map { max(0, source[$0.id] ?? 0) }
    }
}

/// A theme of the taxonomy and the distinct people whose free-text answers matched it this week.
public struct ThemeTally: Sendable, Equatable, Codable {
    public var theme: ThemeTaxonomy.Theme
    public var people: Int

    public init(theme: ThemeTaxonomy.Theme, people: Int) {
        self.theme = theme
        self.people = people
    }
}

/// A consented free-text answer that may be quoted under the themes it matches.
///
/// - Important: carries no person, pseudonym, team or time.
public struct ThemeQuoteCandidate: Sendable, Equatable, Codable {
    public var text: String
    public var consent: Consent
    public var themeIDs: [String]

    public init(text: String, consent: Consent, themeIDs: [String]) {
        self.text = text
        self.consent = consent
        self.themeIDs = themeIDs
    }
}
