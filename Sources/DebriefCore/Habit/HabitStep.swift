import Foundation

/// What the habit does next for one person, as ``HabitPlanner`` decides it.
public enum HabitStep: Sendable, Equatable {
    /// Nothing is due: not opted in, stopped, erased, or no sendable day within the search horizon.
    case nothing
    /// Send a prompt of `kind` at `at`. `ordinal` numbers the person's recurring slots (1, 2, …) so each slot
    /// has one job and one record however often it is re-planned.
    case send(HabitPromptKind, at: Date, ordinal: Int)
    /// "Should I keep asking?" went unanswered: the habit stops, silently, when the next prompt would be due.
    case stop(at: Date, ordinal: Int)
}
