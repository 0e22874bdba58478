import Foundation

/// A person's level in the organisation, from configured user groups or the admin API.
///
/// Digests compare leaders with ICs (the perception gap), so the level is the one attribute besides the team
/// that aggregates are broken down by. Raw values are stable wire names.
public enum RoleLevel: String, CaseIterable, Codable, Sendable, Hashable {
    case leader, manager, ic
}

/// Who a digest is posted to: the leadership channel (org-wide) or one team's channel.
public enum DigestAudience: Hashable, Sendable, Codable {
    case leadership
    case team(String)

    private enum CodingKeys: String, CodingKey { case kind, team }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "leadership": self = .leadership
        case "team": self = .team(try container.decode(String.self, forKey: .team))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown digest audience \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .leadership:
            try container.encode("leadership", forKey: .kind)
        case .team(let team):
            try container.encode("team", forKey: .kind)
            try container.encode(team, forKey: .team)
        }
    }
}

/// A set of people whose answers are aggregated together.
///
/// Teams partition the organisation, role levels partition it too, and `teamRole` cells partition both a
/// team and a role level. The builder uses exactly this structure for complementary suppression, so the store
/// should pass the stats of *every* group of a week, whatever the audience: then each digest of the week is
/// built from the same suppression pattern and no pair of digests can be subtracted from each other.
/// Encoded as `{"kind": "team", "team": "Platform", "role": "ic"}`.
public enum DigestGroup: Hashable, Sendable, Codable {
    case organisation
    case team(String)
    case role(RoleLevel)
    case teamRole(String, RoleLevel)

    private enum CodingKeys: String, CodingKey { case kind, team, role }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "organisation": self = .organisation
        case "team": self = .team(try container.decode(String.self, forKey: .team))
        case "role": self = .role(try container.decode(RoleLevel.self, forKey: .role))
        case "teamRole":
            self = .teamRole(
                try container.decode(String.self, forKey: .team), try container.decode(RoleLevel.self, forKey: .role))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown digest group \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .organisation:
            try container.encode("organisation", forKey: .kind)
        case .team(let team):
            try container.encode("team", forKey: .kind)
            try container.encode(team, forKey: .team)
        case .role(let role):
            try container.encode("role", forKey: .kind)
            try container.encode(role, forKey: .role)
        case .teamRole(let team, let role):
            try container.encode("teamRole", forKey: .kind)
            try container.encode(team, forKey: .team)
            try container.encode(role, forKey: .role)
        }
    }
}

/// One group's aggregated answers for one ISO week, computed by the store in SQL.
///
/// Only counts, never reflections or people: the digest is a pure function of these, which keeps a year of a
/// 10,000-person organisation cheap and keeps individual rows out of the core entirely.
/// Dictionaries are encoded with the enums' raw values as keys (`{"saved_time": 4}`), confidence with its level.
public struct GroupWeekStats: Sendable, Equatable, Codable {
    /// Distinct people who reflected in the week. Every threshold decision is made on this number.
    public var respondents: Int
    /// Reflections recorded in the week (a person may reflect more than once).
    public var reflections: Int
    /// Outcomes, counted per reflection.
    public var outcomeCounts: [Outcome: Int]
    /// Distinct people with at least one reflection whose outcome was saved time, better quality or a new capability.
    public var respondentsReportingDifference: Int
    /// Minutes-saved buckets, counted per reflection.
    public var minutesSavedCounts: [MinutesSaved: Int]
    /// Confidence level (1...5) to the number of reflections with it.
    public var confidenceCounts: [Int: Int]
    /// Task categories, counted per reflection.
    public var categoryCounts: [TaskCategory: Int]
    /// Blockers, counted per reflection that mentions them (a reflection may mention several).
    public var blockerCounts: [Blocker: Int]
    /// Distinct people who gave each optional answer (an outcome, minutes saved, a confidence level, a task
    /// category): every statistic needs k people behind it, not only its group. nil: not counted (then the
    /// histogram's people are taken to be the group's respondents when the histogram is not empty).
    public var answeredBy: [Question: Int]?

    /// The optional questions whose answers are summarised per group.
    public enum Question: String, Sendable, Hashable, Codable, CaseIterable {
        case outcome
        case minutesSaved = "minutes_saved"
        case confidence, category
    }

