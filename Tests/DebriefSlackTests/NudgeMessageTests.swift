import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefTestSupport
import Foundation
import Testing

@Suite("Nudge direct message")
struct NudgeMessageTests {
    let library: NudgeLibrary
    let english: NudgeMessageTexts
    let question: String

    init() throws {
        library = try NudgeLibrary.load(from: RepositoryPrompts.directory)
        english = library.messageTexts(locale: "en")
        question = try library.text(
            sequence: "default", stage: "d3", locale: "en", pseudonym: "p-0001", trainingTitle: "Prompting for briefs",
            daysSince: 3, kind: .primary)
    }

    func blocks(_ message: JSONValue) -> [JSONValue] { message["blocks"]?.arrayValue ?? [] }

    func allText(_ message: JSONValue) -> String {
        var parts: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .string(let text): parts.append(text)
            case .array(let items): items.forEach(walk)
            case .object(let object):
                for key in object.keys.sorted() { if let v = object[key] { walk(v) } }
            default: break
            }
        }
        walk(message)
        return parts.joined(separator: "\n")
    }

    func expectPostable(_ message: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let fallback = message["text"]?.stringValue ?? ""
        #expect(!fallback.isEmpty, "no notification fallback text", sourceLocation: sourceLocation)
        #expect(message["response_type"] == nil, "a DM is not an ephemeral reply", sourceLocation: sourceLocation)
        #expect(BlockKitLimitChecker.violations(in: message, surface: .message) == [], sourceLocation: sourceLocation)
    }

    func hasButtons(_ message: JSONValue) -> Bool {
        blocks(message).contains { block in
            block["type"] == "actions"
                || (block["elements"]?.arrayValue ?? []).contains { $0["type"] == "button" }
                || block["accessory"] != nil
        }
    }

    @Test func nudgeHasTheQuestionAPrivacyLineAndThreeButtons() throws {
        let message = NudgeMessage.message(
            text: question, trainingTitle: "Prompting for briefs", nudgeID: "n_7f3a", texts: english)
        expectPostable(message)
        #expect(message["text"]?.stringValue == question)
        let blocks = blocks(message)
        #expect(blocks.map { $0["type"]?.stringValue } == ["section", "context", "actions"])
        #expect(blocks[0]["text"]?["text"]?.stringValue == question)
        #expect(blocks[0]["text"]?["type"] == "mrkdwn")
        #expect(blocks[1]["elements"]?[0]?["text"]?.stringValue == english.context)
        #expect(english.context.hasPrefix("About a minute."))

        let actions = blocks[2]
        #expect(actions["block_id"]?.stringValue == NudgeBlockID.actions)
        let buttons = try #require(actions["elements"]?.arrayValue)
        #expect(
            buttons.map { $0["action_id"]?.stringValue } == [
                NudgeActionID.reflect, NudgeActionID.snooze, NudgeActionID.skip,
            ])
        #expect(buttons.map { $0["value"]?.stringValue } == ["n_7f3a", "n_7f3a", "n_7f3a"])
        #expect(
            buttons.map { $0["text"]?["text"]?.stringValue } == ["Reflect (1 min)", "Snooze 1 day", "Not this one"])
        #expect(buttons.map { $0["style"]?.stringValue } == ["primary", nil, nil])
        #expect(buttons.allSatisfy { $0["type"] == "button" && $0["text"]?["type"] == "plain_text" })
    }

    @Test func actionIDsAreDistinctFromTheOtherButtons() {
        #expect(NudgeActionID.all.count == 3)
        #expect(NudgeActionID.all.isDisjoint(with: SlackActionID.all))
    }

    @Test func germanTextsComeFromTheGermanSection() throws {
        let german = library.messageTexts(locale: "de-DE")
        let text = try library.text(
            sequence: "default", stage: "d1", locale: "de-DE", pseudonym: "p", trainingTitle: "Prompts", daysSince: 1,
            kind: .primary)
        let message = NudgeMessage.message(text: text, trainingTitle: "Prompts", nudgeID: "n1", texts: german)
        expectPostable(message)
        let labels = blocks(message).last?["elements"]?.arrayValue?.compactMap { $0["text"]?["text"]?.stringValue }
        #expect(labels == ["Reflektieren (1 Min.)", "Einen Tag später", "Diesmal nicht"])
    }

    @Test func trainingTitlesAreEscapedForMrkdwn() throws {
        let title = "R&D <!channel> <https://evil.example|click> > basics"
        let text = try library.text(
            sequence: "default", stage: "d1", locale: "en", pseudonym: "p-0001", trainingTitle: title, daysSince: 1,
            kind: .primary)
        let texts = NudgeMessageTexts(
            reflectButton: "Reflect", snoozeButton: "Snooze", skipButton: "Skip",
            context: "About “{training_title}”",
            thanked: "Thanks for {training_title}", snoozed: "Snoozed {training_title}",
            skipped: "Skipped {training_title}")
        let escaped = "R&amp;D &lt;!channel&gt; &lt;https://evil.example|click&gt; &gt; basics"
        let payloads = [
            NudgeMessage.message(text: text, trainingTitle: title, nudgeID: "n1", texts: texts),
            NudgeMessage.thanked(trainingTitle: title, texts: texts),
            NudgeMessage.snoozed(text: text, trainingTitle: title, texts: texts),
            NudgeMessage.skipped(text: text, trainingTitle: title, texts: texts),
        ]
        for payload in payloads {
            expectPostable(payload)
            let all = allText(payload)
            #expect(all.contains(escaped))
            #expect(!all.contains("<!channel>"))
            #expect(!all.contains("<https://"))
        }
        #expect(blocks(payloads[0])[1]["elements"]?[0]?["text"]?.stringValue == "About “\(escaped)”")
    }

    @Test func aHugeTitleStaysWithinSlackLimits() throws {
        let title = String(repeating: "Very long training title & more ", count: 300)
        let text = try library.text(
            sequence: "default", stage: "d21", locale: "en", pseudonym: "p", trainingTitle: title, daysSince: 22,
            kind: .primary)
        let nudgeID = String(repeating: "n", count: 64)
        for payload in [
            NudgeMessage.message(text: text, trainingTitle: title, nudgeID: nudgeID, texts: english),
            NudgeMessage.thanked(trainingTitle: title, texts: english),
            NudgeMessage.snoozed(text: text, trainingTitle: title, texts: english),
            NudgeMessage.skipped(text: text, trainingTitle: title, texts: english),
        ] {
            expectPostable(payload)
            #expect((payload["text"]?.stringValue?.utf16.count ?? 0) <= 3000)
        }
    }

    @Test func thanksReplacesTheWholeNudgeWithoutButtons() {
        let message = NudgeMessage.thanked(trainingTitle: "Prompting for briefs", texts: english)
        expectPostable(message)
        #expect(!hasButtons(message))
        #expect(blocks(message).count == 1)
        let thanks = blocks(message).first?["text"]?["text"]?.stringValue ?? ""
        #expect(thanks.hasPrefix("Thanks for taking a minute to reflect on “Prompting for briefs”."))
        #expect(message["text"]?.stringValue == thanks)
    }

    @Test func snoozeAndSkipKeepTheQuestionAndReplaceTheButtons() {
        let snoozed = NudgeMessage.snoozed(text: question, trainingTitle: "Prompting for briefs", texts: english)
        let skipped = NudgeMessage.skipped(text: question, trainingTitle: "Prompting for briefs", texts: english)
        for (payload, note) in [(snoozed, english.snoozed), (skipped, english.skipped)] {
            expectPostable(payload)
            #expect(!hasButtons(payload))
            #expect(blocks(payload).map { $0["type"]?.stringValue } == ["section", "context"])
            #expect(blocks(payload).first?["text"]?["text"]?.stringValue == question)
            #expect(blocks(payload).last?["elements"]?[0]?["text"]?.stringValue == note)
            #expect(payload["text"]?.stringValue == note)
        }
        #expect(english.snoozed.hasPrefix("Snoozed."))
        #expect(english.skipped.hasPrefix("No problem"))
    }
}
