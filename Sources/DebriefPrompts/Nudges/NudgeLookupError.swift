/// Why a nudge text could not be produced for a planned nudge.
///
/// Planned nudges store a sequence and stage id; if `prompts/nudges/` was edited after planning (a
/// file or stage renamed), the sender needs an operator-readable reason instead of sending nothing
/// silently. Carries no personal data.
public enum NudgeLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `prompts/nudges/<id>.yaml`.
    case unknownSequence(String, known: [String])
    /// The sequence has no stage with this id.
    case unknownStage(sequence: String, stage: String, known: [String])
    /// The stage has no text of this kind, not even in `en` (only possible for libraries built in code).
    case missingText(sequence: String, stage: String, kind: NudgeTextKind)

    public var description: String {
        switch self {
        case .unknownSequence(let id, let known):
            return "nudge sequence \"\(id)\" is not in prompts/nudges/ (known: \(known.joined(separator: ", ")));"
                + " restore prompts/nudges/\(id).yaml or cancel the nudges planned with it"
        case .unknownStage(let sequence, let stage, let known):
            return
                "nudge sequence \"\(sequence)\" has no stage \"\(stage)\" (stages: \(known.joined(separator: ", ")));"
                + " restore the stage in prompts/nudges/\(sequence).yaml or cancel the nudges planned for it"
        case .missingText(let sequence, let stage, let kind):
            return "nudge sequence \"\(sequence)\" stage \"\(stage)\" has no \(kind.rawValue) text in English"
        }
    }
}
