import DebriefCore
import DebriefPrompts
import Foundation

/// Every card Debrief sends in Teams, rendered from a set of texts with sample inputs, so one call can check
/// them all: the tests, and `debrief prompts check` after someone edited `prompts/teams/`.
///
/// The inputs include the worst a person can send (Markdown, links, `<at>` mentions, control characters,
/// the longest text each field accepts), so a wording change that pushes a card over the size budget or
/// an element the schema refuses is caught before anyone gets the card.
public enum TeamsCardCatalogue {
    /// Text a person could send to break a card: Markdown, a link, a mention, HTML, control and bidi
    /// characters, JSON-significant characters.
    public static let hostile =
        "**bold** _it_ [Reset your password](https://evil.example) <at>Everyone</at> <b>x</b> &amp; # h \\ `c` "
        + "~~s~~ | \u{0001}\u{202E}\" done"

    /// The longest reflection text the form accepts, in characters that cost the most bytes once encoded.
    static let longest = String(repeating: "語\"", count: ReflectionDraft.maximumTextLength / 2)

    /// Every card with a name saying which, rendered with sample inputs.
    ///
    /// - Parameter digest: the texts of a rendered digest (``DigestTemplates/render(_:link:)`` with
    ///   ``TeamsMarkup/markup``); a small sample is used when nil.
    public static func samples(texts: TeamsTexts, digest: DigestTexts? = nil) -> [(name: String, card: JSONValue)] {
        let digest =
            digest
            ?? DigestTexts(main: "AI at work, week 47\n*20–49* people reflected", details: "*Outcomes*\n• Saved time")
        let replies = TeamsReplies(texts: texts)
        let longTitle = String(repeating: "Prompting 101 ", count: 100)
        let ids = String(repeating: "i", count: TeamsCardAction.maximumIDLength)
        let hostileDraft = ReflectionDraft(
            text: hostile, taskCategory: "drafting", tool: "Copilot <at>x</at>", outcome: "worse",
            minutesSaved: "31-60",
            confidence: "9", blockers: ["no_time", "skills", "bogus"], consent: "attributed")
        let longestDraft = ReflectionDraft(
            text: longest, taskCategory: "drafting", tool: longest, outcome: "worse", minutesSaved: "120+",
            confidence: "0", blockers: Blocker.allCases.map(\.rawValue), consent: "attributed")
        var cards: [(name: String, card: JSONValue)] = []
        for locale in texts.nudges.keys.sorted() {
            let nudge = texts.nudgeTexts(locale: locale)
            cards += [
                (
                    "nudge (\(locale))",
                    NudgeCard.card(
                        text: "What did you try after " + hostile, trainingTitle: hostile, nudgeID: "n_1", texts: nudge)
                ),
                (
                    "nudge, longest (\(locale))",
                    NudgeCard.card(text: longTitle, trainingTitle: longTitle, nudgeID: ids, texts: nudge)
                ),
                ("nudge thanked (\(locale))", NudgeCard.thanked(trainingTitle: longTitle, texts: nudge)),
                ("nudge snoozed (\(locale))", NudgeCard.snoozed(text: longTitle, trainingTitle: hostile, texts: nudge)),
                ("nudge skipped (\(locale))", NudgeCard.skipped(text: "Q?", trainingTitle: longTitle, texts: nudge)),
            ]
        }
        cards += [
            ("form", ReflectionFormCard.card(texts: texts)),
            (
                "form with errors",
                ReflectionFormCard.card(
                    texts: texts, prefill: hostileDraft, errors: errors(hostileDraft), nudgeID: "n_1",
                    reflectionID: "r_1")
            ),
            (
                "form, longest answers",
                ReflectionFormCard.card(
                    texts: texts, prefill: longestDraft, errors: errors(longestDraft), nudgeID: ids, reflectionID: ids)
            ),
            ("form, saving failed", ReflectionFormCard.card(texts: texts, prefill: hostileDraft, storageFailed: true)),
            ("form thanks", ReflectionFormCard.thanks(texts: texts)),
            ("help", replies.help()),
            ("help after a bad command", replies.help(problem: .pauseNeedsLength(given: hostile))),
            ("quick reflection saved", replies.quickStored(reflectionID: ids, text: longest)),
            (
                "quick reflection refused",
                errors(ReflectionDraft(text: "ab")).map(replies.invalidQuickReflection) ?? [:]
            ),
            ("mine, nothing stored", replies.mine(export: nil, summaryLines: [])),
            (
                "mine",
                replies.mine(export: ["reflections": [["text": .string(hostile)]]], summaryLines: ["• " + hostile])
            ),
            (
                "mine, longest",
                replies.mine(
                    export: .array(Array(repeating: .string(longest), count: 20)),
                    summaryLines: Array(repeating: longest, count: 20))
            ),
            ("forget question", replies.forgetConfirmation()),
            ("forgotten", replies.forgotten()),
            ("forget cancelled", replies.forgetCancelled()),
            ("paused", replies.paused(until: "2030-01-31")),
            ("resumed", replies.resumed()),
            ("stopped", replies.stopped()),
            ("not configured", replies.notConfigured(sentence: hostile)),
            ("form could not open", replies.couldNotOpenForm()),
            ("something went wrong", replies.somethingWentWrong()),
            ("card outdated", replies.cardOutdated()),
            ("card problem", replies.cardProblem(.unknownVerb)),
            (
                "privacy receipt, team",
                replies.privacyReceipt(
                    week: "2026-W47", team: hostile, anonymityThreshold: 5, texts: digest, note: hostile)
            ),
            (
                "privacy receipt, organisation",
                replies.privacyReceipt(week: "2026-W47", team: nil, anonymityThreshold: 5, texts: digest)
            ),
            ("privacy not configured", replies.privacyNotConfigured()),
            ("admin help", replies.adminHelp()),
            ("admin usage problem", replies.adminHelp(problem: hostile)),
            ("admin only", replies.adminOnly()),
            ("trainings not available", replies.trainingsNotAvailable()),
            ("no trainings", replies.noTrainings()),
            ("training registered", replies.trainingRegistered(title: hostile)),
            ("training refused", replies.trainingRejected(reason: hostile)),
            ("admin lines", replies.lines(["- **" + TeamsMarkup.escape(hostile) + "**: 3 participants"])),
            (
                "digest",
                DigestCard.main(
                    texts: digest, isQuiet: false, link: "https://debrief.example.com/d/1?sig=x", teamsTexts: texts)
            ),
            (
                "digest, quiet week",
                DigestCard.main(
                    texts: digest, isQuiet: true, link: "https://debrief.example.com/d/1", teamsTexts: texts)
            ),
            ("digest details", DigestCard.details(texts: digest, teamsTexts: texts)),
            ("welcome", WelcomeCard.card(texts: texts)),
        ]
        cards += respondSamples(texts: texts, digest: digest)
        return cards
    }

