import Foundation

/// One weekly digest, ready for a renderer (Block Kit, text, the HTML page): numbers already bucketed, rounded,
/// suppressed and scrubbed.
///
/// Renderers must not compute anything privacy-relevant; everything a reader may see is in here, and nothing
/// else. A nil section is suppressed or empty; why is listed in `suppressed` (in words, never with a number).
/// `sectionOrder` is the order to show the present sections in (team digests start with what leaders tried).
/// - Important: the document contains no exact respondent count, no per-person value, list, streak or ranking.
///   Counts appear only as `CountBucket`s, shares only as `PublishedPercent`s, and every number in it comes
///   from the week's audited `WeekRelease` (or earlier weeks' releases, for trends).
public struct DigestDocument: Sendable, Equatable, Codable {
    public var audience: DigestAudience
    public var week: WeekKey
    /// Too few answers this week: render `quietReason` as the whole digest (plus `fromLeaders`, if present).
    public var isQuiet: Bool
    /// One line for a quiet week; nil otherwise.
    public var quietReason: String?
    /// The order to show the present sections in.
    public var sectionOrder: [DigestSectionKind]
    public var participation: ParticipationSection?
    public var outcomeMix: OutcomeMixSection?
    public var minutesSaved: MinutesSavedSection?
    public var confidence: ConfidenceSection?
    public var categories: CategorySection?
    public var blockers: BlockerSection?
    public var perceptionGap: PerceptionGapSection?
    /// Rows per role level and per team; leadership digests only.
    public var breakdown: GroupBreakdownSection?
    public var trainingToPractice: TrainingToPracticeSection?
    public var quotes: QuotesSection?
    public var fromLeaders: LeaderNotesSection?
    /// What leaders said will change, in answer to earlier digests; team digests only (issue #13).
    public var youSaidWeDid: YouSaidWeDidSection?
    /// Share of recent top blockers leaders answered; leadership digests only (issue #13).
    public var loopClosure: LoopClosureSection?
    /// Leaders' answers to the rotating questions beside ICs'; leadership digests only.
    public var expectationGap: ExpectationGapSection?
    /// The most frequent themes in free-text answers; leadership digests only.
    public var themes: ThemesSection?
    /// One colleague's example for the team's top use case (team digests; see ``TryThisSection``).
    public var tryThis: TryThisSection? = nil
    /// What was held back and why, for the footer. Never contains a number other than the thresholds.
    public var suppressed: [SuppressedSection]
    public var footer: DigestFooter

    public init(
        audience: DigestAudience,
        week: WeekKey,
        isQuiet: Bool,
        quietReason: String?,
        sectionOrder: [DigestSectionKind],
        participation: ParticipationSection? = nil,
        outcomeMix: OutcomeMixSection? = nil,
        minutesSaved: MinutesSavedSection? = nil,
        confidence: ConfidenceSection? = nil,
        categories: CategorySection? = nil,
        blockers: BlockerSection? = nil,
        perceptionGap: PerceptionGapSection? = nil,
        breakdown: GroupBreakdownSection? = nil,
        trainingToPractice: TrainingToPracticeSection? = nil,
        quotes: QuotesSection? = nil,
        fromLeaders: LeaderNotesSection? = nil,
        suppressed: [SuppressedSection],
        footer: DigestFooter,
        expectationGap: ExpectationGapSection? = nil,
        themes: ThemesSection? = nil
    ) {
        self.expectationGap = expectationGap
        self.themes = themes
        self.audience = audience
        self.week = week
        self.isQuiet = isQuiet
        self.quietReason = quietReason
        self.sectionOrder = sectionOrder
        self.participation = participation
        self.outcomeMix = outcomeMix
        self.minutesSaved = minutesSaved
        self.confidence = confidence
        self.categories = categories
        self.blockers = blockers
        self.perceptionGap = perceptionGap
        self.breakdown = breakdown
        self.trainingToPractice = trainingToPractice
        self.quotes = quotes
        self.fromLeaders = fromLeaders
        self.suppressed = suppressed
        self.footer = footer
    }
}