    /// People behind the statistic of `question`.
    public func people(answering question: Question) -> Int {
        if let counted = answeredBy?[question] { return counted }
        let total: Int
        switch question {
        case .outcome: total = outcomeCounts.values.reduce(0, +)
        case .minutesSaved: total = minutesSavedCounts.values.reduce(0, +)
        case .confidence: total = confidenceCounts.values.reduce(0, +)
        case .category: total = categoryCounts.values.reduce(0, +)
        }
        return total > 0 ? respondents : 0
    }

    public init(
        respondents: Int = 0,
        reflections: Int = 0,
        outcomeCounts: [Outcome: Int] = [:],
        respondentsReportingDifference: Int = 0,
        minutesSavedCounts: [MinutesSaved: Int] = [:],
        confidenceCounts: [Int: Int] = [:],
        categoryCounts: [TaskCategory: Int] = [:],
        blockerCounts: [Blocker: Int] = [:],
        answeredBy: [Question: Int]? = nil
    ) {
        self.answeredBy = answeredBy
        self.respondents = respondents
        self.reflections = reflections
        self.outcomeCounts = outcomeCounts
        self.respondentsReportingDifference = respondentsReportingDifference
        self.minutesSavedCounts = minutesSavedCounts
        self.confidenceCounts = confidenceCounts
        self.categoryCounts = categoryCounts
        self.blockerCounts = blockerCounts
    }

    private enum CodingKeys: String, CodingKey {
        case respondents, reflections, outcomeCounts, respondentsReportingDifference, minutesSavedCounts
        case confidenceCounts, categoryCounts, blockerCounts, answeredBy
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        respondents = try container.decode(Int.self, forKey: .respondents)
        reflections = try container.decode(Int.self, forKey: .reflections)
        respondentsReportingDifference = try container.decode(Int.self, forKey: .respondentsReportingDifference)
        outcomeCounts = try Self.decodeRaw(container, .outcomeCounts)
        minutesSavedCounts = try Self.decodeRaw(container, .minutesSavedCounts)
        categoryCounts = try Self.decodeRaw(container, .categoryCounts)
        blockerCounts = try Self.decodeRaw(container, .blockerCounts)
        let confidence = try container.decodeIfPresent([String: Int].self, forKey: .confidenceCounts) ?? [:]
        var levels: [Int: Int] = [:]
        for (key, value) in confidence {
            guard let level = Int(key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .confidenceCounts, in: container,
                    debugDescription: "confidence level \(key) is not a number")
            }
            levels[level] = value
        }
        confidenceCounts = levels
        if let raw = try container.decodeIfPresent([String: Int].self, forKey: .answeredBy) {
            var answered: [Question: Int] = [:]
            for (name, value) in raw {
                guard let question = Question(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .answeredBy, in: container, debugDescription: "unknown question \(name)")
                }
                answered[question] = value
            }
            answeredBy = answered
        } else {
            answeredBy = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(respondents, forKey: .respondents)
        try container.encode(reflections, forKey: .reflections)
        try container.encode(respondentsReportingDifference, forKey: .respondentsReportingDifference)
        try container.encode(Self.raw(outcomeCounts), forKey: .outcomeCounts)
        try container.encode(Self.raw(minutesSavedCounts), forKey: .minutesSavedCounts)
        try container.encode(Self.raw(categoryCounts), forKey: .categoryCounts)
        try container.encode(Self.raw(blockerCounts), forKey: .blockerCounts)
        var confidence: [String: Int] = [:]
        for (level, count) in confidenceCounts { confidence[String(level)] = count }
        try container.encode(confidence, forKey: .confidenceCounts)
        if let answeredBy { try container.encode(Self.raw(answeredBy), forKey: .answeredBy) }
    }

    private static func raw<Key: RawRepresentable<String>>(_ counts: [Key: Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (key, value) in counts { result[key.rawValue] = value }
        return result
    }

    private static func decodeRaw<Key: RawRepresentable<String> & Hashable>(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [Key: Int] {
        let raw = try container.decodeIfPresent([String: Int].self, forKey: key) ?? [:]
        var result: [Key: Int] = [:]
        for (name, value) in raw {
            guard let typed = Key(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "unknown value \(name)")
            }
            result[typed] = value
        }
        return result
    }
}

