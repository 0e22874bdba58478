/// The closed vocabularies a reflection is made of.
///
/// They are closed on purpose: digests aggregate them, and free-form categories would make small,
/// re-identifying groups. Raw values are the stable wire and storage names; never rename one that shipped.
public enum TaskCategory: String, CaseIterable, Codable, Sendable {
    case drafting, research, analysis, coding, data, communication, admin, other
}

/// What applying AI changed for the task, as the person judges it.
public enum Outcome: String, CaseIterable, Codable, Sendable {
    case savedTime = "saved_time"
    case betterQuality = "better_quality"
    case newCapability = "new_capability"
    case noDifference = "no_difference"
    case worse
}

/// Minutes saved, bucketed at the source: an exact number invites false precision and gaming.
public enum MinutesSaved: String, CaseIterable, Codable, Sendable {
    case none = "0"
    case upTo15 = "1-15"
    case upTo30 = "16-30"
    case upTo60 = "31-60"
    case upTo120 = "61-120"
    case moreThan120 = "120+"

    /// A representative value of the bucket, used for medians in aggregates.
    public var midpointMinutes: Int {
        switch self {
        case .none: 0
        case .upTo15: 8
        case .upTo30: 23
        case .upTo60: 45
        case .upTo120: 90
        case .moreThan120: 150
        }
    }
}

/// What got in the way of using AI.
public enum Blocker: String, CaseIterable, Codable, Sendable {
    case policyUnclear = "policy_unclear"
    case noAccess = "no_access"
    case skills
    case trustInOutput = "trust_in_output"
    case noTime = "no_time"
    case other
}

/// How far a reflection may travel beyond aggregates.
///
/// - Important: the default is `aggregateOnly`. Only `anonymousQuote` and `attributed` reflections may
///   ever be quoted, and only `attributed` may carry a name.
public enum Consent: String, CaseIterable, Codable, Sendable {
    case aggregateOnly = "aggregate_only"
    case anonymousQuote = "anonymous_quote"
    case attributed
}

/// Where a reflection came from, kept for aggregate "which channel works" analysis only.
public enum ReflectionSource: String, Codable, Sendable {
    case quick
    case modal
}