/// The sections a digest can have, in the vocabulary renderers and templates use. Raw values are stable.
public enum DigestSectionKind: String, CaseIterable, Sendable, Equatable, Codable {
    case participation
    case outcomeMix = "outcome_mix"
    case minutesSaved = "minutes_saved"
    case confidence
    case categories
    case blockers
    case perceptionGap = "perception_gap"
    case breakdown
    case trainingToPractice = "training_to_practice"
    case quotes
    case fromLeaders = "from_leaders"
    case youSaidWeDid = "you_said_we_did"
    case loopClosure = "loop_closure"
    case expectationGap = "expectation_gap"
    case themes
    case tryThis = "try_this"
}

// MARK: - Participation

/// How many people reflected, as a range, and how that moved.
public struct ParticipationSection: Sendable, Equatable, Codable {
    /// Distinct people who reflected this week.
    public var respondents: CountBucket
    /// Reflections this week.
    public var reflections: CountBucket
    /// Against the average of the previous four weeks; nil when any of them was hidden or missing (a change
    /// would reveal a hidden week).
    public var change: ParticipationChange?
    /// Oldest first, ending with this week; `respondents` is nil for a week that was hidden.
    public var trend: [ParticipationPoint]

    public init(
        respondents: CountBucket, reflections: CountBucket, change: ParticipationChange?, trend: [ParticipationPoint]
    ) {
        self.respondents = respondents
        self.reflections = reflections
        self.change = change
        self.trend = trend
    }
}

/// One week of the participation trend.
public struct ParticipationPoint: Sendable, Equatable, Codable {
    public var week: WeekKey
    /// nil: the group was below the threshold (or protecting another group) that week.
    public var respondents: CountBucket?

    public init(week: WeekKey, respondents: CountBucket?) {
        self.week = week
        self.respondents = respondents
    }
}

/// A direction and a coarse magnitude, never a difference in people.
public struct ParticipationChange: Sendable, Equatable, Codable {
    public var direction: ChangeDirection
    public var magnitude: ChangeMagnitude

    public init(direction: ChangeDirection, magnitude: ChangeMagnitude) {
        self.direction = direction
        self.magnitude = magnitude
    }
}

/// Which way participation moved; `steady` hides changes under 10%, which are mostly noise at these sizes.
public enum ChangeDirection: String, Sendable, Equatable, Codable, CaseIterable {
    case up, down, steady
}

/// A relative change as a range of percents ("25–49%"); `steady` changes are "under 10%".
public struct ChangeMagnitude: Sendable, Equatable, Codable {
    public var lowerPercent: Int
    /// Inclusive; nil for the open top range ("100%+").
    public var upperPercent: Int?
    public var label: String

    public init(lowerPercent: Int, upperPercent: Int?, label: String) {
        self.lowerPercent = lowerPercent
        self.upperPercent = upperPercent
        self.label = label
    }
}

// MARK: - Outcomes, minutes, confidence, categories, blockers

/// What applying AI changed, as shares of this week's reflections.
public struct OutcomeMixSection: Sendable, Equatable, Codable {
    /// Every outcome in `Outcome.allCases` order, at the group's precision (`SharePrecision`).
    public var shares: [OutcomeShare]
    /// Share of respondents (people, not reflections) reporting a real difference; nil when withheld.
    public var difference: PublishedPercent?

    public init(shares: [OutcomeShare], difference: PublishedPercent?) {
        self.shares = shares
        self.difference = difference
    }
}

/// One outcome's share of the week's reflections: shares, never counts, so no one answer stands out.
public struct OutcomeShare: Sendable, Equatable, Codable {
    public var outcome: Outcome
    public var percent: PublishedPercent

    public init(outcome: Outcome, percent: PublishedPercent) {
        self.outcome = outcome
        self.percent = percent
    }
}

/// Minutes saved per reflection: the median bucket and the interquartile range, never a mean that one
/// enthusiastic answer could drag.
public struct MinutesSavedSection: Sendable, Equatable, Codable {
    public var median: MinutesSaved
    /// The 25th percentile's bucket.
    public var lowerQuartile: MinutesSaved
    /// The 75th percentile's bucket.
    public var upperQuartile: MinutesSaved
    /// `median.midpointMinutes`, for charts.
    public var medianMinutes: Int
    /// Every bucket in `MinutesSaved.allCases` order, at the group's precision.
    public var shares: [MinutesShare]

