import Foundation

/// Everything a week's digests may show, for every group and cohort at once: the week's publication.
///
/// A release is made once per week (`DigestBuilder.release`), audited as a whole by the `DisclosureAuditor`,
/// stored, and never recomputed: every digest of the week, the digest page, the privacy receipt and the
/// preview render from it, and later weeks' trends read it instead of recomputing the past with today's
/// teams. So a person who moves team cannot be isolated by comparing two versions of the same week, and
/// asking for a receipt twice gives the same numbers.
///
/// - Important: holds only published values (ranges, shares, medians) plus, for cohorts, the exact counts
///   the next week's release is compared with (`CohortRelease.basis`), which are never shown.
public struct WeekRelease: Sendable, Equatable, Codable {
    public var week: WeekKey
    /// k when the week was released.
    public var threshold: Int
    /// k for quotes when the week was released.
    public var quoteThreshold: Int
    /// The noise applied to counts, if any.
    public var noiseEpsilon: Double?
    /// Headcounts per cell when the week was released (nil when unknown, e.g. in tests of the text).
    public var roster: WeekRoster?
    /// Every group with people in it, shown or not, in `DigestGroup.sortKey` order.
    public var groups: [GroupRelease]
    /// Every training cohort with at least k participants that had ended, by title.
    public var cohorts: [CohortRelease]
    /// Some trainings had fewer than k participants and are not shown.
    public var cohortsHidden: Bool
    /// The rotating questions' expectation gap and themes; nil for weeks released without them (and releases
    /// stored before questions existed, which still decode).
    public var questions: QuestionRelease?

    public init(
        week: WeekKey, threshold: Int, quoteThreshold: Int, noiseEpsilon: Double?, roster: WeekRoster?,
        groups: [GroupRelease], cohorts: [CohortRelease], cohortsHidden: Bool = false,
        questions: QuestionRelease? = nil
    ) {
        self.questions = questions
        self.cohortsHidden = cohortsHidden
        self.week = week
        self.threshold = threshold
        self.quoteThreshold = quoteThreshold
        self.noiseEpsilon = noiseEpsilon
        self.roster = roster
        self.groups = groups
        self.cohorts = cohorts
    }

    /// The release of `group`, or nil when the group had nobody in it.
    public func group(_ group: DigestGroup) -> GroupRelease? { groups.first { $0.group == group } }

    /// The shown release of `group`, or nil when it was hidden or had nobody in it.
    public func shown(_ group: DigestGroup) -> GroupRelease? {
        guard let release = self.group(group), release.visibility == .shown else { return nil }
        return release
    }
}

/// Whether a group is shown in a week, and if not, why (in the digest's words, never with a number).
public enum GroupVisibility: String, Sendable, Equatable, Codable {
    case shown
    /// Fewer than k people in the group at all (known from the roster, so saying so reveals nothing).
    case belowThreshold = "below_threshold"
    /// A group of at least k people that is hidden, for whichever reason: fewer than k answered, a smaller
    /// group could be derived, or the auditor found that showing it would pin something down. One reason for
    /// all of them, as statistical offices mark primary and secondary suppressions alike: a reason that
    /// depended on the answers would itself be a published number.
    case protectsSmallerGroup = "protects_smaller_group"

    var reason: SuppressionReason? {
        switch self {
        case .shown: nil
        case .belowThreshold: .belowThreshold
        case .protectsSmallerGroup: .protectsSmallerGroup
        }
    }
}

/// One group's published values in one week. Everything is nil for a hidden group.
public struct GroupRelease: Sendable, Equatable, Codable {
    public var group: DigestGroup
    public var visibility: GroupVisibility
    /// People who reflected, as a range.
    public var respondents: CountBucket?
    /// Reflections, as a range (organisation and teams only).
    public var reflections: CountBucket?
    /// How finely shares of this group are shown.
    public var precision: SharePrecision
    /// Share of respondents reporting a real difference; nil when withheld.
    public var difference: PublishedPercent?
    /// A 95 % interval for that share, computed from what is shown (every count consistent with the range
    /// and the share), so it adds nothing a reader could not compute.
    public var differenceInterval: PercentInterval?
    /// nil when fewer than k people gave minutes saved.
    public var medianMinutes: MinutesSaved?
    /// nil when fewer than k people gave a confidence level.
    public var medianConfidence: Double?
    /// At least k_quotes people reflected: quotes from or about this group may appear.
    public var quotable: Bool
    /// Distributions, for the organisation and teams (the groups digests are about).
    public var outcomeMix: OutcomeMixSection?
    public var minutesSaved: MinutesSavedSection?
    public var confidence: ConfidenceSection?
    public var categories: CategorySection?
    public var blockers: BlockerSection?

    public init(
        group: DigestGroup, visibility: GroupVisibility, respondents: CountBucket? = nil,
        reflections: CountBucket? = nil, precision: SharePrecision = .quarters, difference: PublishedPercent? = nil,
        differenceInterval: PercentInterval? = nil, medianMinutes: MinutesSaved? = nil,
        medianConfidence: Double? = nil, quotable: Bool = false, outcomeMix: OutcomeMixSection? = nil,
        minutesSaved: MinutesSavedSection? = nil, confidence: ConfidenceSection? = nil,
        categories: CategorySection? = nil, blockers: BlockerSection? = nil
    ) {
        self.group = group
        self.visibility = visibility
        self.respondents = respondents
        self.reflections = reflections
        self.precision = precision
        self.difference = difference
        self.differenceInterval = differenceInterval
        self.medianMinutes = medianMinutes
        self.medianConfidence = medianConfidence
        self.quotable = quotable
        self.outcomeMix = outcomeMix
        self.minutesSaved = minutesSaved
        self.confidence = confidence
        self.categories = categories
        self.blockers = blockers
    }
}

/// One training cohort's funnel as published in a week.
public struct CohortRelease: Sendable, Equatable, Codable {
    public var trainingID: String
    public var title: String
    public var participants: CountBucket
    /// Share of participants who reflected at least once; nil while fewer than k have.
    public var reflected: PublishedPercent?
    /// Share of participants who reported applying it on real work; nil while fewer than k reflected.
    public var applied: PublishedPercent?
    /// Share of participants who reported applying it again later; nil while fewer than k reflected.
    public var repeated: PublishedPercent?
    /// The exact counts the shown shares were computed from. Never shown; the next week's release publishes
    /// new shares only when at least k more people reflected (otherwise it repeats these), so the difference
    /// between two weeks never isolates fewer than k people.
    public var basis: TrainingCohortStats

    public init(
        trainingID: String, title: String, participants: CountBucket, reflected: PublishedPercent?,
        applied: PublishedPercent?, repeated: PublishedPercent?, basis: TrainingCohortStats
    ) {
        self.trainingID = trainingID
        self.title = title
        self.participants = participants
        self.reflected = reflected
        self.applied = applied
        self.repeated = repeated
        self.basis = basis
    }
}
