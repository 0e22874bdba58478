import DebriefCore
import DebriefPrompts
import DebriefTeams
import DebriefTestSupport
import Foundation
import Testing

/// Shared material for the card tests: the repository's own `prompts/teams/`, the vendored Adaptive Cards
/// 1.5 schema, and inputs that try to break a card.
enum TeamsCardsFixture {
    /// The shipped Teams texts, loaded and validated as the server does at start-up.
    static func texts() throws -> TeamsTexts {
        try TeamsTexts.load(from: RepositoryPrompts.directory, requiredNudgeLocales: ["en", "de"])
    }

    static func fixture(_ path: String) throws -> URL {
        let base = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return base.appendingPathComponent(path)
    }

    /// The official `schemas/1.5.0/adaptive-card.json` (microsoft/AdaptiveCards 644d933, MIT).
    static func validator() throws -> AdaptiveCardSchemaValidator {
        try AdaptiveCardSchemaValidator(contentsOf: fixture("adaptive-card-1.5/adaptive-card.json"))
    }

    /// Text a person could send to break a card: Markdown, a link, a mention, HTML, control and bidi
    /// characters, JSON-significant characters.
    static let hostile =
        "**bold** _it_ [Reset your password](https://evil.example) <at>Everyone</at> <b>x</b> &amp; # h \\ `c` ~~s~~ | \u{0001}\u{202E}\" done"

    /// The errors of a draft that does not validate (the core keeps their initialiser to itself).
    static func validationErrors(_ draft: ReflectionDraft) -> ReflectionValidationErrors? {
        if case .failure(let errors) = draft.validate() { return errors }
        return nil
    }

    /// Every card the renderers produce, with realistic and hostile inputs.
    static func allCards(texts: TeamsTexts, digest: (main: DigestTexts, document: DigestDocument)) -> [(
        String, JSONValue
    )] {
        let nudgeTexts = texts.nudgeTexts(locale: "de-DE")
        let replies = TeamsReplies(texts: texts)
        let longTitle = String(repeating: "Prompting 101 ", count: 100)
        let full = ReflectionDraft(
            text: hostile, taskCategory: "drafting", tool: "Copilot <at>x</at>", outcome: "worse",
            minutesSaved: "31-60", confidence: "9", blockers: ["no_time", "skills", "bogus"], consent: "attributed")
        let errors = validationErrors(full)
        return [
            (
                "nudge",
                NudgeCard.card(
                    text: "What did you try after " + hostile, trainingTitle: hostile, nudgeID: "n_1", texts: nudgeTexts
                )
            ),
            (
                "nudge, long title",
                NudgeCard.card(text: longTitle, trainingTitle: longTitle, nudgeID: "n_2", texts: nudgeTexts)
            ),
            ("thanked", NudgeCard.thanked(trainingTitle: hostile, texts: nudgeTexts)),
            ("snoozed", NudgeCard.snoozed(text: "Q?", trainingTitle: hostile, texts: nudgeTexts)),
            ("skipped", NudgeCard.skipped(text: "Q?", trainingTitle: "Title", texts: nudgeTexts)),
            ("form, empty", ReflectionFormCard.card(texts: texts)),
            (
                "form, errors",
                ReflectionFormCard.card(
                    texts: texts, prefill: full, errors: errors, nudgeID: "n_1", reflectionID: "r_1")
            ),
            ("form, storage failed", ReflectionFormCard.card(texts: texts, prefill: full, storageFailed: true)),
            ("form thanks", ReflectionFormCard.thanks(texts: texts)),
            ("help", replies.help()),
            ("help with problem", replies.help(problem: .pauseNeedsLength(given: hostile))),
            ("quick stored", replies.quickStored(reflectionID: "r_1", text: hostile)),
            ("quick invalid", validationErrors(ReflectionDraft(text: "ab")).map(replies.invalidQuickReflection) ?? [:]),
            ("mine, empty", replies.mine(export: nil, summaryLines: [])),
            (
                "mine",
                replies.mine(export: ["reflections": [["text": .string(hostile)]]], summaryLines: ["• " + hostile])
            ),
            ("forget", replies.forgetConfirmation()),
            ("forgotten", replies.forgotten()),
            ("forget cancelled", replies.forgetCancelled()),
            ("paused", replies.paused(until: "2030-01-31")),
            ("resumed", replies.resumed()),
            ("stopped", replies.stopped()),
            ("not configured", replies.notConfigured(sentence: hostile)),
            ("could not open form", replies.couldNotOpenForm()),
            ("something went wrong", replies.somethingWentWrong()),
            ("card outdated", replies.cardOutdated()),
            ("card unreadable", replies.cardUnreadable()),
            (
                "privacy",
                replies.privacyReceipt(
                    week: "2026-W47", team: hostile, k: 5, digest: digest.main, note: "Quotes withheld")
            ),
            ("privacy, organisation", replies.privacyReceipt(week: "2026-W47", team: nil, k: 5, digest: digest.main)),
            ("privacy not configured", replies.privacyNotConfigured()),
            ("admin help", replies.adminHelp()),
            ("admin usage", replies.adminHelp(problem: hostile)),
            ("admin only", replies.adminOnly()),
            ("trainings not available", replies.trainingsNotAvailable()),
            ("no trainings", replies.noTrainings()),
            ("training registered", replies.trainingRegistered(title: hostile)),
            ("training rejected", replies.trainingRejected(reason: hostile)),
            ("lines", replies.lines(["- **" + TeamsMarkup.escape(hostile) + "**: 3 participants"])),
            (
                "digest",
                DigestCard.main(
                    texts: digest.main, document: digest.document, link: "https://debrief.example.com/d/1?sig=x",
                    teamsTexts: texts)
            ),
            ("digest details", DigestCard.details(texts: digest.main, teamsTexts: texts)),
            ("welcome", WelcomeCard.card(texts: texts)),
        ]
    }
}
