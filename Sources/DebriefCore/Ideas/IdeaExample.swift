import Foundation

/// One colleague's example as `/reflect ideas` and the digest's "Try this" show it.
///
/// - Important: it carries no pseudonym and no date finer than the ISO week; ``author`` is set only when the
///   author chose `attributed` (their display name from the directory). ``text`` has been through
///   ``QuoteScrubber`` with the directory's names, like a digest quote.
public struct IdeaExample: Sendable, Equatable, Codable {
    /// The reflection's id, so a "Useful" click can be counted against it.
    public var id: String
    /// The ISO week it was written in (`2026-W49`).
    public var week: String
    public var taskCategory: TaskCategory?
    /// What they did, scrubbed.
    public var text: String
    public var outcome: Outcome?
    public var minutesSaved: MinutesSaved?
    /// The author's display name when they chose to be named; nil otherwise.
    public var author: String?
    /// How many colleagues marked it useful (never who).
    public var usefulCount: Int

    public init(
        id: String, week: String, taskCategory: TaskCategory?, text: String, outcome: Outcome?,
        minutesSaved: MinutesSaved?, author: String?, usefulCount: Int
    ) {
        self.id = id
        self.week = week
        self.taskCategory = taskCategory
        self.text = text
        self.outcome = outcome
        self.minutesSaved = minutesSaved
        self.author = author
        self.usefulCount = usefulCount
    }
}

/// A consented reflection as the store finds it for the library, before scrubbing and naming.
public struct IdeaCandidate: Sendable, Equatable {
    public var id: String
    public var week: String
    public var taskCategory: TaskCategory?
    public var text: String
    public var outcome: Outcome?
    public var minutesSaved: MinutesSaved?
    public var consent: Consent
    /// The author's platform user id, opened from the sealed address only when they chose `attributed`.
    public var attributedUserID: String?
    public var usefulCount: Int

    public init(
        id: String, week: String, taskCategory: TaskCategory?, text: String, outcome: Outcome?,
        minutesSaved: MinutesSaved?, consent: Consent, attributedUserID: String?, usefulCount: Int
    ) {
        self.id = id
        self.week = week
        self.taskCategory = taskCategory
        self.text = text
        self.outcome = outcome
        self.minutesSaved = minutesSaved
        self.consent = consent
        self.attributedUserID = attributedUserID
        self.usefulCount = usefulCount
    }
}
