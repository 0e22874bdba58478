import Foundation

/// One person's account of applying AI to a piece of their own work.
///
/// - Important: a reflection carries a pseudonym, never a platform user id, so the reflections table alone
///   cannot be joined back to a chat account once the person is erased.
public struct Reflection: Sendable, Equatable, Codable {
    public var id: String
    public var person: Pseudonym
    public var createdAt: Date
    public var source: ReflectionSource
    public var text: String
    public var taskCategory: TaskCategory?
    public var tool: String?
    public var outcome: Outcome?
    public var minutesSaved: MinutesSaved?
    public var confidence: Int?
    public var blockers: [Blocker]
    public var consent: Consent
    /// The training this reflection answers, when it came from a nudge.
    public var trainingID: String?

    public init(
        id: String, person: Pseudonym, createdAt: Date, source: ReflectionSource, text: String,
        taskCategory: TaskCategory? = nil, tool: String? = nil, outcome: Outcome? = nil,
        minutesSaved: MinutesSaved? = nil, confidence: Int? = nil, blockers: [Blocker] = [],
        consent: Consent = .aggregateOnly, trainingID: String? = nil
    ) {
        self.id = id
        self.person = person
        self.createdAt = createdAt
        self.source = source
        self.text = text
        self.taskCategory = taskCategory
        self.tool = tool
        self.outcome = outcome
        self.minutesSaved = minutesSaved
        self.confidence = confidence
        self.blockers = blockers
        self.consent = consent
        self.trainingID = trainingID
    }
}
