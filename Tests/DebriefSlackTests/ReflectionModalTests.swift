import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefTestSupport
import Foundation
import Testing

@Suite("Reflection modal")
struct ReflectionModalTests {
    let prompts: PromptLibrary

    init() throws {
        prompts = try RepositoryPrompts.load()
    }

    func inputBlocks(_ view: JSONValue) -> [JSONValue] {
        (view["blocks"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == "input" }
    }

    func element(_ view: JSONValue, _ field: ReflectionFormField) -> JSONValue? {
        inputBlocks(view).first { $0["block_id"]?.stringValue == field.rawValue }?["element"]
    }

    @Test func emptyFormRespectsSlackLimits() {
        let view = ReflectionModal.view(prompts: prompts, prefill: ReflectionDraft(), privateMetadata: "")
        #expect(BlockKitLimitChecker.violations(in: view, surface: .modal) == [])
        #expect(view["callback_id"] == "reflection")
        #expect(view["type"] == "modal")
    }

    @Test func blockIDsAreTheCoreFieldNames() {
        let view = ReflectionModal.view(prompts: prompts, prefill: ReflectionDraft(), privateMetadata: "")
        let ids = inputBlocks(view).compactMap { $0["block_id"]?.stringValue }
        #expect(ids == ReflectionFormField.allCases.map(\.rawValue))
        for block in inputBlocks(view) {
            #expect(block["element"]?["action_id"] == block["block_id"])
        }
    }

    @Test func onlyTheTextAndConsentAreRequired() {
        let view = ReflectionModal.view(prompts: prompts, prefill: ReflectionDraft(), privateMetadata: "")
        let required = inputBlocks(view).filter { $0["optional"] == false }.compactMap { $0["block_id"]?.stringValue }
        #expect(required == ["text", "consent"])
    }

    @Test func everyVocabularyValueIsOffered() {
        let view = ReflectionModal.view(prompts: prompts, prefill: ReflectionDraft(), privateMetadata: "")
        func values(_ field: ReflectionFormField) -> [String] {
            element(view, field)?["options"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []
        }
        #expect(values(.taskCategory) == TaskCategory.allCases.map(\.rawValue))
        #expect(values(.outcome) == Outcome.allCases.map(\.rawValue))
        #expect(values(.minutesSaved) == MinutesSaved.allCases.map(\.rawValue))
        #expect(values(.confidence) == ["1", "2", "3", "4", "5"])
        #expect(values(.blockers) == Blocker.allCases.map(\.rawValue))
        #expect(values(.consent) == Consent.allCases.map(\.rawValue))
        #expect(element(view, .text)?["max_length"] == 3000)
        #expect(element(view, .text)?["multiline"] == true)
    }

    @Test func consentDefaultsToAggregatesOnlyAndExplainsEachChoice() {
        let view = ReflectionModal.view(prompts: prompts, prefill: ReflectionDraft(), privateMetadata: "")
        let consent = element(view, .consent)
        #expect(consent?["type"] == "radio_buttons")
        #expect(consent?["initial_option"]?["value"] == "aggregate_only")
        for option in consent?["options"]?.arrayValue ?? [] {
            let description = option["description"]?["text"]?.stringValue ?? ""
            #expect(!description.isEmpty)
        }
    }

    @Test func prefillAppears() {
        let draft = ReflectionDraft(
            text: "Summarised a 40-page RFP", taskCategory: "research", tool: "Claude", outcome: "better_quality",
            minutesSaved: "61-120", confidence: "3", blockers: ["skills", "no_access"], consent: "attributed")
        let view = ReflectionModal.view(prompts: prompts, prefill: draft, privateMetadata: "r_123")
        #expect(BlockKitLimitChecker.violations(in: view, surface: .modal) == [])
        #expect(view["private_metadata"] == "r_123")
        #expect(element(view, .text)?["initial_value"] == "Summarised a 40-page RFP")
        #expect(element(view, .tool)?["initial_value"] == "Claude")
        #expect(element(view, .taskCategory)?["initial_option"]?["value"] == "research")
        #expect(element(view, .outcome)?["initial_option"]?["value"] == "better_quality")
        #expect(element(view, .minutesSaved)?["initial_option"]?["value"] == "61-120")
        #expect(element(view, .confidence)?["initial_option"]?["value"] == "3")
        #expect(element(view, .consent)?["initial_option"]?["value"] == "attributed")
        let blockers = element(view, .blockers)?["initial_options"]?.arrayValue?.compactMap { $0["value"]?.stringValue }
        #expect(blockers == ["no_access", "skills"])
    }

    @Test func unusablePrefillIsDroppedNotSentToSlack() {
        let draft = ReflectionDraft(
            text: String(repeating: "é", count: 5000), taskCategory: "astrology",
            tool: String(repeating: "x", count: 200),
            outcome: "", minutesSaved: "9999", confidence: "7", blockers: ["bogus"], consent: "everyone")
        let view = ReflectionModal.view(
            prompts: prompts, prefill: draft, privateMetadata: String(repeating: "m", count: 4000))
        #expect(BlockKitLimitChecker.violations(in: view, surface: .modal) == [])
        #expect(element(view, .taskCategory)?["initial_option"] == nil)
        #expect(element(view, .blockers)?["initial_options"] == nil)
        #expect(element(view, .consent)?["initial_option"]?["value"] == "aggregate_only")
        #expect((view["private_metadata"]?.stringValue?.count ?? 0) == 3000)
    }

    @Test func submissionRoundTripsIntoAValidReflection() throws {
        guard
            case .viewSubmission(let submission) = try SlackInboundDecoder.decode(
                body: try Fixture.data("view_submission.form"), contentType: "application/x-www-form-urlencoded")
        else {
            Issue.record("fixture is not a view submission")
            return
        }
        let draft = ReflectionModal.draft(from: submission)
        #expect(draft.taskCategory == "drafting")
        #expect(draft.blockers == ["trust_in_output", "no_time"])
        let fields = try draft.validate().get()
        #expect(fields.text.hasPrefix("Turned my meeting notes"))
        #expect(fields.taskCategory == .drafting)
        #expect(fields.tool == "Copilot")
        #expect(fields.outcome == .savedTime)
        #expect(fields.minutesSaved == .upTo60)
        #expect(fields.confidence == 4)
        #expect(fields.blockers == [.trustInOutput, .noTime])
        #expect(fields.consent == .anonymousQuote)
    }

    @Test func renderedFormReadsBackAsItsPrefill() {
        // What the modal offers is what draft(from:) understands: build a submission from the view itself.
        let draft = ReflectionDraft(
            text: "Drafted release notes", taskCategory: "drafting", tool: "Copilot", outcome: "saved_time",
            minutesSaved: "16-30", confidence: "5", blockers: ["no_time"], consent: "anonymous_quote")
        let view = ReflectionModal.view(prompts: prompts, prefill: draft, privateMetadata: "")
        var values: [String: [String: SlackInputValue]] = [:]
        for block in inputBlocks(view) {
            guard let blockID = block["block_id"]?.stringValue, let element = block["element"],
                let actionID = element["action_id"]?.stringValue
            else { continue }
            let value: SlackInputValue
            switch element["type"]?.stringValue {
            case "plain_text_input": value = .text(element["initial_value"]?.stringValue)
            case "checkboxes":
                value = .options(element["initial_options"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? [])
            default: value = .option(element["initial_option"]?["value"]?.stringValue)
            }
            values[blockID] = [actionID: value]
        }
        let submission = ViewSubmission(
            userID: "U1", teamID: "T1", viewID: "V1", callbackID: ReflectionModal.callbackID, values: values)
        #expect(ReflectionModal.draft(from: submission) == draft)
    }

    @Test func invalidSubmissionMapsErrorsToBlocks() throws {
        guard
            case .viewSubmission(let submission) = try SlackInboundDecoder.decode(
                body: try Fixture.data("view_submission_minimal.json"), contentType: "application/json")
        else {
            Issue.record("fixture is not a view submission")
            return
        }
        let draft = ReflectionModal.draft(from: submission)
        #expect(draft.tool == nil)
        #expect(draft.blockers == [])
        guard case .failure(let errors) = draft.validate() else {
            Issue.record("\"ok\" with no difference but 1-2 hours saved should not validate")
            return
        }
        let response = ReflectionModal.errorsResponse(errors, prompts: prompts)
        #expect(response["response_action"] == "errors")
        let messages = response["errors"]?.objectValue ?? [:]
        #expect(Set(messages.keys) == ["text", "minutes_saved"])
        #expect(messages["text"]?.stringValue == "Please write at least 3 characters.")
        let label = prompts.modal.field(.outcome).label
        #expect(messages["minutes_saved"]?.stringValue?.contains(label) == true)
        // Every key is an input block id of the form, so Slack can show it.
        let view = ReflectionModal.view(prompts: prompts, prefill: draft, privateMetadata: "")
        let ids = Set(inputBlocks(view).compactMap { $0["block_id"]?.stringValue })
        #expect(Set(messages.keys).isSubset(of: ids))
    }

    @Test func everyProblemHasAMessage() {
        let problems: [ReflectionFieldProblem] = [
            .missing, .tooShort(minimum: 3), .tooLong(maximum: 3000), .notOneOf(["a"]), .contradicts(.outcome),
        ]
        for problem in problems {
            let message = prompts.message(for: problem)
            #expect(!message.isEmpty)
            #expect(!message.contains("{"), "unfilled placeholder in \(message)")
        }
        #expect(prompts.message(for: .tooLong(maximum: 3000)).contains("3000"))
    }

    @Test func thanksAndClear() {
        let thanks = ReflectionModal.thanksView(prompts: prompts)
        #expect(thanks["response_action"] == "update")
        if let view = thanks["view"] {
            #expect(BlockKitLimitChecker.violations(in: view, surface: .modal) == [])
            #expect(view["submit"] == nil)
        } else {
            Issue.record("no view in thanks response")
        }
        #expect(ReflectionModal.clear == ["response_action": "clear"])
    }
}
