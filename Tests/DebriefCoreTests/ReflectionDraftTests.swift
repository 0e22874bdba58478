import DebriefCore
import Testing

@Suite("Validating the reflection form")
struct ReflectionDraftTests {
    @Test("a complete form validates into typed fields")
    func completeForm() throws {
        let draft = ReflectionDraft(
            text: "  Drafted the RFC with an LLM  ", taskCategory: "drafting", tool: " Claude ", outcome: "saved_time",
            minutesSaved: "31-60", confidence: "4", blockers: ["trust_in_output", "trust_in_output", "no_time"],
            consent: "anonymous_quote")
        let fields = try draft.validate().get()
        #expect(fields.text == "Drafted the RFC with an LLM")
        #expect(fields.taskCategory == .drafting)
        #expect(fields.tool == "Claude")
        #expect(fields.outcome == .savedTime)
        #expect(fields.minutesSaved == .upTo60)
        #expect(fields.confidence == 4)
        #expect(fields.blockers == [.trustInOutput, .noTime])
        #expect(fields.consent == .anonymousQuote)
    }

    @Test("consent defaults to aggregate only")
    func consentDefault() throws {
        #expect(try ReflectionDraft(text: "wrote tests faster").validate().get().consent == .aggregateOnly)
    }

    @Test("each wrong field is named")
    func wrongFields() {
        let draft = ReflectionDraft(
            text: "  ", taskCategory: "juggling", outcome: "amazing", minutesSaved: "17", confidence: "9",
            blockers: ["bosses"], consent: "public")
        guard case .failure(let errors) = draft.validate() else {
            Issue.record("expected validation errors")
            return
        }
        #expect(errors.problems[.text] == .missing)
        #expect(errors.problems[.taskCategory] == .notOneOf(TaskCategory.allCases.map(\.rawValue)))
        #expect(errors.problems[.outcome] != nil)
        #expect(errors.problems[.minutesSaved] != nil)
        #expect(errors.problems[.confidence] == .notOneOf(["1", "2", "3", "4", "5"]))
        #expect(errors.problems[.blockers] != nil)
        #expect(errors.problems[.consent] != nil)
    }

    @Test("text length limits")
    func textLength() {
        guard case .failure(let short) = ReflectionDraft(text: "ok").validate() else {
            Issue.record("two characters should be too short")
            return
        }
        #expect(short.problems[.text] == .tooShort(minimum: 3))
        let long = String(repeating: "a", count: 3001)
        guard case .failure(let tooLong) = ReflectionDraft(text: long).validate() else {
            Issue.record("3001 characters should be too long")
            return
        }
        #expect(tooLong.problems[.text] == .tooLong(maximum: 3000))
    }

    @Test("minutes saved cannot contradict 'no difference' or 'worse'")
    func contradiction() {
        guard
            case .failure(let errors) = ReflectionDraft(text: "tried it", outcome: "worse", minutesSaved: "16-30")
                .validate()
        else {
            Issue.record("expected a contradiction error")
            return
        }
        #expect(errors.problems[.minutesSaved] == .contradicts(.outcome))
        #expect((try? ReflectionDraft(text: "tried it", outcome: "worse", minutesSaved: "0").validate().get()) != nil)
    }
}
