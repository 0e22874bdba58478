import Foundation

/// What already happened between Debrief and one person, across *all* their trainings.
///
/// The planner is re-run after every event; history is what makes the new plan consistent with the old one.
/// Sends of trainings not being planned still count against the person's daily and weekly budget.
public struct NudgeHistory: Sendable, Equatable, Codable {
    public var sends: [SentNudge]
    /// "Snooze 1 day" presses.
    public var snoozes: [StageAction]
    /// "Not this one" presses.
    public var skips: [StageAction]
    /// Reflections linked to a training.
    public var reflections: [TrainingReflection]

    public init(
        sends: [SentNudge] = [], snoozes: [StageAction] = [], skips: [StageAction] = [],
        reflections: [TrainingReflection] = []
    ) {
        self.sends = sends
        self.snoozes = snoozes
        self.skips = skips
        self.reflections = reflections
    }

    public static let empty = NudgeHistory()
}

/// A nudge that was delivered.
public struct SentNudge: Sendable, Hashable, Codable {
    public var trainingID: String
    public var stageID: String
    public var kind: NudgeKind
    public var at: Date

    public init(trainingID: String, stageID: String, kind: NudgeKind, at: Date) {
        self.trainingID = trainingID
        self.stageID = stageID
        self.kind = kind
        self.at = at
    }
}

/// A button the person pressed on a stage's nudge ("Snooze 1 day" or "Not this one").
public struct StageAction: Sendable, Hashable, Codable {
    public var trainingID: String
    public var stageID: String
    public var at: Date

    public init(trainingID: String, stageID: String, at: Date) {
        self.trainingID = trainingID
        self.stageID = stageID
        self.at = at
    }
}

/// The fact that the person reflected on a training, without the reflection's content.
public struct TrainingReflection: Sendable, Hashable, Codable {
    public var trainingID: String
    /// The stage whose nudge it answered; nil means "the latest nudge of this training sent before it", or
    /// none when no nudge had been sent yet.
    public var stageID: String?
    public var at: Date

    public init(trainingID: String, stageID: String? = nil, at: Date) {
        self.trainingID = trainingID
        self.stageID = stageID
        self.at = at
    }

    /// The planning view of a stored reflection; nil when it is not about a training.
    public init?(_ reflection: Reflection) {
        guard let trainingID = reflection.trainingID else { return nil }
        self.init(trainingID: trainingID, stageID: nil, at: reflection.createdAt)
    }
}
