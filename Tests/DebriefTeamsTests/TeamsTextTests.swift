import DebriefCore
import DebriefTeams
import Foundation
import Testing

@Suite("Teams message text")
struct TeamsTextTests {
    private func command(_ text: String) throws -> String {
        let json = try JSONSerialization.data(withJSONObject: ["type": "message", "text": text])
        return try JSONDecoder().decode(Activity.self, from: json).commandText
    }

    @Test("rich text reads as typed: tags removed, entities decoded, the bot's mention dropped")
    func richText() throws {
        #expect(
            TeamsText.plain("<p>Used <b>Copilot</b> &amp; Claude &lt;3 &quot;fast&quot;&nbsp;ok</p>")
                == "Used Copilot & Claude <3 \"fast\" ok")
        #expect(try command("<at>Debrief</at> reflect Drafted the brief") == "reflect Drafted the brief")
        #expect(try command("<AT id=\"0\">Debrief</AT>&nbsp;mine") == "mine")
        #expect(try command("reflect plain text") == "reflect plain text")
        // Decoded once: an escaped entity stays an entity's text, as the person typed it.
        #expect(TeamsText.plain("&amp;lt;b&amp;gt;") == "&lt;b&gt;")
    }

    /// The class the fuzzer found: pieces that spell markup only once a tag between them is gone.
    @Test("pieces joined by removing a tag or mention never become a bracket, a tag or a mention")
    func joinedPieces() throws {
        #expect(TeamsText.plain("&l<b></b>t;script&g<i></i>t;") == "&lt;script&gt;")
        #expect(try command("&l<at>Debrief</at>t;at&gt;Everyone") == "&lt;at>Everyone")
        #expect(try command("<a<at>Debrief</at>t>All</at> hi") == "Debrieft>All hi")
        #expect(try command("<<at>x</at>at>y</at>") == "xat>y")
        for text in try [command("&l<at>x</at>t;"), TeamsText.plain("&l<p></p>t;")] {
            #expect(!text.contains("<"))
        }
    }

    @Test("a combining mark after < does not hide a tag; an unclosed tag runs to the end")
    func scalars() {
        #expect(TeamsText.plain("a<\u{301}b>c") == "ac")
        #expect(TeamsText.plain("A.]lb><\u{659}>t;at>x") == "A.]lb>t;at>x")
        #expect(TeamsText.plain("keep <this") == "keep ")
        #expect(TeamsText.plain("&lt;\u{301}") == "<\u{301}")
    }

    /// The old reader removed one mention at a time from the whole string (quadratic in a text of many mentions);
    /// this one reads each mention once, and a mention that never closes leaves its name as text.
    @Test("every one of many mentions is dropped; without a closing tag the names stay as text")
    func manyMentions() throws {
        #expect(try command(String(repeating: "<at>Bot</at>y", count: 30_000)) == String(repeating: "y", count: 30_000))
        #expect(try command(String(repeating: "<at>x", count: 50_000) + "</a") == String(repeating: "x", count: 50_000))
        #expect(try command("<at>x</at>a<at>y") == "ay")
    }
}