    public init(
        median: MinutesSaved, lowerQuartile: MinutesSaved, upperQuartile: MinutesSaved, medianMinutes: Int,
        shares: [MinutesShare]
    ) {
        self.median = median
        self.lowerQuartile = lowerQuartile
        self.upperQuartile = upperQuartile
        self.medianMinutes = medianMinutes
        self.shares = shares
    }
}

/// One minutes-saved bucket's share of the reflections that gave minutes.
public struct MinutesShare: Sendable, Equatable, Codable {
    public var bucket: MinutesSaved
    public var percent: PublishedPercent

    public init(bucket: MinutesSaved, percent: PublishedPercent) {
        self.bucket = bucket
        self.percent = percent
    }
}

/// Confidence (1–5) in what AI produced.
public struct ConfidenceSection: Sendable, Equatable, Codable {
    /// The median level; a half (3.5) when the two middle answers differ.
    public var median: Double
    /// Levels 1...5 in order, at the group's precision.
    public var shares: [ConfidenceShare]

    public init(median: Double, shares: [ConfidenceShare]) {
        self.median = median
        self.shares = shares
    }
}

/// One confidence level's share of the reflections that gave a level.
public struct ConfidenceShare: Sendable, Equatable, Codable {
    public var level: Int
    public var percent: PublishedPercent

    public init(level: Int, percent: PublishedPercent) {
        self.level = level
        self.percent = percent
    }
}

/// The most common task categories.
public struct CategorySection: Sendable, Equatable, Codable {
    /// Largest first (by the shown share, ties in vocabulary order); shares of this week's reflections.
    public var top: [CategoryShare]

    public init(top: [CategoryShare]) { self.top = top }
}

/// One task category's share of the week's reflections.
public struct CategoryShare: Sendable, Equatable, Codable {
    public var category: TaskCategory
    public var percent: PublishedPercent

    public init(category: TaskCategory, percent: PublishedPercent) {
        self.category = category
        self.percent = percent
    }
}

/// The most common blockers.
public struct BlockerSection: Sendable, Equatable, Codable {
    /// Largest first (by the shown share, ties in vocabulary order); each the share of this week's
    /// reflections mentioning it (they need not sum to 100).
    public var top: [BlockerShare]

    public init(top: [BlockerShare]) { self.top = top }
}

/// The percent of the week's reflections that mention one blocker.
public struct BlockerShare: Sendable, Equatable, Codable {
    public var blocker: Blocker
    public var percent: PublishedPercent

    public init(blocker: Blocker, percent: PublishedPercent) {
        self.blocker = blocker
        self.percent = percent
    }
}

// MARK: - Perception gap

/// Leaders and ICs asked the same questions, side by side, with uncertainty so small samples are not over-read.
public struct PerceptionGapSection: Sendable, Equatable, Codable {
    /// `.organisation`, or `.team(name)` when a team digest has enough leaders and ICs of its own.
    public var scope: DigestGroup
    public var leaders: PerceptionGapSide
    public var ics: PerceptionGapSide
    /// Leaders' share minus ICs' share, in points (the difference of the two shown shares' midpoints).
    public var gapPoints: Int
    /// A 95% interval for the gap in points: Newcombe's hybrid score interval, widened to cover every pair
    /// of counts consistent with the two shown sides (so it adds nothing to what is shown), rounded outwards.
    public var gapInterval: PercentInterval
    /// False when the interval includes 0: "not a clear difference".
    public var isClearDifference: Bool
    /// Oldest first, only weeks where both groups could be shown.
    public var trend: [PerceptionGapPoint]

    public init(
        scope: DigestGroup, leaders: PerceptionGapSide, ics: PerceptionGapSide, gapPoints: Int,
        gapInterval: PercentInterval, isClearDifference: Bool, trend: [PerceptionGapPoint]
    ) {
        self.scope = scope
        self.leaders = leaders
        self.ics = ics
        self.gapPoints = gapPoints
        self.gapInterval = gapInterval
        self.isClearDifference = isClearDifference
        self.trend = trend
    }
}

