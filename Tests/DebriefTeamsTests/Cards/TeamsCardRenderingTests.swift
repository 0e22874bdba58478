import DebriefCore
import DebriefDigestSamples
import DebriefPrompts
import DebriefTeams
import DebriefTestSupport
import Foundation
import Testing

@Suite("Teams cards")
struct TeamsCardRenderingTests {
    let texts: TeamsTexts

    init() throws {
        texts = try TeamsCardsFixture.texts()
    }

    func body(_ card: JSONValue) -> [JSONValue] { card["body"]?.arrayValue ?? [] }
    func actions(_ card: JSONValue) -> [JSONValue] { card["actions"]?.arrayValue ?? [] }
    func inputs(_ card: JSONValue) -> [JSONValue] {
        body(card).filter { $0["type"]?.stringValue?.hasPrefix("Input.") == true }
    }
    func input(_ card: JSONValue, _ field: ReflectionFormField) -> JSONValue? {
        inputs(card).first { $0["id"]?.stringValue == field.rawValue }
    }
    func plainText(_ element: JSONValue?) -> String? { element?["inlines"]?[0]?["text"]?.stringValue }

    // MARK: - Nudge

    @Test(
        "a nudge card asks the question and offers Reflect / Snooze / Not this one as Action.Execute with a Submit fallback"
    )
    func nudge() throws {
        let card = NudgeCard.card(
            text: "What did you try since “Prompting 101”?", trainingTitle: "Prompting 101", nudgeID: "nudge_42",
            texts: texts.nudgeTexts(locale: "en"))
        #expect(card["version"] == "1.5")
        #expect(card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json")
        #expect(plainText(body(card).first) == "What did you try since “Prompting 101”?")
        let buttons = actions(card)
        #expect(buttons.map { $0["title"]?.stringValue } == ["Reflect (1 min)", "Snooze 1 day", "Not this one"])
        #expect(buttons.map { $0["verb"]?.stringValue } == ["nudge.reflect", "nudge.snooze", "nudge.skip"])
        for button in buttons {
            #expect(button["type"] == "Action.Execute")
            #expect(button["data"]?["nudge_id"] == "nudge_42")
            let fallback = try #require(button["fallback"])
            #expect(fallback["type"] == "Action.Submit")
            #expect(fallback["data"] == button["data"])
            #expect(fallback["data"]?["debrief_verb"] == button["verb"])
        }
    }

    @Test("a hostile training title cannot link, mention or format in a nudge")
    func nudgeTitleEscaped() {
        let title = "[Reset your password](https://evil.example) <at>Everyone</at> **urgent**"
        let card = NudgeCard.card(
            text: "How did " + title + " go?", trainingTitle: title, nudgeID: "n", texts: texts.nudgeTexts(locale: nil))
        // The question is a TextRun: never parsed as Markdown, shown as typed.
        #expect(body(card)[0]["type"] == "RichTextBlock")
        #expect(plainText(body(card)[0]) == "How did " + title + " go?")
        let thanked = NudgeCard.thanked(trainingTitle: title, texts: texts.nudgeTexts(locale: nil))
        let line = body(thanked)[0]["text"]?.stringValue ?? ""
        #expect(line.contains(#"“\[Reset your password\](https://evil.example) \<at\>Everyone\</at\> \*\*urgent\*\*”"#))
        #expect(actions(thanked).isEmpty)
    }

    @Test("answered nudges keep the question and lose the buttons")
    func answered() {
        let nudge = texts.nudgeTexts(locale: "de")
        let snoozed = NudgeCard.snoozed(text: "Frage?", trainingTitle: "T", texts: nudge)
        #expect(plainText(body(snoozed)[0]) == "Frage?")
        #expect(body(snoozed)[1]["text"]?.stringValue == nudge.snoozed)
        #expect(snoozed["actions"] == nil)
        #expect(NudgeCard.skipped(text: "Frage?", trainingTitle: "T", texts: nudge)["actions"] == nil)
        // An invoke handler that no longer has the question shows the confirmation alone, not an empty line.
        let alone = NudgeCard.snoozed(text: "", trainingTitle: "T", texts: nudge)
        #expect(body(alone).count == 1)
        #expect(body(alone)[0]["text"]?.stringValue == nudge.snoozed)
    }

