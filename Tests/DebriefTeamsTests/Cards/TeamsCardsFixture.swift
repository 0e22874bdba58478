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

    /// The official `schemas/1.5.0/adaptive-card.json` (microsoft/AdaptiveCards 644d933, MIT), shipped in
    /// `prompts/teams/schema/` for `debrief prompts check`.
    static func validator() throws -> AdaptiveCardSchemaValidator {
        try AdaptiveCardSchemaValidator(
            contentsOf: RepositoryPrompts.directory.appendingPathComponent(TeamsPromptCheck.schemaFile))
    }

    /// Text a person could send to break a card.
    static let hostile = TeamsCardCatalogue.hostile

    /// Every card the renderers produce: the catalogue's samples, and the digest card of a real digest.
    static func allCards(texts: TeamsTexts, digest: (main: DigestTexts, document: DigestDocument))
        -> [(String, JSONValue)]
    {
        let link = "https://debrief.example.com/digests/dg_2026-W47_leadership?sig=1797600000.q2"
        return TeamsCardCatalogue.samples(texts: texts, digest: digest.main).map { ($0.name, $0.card) } + [
            (
                "digest of a real document",
                DigestCard.main(texts: digest.main, document: digest.document, link: link, teamsTexts: texts)
            )
        ]
    }
}