/// One side of the perception gap.
public struct PerceptionGapSide: Sendable, Equatable, Codable {
    public var role: RoleLevel
    public var respondents: CountBucket
    /// Share of respondents reporting a real difference (saved time, better quality or a new capability).
    public var difference: PublishedPercent
    /// Wilson 95% interval of that share over every count consistent with what is shown, rounded outwards.
    public var differenceInterval: PercentInterval
    /// nil when nobody in the group gave minutes saved (quick reflections carry none).
    public var medianMinutes: MinutesSaved?
    /// nil when nobody in the group gave a confidence level.
    public var medianConfidence: Double?

    public init(
        role: RoleLevel, respondents: CountBucket, difference: PublishedPercent, differenceInterval: PercentInterval,
        medianMinutes: MinutesSaved?, medianConfidence: Double?
    ) {
        self.role = role
        self.respondents = respondents
        self.difference = difference
        self.differenceInterval = differenceInterval
        self.medianMinutes = medianMinutes
        self.medianConfidence = medianConfidence
    }
}

/// One week of the perception-gap trend.
public struct PerceptionGapPoint: Sendable, Equatable, Codable {
    public var week: WeekKey
    public var leaderPercent: PublishedPercent
    public var icPercent: PublishedPercent
    public var gapPoints: Int
    public var gapInterval: PercentInterval
    public var isClearDifference: Bool

    public init(
        week: WeekKey, leaderPercent: PublishedPercent, icPercent: PublishedPercent, gapPoints: Int,
        gapInterval: PercentInterval,
        isClearDifference: Bool
    ) {
        self.week = week
        self.leaderPercent = leaderPercent
        self.icPercent = icPercent
        self.gapPoints = gapPoints
        self.gapInterval = gapInterval
        self.isClearDifference = isClearDifference
    }
}

/// A closed interval in whole percents (or percentage points for a difference).
public struct PercentInterval: Sendable, Equatable, Codable {
    public var lower: Int
    public var upper: Int

    public init(lower: Int, upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ value: Int) -> Bool { lower <= value && value <= upper }
}

// MARK: - Breakdown

/// Rows per role level and per team in the leadership digest. Hidden rows are left out entirely.
public struct GroupBreakdownSection: Sendable, Equatable, Codable {
    /// Leaders, managers, ICs (in that order), those that may be shown.
    public var roles: [GroupRow]
    /// Teams by name, those that may be shown.
    public var teams: [GroupRow]

    public init(roles: [GroupRow], teams: [GroupRow]) {
        self.roles = roles
        self.teams = teams
    }
}

/// One group's headline measures.
public struct GroupRow: Sendable, Equatable, Codable {
    public var group: DigestGroup
    /// "Leaders", "Managers", "ICs" or the team's name.
    public var label: String
    public var respondents: CountBucket
    /// Share reporting a real difference; nil when withheld.
    public var difference: PublishedPercent?
    /// nil when fewer than k people in the group gave minutes saved (quick reflections carry none).
    public var medianMinutes: MinutesSaved?
    /// nil when fewer than k people in the group gave a confidence level.
    public var medianConfidence: Double?

    public init(
        group: DigestGroup, label: String, respondents: CountBucket, difference: PublishedPercent?,
        medianMinutes: MinutesSaved?, medianConfidence: Double?
    ) {
        self.group = group
        self.label = label
        self.respondents = respondents
        self.difference = difference
        self.medianMinutes = medianMinutes
        self.medianConfidence = medianConfidence
    }
}

// MARK: - Training to practice

/// For each training cohort: how many of its participants reflected, applied it, repeated it.
public struct TrainingToPracticeSection: Sendable, Equatable, Codable {
    public var cohorts: [CohortRow]

    public init(cohorts: [CohortRow]) { self.cohorts = cohorts }
}

