import Foundation

/// The planner's answer for one person: what to send when, and what will not be sent and why.
///
/// A plan is a full projection from the inputs, not a diff: every open send appears once, either in
/// ``planned`` or in ``cancelled``. Callers replace the person's queued nudge jobs with ``planned`` (matching
/// on ``PlannedNudge/dedupeKey``) and record ``cancelled`` idempotently by the same key.
public struct NudgePlan: Sendable, Equatable, Codable {
    /// Ordered by send time.
    public var planned: [PlannedNudge]
    /// Ordered by training, then stage, then kind.
    public var cancelled: [CancelledNudge]

    public init(planned: [PlannedNudge] = [], cancelled: [CancelledNudge] = []) {
        self.planned = planned
        self.cancelled = cancelled
    }
}

/// One DM to send: a job the queue will store and run at ``at``.
public struct PlannedNudge: Sendable, Hashable, Codable {
    public var person: Pseudonym
    public var trainingID: String
    public var stageID: String
    public var kind: NudgeKind
    /// The instant to send (UTC).
    public var at: Date
    /// What the person's clock shows at ``at``, for previews and logs.
    public var local: LocalDateTime
    /// The zone ``local`` is in (the person's, or the default when theirs is unknown).
    public var timeZoneID: String
    /// Stable across re-plans for the same send, whatever its time: `person/training/stage/kind[/n]`, where
    /// `n` numbers repeated snoozes of one stage.
    public var dedupeKey: String

    public init(
        person: Pseudonym, trainingID: String, stageID: String, kind: NudgeKind, at: Date, local: LocalDateTime,
        timeZoneID: String, dedupeKey: String
    ) {
        self.person = person
        self.trainingID = trainingID
        self.stageID = stageID
        self.kind = kind
        self.at = at
        self.local = local
        self.timeZoneID = timeZoneID
        self.dedupeKey = dedupeKey
    }
}

/// A send that will not happen, with the reason callers record and count.
public struct CancelledNudge: Sendable, Hashable, Codable {
    public var trainingID: String
    public var stageID: String
    public var kind: NudgeKind
    public var reason: CancellationReason
    public var dedupeKey: String

    public init(trainingID: String, stageID: String, kind: NudgeKind, reason: CancellationReason, dedupeKey: String) {
        self.trainingID = trainingID
        self.stageID = stageID
        self.kind = kind
        self.reason = reason
        self.dedupeKey = dedupeKey
    }
}

/// Why a send was dropped. Bounded and person-free, so it can be a metric dimension.
public enum CancellationReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The person was erased (`/reflect forget`).
    case erased
    /// The person turned nudges off (`/reflect stop`).
    case stopped
    /// The send fell before the end of the person's pause; paused nudges are dropped, not queued up.
    case paused
    /// The person pressed "Not this one" for the stage.
    case skipped
    /// The person already reflected on the training in this stage's interval (or answered the nudge).
    case alreadyReflected
    /// The send time passed without a send and it is too late, or a later send makes it pointless.
    case missed
    /// A follow-up would not fit before the training's next stage, which replaces it.
    case supersededByNextStage
    /// No allowed day within the search horizon (no working days, no send window, or a zero budget).
    case noSendableDay
}