    // MARK: - Form

    @Test("the form has the Slack modal's fields in order, with its limits, required answers and choices")
    func formFields() throws {
        let card = ReflectionFormCard.card(texts: texts)
        #expect(inputs(card).map { $0["id"]?.stringValue } == ReflectionFormField.allCases.map(\.rawValue))
        let text = try #require(input(card, .text))
        #expect(text["maxLength"]?.numberValue == Double(ReflectionDraft.maximumTextLength))
        #expect(text["isMultiline"] == true)
        #expect(text["isRequired"] == true)
        #expect(text["errorMessage"] == "Please fill this in.")
        #expect(text["label"] == "What did you use AI for?")
        #expect(input(card, .tool)?["maxLength"]?.numberValue == Double(ReflectionDraft.maximumToolLength))
        #expect(input(card, .tool)?["isRequired"] == nil)
        #expect(input(card, .taskCategory)?["choices"]?.arrayValue?.count == TaskCategory.allCases.count)
        #expect(input(card, .blockers)?["isMultiSelect"] == true)
        let consent = try #require(input(card, .consent))
        #expect(consent["isRequired"] == true)
        #expect(consent["value"] == "aggregate_only")
        let choices = consent["choices"]?.arrayValue ?? []
        #expect(choices.map { $0["value"]?.stringValue } == Consent.allCases.map(\.rawValue))
        #expect(
            choices.first?["title"] == "No, only count it in the totals — Your words are never shown to anyone else.")
        let save = try #require(actions(card).first)
        #expect(save["verb"] == "reflection.submit")
        #expect(save["fallback"]?["type"] == "Action.Submit")
        #expect(card["msteams"]?["width"] == "Full")
    }

    @Test("the form is prefilled from a draft; values that are not choices are dropped")
    func formPrefill() {
        let draft = ReflectionDraft(
            text: "Used Copilot for the minutes", taskCategory: "hacking", tool: "Copilot", outcome: "saved_time",
            minutesSaved: "16-30", confidence: "4", blockers: ["no_time", "bogus", "policy_unclear"],
            consent: "anonymous_quote")
        let card = ReflectionFormCard.card(texts: texts, prefill: draft, nudgeID: "n_1", reflectionID: "r_9")
        #expect(input(card, .text)?["value"] == "Used Copilot for the minutes")
        #expect(input(card, .taskCategory)?["value"] == nil)
        #expect(input(card, .tool)?["value"] == "Copilot")
        #expect(input(card, .outcome)?["value"] == "saved_time")
        #expect(input(card, .minutesSaved)?["value"] == "16-30")
        #expect(input(card, .confidence)?["value"] == "4")
        #expect(input(card, .blockers)?["value"] == "policy_unclear,no_time")
        #expect(input(card, .consent)?["value"] == "anonymous_quote")
        #expect(actions(card).first?["data"]?["nudge_id"] == "n_1")
        #expect(actions(card).first?["data"]?["reflection_id"] == "r_9")
    }

    @Test("what the form sends back decodes to the draft it was prefilled with")
    func formRoundTrip() throws {
        let draft = ReflectionDraft(
            text: "Drafted the brief **fast** <at>x</at>", taskCategory: "drafting", tool: "Claude",
            outcome: "better_quality", minutesSaved: "31-60", confidence: "5", blockers: ["skills", "no_access"],
            consent: "attributed")
        let card = ReflectionFormCard.card(texts: texts, prefill: draft, nudgeID: "n_1")
        var value = try #require(actions(card).first?["fallback"]?["data"]?.objectValue)
        for input in inputs(card) {
            if let id = input["id"]?.stringValue { value[id] = input["value"] ?? "" }
        }
        let action = TeamsCardAction.decode(submitValue: .object(value))
        var expected = draft
        expected.blockers = ["no_access", "skills"]
        #expect(action == .success(.submitReflection(expected, nudgeID: "n_1", replacingReflectionID: nil)))
    }

    @Test("a form that failed validation comes back with each problem under its field and a summary")
    func formErrors() throws {
        let draft = ReflectionDraft(text: "ok", outcome: "worse", minutesSaved: "31-60")
        guard case .failure(let errors) = draft.validate() else {
            Issue.record("the draft should not validate")
            return
        }
        let card = ReflectionFormCard.card(texts: texts, prefill: draft, errors: errors)
        let blocks = body(card)
        #expect(blocks.contains { $0["text"] == .string(texts.form.errorSummary) && $0["color"] == "Attention" })
        let textIndex = try #require(blocks.firstIndex { $0["id"] == "text" })
        #expect(blocks[textIndex + 1]["text"] == "Please write at least 3 characters.")
        #expect(blocks[textIndex + 1]["color"] == "Attention")
        let minutesIndex = try #require(blocks.firstIndex { $0["id"] == "minutes_saved" })
        #expect(blocks[minutesIndex + 1]["text"]?.stringValue?.contains("\"How did it go?\"") == true)
        #expect(input(card, .text)?["value"] == "ok")
        let stored = ReflectionFormCard.card(texts: texts, prefill: draft, storageFailed: true)
        #expect(body(stored).contains { $0["text"] == .string(texts.form.validation.storageFailed) })
    }

    // MARK: - Replies

    @Test("a quick reflection is quoted as typed and offers Add details with the reflection id")
    func quickStored() throws {
        let text = "Used **Copilot** on [the deck](https://evil.example) <at>Everyone</at>"
        let card = TeamsReplies(texts: texts).quickStored(reflectionID: "r_1", text: text)
        #expect(body(card)[1]["type"] == "RichTextBlock")
        #expect(plainText(body(card)[1]) == text)
        let button = try #require(actions(card).first)
        #expect(button["title"] == "Add details")
        #expect(button["verb"] == "reflection.open")
        #expect(button["data"]?["reflection_id"] == "r_1")
    }

    @Test("help after a bad command escapes what the person typed")
    func helpEscapes() {
        let card = TeamsReplies(texts: texts).help(
            problem: .pauseNeedsLength(given: "[x](https://e.example) <at>y</at>"))
        let message = body(card)[0]["text"]?.stringValue ?? ""
        #expect(message.contains(#"\[x\](https://e.example) \<at\>y\</at\>"#))
        #expect(body(card)[1]["text"] == .string(texts.replies.help))
    }

    @Test("forget asks first, with a confirm and a cancel action")
    func forget() {
        let card = TeamsReplies(texts: texts).forgetConfirmation()
        #expect(actions(card).map { $0["verb"]?.stringValue } == ["forget.confirm", "forget.cancel"])
        #expect(actions(card).map { $0["title"]?.stringValue } == ["Yes, delete everything", "No, keep it"])
    }

    @Test("mine shows the summary and the data as plain runs, and says when it had to stop")
    func mine() throws {
        let replies = TeamsReplies(texts: texts)
        let small = replies.mine(export: ["reflections": []], summaryLines: ["• **one** <at>x</at>"])
        #expect(plainText(body(small)[2]) == "• **one** <at>x</at>")
        #expect(!body(small).contains { $0["text"] == .string(texts.replies.mine.truncated) })
        let many = JSONValue.array(
            (0..<400).map { ["text": .string("Reflection \($0) " + String(repeating: "é", count: 80))] })
        let large = replies.mine(export: ["reflections": many], summaryLines: (0..<400).map { "• line \($0)" })
        #expect(body(large).last?["text"] == .string(texts.replies.mine.truncated))
        #expect(AdaptiveCard.encodedSize(large) <= AdaptiveCard.sizeBudget)
        #expect(body(replies.mine(export: nil, summaryLines: []))[2]["text"] == .string(texts.replies.mine.empty))
    }

    @Test("the privacy receipt names the week, the group and k, then shows the digest")
    func privacy() {
        let digest = DigestTexts(main: "Headline\n*20–49* people", details: "*Outcomes*\n• saved time")
        let card = TeamsReplies(texts: texts).privacyReceipt(
            week: "2026-W47", team: "Platform <at>x</at>", anonymityThreshold: 5, texts: digest)
        let intro = body(card)[0]["text"]?.stringValue ?? ""
        #expect(intro.contains("(2026-W47)"))
        #expect(intro.contains(#"your team (Platform \<at\>x\</at\>)"#))
        #expect(intro.contains("fewer than 5 people"))
        #expect(body(card).contains { $0["text"] == "Headline\n\n**20–49** people" })
    }

    @Test("a gone nudge and an unreadable card get the sentences from prompts/teams, never the decoding detail")
    func cardProblems() {
        let replies = TeamsReplies(texts: texts)
        #expect(body(replies.nudgeGone())[0]["text"] == .string(texts.cardProblems.outdated))
        let problem = replies.cardProblem(.invalidID("nudge_id"))
        #expect(body(problem)[0]["text"] == .string(texts.cardProblems.unreadable))
        #expect(!String(decoding: problem.encoded(), as: UTF8.self).contains("nudge_id"))
    }

    @Test("admin replies escape titles and reasons the admin typed")
    func admin() {
        let replies = TeamsReplies(texts: texts)
        let registered = body(replies.trainingRegistered(title: "AI *basics* <at>All</at>"))[0]["text"]?.stringValue
        #expect(registered?.hasPrefix(#"Registered **AI \*basics\* \<at\>All\</at\>**."#) == true)
        let usage = replies.adminHelp(problem: "unknown option <b>")
        #expect(body(usage)[0]["text"]?.stringValue == #"unknown option \<b\>"#)
        #expect(body(usage)[1]["text"] == .string(texts.admin.help))
    }

    // MARK: - Digest and welcome

    @Test("the digest card shows the headline and key lines with a button to the signed page")
    func digest() throws {
        let templates = try DigestTemplates.load(from: RepositoryPrompts.directory, markup: TeamsMarkup.markup)
        let document = DigestSamples.leadership
        let link = "https://debrief.example.com/digests/dg_2026-W47_leadership?sig=1797600000.q2"
        let rendered = templates.render(document, link: link)
        let card = DigestCard.main(texts: rendered, document: document, link: link, teamsTexts: texts)
        #expect(body(card).first?["text"] == "AI at work across the organisation, week 47, 2026")
        #expect(body(card).dropFirst().first?["text"]?.stringValue?.hasPrefix("**20–49** people reflected") == true)
        let open = try #require(actions(card).first)
        #expect(open["type"] == "Action.OpenUrl")
        #expect(open["url"]?.stringValue == link)
        #expect(open["title"] == "Open the full digest")
        let details = DigestCard.details(texts: rendered, teamsTexts: texts)
        #expect(body(details).count > 3)
        // A quote with a script tag arrives escaped by the templates, never as markup.
        let all = body(details).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        #expect(!all.contains("<script>"))
        let javascript = DigestCard.main(
            texts: rendered, document: document, link: "javascript:alert(1)", teamsTexts: texts)
        #expect(actions(javascript).isEmpty)
    }

    @Test("a quiet week is one line with no button")
    func quietDigest() throws {
        let templates = try DigestTemplates.load(from: RepositoryPrompts.directory, markup: TeamsMarkup.markup)
        let document = DigestSamples.quiet
        let rendered = templates.render(document, link: "https://d.example/1")
        let card = DigestCard.main(texts: rendered, document: document, link: "https://d.example/1", teamsTexts: texts)
        #expect(body(card).count == 1)
        #expect(card["actions"] == nil)
        #expect(!DigestCard.hasDetails(texts: rendered))
    }

    @Test("the welcome card explains what Debrief keeps and offers to write a reflection")
    func welcome() {
        let card = WelcomeCard.card(texts: texts)
        #expect(body(card).first?["text"] == .string(texts.welcome.header))
        #expect(actions(card).first?["verb"] == "reflection.open")
        #expect(actions(card).first?["data"]?["reflection_id"] == nil)
    }

    @Test("the invoke response uses statusCode and the card content type; errors use the error type")
    func invokeResponse() {
        let card = ReflectionFormCard.thanks(texts: texts)
        let response = TeamsInvokeResponse.card(card)
        #expect(response["statusCode"] == 200)
        #expect(response["status"] == nil)
        #expect(response["type"] == "application/vnd.microsoft.card.adaptive")
        #expect(response["value"] == card)
        let error = TeamsInvokeResponse.error(.missing("value.action"))
        #expect(error["statusCode"] == 400)
        #expect(error["type"] == "application/vnd.microsoft.error")
        #expect(error["value"]?["code"] == "BadRequest")
        #expect(error["value"]?["message"] == "value.action is missing")
    }
}
