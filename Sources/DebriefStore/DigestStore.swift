import DebriefCore
import Foundation

/// What weekly digests read and write. Aggregation happens in the database: callers get counts per
/// (week, team, role level) cell, never rows of reflections.
public protocol DigestStore: Sendable {
    /// Sets people's role level and team (the admin API); a nil field is left as it is. People Debrief has
    /// not met yet are added under their pseudonym (nothing else is stored), so a role set before someone's
    /// first reflection is kept (first seen on the day of `at`). One transaction; returns how many people
    /// were set.
    @discardableResult
    func assignRoles(_ assignments: [RoleAssignment], at: Date) async throws(StoreError) -> Int

    /// Replaces everyone's role level and/or team with the directory's view in one transaction: for each
    /// field being reset, people not named get the default (`ic`, no team), so leaving a leader group takes
    /// effect. Only people Debrief already knows are touched.
    @discardableResult
    func replaceRoles(_ assignments: [RoleAssignment], resettingRoleLevels: Bool, resettingTeams: Bool)
        async throws(StoreError) -> Int

    /// The person's role level and team, for the privacy receipt.
    func roleAndTeam(of person: Pseudonym) async throws(StoreError) -> (roleLevel: String, team: String?)?

    /// Counts per (ISO week, team, role level) for the given weeks.
    func weeklyCells(weeks: [String]) async throws(StoreError) -> [WeeklyCellStats]

    /// Per training: participants and how many of them reflected, applied and repeated.
    func cohortStats(endedBefore: Date) async throws(StoreError) -> [TrainingCohortStats]

    /// Up to `limit` texts of the week whose authors allowed quoting, with their group.
    func quoteCandidates(week: String, limit: Int) async throws(StoreError) -> [QuoteRow]

    /// The stored digest for a target and week, if one was created.
    func digest(target: String, week: String) async throws(StoreError) -> StoredDigest?

    func digest(id: String) async throws(StoreError) -> StoredDigest?

    /// Creates the digest row for (target, week) unless one exists; returns the row that is stored.
    /// The unique (target, week) key is what makes posting happen once per target and week.
    func createDigest(_ digest: StoredDigest) async throws(StoreError) -> StoredDigest

    /// Claims the right to post: succeeds when nobody started posting, or the last start is older than
    /// `staleBefore` (that poster died). Returns false when someone else is posting right now.
    func markDigestPosting(id: String, startedAt: Date, staleBefore: Date) async throws(StoreError) -> Bool

    /// Records where the posted digest landed (first record wins).
    func markDigestPosted(id: String, channel: String, ts: String, at: Date) async throws(StoreError)
}

public struct RoleAssignment: Sendable, Equatable {
    public var address: DeliveryAddress
    public var pseudonym: Pseudonym
    public var roleLevel: String?
    public var team: String?

    public init(address: DeliveryAddress, pseudonym: Pseudonym, roleLevel: String?, team: String?) {
        self.address = address
        self.pseudonym = pseudonym
        self.roleLevel = roleLevel
        self.team = team
    }
}

/// Aggregated counts of one (week, team, role) cell. Every person is in exactly one cell per week, so
/// respondents of larger groups are sums of cells.
public struct WeeklyCellStats: Sendable, Equatable {
    public var week: String
    public var team: String?
    public var roleLevel: String
    public var respondents: Int
    public var reflections: Int
    public var respondentsReportingDifference: Int
    public var outcomes: [String: Int]
    public var minutesSaved: [String: Int]
    public var confidence: [Int: Int]
    public var categories: [String: Int]
    public var blockers: [String: Int]
    /// Distinct people who gave each optional answer, by question (`outcome`, `minutes_saved`, `confidence`,
    /// `category`).
    public var answeredBy: [String: Int]

    public init(
        week: String, team: String?, roleLevel: String, respondents: Int, reflections: Int,
        respondentsReportingDifference: Int, outcomes: [String: Int], minutesSaved: [String: Int],
        confidence: [Int: Int], categories: [String: Int], blockers: [String: Int], answeredBy: [String: Int] = [:]
    ) {
        self.answeredBy = answeredBy
        self.week = week
        self.team = team
        self.roleLevel = roleLevel
        self.respondents = respondents
        self.reflections = reflections
        self.respondentsReportingDifference = respondentsReportingDifference
        self.outcomes = outcomes
        self.minutesSaved = minutesSaved
        self.confidence = confidence
        self.categories = categories
        self.blockers = blockers
    }
}

/// A quotable text and the group it came from.
/// - Important: carries no pseudonym; for `attributed` leader notes the caller resolves a display name
///   through the delivery address, which is why `userID` is present only for `attributed` consent.
public struct QuoteRow: Sendable, Equatable {
    public var text: String
    public var consent: Consent
    public var team: String?
    public var roleLevel: String
    public var userID: String?

    public init(text: String, consent: Consent, team: String?, roleLevel: String, userID: String?) {
        self.text = text
        self.consent = consent
        self.team = team
        self.roleLevel = roleLevel
        self.userID = userID
    }
}

/// A digest as stored: its document (JSON) and whether it was posted.
public struct StoredDigest: Sendable, Equatable {
    public var id: String
    public var target: String
    public var week: String
    public var document: Data
    public var createdAt: Date
    public var postingStartedAt: Date?
    public var postedAt: Date?
    public var channel: String?
    public var messageTS: String?

    public init(
        id: String, target: String, week: String, document: Data, createdAt: Date, postingStartedAt: Date? = nil,
        postedAt: Date? = nil, channel: String? = nil, messageTS: String? = nil
    ) {
        self.id = id
        self.target = target
        self.week = week
        self.document = document
        self.createdAt = createdAt
        self.postingStartedAt = postingStartedAt
        self.postedAt = postedAt
        self.channel = channel
        self.messageTS = messageTS
    }
}

/// Weekly releases: the audited publication of each week, made once and re-served (see `WeekRelease`).
///
/// A release is written once per week ("insert unless present") and never updated: trends, receipts and
/// previews read it instead of recomputing the past, so two views of the same week can never differ.
public protocol ReleaseStore: Sendable {
    /// Headcounts per (team, role level) of everybody Debrief knows, now: the roster a week is released with.
    func roster() async throws(StoreError) -> WeekRoster

    /// Stored releases (encoded `WeekRelease`) of the given ISO weeks, by week.
    func releases(weeks: [String]) async throws(StoreError) -> [String: Data]

    /// The latest release before `week`, if any.
    func latestRelease(before week: String) async throws(StoreError) -> Data?

    /// Stores the release of `week` unless one exists; returns the stored one (another replica may have won).
    func createRelease(week: String, release: Data, at: Date) async throws(StoreError) -> Data

    /// Which of `weeks` already have a digest row (posted or computed for posting).
    func weeksWithDigests(_ weeks: [String]) async throws(StoreError) -> Set<String>
}
