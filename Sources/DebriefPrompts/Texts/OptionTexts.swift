import DebriefCore

/// Human labels for every value of the core's closed vocabularies.
///
/// The vocabularies are closed so digests can aggregate them; their labels live in `prompts/` so
/// wording can change without touching stored raw values.
public struct OptionTexts: Sendable, Equatable {
    public var taskCategory: [TaskCategory: String]
    public var outcome: [Outcome: String]
    public var minutesSaved: [MinutesSaved: String]
    /// Labels for confidence 1 to 5.
    public var confidence: [Int: String]
    public var blockers: [Blocker: String]
    public var consent: [Consent: ConsentTexts]

    public init(
        taskCategory: [TaskCategory: String], outcome: [Outcome: String], minutesSaved: [MinutesSaved: String],
        confidence: [Int: String], blockers: [Blocker: String], consent: [Consent: ConsentTexts]
    ) {
        self.taskCategory = taskCategory
        self.outcome = outcome
        self.minutesSaved = minutesSaved
        self.confidence = confidence
        self.blockers = blockers
        self.consent = consent
    }

    /// The confidence values the form offers, in order.
    public static let confidenceValues = Array(1...5)

    public func label(_ value: TaskCategory) -> String { taskCategory[value] ?? value.rawValue }
    public func label(_ value: Outcome) -> String { outcome[value] ?? value.rawValue }
    public func label(_ value: MinutesSaved) -> String { minutesSaved[value] ?? value.rawValue }
    public func label(_ value: Blocker) -> String { blockers[value] ?? value.rawValue }
    public func label(confidence value: Int) -> String { confidence[value] ?? String(value) }
    public func texts(_ value: Consent) -> ConsentTexts {
        consent[value] ?? ConsentTexts(label: value.rawValue, description: value.rawValue)
    }
}

/// How a consent choice is shown: a short label and the one sentence that says what it means.
///
/// - Important: the description is the promise made to the person; keep it exactly as strict as what
///   the digest code does with that consent level.
public struct ConsentTexts: Sendable, Equatable {
    public var label: String
    public var description: String

    public init(label: String, description: String) {
        self.label = label
        self.description = description
    }
}
