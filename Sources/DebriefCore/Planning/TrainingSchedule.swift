import Foundation

/// What the planner needs to know about a training: which one, when it ended, and how to follow up.
///
/// Title, topic and participants live elsewhere; keeping this small means the planner's input is exactly what
/// its decisions depend on.
public struct TrainingSchedule: Sendable, Hashable, Codable {
    public var id: String
    /// The instant the session ended; stage offsets count local days from the person's local date of it.
    public var endedAt: Date
    public var sequence: NudgeSequence

    public init(id: String, endedAt: Date, sequence: NudgeSequence = .default) {
        self.id = id
        self.endedAt = endedAt
        self.sequence = sequence
    }
}
