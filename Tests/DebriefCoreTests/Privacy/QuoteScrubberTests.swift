import DebriefCore
import Testing

@Suite("Scrubbing quotes")
struct QuoteScrubberTests {
    static let directory = ["Anna Schmidt", "José García", "Li Wei", "Jean-Luc Picard", "Bo Ek"]

    @Test(
        "identifying details become placeholders",
        arguments: [
            ("Asked anna.schmidt+ai@example.co.uk for the prompt", "Asked [email] for the prompt"),
            ("thanks <@U024BE7LH> for the idea", "thanks [mention] for the idea"),
            ("with <@U123|anna> in <#C123|general>", "with [mention] in [channel]"),
            ("told <!subteam^S1|@platform-team> and <!here>", "told [mention] and [mention]"),
            ("@anna.s showed me", "[mention] showed me"),
            ("user U0123ABC4 posted in C0456DEF7 and W0ABCDEF1", "user [id] posted in [id] and [id]"),
            ("see https://wiki.example.com/ai?x=1.", "see [link]."),
            ("see <https://wiki.example.com/ai|the wiki>", "see [link]"),
            ("at www.example.org or docs.example.io/page", "at [link] or [link]"),
            ("call me on +49 30 1234567", "call me on [phone]"),
            ("or +1 (555) 123-4567 today", "or [phone] today"),
            ("or 555-123-4567", "or [phone]"),
            ("or 030 1234567", "or [phone]"),
            ("or 0170/1234567", "or [phone]"),
            ("or 0044 20 7946 0958", "or [phone]"),
            // Two numbers written together (16+ digits) are removed too, not let through.
            ("ring 030/1234567 0170/7654321 later", "ring [phone] later"),
        ])
    func placeholders(text: String, expected: String) {
        #expect(QuoteScrubber.scrub(text, directoryNames: Self.directory) == expected)
    }

    @Test(
        "directory names: full name or any part of three letters, whole words, any case or accent",
        arguments: [
            ("Anna Schmidt and I rewrote it", "[name] and I rewrote it"),
            ("schmidt liked it, ANNA too", "[name] liked it, [name] too"),
            ("Anna's draft", "[name]'s draft"),
            ("Annabelle and Schmidtke are not in the directory", "Annabelle and Schmidtke are not in the directory"),
            ("Jose Garcia reviewed", "[name] reviewed"),
            ("josé helped", "[name] helped"),
            ("Li Wei and Wei", "[name] and [name]"),
            ("Li said so", "Li said so"),
            ("Jean-Luc Picard approved; Jean Luc too", "[name] approved; [name] too"),
            ("Bo Ek", "[name]"),
        ])
    func names(text: String, expected: String) {
        #expect(QuoteScrubber.scrub(text, directoryNames: Self.directory) == expected)
    }

    @Test(
        "ordinary numbers and words survive",
        arguments: [
            "Saved 30 minutes on 3 reports, about 2 hours a week",
            "Drafted the Q3 summary in 45 min instead of 120",
            "Used it for SQL and CSV cleanup",
            "The C4 model diagram took 15–30 minutes",
        ])
    func untouched(text: String) {
        #expect(QuoteScrubber.scrub(text, directoryNames: Self.directory) == text)
    }

    @Test("a name that spells a placeholder word does not break placeholders")
    func placeholderWords() {
        #expect(QuoteScrubber.scrub("Link: https://x.example.com", directoryNames: ["Link Name"]) == "[name]: [link]")
    }

    @Test("odd Unicode never crashes and is still scrubbed")
    func unicode() {
        let odd = [
            "👩‍💻 @anna wrote it 🇩🇪", "\u{0301}Anna\u{0301} Schmidt", "مرحبا Anna Schmidt שלום",
            "\u{E000}\u{E001} sentinel", "", "   ", "a\u{200D}b\u{FE0F}", String(repeating: "𝔘", count: 500),
            "Ａｎｎａ full-width",
        ]
        for text in odd {
            let scrubbed = QuoteScrubber.scrub(text, directoryNames: Self.directory)
            #expect(!scrubbed.contains("@anna"))
            #expect(!scrubbed.unicodeScalars.contains { (0xE000...0xE006).contains($0.value) })
        }
        #expect(QuoteScrubber.scrub("مرحبا Anna Schmidt שלום", directoryNames: Self.directory) == "مرحبا [name] שלום")

        var generator = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 0...60, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x2_FFFF, using: &generator))
            }
            var text = String(String.UnicodeScalarView(scalars))
            text += " Anna Schmidt <@U1> +49 30 1234567"
            let scrubbed = QuoteScrubber.scrub(text, directoryNames: Self.directory)
            #expect(!scrubbed.contains("Schmidt") && !scrubbed.contains("1234567") && !scrubbed.contains("<@U1>"))
        }
    }
}