/// A training cohort's funnel from training to practice, as distinct-people counts.
///
/// Cohort-level only, never per person: the point is to see whether a training "took", not who applied it.
public struct TrainingCohortStats: Sendable, Equatable, Codable {
    public var trainingID: String
    public var title: String
    /// People registered for the training.
    public var participants: Int
    /// Participants who reflected at least once after the training.
    public var reflected: Int
    /// Participants who reported applying it on real work.
    public var applied: Int
    /// Participants who reported applying it again later.
    public var repeated: Int

    public init(trainingID: String, title: String, participants: Int, reflected: Int, applied: Int, repeated: Int) {
        self.trainingID = trainingID
        self.title = title
        self.participants = participants
        self.reflected = reflected
        self.applied = applied
        self.repeated = repeated
    }
}

/// Free text someone allowed to be quoted, with the groups needed to decide whether it may be.
///
/// - Important: carries no person, pseudonym or timestamp; the builder drops anything whose consent is
///   `aggregateOnly` and never shows a name with a quote.
public struct QuoteCandidate: Sendable, Equatable, Codable {
    public var text: String
    public var consent: Consent
    /// The smallest group the author belongs to that a reader could narrow the quote down to (usually the team).
    public var group: DigestGroup
    public var roleLevel: RoleLevel

    public init(text: String, consent: Consent, group: DigestGroup, roleLevel: RoleLevel) {
        self.text = text
        self.consent = consent
        self.group = group
        self.roleLevel = roleLevel
    }
}

/// What a leader who chose to be named tried this week.
///
/// Leaders modelling their own use openly is the strongest lever against the stigma of AI use, so these are shown
/// first in team digests.
/// - Important: only `attributed` consent may carry a name; the builder drops every other note even though the
///   store already filters them.
public struct LeaderNote: Sendable, Equatable, Codable {
    public var text: String
    public var displayName: String
    public var consent: Consent

    public init(text: String, displayName: String, consent: Consent) {
        self.text = text
        self.displayName = displayName
        self.consent = consent
    }
}

/// Everything one digest is computed from: aggregated counts, never reflections.
///
/// `stats` holds this week and the weeks before it (at least four for the participation change, up to twelve
/// for trends). Pass every group of each week (all teams, role levels and team×role cells), whatever the
/// audience, so that the suppression pattern is the same in every digest of a week.
public struct DigestInput: Sendable, Equatable, Codable {
    public var audience: DigestAudience
    public var week: WeekKey
    public var stats: [WeekKey: [DigestGroup: GroupWeekStats]]
    public var cohorts: [TrainingCohortStats]
    public var quoteCandidates: [QuoteCandidate]
    public var leaderNotes: [LeaderNote]
    /// Names of people in the directory, scrubbed from quotes and leader notes.
    public var directoryNames: [String]
    public var settings: PrivacySettings
    /// Weeks already released (stored): used as they are, never recomputed from `stats`.
    public var releases: [WeekKey: WeekRelease]
    /// Headcounts per cell for weeks released from `stats` (unknown when absent).
    public var rosters: [WeekKey: WeekRoster]
    /// This week's rotating-question counts, for a week released from `stats`.
    public var questions: QuestionWeekInput?
    /// Consented free-text answers of the week, quoted under their themes (leadership digest).
    public var themeQuotes: [ThemeQuoteCandidate]

    public init(
        audience: DigestAudience,
        week: WeekKey,
        stats: [WeekKey: [DigestGroup: GroupWeekStats]],
        cohorts: [TrainingCohortStats] = [],
        quoteCandidates: [QuoteCandidate] = [],
        leaderNotes: [LeaderNote] = [],
        directoryNames: [String] = [],
        settings: PrivacySettings = PrivacySettings(),
        releases: [WeekKey: WeekRelease] = [:],
        rosters: [WeekKey: WeekRoster] = [:],
        questions: QuestionWeekInput? = nil,
        themeQuotes: [ThemeQuoteCandidate] = []
    ) {
        self.questions = questions
        self.themeQuotes = themeQuotes
        self.releases = releases
        self.rosters = rosters
        self.audience = audience
        self.week = week
        self.stats = stats
        self.cohorts = cohorts
        self.quoteCandidates = quoteCandidates
        self.leaderNotes = leaderNotes
        self.directoryNames = directoryNames
        self.settings = settings
    }