    /// Every problem with the sample cards: schema violations and cards over ``AdaptiveCard/sizeBudget``,
    /// one line each, naming the card (for `debrief prompts check`).
    public static func problems(texts: TeamsTexts, validator: AdaptiveCardSchemaValidator, digest: DigestTexts? = nil)
        -> [String]
    {
        var problems: [String] = []
        for (name, card) in samples(texts: texts, digest: digest) {
            for violation in validator.validate(card) {
                problems.append("Teams card \"\(name)\": \(violation) (Adaptive Cards 1.5 schema)")
            }
            let size = AdaptiveCard.encodedSize(card)
            if size > AdaptiveCard.sizeBudget {
                problems.append(
                    "Teams card \"\(name)\" is \(size) bytes with the longest inputs; keep it under "
                        + "\(AdaptiveCard.sizeBudget) by shortening the texts in prompts/teams/")
            }
        }
        return problems
    }

    /// The Respond button, form (fresh, and back with every problem and the longest inputs) and thanks (issue #13).
    static func respondSamples(texts: TeamsTexts, digest: DigestTexts) -> [(name: String, card: JSONValue)] {
        let week = WeekKey("2026-W47") ?? WeekKey(containing: Date(timeIntervalSince1970: 0), in: .gmt)
        let themes = Blocker.allCases.map(ResponseTheme.blocker) + TaskCategory.allCases.map(ResponseTheme.category)
        let teams = (0..<LeaderResponseCard.maximumTeams).map { "Team \($0) " + String(repeating: "語", count: 20) }
        let longest = LeaderResponseForm(
            text: String(repeating: "語\"", count: LeaderResponseForm.maximumTextLength / 2),
            themeKeys: themes.map(\.key), audienceChoice: "teams", teams: teams)
        let errors = LeaderResponseFormErrors(text: hostile, themes: hostile, audience: hostile, teams: hostile)
        return [
            (
                "leadership digest with Respond",
                DigestCard.main(
                    texts: digest, isQuiet: false, link: "https://debrief.example.com/d/1?sig=x", teamsTexts: texts,
                    respondDigestID: "d_1")
            ),
            (
                "respond form",
                LeaderResponseCard.form(
                    texts: texts, digestID: "d_1", week: week, themes: themes, eligibleTeams: ["Sales", hostile])
            ),
            (
                "respond form, no eligible team, with errors",
                LeaderResponseCard.form(
                    texts: texts, digestID: "d_1", week: week, themes: themes, eligibleTeams: [], prefill: longest,
                    errors: errors)
            ),
            (
                "respond form, longest",
                LeaderResponseCard.form(
                    texts: texts, digestID: "d_1", week: week, themes: themes, eligibleTeams: teams, prefill: longest,
                    errors: errors, storageFailed: true)
            ),
            ("respond thanks", LeaderResponseCard.thanks(texts: texts, audience: .teams(["Sales", hostile]))),
            ("respond note", LeaderResponseCard.note(texts.respond.notALeader)),
        ]
    }

    private static func errors(_ draft: ReflectionDraft) -> ReflectionValidationErrors? {
        if case .failure(let errors) = draft.validate() { return errors }
        return nil
    }
}
