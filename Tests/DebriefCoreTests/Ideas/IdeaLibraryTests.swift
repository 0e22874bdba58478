import DebriefCore
import Foundation
import PropertyBased
import Testing

@Suite("Ideas: search terms, threshold, scrubbing")
struct IdeaLibraryTests {
    @Test(
        "topics become safe words for FTS5 and tsquery",
        arguments: [
            ("email", ["email"], #""email"*"#, "email:*"),
            ("Email  Drafts", ["email", "drafts"], #""email"* "drafts"*"#, "email:* & drafts:*"),
            (#""unbalanced"#, ["unbalanced"], #""unbalanced"*"#, "unbalanced:*"),
            (
                "NEAR(email report)", ["near", "email", "report"], #""near"* "email"* "report"*"#,
                "near:* & email:* & report:*"
            ),
            (
                "-email OR report*", ["email", "or", "report"], #""email"* "or"* "report"*"#,
                "email:* & or:* & report:*"
            ),
            ("text:email", ["text", "email"], #""text"* "email"*"#, "text:* & email:*"),
            ("a:* | !b & (c)", [], "", ""),
            ("📧 e-mail 🚀", ["mail"], #""mail"*"#, "mail:*"),
            ("Überprüfung", ["überprüfung"], #""überprüfung"*"#, "überprüfung:*"),
            ("U\u{308}berpru\u{308}fung", ["überprüfung"], #""überprüfung"*"#, "überprüfung:*"),
            ("nul\u{0}byte", ["nul", "byte"], #""nul"* "byte"*"#, "nul:* & byte:*"),
            ("GPT4 o'reilly", ["gpt4", "reilly"], #""gpt4"* "reilly"*"#, "gpt4:* & reilly:*"),
            ("KI 会议 记录", ["ki", "会议", "记录"], #""ki"* "会议"* "记录"*"#, "ki:* & 会议:* & 记录:*"),
        ])
    func terms(topic: String, words: [String], fts: String, tsquery: String) {
        let terms = IdeaSearchTerms(topic: topic)
        #expect(terms.words == words)
        #expect(terms.ftsQuery == fts)
        #expect(terms.tsQuery == tsquery)
    }

    @Test("a very long topic is cut: at most six words of at most forty characters")
    func limits() {
        let long = IdeaSearchTerms(topic: String(repeating: "abcdefghij", count: 1_000))
        #expect(long.words == [String(repeating: "abcdefghij", count: 4)])
        let many = IdeaSearchTerms(topic: (1...50).map { "word\($0)" }.joined(separator: " "))
        #expect(many.words.count == IdeaSearchTerms.maximumWords)
        #expect(IdeaSearchTerms(topic: "email email EMAIL").words == ["email"], "repeats count once")
    }

    @Test("any text gives only letters and digits, never a quote, operator or control character")
    func fuzz() async {
        let pool = Array("\"*-^:()&|!'<>{}[]\\\u{0}\u{7}\n\t NEAR AND OR NOT 📧🚀ü\u{308}é会")
        let hostile = Gen.int(in: 0...(pool.count - 1)).array(of: 0...80).map { String($0.map { pool[$0] }) }
        await propertyCheck(count: 1_000, input: Gen.latin1.string(of: 0...120)) { topic in
            Self.checkSafe(IdeaSearchTerms(topic: topic))
        }
        await propertyCheck(count: 2_000, input: hostile) { topic in
            Self.checkSafe(IdeaSearchTerms(topic: topic))
        }
    }

    static func checkSafe(_ terms: IdeaSearchTerms) {
        do {
            #expect(terms.words.count <= IdeaSearchTerms.maximumWords)
            for word in terms.words {
                #expect(word.count >= 2 && word.count <= IdeaSearchTerms.maximumWordLength)
                #expect(
                    word.unicodeScalars.allSatisfy { scalar in
                        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                            || scalar.properties.generalCategory == .nonspacingMark
                    })
            }
            #expect(terms.ftsQuery.filter { $0 == "\"" }.count == 2 * terms.words.count)
        }
    }

    @Test(
        "the library opens at k consenting people; below it, the gap is said in words, not as a count",
        arguments: [
            (0, 10, "several more colleagues"), (4, 10, "several more colleagues"), (5, 10, "a few more colleagues"),
            (8, 10, "a couple more colleagues"), (9, 10, "a couple more colleagues"),
            (2, 3, "a couple more colleagues"),
        ])
    func threshold(contributors: Int, threshold: Int, phrase: String) {
        #expect(
            IdeaLibrary.availability(contributors: contributors, quoteThreshold: threshold)
                == .needsMoreContributors(missing: phrase))
    }

    @Test("at or above k the library is open")
    func open() {
        #expect(IdeaLibrary.availability(contributors: 10, quoteThreshold: 10) == .open)
        #expect(IdeaLibrary.availability(contributors: 11, quoteThreshold: 10) == .open)
    }

    @Test("examples are scrubbed like quotes and named only when attributed")
    func scrubbing() {
        func candidate(_ id: String, _ text: String, _ consent: Consent, user: String?) -> IdeaCandidate {
            IdeaCandidate(
                id: id, week: "2026-W49", taskCategory: .communication, text: text, outcome: .savedTime,
                minutesSaved: .upTo30, consent: consent, attributedUserID: user, usefulCount: 2)
        }
        let examples = IdeaLibrary.examples(
            from: [
                candidate(
                    "a", "Asked Dana Schmidt (dana@example.com) to review my AI draft", .anonymousQuote, user: nil),
                candidate("b", "Summarised the thread for Lars with AI", .attributed, user: "U3"),
                candidate("c", "private", .aggregateOnly, user: nil),
                candidate("d", "Mia Chen", .anonymousQuote, user: nil),
                candidate("e", "Attributed but unknown", .attributed, user: "U9"),
            ],
            directoryNames: ["Dana Schmidt", "Lars Berg", "Mia Chen"],
            displayName: { ["U3": "Mia Chen"][$0] })
        #expect(examples.map(\.id) == ["a", "b", "d", "e"])
        #expect(examples[0].text == "Asked [name] ([email]) to review my AI draft" && examples[0].author == nil)
        #expect(examples[1].text == "Summarised the thread for [name] with AI" && examples[1].author == "Mia Chen")
        #expect(examples[2].text == "[name]")
        #expect(examples[3].author == nil, "a name the directory does not know is not shown")
        #expect(examples.allSatisfy { $0.week == "2026-W49" && $0.usefulCount == 2 })
    }

    @Test("ideas is a command; its topic is kept as typed")
    func command() {
        let today = (year: 2026, month: 12, day: 1)
        #expect(ReflectCommand.parse("ideas", today: today) == .ideas(""))
        #expect(ReflectCommand.parse("ideas email drafts", today: today) == .ideas("email drafts"))
        #expect(ReflectCommand.parse("IDEAS \"NEAR(*", today: today) == .ideas("\"NEAR(*"))
    }
}
