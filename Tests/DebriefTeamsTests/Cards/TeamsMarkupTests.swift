import DebriefCore
import DebriefPrompts
import DebriefTeams
import Testing

@Suite("Escaping people's text for Teams")
struct TeamsMarkupTests {
    @Test("links, mentions, emphasis and HTML in a person's text are escaped for a card")
    func cardEscaping() {
        let escaped = TeamsMarkup.escape("[Reset](https://evil.example) **now** <at>All</at> _x_ `c` # \\")
        #expect(escaped == ##"\[Reset\](https://evil.example) \*\*now\*\* \<at\>All\</at\> \_x\_ \`c\` \# \\"##)
    }

    @Test("message text gets entities for HTML, so <at> cannot mention anyone")
    func messageEscaping() {
        #expect(
            TeamsMarkup.escapeMessageText("<at>Everyone</at> & **b**")
                == "&lt;at&gt;Everyone&lt;/at&gt; &amp; \\*\\*b\\*\\*")
    }

    @Test("control and bidi-override characters are dropped; emoji with joiners survive")
    func controls() {
        #expect(TeamsMarkup.escape("a\u{0001}b\u{202E}c\nd") == "abc\nd")
        #expect(TeamsMarkup.plain("👩‍💻 ok\u{0007}") == "👩‍💻 ok")
    }

    @Test("cutting never splits a character and marks the cut")
    func truncate() {
        let text = String(repeating: "👍", count: 10)
        let cut = TeamsMarkup.truncate(text, to: 7)
        #expect(cut == "👍👍👍…")
        #expect(TeamsMarkup.truncate("short", to: 7) == "short")
    }

    @Test("the digest templates escape values with Teams' rules, and Slack-style *bold* becomes **bold**")
    func digestMarkup() {
        #expect(TeamsMarkup.markup.escape("*x* <at>") == "\\*x\\* \\<at\\>")
        #expect(TeamsMarkup.fromSlackStyle(":bulb: *From leaders:* \\*kept\\*") == "💡 **From leaders:** \\*kept\\*")
    }
}
