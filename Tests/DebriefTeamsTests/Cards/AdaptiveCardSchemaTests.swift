import DebriefCore
import DebriefDigestSamples
import DebriefPrompts
import DebriefTeams
import DebriefTestSupport
import Foundation
import Testing

@Suite("Adaptive Cards 1.5 schema")
struct AdaptiveCardSchemaTests {
    let validator: AdaptiveCardSchemaValidator
    let texts: TeamsTexts

    init() throws {
        validator = try TeamsCardsFixture.validator()
        texts = try TeamsCardsFixture.texts()
    }

    func digest() throws -> (main: DigestTexts, document: DigestDocument) {
        let templates = try DigestTemplates.load(from: RepositoryPrompts.directory, markup: TeamsMarkup.markup)
        let document = DigestSamples.leadership
        return (templates.render(document, link: "https://d.example/1"), document)
    }

    @Test("every card Debrief sends in Teams validates against the official 1.5 schema and fits the size budget")
    func everyCardValidates() throws {
        let rendered = try digest()
        let cards = TeamsCardsFixture.allCards(texts: texts, digest: rendered)
        #expect(cards.count >= 45)
        for (name, card) in cards {
            #expect(validator.validate(card) == [], "\(name)")
        }
        #expect(TeamsCardCatalogue.problems(texts: texts, validator: validator, digest: rendered.main) == [])
    }

    @Test("the catalogue check reports a card that grew over the size budget and names it")
    func catalogueReportsSize() throws {
        var long = texts
        long.form.modal.intro = String(repeating: "A very long introduction. ", count: 600)
        let problems = TeamsCardCatalogue.problems(texts: long, validator: validator)
        #expect(problems.contains { $0.hasPrefix("Teams card \"form, longest answers\" is ") })
    }

    @Test("every card stays within the size budget at the longest inputs the renderers take")
    func cardSizes() throws {
        let longest = String(repeating: "語\"", count: 5_000)
        let ids = String(repeating: "i", count: TeamsCardAction.maximumIDLength)
        let draft = ReflectionDraft(
            text: longest, taskCategory: "drafting", tool: longest, outcome: "worse", minutesSaved: "120+",
            confidence: "0", blockers: Blocker.allCases.map(\.rawValue), consent: "attributed")
        guard case .failure(let errors) = draft.validate() else {
            Issue.record("the draft should not validate")
            return
        }
        let huge = DigestTexts(
            main: String(repeating: "*Headline* " + longest + "\n", count: 4),
            details: String(repeating: "*Section*\n• " + longest + "\n\n", count: 40))
        let replies = TeamsReplies(texts: texts)
        let cards: [(String, JSONValue)] = [
            (
                "form",
                ReflectionFormCard.card(texts: texts, prefill: draft, errors: errors, nudgeID: ids, reflectionID: ids)
            ),
            (
                "nudge",
                NudgeCard.card(
                    text: longest, trainingTitle: longest, nudgeID: ids, texts: texts.nudgeTexts(locale: nil))
            ),
            ("quick", replies.quickStored(reflectionID: ids, text: longest)),
            (
                "mine",
                replies.mine(
                    export: .array(Array(repeating: .string(longest), count: 50)),
                    summaryLines: Array(repeating: longest, count: 50))
            ),
            (
                "privacy",
                replies.privacyReceipt(
                    week: "2026-W47", team: longest, anonymityThreshold: 5, texts: huge, note: longest)
            ),
            (
                "digest",
                DigestCard.main(
                    texts: huge, document: DigestSamples.leadership, link: "https://d.example/1", teamsTexts: texts)
            ),
            ("details", DigestCard.details(texts: huge, teamsTexts: texts)),
            ("admin", replies.adminHelp(problem: longest)),
            ("lines", replies.lines(Array(repeating: longest, count: 20))),
        ]
        for (name, card) in cards {
            let size = AdaptiveCard.encodedSize(card)
            #expect(size <= AdaptiveCard.sizeBudget, "\(name) is \(size) bytes")
            #expect(validator.validate(card) == [], "\(name)")
        }
    }