/// One cohort's funnel, as shares of its participants; the shares are nil while fewer than k participants
/// have reflected (then nothing about what they answered is shown).
public struct CohortRow: Sendable, Equatable, Codable {
    public var trainingID: String
    public var title: String
    public var participants: CountBucket
    public var reflectedPercent: PublishedPercent?
    public var appliedPercent: PublishedPercent?
    public var repeatedPercent: PublishedPercent?

    public init(
        trainingID: String, title: String, participants: CountBucket, reflectedPercent: PublishedPercent?,
        appliedPercent: PublishedPercent?, repeatedPercent: PublishedPercent?
    ) {
        self.trainingID = trainingID
        self.title = title
        self.participants = participants
        self.reflectedPercent = reflectedPercent
        self.appliedPercent = appliedPercent
        self.repeatedPercent = repeatedPercent
    }
}

// MARK: - Quotes and leaders

/// Scrubbed, shuffled quotes, at most the configured maximum.
public struct QuotesSection: Sendable, Equatable, Codable {
    public var quotes: [DigestQuote]

    public init(quotes: [DigestQuote]) { self.quotes = quotes }
}

/// - Important: never carries a name, time or team; `role` only when that role group is large enough for quotes.
public struct DigestQuote: Sendable, Equatable, Codable {
    public var text: String
    public var role: RoleLevel?

    public init(text: String, role: RoleLevel?) {
        self.text = text
        self.role = role
    }
}

/// What leaders who chose to be named tried this week.
public struct LeaderNotesSection: Sendable, Equatable, Codable {
    public var notes: [DigestLeaderNote]

    public init(notes: [DigestLeaderNote]) { self.notes = notes }
}

/// What one leader tried, with the name they chose to show.
///
/// - Important: only leaders with `attributed` consent ever appear here.
public struct DigestLeaderNote: Sendable, Equatable, Codable {
    public var displayName: String
    /// Scrubbed like quotes.
    public var text: String

    public init(displayName: String, text: String) {
        self.displayName = displayName
        self.text = text
    }
}

// MARK: - Suppression and footer

/// A section (or part of one) that was held back, and why, in words.
public struct SuppressedSection: Sendable, Equatable, Codable {
    public var section: DigestSectionKind
    public var reason: SuppressionReason
    /// A sentence for the footer, e.g. "Some teams are not shown: fewer than 5 people answered, or showing them
    /// would reveal a smaller group." Mentions thresholds only, never a count.
    public var message: String

    public init(section: DigestSectionKind, reason: SuppressionReason, message: String) {
        self.section = section
        self.reason = reason
        self.message = message
    }
}

/// Why something was held back, so renderers can group footer notes; the words are in `SuppressedSection.message`.
public enum SuppressionReason: String, Sendable, Equatable, Codable, CaseIterable {
    /// Fewer than k respondents.
    case belowThreshold = "below_threshold"
    /// Shown, it would let a hidden group be derived by subtraction.
    case protectsSmallerGroup = "protects_smaller_group"
    /// A comparison with earlier weeks would reveal a week that was hidden.
    case earlierWeeksHidden = "earlier_weeks_hidden"
    /// Fewer than k_quotes respondents for quotes.
    case tooFewForQuotes = "too_few_for_quotes"
    /// Fewer than k people answered the question a statistic summarises.
    case tooFewAnswered = "too_few_answered"
    /// Nothing to show (no answers, no trainings, no notes).
    case noData = "no_data"
}

/// The privacy statement every digest ends with.
public struct DigestFooter: Sendable, Equatable, Codable {
    /// k: groups with fewer respondents show nothing.
    public var threshold: Int
    /// k for quotes.
    public var quoteThreshold: Int
    /// The epsilon of the noise added to counts, when noise was applied.
    public var noiseEpsilon: Double?
    /// Sentences for the footer: the thresholds, the noise, what was suppressed.
    public var lines: [String]

    public init(threshold: Int, quoteThreshold: Int, noiseEpsilon: Double?, lines: [String]) {
        self.threshold = threshold
        self.quoteThreshold = quoteThreshold
        self.noiseEpsilon = noiseEpsilon
        self.lines = lines
    }
}
