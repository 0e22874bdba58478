import DebriefCore
import Foundation

/// The habit that outlasts a training: whether a person wants the light recurring prompt, and the habit
/// messages they were sent and how they answered (which decides the adaptive stop).
///
/// - Important: keyed by pseudonym; rows reference `people(pseudonym) ON DELETE CASCADE`, so erasing a person
///   erases their habit, and erasure also deletes their `habit:` jobs. No platform id, no message text.
public protocol HabitStore: Sendable {
    /// The person's habit; nil when they were never offered it.
    func habit(of person: Pseudonym) async throws(StoreError) -> HabitState?

    /// Creates or replaces the person's habit. Does nothing for a person not (or no longer) stored.
    func setHabit(_ state: HabitState, of person: Pseudonym) async throws(StoreError)

    /// Records a habit message sent to the person; false when their `slot` already has one (a repeat).
    func recordHabitPrompt(_ record: HabitPromptRecord, of person: Pseudonym) async throws(StoreError) -> Bool

    /// A habit message by its id, with whom it was sent to.
    func habitPrompt(id: String) async throws(StoreError) -> (person: Pseudonym, record: HabitPromptRecord)?

    /// Whether the person's `slot` has a message already.
    func hasHabitPrompt(slot: String, of person: Pseudonym) async throws(StoreError) -> Bool

    /// Records the first answer to a message; false when it had one (a double click, a second replica).
    func answerHabitPrompt(id: String, answer: HabitAnswer, at: Date) async throws(StoreError) -> Bool

    /// The person's habit messages, oldest first.
    func habitPrompts(of person: Pseudonym) async throws(StoreError) -> [HabitPromptRecord]

    /// Leaders to ask first each week: people with role level `leader` who said yes to the habit or took part
    /// in a training, and did not stop the leader ask.
    func leadersForHabitAsk() async throws(StoreError) -> [Pseudonym]
}

/// The dedupe keys of habit jobs, one spelling for the scheduler, `/reflect stop` and erasure.
///
/// - Important: they carry the pseudonym (as nudge keys do); erasure deletes them.
public enum HabitJobKey {
    /// Every habit job of one person.
    public static func personPrefix(_ person: Pseudonym) -> String { "habit:\(person.value)/" }

    /// The job of one slot of one person (`offer/<training>`, `recurring/3`, `stop/3`, `leader/2026-W50`).
    public static func key(_ person: Pseudonym, slot: String) -> String { personPrefix(person) + slot }
}

/// The habit as `/reflect mine` shows it: the choice, the interval, when the next prompt is planned, and the
/// habit messages sent (kind, time, answer).
public struct HabitExport: Sendable, Equatable, Codable {
    public var state: HabitState
    public var nextPromptAt: Date?
    public var messages: [HabitPromptRecord]

    public init(state: HabitState, nextPromptAt: Date?, messages: [HabitPromptRecord]) {
        self.state = state
        self.nextPromptAt = nextPromptAt
        self.messages = messages
    }
}
