import DebriefCore
import DebriefSlack
import Foundation

extension FuzzTarget {
    /// The form's values as the modal reads them, field by field, without the JSON around them.
    ///
    /// Input: seven lines (task category, tool, outcome, minutes saved, confidence, consent, blockers separated by
    /// commas), then the reflection text (the rest, newlines included).
    static let reflectionDraft = FuzzTarget(
        name: "reflection-draft",
        summary: "ReflectionDraft.validate on raw field values, and the error view rendered from it"
    ) { input in
        let parts = input.parts(8)
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        let draft = ReflectionDraft(
            text: parts[7], taskCategory: optional(parts[0]), tool: optional(parts[1]), outcome: optional(parts[2]),
            minutesSaved: optional(parts[3]), confidence: optional(parts[4]),
            blockers: parts[6].split(separator: ",", omittingEmptySubsequences: true).map(String.init),
            consent: optional(parts[5]))
        switch draft.validate() {
        case .success(let fields):
            FuzzExpect.that(
                fields.text == fields.text.trimmingCharacters(in: .whitespacesAndNewlines), "stored text is trimmed")
            FuzzExpect.that(
                (fields.tool?.count ?? 0) <= ReflectionDraft.maximumToolLength, "a tool name has at most 80 characters")
            FuzzExpect.that(Set(fields.blockers).count == fields.blockers.count, "blockers are listed once each")
        case .failure(let errors):
            FuzzExpect.that(!errors.problems.isEmpty, "a refused draft names at least one field")
            if let prompts = FuzzPrompts.library {
                _ = ReflectionModal.errorsResponse(errors, prompts: prompts).encoded()
            }
        }
    }
}
