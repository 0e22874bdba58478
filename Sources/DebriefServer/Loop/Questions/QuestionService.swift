import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation

/// The platform-neutral side of the rotating questions: which question a person's next form carries, and storing
/// their answer with the reflection it came with. Slack's modal and Teams' card both use it.
public struct QuestionService: Sendable {
    let library: QuestionLibrary
    let store: any Store & QuestionAnswerStore
    let pseudonymizer: Pseudonymizer
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String

    public init(
        library: QuestionLibrary, store: any Store & QuestionAnswerStore, pseudonymizer: Pseudonymizer,
        now: @escaping @Sendable () -> Date,
        makeID: @escaping @Sendable () -> String = { UUID.systemRandom().lowercaseText }
    ) {
        self.library = library
        self.store = store
        self.pseudonymizer = pseudonymizer
        self.now = now
        self.makeID = makeID
    }

    /// The week answers count in: the ISO week of the UTC day, as reflections' `iso_week`.
    var week: WeekKey { WeekKey(containing: now(), in: TimeZone(identifier: "UTC") ?? .gmt) }

    /// The question for the person's next form, or nil when there are none. Deterministic for the person and
    /// week, never the one they answered last; a store failure only costs the question, never the form.
    public func question(for user: PlatformUser, locale: String? = nil) async -> RotatingQuestion? {
        let questions = library.questions(for: locale)
        guard !questions.isEmpty else { return nil }
        let person = pseudonymizer.pseudonym(for: user)
        let previous = (try? await store.lastQuestionAnswered(by: person)) ?? nil
        return QuestionRotation.question(for: person, week: week, among: questions, previous: previous)
    }

    /// The question a submitted answer was for, to show the form again with it; nil when it is no longer asked.
    public func question(id: String, locale: String? = nil) -> RotatingQuestion? {
        library.questions(for: locale).first { $0.id == id }
    }

    /// The texts around the question on a form (hint, error sentences).
    public func formTexts(locale: String? = nil) -> QuestionFormTexts { library.formTexts(for: locale) }

    /// Checks an answer before anything is stored, so a bad answer keeps the form open with what was typed.
    public func validate(_ draft: QuestionAnswerDraft?) -> Result<ValidQuestionAnswer?, QuestionAnswerDraft.Problem> {
        guard let draft else { return .success(nil) }
        // The choice ids are the same in every language; English is the reference.
        return draft.validate(against: library.reference)
    }

    /// Stores a validated answer with the reflection it came with (the person exists: the reflection created them).
    public func record(_ answer: ValidQuestionAnswer, by user: PlatformUser, with reflection: Reflection) async throws {
        try await store.recordQuestionAnswer(
            QuestionAnswer(
                id: makeID(), person: pseudonymizer.pseudonym(for: user), questionID: answer.questionID,
                choice: answer.choice, text: answer.text, consent: reflection.consent, week: week.description,
                reflectionID: reflection.id))
    }

    /// The sentence shown under the question for a rejected answer.
    public func message(for problem: QuestionAnswerDraft.Problem, locale: String? = nil) -> String {
        let texts = library.formTexts(for: locale)
        switch problem {
        case .unknownQuestion: return texts.unknownQuestion
        case .unknownChoice: return texts.unknownChoice
        case .tooLong(let maximum): return PromptTemplate.render(texts.tooLong, ["maximum": String(maximum)])
        }
    }
}

/// Turns a week's stored answers into what the release counts: distinct people per choice and side (leaders,
/// ICs; managers are in neither), distinct people per theme, and consented free text for quotes.
enum QuestionWeekCounter {
    static func input(_ answers: [WeeklyQuestionAnswer], library: QuestionLibrary)
        -> (input: QuestionWeekInput, quotes: [ThemeQuoteCandidate])
    {
        let latest = WeeklyQuestionAnswer.latest(answers)
        var tallies: [QuestionTally] = []
        for question in library.reference where !question.isFreeText {
            var leaders: [String: Int] = [:]
            var ics: [String: Int] = [:]
            for answer in latest where answer.questionID == question.id {
                guard let choice = answer.choice, question.label(of: choice) != nil else { continue }
                switch RoleLevel(rawValue: answer.roleLevel) ?? .ic {
                case .leader: leaders[choice, default: 0] += 1
                case .ic: ics[choice, default: 0] += 1
                case .manager: continue
                }
            }
            if !leaders.isEmpty || !ics.isEmpty {
                tallies.append(QuestionTally(question: question, leaders: leaders, ics: ics))
            }
        }
        var people: [String: Set<String>] = [:]
        var quotes: [ThemeQuoteCandidate] = []
        for answer in latest {
            guard let text = answer.text else { continue }
            let themes = library.taxonomy.themes(of: text)
            for theme in themes { people[theme, default: []].insert(answer.person.value) }
            if !themes.isEmpty && answer.consent != .aggregateOnly {
                quotes.append(ThemeQuoteCandidate(text: text, consent: answer.consent, themeIDs: themes))
            }
        }
        let themes = library.taxonomy.themes.compactMap { theme -> ThemeTally? in
            guard let count = people[theme.id]?.count, count > 0 else { return nil }
            return ThemeTally(theme: theme, people: count)
        }
        return (QuestionWeekInput(tallies: tallies, themes: themes), quotes)
    }
}
