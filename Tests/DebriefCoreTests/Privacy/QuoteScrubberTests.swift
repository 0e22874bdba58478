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

    static let colleagues = [
        "Li Wei", "Bo Ng", "Ana Kowalski", "Anna-Lena Müller", "Jan van der Berg", "Jörg Strauß", "Siobhán O'Brien",
    ]

    @Test(
        "a name split by any whitespace goes before whitespace is collapsed",
        arguments: [
            ("Thanks to Li\nWei for the idea", "Thanks to [name] for the idea"),
            ("Thanks to Li\r\nWei for the idea", "Thanks to [name] for the idea"),
            ("Thanks to Li\tWei for the idea", "Thanks to [name] for the idea"),
            ("Thanks to Li\u{00A0}Wei for the idea", "Thanks to [name] for the idea"),
            ("Thanks to Li      Wei for the idea", "Thanks to [name] for the idea"),
            ("Thanks to Bo\n\n  Ng for the idea", "Thanks to [name] for the idea"),
            ("Danke an Anna-Lena\nMüller für die Hilfe", "Danke an [name] für die Hilfe"),
            ("Gezeigt hat es Jan van der\nBerg", "Gezeigt hat es [name]"),
            ("Gezeigt hat es Jan van\nder Berg.", "Gezeigt hat es [name]."),
        ])
    func namesAcrossWhitespace(text: String, expected: String) {
        let scrubbed = QuoteScrubber.scrub(text, directoryNames: Self.colleagues)
        #expect(scrubbed == expected)
        // What a digest shows after collapsing whitespace still names nobody.
        let collapsed = scrubbed.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        for part in ["Li", "Wei", "Bo", "Ng", "Lena", "Müller", "van", "Berg"] {
            #expect(!collapsed.split(separator: " ").contains(Substring(part)))
        }
    }

    @Test(
        "short name parts go next to another part or an initial of the same name, in either order",
        arguments: [
            ("Li Wei and Wei Li paired", "[name] and [name] paired"),
            ("asked Bo Ng, then Ng, Bo again", "asked [name], then [name] again"),
            ("Ana K. hat geholfen", "[name]. hat geholfen"),
            ("A. Kowalski reviewed it", "[name] reviewed it"),
            ("Mit Anna-Lena Müller habe ich den Prompt überarbeitet", "Mit [name] habe ich den Prompt überarbeitet"),
            ("Herr van der Berg hat es in der Besprechung gezeigt", "Herr [name] hat es in der Besprechung gezeigt"),
            ("Mueller und Joerg Strauss waren dabei", "[name] und [name] waren dabei"),
            ("Muller and STRAUSS liked it", "[name] and [name] liked it"),
            ("Siobhan O'Brien wrote it", "[name] wrote it"),
            ("o'brien too", "[name] too"),
        ])
    func shortNameParts(text: String, expected: String) {
        #expect(QuoteScrubber.scrub(text, directoryNames: Self.colleagues) == expected)
    }

    @Test(
        "short parts and name particles alone are everyday words and stay",
        arguments: [
            "Li said so", "Bo wrote the draft", "Das ist der Plan für den Berg-Workshop? Nein, der von Anna.",
            "Wir haben in der Besprechung über das Thema gesprochen",
            "We met van Gogh's fans at the museum",
        ])
    func shortPartsAlone(text: String) {
        let scrubbed = QuoteScrubber.scrub(text, directoryNames: Self.colleagues)
        #expect(!scrubbed.isEmpty)
        for word in ["Li", "Bo", "der", "den", "von", "das", "van", "in"] where text.contains(word + " ") {
            #expect(scrubbed.contains(word + " "))
        }
    }

    @Test(
        "links on any top-level domain, any scheme and IP addresses go",
        arguments: [
            ("see intranet.corp/wiki/page for it", "see [link] for it"),
            ("see foo.internal/x.", "see [link]."),
            ("see bar.zz/y, then", "see [link], then"),
            ("see foo.internal:8080/x/y?z=1 now", "see [link] now"),
            ("see http://10.0.0.1/x now", "see [link] now"),
            ("see 10.0.0.1/x now", "see [link] now"),
            ("the box at 192.168.1.20 is slow", "the box at [link] is slow"),
            ("see www.example.museum today", "see [link] today"),
            ("on smb://fileserver/share/ai", "on [link]"),
            ("git clone svn+ssh://repo.lab/x", "git clone [link]"),
            ("Wiki: wiki.intranet.example-firma.gmbh/KI-Leitfaden", "Wiki: [link]"),
            // A combining mark after the scheme's slashes hides nothing.
            ("see https://\u{0301}evil.example.zz/x now", "see [link] now"),
        ])
    func links(text: String, expected: String) {
        #expect(QuoteScrubber.scrub(text, directoryNames: Self.directory) == expected)
    }

    @Test(
        "slashes and dots in ordinary writing survive",
        arguments: [
            "Rated it 3.5/5 and saved 2.5 hours", "Das spart z.B./d.h. eine Stunde",
            "Drove 120 km/h through the Q3/Q4 plan", "Version 2.1 is out",
        ])
    func ordinarySlashes(text: String) {
        #expect(QuoteScrubber.scrub(text, directoryNames: Self.directory) == text)
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

    @Test("every placeholder starts with \"[\" (the digest's readability check skips texts without one)")
    func placeholdersStartWithABracket() {
        let placeholders = [
            QuoteScrubber.namePlaceholder, QuoteScrubber.emailPlaceholder, QuoteScrubber.linkPlaceholder,
            QuoteScrubber.mentionPlaceholder, QuoteScrubber.channelPlaceholder, QuoteScrubber.idPlaceholder,
            QuoteScrubber.phonePlaceholder,
        ]
        #expect(placeholders.allSatisfy { $0.hasPrefix("[") })
        #expect(
            QuoteScrubber.scrub("mail anna@example.com or call +49 30 1234567", directoryNames: [])
                == "mail [email] or call [phone]")
    }

    @Test(
        "an address, a phone number or a link followed by a combining mark is still removed (the match ends inside a character)",
        arguments: [
            ("write to anna@example.com\u{0301} today", "write to [email]\u{0301} today"),
            ("call +49 30 1234567\u{0301} now", "call [phone]\u{0301} now"),
            ("see https://intranet.example.com/wiki\u{0308} there", "see [link] there"),
            ("\u{0301}anna@example.com", "\u{0301}[email]"),
        ])
    func matchEndingInsideACharacter(text: String, expected: String) {
        let scrubbed = QuoteScrubber.scrub(text, directoryNames: [])
        #expect(scrubbed.unicodeScalars.elementsEqual(expected.unicodeScalars), "got \(scrubbed.debugDescription)")
    }
}
