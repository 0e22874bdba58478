import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefTestSupport
import Foundation
import PropertyBased
import Testing

/// The `/reflect <text>` answer comes from a template; it must be, byte for byte, the document it was cut from.
@Suite("Slack: the quick reflection's reply template")
struct QuickStoredReplyTests {
    let prompts: PromptLibrary

    init() throws {
        prompts = try RepositoryPrompts.load()
    }

    /// Text a person might send, and worse: quotes, backslashes, controls, markup, emoji, line breaks, and
    /// lengths either side of the quote's 2,500 and the section's 3,000 limits.
    static func text(_ random: inout SeededGenerator) -> String {
        let pieces = [
            "Used AI", " to draft ", "\"quotes\"", "back\\slash", "\n", "\r\n", "\t", "\u{00}", "\u{1F}", "<b>",
            "&amp;",
            "*bold*", "é", "😀", "👩🏽‍💻", "\u{2028}", "\u{E000}", " ", "> quoted",
        ]
        let count = [0, 3, 40, 400, 700].randomElement(using: &random) ?? 3
        return (0..<count).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }

    @Test("the template's bytes are the document's, for any text and id")
    func sameBytes() async throws {
        let template = QuickStoredReply(prompts: prompts)
        let replies = SlackReplies(prompts: prompts)
        await propertyCheck(count: 500, input: Gen<UInt64>.value(in: 0...UInt64.max)) { seed in
            var random = SeededGenerator(seed: seed)
            let text = Self.text(&random)
            let id =
                Bool.random(using: &random)
                ? UUID.systemRandom().lowercaseText : Self.text(&random)
            let expected = replies.quickStored(reflectionID: id, text: text).encoded()
            let written = template.encoded(reflectionID: id, text: text)
            #expect(
                written == expected,
                "template \(String(decoding: written, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
        }
    }

    @Test("prompts that contain a marker get replies encoded from the document, still correct")
    func markerInPrompts() throws {
        var odd = prompts
        odd.replies.quickStored.details = "see \u{E000}debrief-quick-id\u{E001} twice \u{E000}debrief-quick-id\u{E001}"
        let replies = SlackReplies(prompts: odd)
        let text = "Drafted the \"spec\"\nwith AI"
        #expect(
            QuickStoredReply(prompts: odd).encoded(reflectionID: "r_1", text: text)
                == replies.quickStored(reflectionID: "r_1", text: text).encoded())
    }
}

@Suite("Slack: quoting a person's text")
struct SlackQuoteTests {
    /// The definition, for text within the limit: split into lines (on the `"\n"` character), escape each line,
    /// prefix it with `>`, join them again.
    static func lineByLine(_ text: String) -> String {
        text.trimmingWhitespace().split(separator: "\n", omittingEmptySubsequences: false)
            .map { ">" + SlackMarkup.escape(String($0)) }
            .joined(separator: "\n")
    }

    @Test("one pass gives what splitting into lines, escaping and joining gives")
    func sameAsLineByLine() async {
        await propertyCheck(count: 2_000, input: Gen<UInt64>.value(in: 0...UInt64.max)) { seed in
            var random = SeededGenerator(seed: seed)
            let text = QuickStoredReplyTests.text(&random)
            #expect(SlackReplies.quote(text, limit: 1_000_000) == Self.lineByLine(text), "\(text)")
        }
    }

    @Test("every line is quoted; a CR LF pair stays one line break")
    func examples() {
        #expect(SlackReplies.quote("a <b>\n\nc & d", limit: 100) == ">a &lt;b&gt;\n>\n>c &amp; d")
        #expect(SlackReplies.quote("one\r\ntwo", limit: 100) == ">one\r\ntwo")
        #expect(SlackReplies.quote("  \n ", limit: 100) == ">")
    }
}
