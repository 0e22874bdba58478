import Foundation

/// The ordered stages a training's participants are nudged at.
///
/// The default +1/+3/+7/+21 days follows the spacing evidence (field notes §4.1): forgetting is steepest in the
/// first days, the best review gap for a month's retention is a few days and then one to three weeks, and
/// expanding intervals are fine but not magic. A sequence is validated once when built (or decoded), so the
/// planner can rely on unique ids and strictly increasing offsets.
public struct NudgeSequence: Sendable, Hashable, Codable {
    public let id: String
    public let stages: [NudgeStage]

    /// - Throws: ``NudgeSequenceProblem`` when the stages are empty, an id repeats or is blank, an offset is
    ///   negative, or offsets do not strictly increase.
    public init(id: String, stages: [NudgeStage]) throws(NudgeSequenceProblem) {
        if let problem = Self.problem(in: stages) { throw problem }
        self.id = id
        self.stages = stages
    }

    private init(validatedID id: String, stages: [NudgeStage]) {
        self.id = id
        self.stages = stages
    }

    /// +1, +3, +7 and +21 days, with stage ids "d1", "d3", "d7", "d21".
    public static let `default` = NudgeSequence(
        validatedID: "default",
        stages: [
            NudgeStage(id: "d1", dayOffset: 1), NudgeStage(id: "d3", dayOffset: 3),
            NudgeStage(id: "d7", dayOffset: 7), NudgeStage(id: "d21", dayOffset: 21),
        ])

    /// Index of the stage with `id`, if this sequence has it.
    public func index(ofStage id: String) -> Int? { stages.firstIndex { $0.id == id } }

    static func problem(in stages: [NudgeStage]) -> NudgeSequenceProblem? {
        guard !stages.isEmpty else { return .noStages }
        var seen: Set<String> = []
        var previousOffset: Int?
        for stage in stages {
            if stage.id.trimmingCharacters(in: .whitespaces).isEmpty { return .blankStageID }
            if !seen.insert(stage.id).inserted { return .duplicateStageID(stage.id) }
            if stage.dayOffset < 0 { return .negativeOffset(stageID: stage.id) }
            if let previous = previousOffset, stage.dayOffset <= previous {
                return .offsetsNotIncreasing(stageID: stage.id)
            }
            previousOffset = stage.dayOffset
        }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case id, stages }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        let stages = try container.decode([NudgeStage].self, forKey: .stages)
        if let problem = Self.problem(in: stages) {
            throw DecodingError.dataCorruptedError(
                forKey: .stages, in: container, debugDescription: problem.description)
        }
        self.init(validatedID: id, stages: stages)
    }
}

/// Why a nudge sequence was rejected; messages name the stage so a prompt author can fix the file.
public enum NudgeSequenceProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case noStages
    case blankStageID
    case duplicateStageID(String)
    case negativeOffset(stageID: String)
    case offsetsNotIncreasing(stageID: String)

    public var description: String {
        switch self {
        case .noStages: "a nudge sequence needs at least one stage"
        case .blankStageID: "every stage needs a non-blank id"
        case .duplicateStageID(let id): "stage id \"\(id)\" is used twice; ids must be unique within a sequence"
        case .negativeOffset(let id): "stage \"\(id)\" has a negative day offset; use 0 or more days"
        case .offsetsNotIncreasing(let id):
            "stage \"\(id)\" is not later than the stage before it; list stages by strictly increasing offset"
        }
    }
}