    private enum CodingKeys: String, CodingKey {
        case audience, week, stats, cohorts, quoteCandidates, leaderNotes, directoryNames, settings, releases, rosters
        case questions, themeQuotes
    }

    private struct RosterEntry: Codable {
        var week: WeekKey
        var roster: WeekRoster
    }

    private struct GroupEntry: Codable {
        var group: DigestGroup
        var stats: GroupWeekStats
    }

    private struct WeekEntry: Codable {
        var week: WeekKey
        var groups: [GroupEntry]
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        audience = try container.decode(DigestAudience.self, forKey: .audience)
        week = try container.decode(WeekKey.self, forKey: .week)
        var stats: [WeekKey: [DigestGroup: GroupWeekStats]] = [:]
        for entry in try container.decode([WeekEntry].self, forKey: .stats) {
            var groups = stats[entry.week] ?? [:]
            for group in entry.groups { groups[group.group] = group.stats }
            stats[entry.week] = groups
        }
        self.stats = stats
        cohorts = try container.decodeIfPresent([TrainingCohortStats].self, forKey: .cohorts) ?? []
        quoteCandidates = try container.decodeIfPresent([QuoteCandidate].self, forKey: .quoteCandidates) ?? []
        leaderNotes = try container.decodeIfPresent([LeaderNote].self, forKey: .leaderNotes) ?? []
        directoryNames = try container.decodeIfPresent([String].self, forKey: .directoryNames) ?? []
        settings = try container.decodeIfPresent(PrivacySettings.self, forKey: .settings) ?? PrivacySettings()
        var releases: [WeekKey: WeekRelease] = [:]
        for release in try container.decodeIfPresent([WeekRelease].self, forKey: .releases) ?? [] {
            releases[release.week] = release
        }
        self.releases = releases
        var rosters: [WeekKey: WeekRoster] = [:]
        for entry in try container.decodeIfPresent([RosterEntry].self, forKey: .rosters) ?? [] {
            rosters[entry.week] = entry.roster
        }
        self.rosters = rosters
        questions = try container.decodeIfPresent(QuestionWeekInput.self, forKey: .questions)
        themeQuotes = try container.decodeIfPresent([ThemeQuoteCandidate].self, forKey: .themeQuotes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(audience, forKey: .audience)
        try container.encode(week, forKey: .week)
        let weeks = stats.keys.sorted().map { week in
            WeekEntry(
                week: week,
                groups: (stats[week] ?? [:]).map { GroupEntry(group: $0.key, stats: $0.value) }
                    .sorted { $0.group.sortKey < $1.group.sortKey })
        }
        try container.encode(weeks, forKey: .stats)
        try container.encode(cohorts, forKey: .cohorts)
        try container.encode(quoteCandidates, forKey: .quoteCandidates)
        try container.encode(leaderNotes, forKey: .leaderNotes)
        try container.encode(directoryNames, forKey: .directoryNames)
        try container.encode(settings, forKey: .settings)
        try container.encode(releases.keys.sorted().compactMap { releases[$0] }, forKey: .releases)
        try container.encode(
            rosters.keys.sorted().compactMap { week in rosters[week].map { RosterEntry(week: week, roster: $0) } },
            forKey: .rosters)
        try container.encodeIfPresent(questions, forKey: .questions)
        if !themeQuotes.isEmpty { try container.encode(themeQuotes, forKey: .themeQuotes) }
    }
}

extension DigestGroup {
    /// A total order used wherever the builder must be deterministic (encoding, tie-breaking).
    var sortKey: String {
        switch self {
        case .organisation: "0"
        case .role(let role): "1\u{0}" + role.rawValue
        case .team(let team): "2\u{0}" + team
        case .teamRole(let team, let role): "3\u{0}" + team + "\u{0}" + role.rawValue
        }
    }
}
