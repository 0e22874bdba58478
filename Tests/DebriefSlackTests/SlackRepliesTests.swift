import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefTestSupport
import Foundation
import Testing

@Suite("Ephemeral replies and the Home tab")
struct SlackRepliesTests {
    let prompts: PromptLibrary
    let replies: SlackReplies

    init() throws {
        prompts = try RepositoryPrompts.load()
        replies = SlackReplies(prompts: prompts)
    }

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
        walk(message["blocks"] ?? .null)
        return parts.joined(separator: "\n")
    }

    func expectEphemeralWithinLimits(_ message: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(message["response_type"] == "ephemeral", sourceLocation: sourceLocation)
        let fallback = message["text"]?.stringValue ?? ""
        #expect(fallback.count > 0, sourceLocation: sourceLocation)
        #expect(BlockKitLimitChecker.violations(in: message, surface: .message) == [], sourceLocation: sourceLocation)
    }

    @Test func helpListsEverySubcommand() {
        let help = replies.help()
        expectEphemeralWithinLimits(help)
        for subcommand in ["mine", "forget", "pause", "resume", "stop", "help"] {
            #expect(allText(help).contains("/reflect \(subcommand)"), "help does not mention \(subcommand)")
        }
    }

    @Test func helpWithAProblemExplainsItFirstAndEscapesWhatWasTyped() {
        let message = replies.help(problem: .pauseNeedsLength(given: "<!channel> forever"))
        expectEphemeralWithinLimits(message)
        let first = message["blocks"]?[0]?["text"]?["text"]?.stringValue ?? ""
        #expect(first.contains("&lt;!channel&gt; forever"))
        #expect(!allText(message).contains("<!channel>"))
        #expect(allText(message).contains("/reflect mine"))
    }

    @Test func everyCommandProblemHasAMessage() {
        let problems: [ReflectCommandProblem] = [
            .pauseNeedsLength(given: ""), .pauseNeedsLength(given: "a while"), .pauseTooLong(maximumDays: 365),
            .dateInPast("2020-01-01"), .unexpectedArgument(subcommand: "mine", given: "please"),
            .invalidDate(given: "2026-02-30", problem: "must be a date like 2026-11-20 (YYYY-MM-DD): no."),
        ]
        for problem in problems {
            let text = prompts.message(for: problem)
            #expect(!text.isEmpty)
            #expect(!text.contains("{"), "unfilled placeholder in \(text)")
        }
        #expect(prompts.message(for: .pauseTooLong(maximumDays: 365)).contains("365"))
        #expect(prompts.message(for: .pauseNeedsLength(given: "")) == prompts.commandProblems.pauseMissingLength)
    }

    @Test func anImpossiblePauseDateIsExplainedWithWhatWasTypedEscaped() throws {
        let problem = try #require(
            {
                if case .invalid(let problem) = ReflectCommand.parse("pause until <2026-02-30>", today: (2026, 1, 1)) {
                    return problem
                }
                return nil
            }())
        let message = replies.help(problem: problem)
        expectEphemeralWithinLimits(message)
        let first = message["blocks"]?[0]?["text"]?["text"]?.stringValue ?? ""
        #expect(
            first == "The date after `until` must be a date like 2026-11-20 (YYYY-MM-DD): `&lt;2026-02-30&gt;` is not "
                + "written that way. For example: `/reflect pause until 2030-01-31`.")
        #expect(!allText(message).contains("<2026"))
    }

    @Test func quickStoredQuotesTheTextAndOffersDetails() {
        let message = replies.quickStored(reflectionID: "r_42", text: "Used AI for <b>SQL</b> & tests\nsecond line")
        expectEphemeralWithinLimits(message)
        let text = allText(message)
        #expect(text.contains(">Used AI for &lt;b&gt;SQL&lt;/b&gt; &amp; tests\n>second line"))
        let button = message["blocks"]?.arrayValue?.last?["elements"]?[0]
        #expect(button?["action_id"]?.stringValue == SlackActionID.addDetails)
        #expect(button?["value"] == "r_42")
        #expect(button?["text"]?["text"]?.stringValue == prompts.replies.quickStored.addDetailsButton)
    }

    @Test func quickStoredWithAVeryLongTextStaysWithinLimits() {
        expectEphemeralWithinLimits(
            replies.quickStored(reflectionID: "r_1", text: String(repeating: "word ", count: 2000)))
    }

    @Test func mineShowsSummaryAndDataAsCode() {
        let export: JSONValue = [
            "reflections": [["id": "r_1", "text": "Drafted a <spec>", "consent": "aggregate_only"]],
            "preferences": ["stopped": false],
        ]
        let message = replies.mine(export: export, summaryLines: ["2030-01-02: Drafted a <spec>"])
        expectEphemeralWithinLimits(message)
        let text = allText(message)
        #expect(text.contains("Drafted a &lt;spec&gt;"))
        #expect(text.contains("```"))
        #expect(text.contains("\"reflections\""))
        #expect(!text.contains(prompts.replies.mine.truncated))
    }

    @Test func mineWithNothingStoredSaysSo() {
        let message = replies.mine(export: ["reflections": []], summaryLines: [])
        expectEphemeralWithinLimits(message)
        #expect(allText(message).contains(prompts.replies.mine.empty))
    }

    @Test func mineWithHugeExportIsCutWithANote() {
        let many = (0..<400).map { index -> JSONValue in
            ["id": .string("r_\(index)"), "text": .string(String(repeating: "long reflection text ", count: 10))]
        }
        let lines = (0..<400).map { "Reflection \($0): " + String(repeating: "x", count: 60) }
        let message = replies.mine(export: ["reflections": .array(many)], summaryLines: lines)
        expectEphemeralWithinLimits(message)
        #expect(allText(message).contains(prompts.replies.mine.truncated))
    }

    @Test func forgetConfirmationHasDangerAndCancel() {
        let message = replies.forgetConfirmation()
        expectEphemeralWithinLimits(message)
        let buttons = message["blocks"]?.arrayValue?.last?["elements"]?.arrayValue ?? []
        #expect(buttons.count == 2)
        #expect(buttons.first?["action_id"]?.stringValue == SlackActionID.forgetConfirm)
        #expect(buttons.first?["style"] == "danger")
        #expect(buttons.last?["action_id"]?.stringValue == SlackActionID.forgetCancel)
    }

    @Test func simpleReplies() {
        let paused = replies.paused(until: "2030-01-31")
        #expect(allText(paused).contains("2030-01-31"))
        let notConfigured = replies.notConfigured(sentence: "This workspace is not connected.")
        #expect(allText(notConfigured).contains("This workspace is not connected."))
        for message in [
            paused, notConfigured, replies.resumed(), replies.stopped(), replies.forgotten(), replies.forgetCancelled(),
            replies.somethingWentWrong(),
        ] {
            expectEphemeralWithinLimits(message)
            #expect(!allText(message).contains("{"))
        }
        #expect(allText(replies.somethingWentWrong()).localizedCaseInsensitiveContains("try again"))
    }

    @Test func forgetAnswersReplaceTheConfirmation() {
        #expect(replies.forgotten()["replace_original"] == true)
        #expect(replies.forgetCancelled()["replace_original"] == true)
        #expect(replies.forgetConfirmation()["replace_original"] == nil)
    }

    @Test func replacingOriginal() {
        let message = SlackReplies.replacingOriginal(replies.resumed())
        #expect(message["replace_original"] == true)
        #expect(message["response_type"] == "ephemeral")
        #expect(SlackReplies.deleteOriginal == ["delete_original": true])
    }

    @Test func homeTabExplainsPrivacyWithinLimits() {
        let home = HomeTab.view(prompts: prompts)
        #expect(BlockKitLimitChecker.violations(in: home, surface: .home) == [])
        let text = allText(home).lowercased()
        for phrase in ["pseudonym", "/reflect mine", "/reflect forget", "totals"] {
            #expect(text.contains(phrase), "home tab does not mention \(phrase)")
        }
        let button = home["blocks"]?.arrayValue?.first { $0["type"] == "actions" }?["elements"]?[0]
        #expect(button?["action_id"]?.stringValue == SlackActionID.openForm)
        let withoutButton = HomeTab.view(prompts: prompts, includeStartButton: false)
        #expect(withoutButton["blocks"]?.arrayValue?.contains { $0["type"] == "actions" } == false)
    }
}