    @Test("an unknown property, an unknown element type and a wrong value are each reported with their path")
    func rejections() {
        let unknownProperty: JSONValue = [
            "type": "AdaptiveCard", "version": "1.5", "body": [["type": "TextBlock", "text": "x", "colour": "red"]],
        ]
        #expect(validator.validate(unknownProperty).map(\.path) == ["/body/0/colour"])
        let unknownElement: JSONValue = [
            "type": "AdaptiveCard", "version": "1.5", "body": [["type": "Marquee", "text": "x"]],
        ]
        let found = validator.validate(unknownElement)
        #expect(found.count == 1)
        #expect(found.first?.path == "/body/0/type")
        #expect(found.first?.message.contains("TextBlock") == true)
        let wrongValue: JSONValue = [
            "type": "AdaptiveCard", "version": "1.5",
            "actions": [["type": "Action.Execute", "title": "Go", "mode": "sideways"]],
        ]
        #expect(validator.validate(wrongValue).map(\.path) == ["/actions/0/mode"])
        let missingText: JSONValue = ["type": "AdaptiveCard", "version": "1.5", "body": [["type": "TextBlock"]]]
        #expect(validator.validate(missingText).map(\.path) == ["/body/0/text"])
    }

    @Test("Teams' msteams extension is allowed at the root only through the allow-list, and only with known keys")
    func teamsExtension() {
        let card: JSONValue = ["type": "AdaptiveCard", "version": "1.5", "body": [], "msteams": ["width": "Full"]]
        #expect(validator.validate(card) == [])
        let unknownKey: JSONValue = ["type": "AdaptiveCard", "version": "1.5", "msteams": ["colour": "red"]]
        #expect(validator.validate(unknownKey).map(\.path) == ["/msteams/colour"])
        let nested: JSONValue = [
            "type": "AdaptiveCard", "version": "1.5", "body": [["type": "TextBlock", "text": "x", "msteams": [:]]],
        ]
        #expect(validator.validate(nested).map(\.path) == ["/body/0/msteams"])
    }

    @Test("a card without a version, or above 1.5, is refused: Teams does not render it")
    func versions() {
        #expect(validator.validate(["type": "AdaptiveCard"]).map(\.path) == ["/version"])
        #expect(validator.validate(["type": "AdaptiveCard", "version": "1.6"]).map(\.path) == ["/version"])
    }

    @Test("the validator agrees with python-jsonschema on the schema's own 1.5 samples")
    func officialSamples() throws {
        // Valid under Draft6Validator of python-jsonschema 4.26.
        for name in ["ActivityUpdate", "CalendarReminder", "Action.Execute.Mode"] {
            let card = try JSONValue.decode(
                Data(contentsOf: TeamsCardsFixture.fixture("adaptive-card-1.5/samples/\(name).json")))
            #expect(validator.validate(card) == [], "\(name)")
        }
        // The Table sample spells `firstRowAsHeaders`, the schema `firstRowAsHeader`: python-jsonschema rejects it too.
        let table = try JSONValue.decode(
            Data(contentsOf: TeamsCardsFixture.fixture("adaptive-card-1.5/samples/Table.json")))
        #expect(validator.validate(table).map(\.path) == ["/body/0/firstRowAsHeaders", "/body/1/firstRowAsHeaders"])
        let expense = try JSONValue.decode(
            Data(contentsOf: TeamsCardsFixture.fixture("adaptive-card-1.5/samples/ExpenseReport.json")))
        #expect(!validator.validate(expense).isEmpty)
    }

    @Test("a schema with a keyword the validator does not check is refused rather than checked in part")
    func unsupportedKeyword() {
        let schema = Data(
            ##"{"definitions":{"X":{"oneOf":[{"type":"string"}]}},"anyOf":[{"$ref":"#/definitions/X"}]}"##.utf8)
        #expect(throws: AdaptiveCardSchemaError.unsupportedKeyword("oneOf", at: "#/definitions/X")) {
            try AdaptiveCardSchemaValidator(schema: schema)
        }
    }
}
