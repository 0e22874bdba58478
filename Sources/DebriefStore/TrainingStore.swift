import DebriefCore
import Foundation

/// Trainings, their participants and the nudges sent for them.
///
/// Registering a training, creating its participants and enqueuing their nudge jobs is one transaction,
/// so a training is never half-scheduled.
public protocol TrainingStore: Sendable {
    func registerTraining(_ training: Training, participants: [TrainingParticipant], jobs: [NewJob])
        async throws(StoreError)

    /// Adds one batch of resolved participants (creating or refreshing the people) and enqueues their nudges,
    /// in one transaction, and sets the training's workspace.
    ///
    /// Why batches: a training of 100,000 people in one transaction would hold SQLite's single writer for
    /// seconds, and every `/reflect` waits for the writer. Each batch is idempotent (people are upserted,
    /// participants and jobs are skipped when already there, jobs by their dedupe key), so a resolution that
    /// was interrupted and runs again duplicates nothing.
    func addTrainingParticipants(
        trainingID: String, workspace: String, participants: [TrainingParticipant], jobs: [NewJob], at now: Date
    ) async throws(StoreError)

    /// Records how the resolution ended (the report and the unreachable count); from then on the training
    /// counts as scheduled. Throws ``StoreError/constraintViolated(_:)`` for an unknown training.
    func recordResolution(trainingID: String, workspace: String, report: TrainingResolutionReport)
        async throws(StoreError)

    /// What planning needs about each of these people, read together (people not stored are absent).
    /// Resolving a large training plans thousands of people: one read per batch, not several per person.
    func planningInputs(of people: [Pseudonym]) async throws(StoreError) -> [Pseudonym: PersonPlanningInput]

    /// The trainings with these ids (unknown ids are absent).
    func trainings(ids: [String]) async throws(StoreError) -> [String: Training]

    /// The ids of every training the person takes part in.
    func trainingIDs(of person: Pseudonym) async throws(StoreError) -> [String]

    func resolutionReport(of trainingID: String) async throws(StoreError) -> TrainingResolutionReport?

    func training(id: String) async throws(StoreError) -> Training?

    /// Every training with counts only — never who took part. Each summary (counts, status and resolution
    /// report) is read in one snapshot, so it never says "scheduled" with counts from before the resolution.
    func trainingSummaries() async throws(StoreError) -> [TrainingSummary]

    /// One training's summary, read in one snapshot like ``trainingSummaries()``; nil for an unknown id.
    func trainingSummary(id: String) async throws(StoreError) -> TrainingSummary?

    func isParticipant(_ person: Pseudonym, of trainingID: String) async throws(StoreError) -> Bool

    /// The person's time zone (IANA id) when known.
    func timeZone(of person: Pseudonym) async throws(StoreError) -> String?

    func deliveryAddress(of person: Pseudonym, platform: Platform) async throws(StoreError) -> DeliveryAddress?

    /// Everything sending one nudge reads about its person and training, in one read (on SQLite one snapshot):
    /// the same values
    /// ``training(id:)``, ``planningInputs(of:)``, ``trainings(ids:)``, ``deliveryAddress(of:platform:)`` and
    /// the person's role level would give one by one.
    ///
    /// Why one call: a training of 100,000 people sends hundreds of nudges a second, and on SQLite each read
    /// is a hop to a reader thread and back; five of them per send were the largest share of a send's CPU.
    func nudgeSendContext(of person: Pseudonym, trainingID: String, platform: Platform)
        async throws(StoreError) -> NudgeSendContext

    func recordNudgeSent(_ record: NudgeSendRecord) async throws(StoreError)

    func nudgeSend(id: String) async throws(StoreError) -> NudgeSendRecord?

    /// Everything sent to a person across trainings (for weekly caps and reminders).
    func nudgeSends(to person: Pseudonym) async throws(StoreError) -> [NudgeSendRecord]

    /// Records the person's answer to a nudge; returns false for an unknown nudge.
    func recordNudgeResponse(id: String, response: NudgeResponse, at: Date) async throws(StoreError) -> Bool

    /// The person's reflections that answer a training: (training id, day).
    func trainingReflections(of person: Pseudonym) async throws(StoreError) -> [(trainingID: String, day: Date)]
}

/// A training as stored: what it was and when it ended. Participants are kept separately.
public struct Training: Sendable, Equatable, Codable {
    public var id: String
    public var workspace: String
    public var title: String
    public var topic: String?
    public var endedAt: Date
    public var sequenceID: String
    public var createdAt: Date
    /// People named but not found on the platform (unknown e-mails, deactivated accounts).
    public var unresolvedCount: Int

    public init(
        id: String, workspace: String, title: String, topic: String?, endedAt: Date, sequenceID: String,
        createdAt: Date, unresolvedCount: Int = 0
    ) {
        self.id = id
        self.workspace = workspace
        self.title = title
        self.topic = topic
        self.endedAt = endedAt
        self.sequenceID = sequenceID
        self.createdAt = createdAt
        self.unresolvedCount = unresolvedCount
    }
}

/// What sending one nudge needs to read (``TrainingStore/nudgeSendContext(of:trainingID:platform:)``).
public struct NudgeSendContext: Sendable, Equatable {
    /// The job's training; nil once it was deleted.
    public var training: Training?
    /// What planning needs about the person; nil when the person is not stored (erased).
    public var planning: PersonPlanningInput?
    /// The person's trainings by id (the job's own among them while the person takes part).
    public var trainings: [String: Training]
    /// Where the person is reached on the job's platform; nil when no address is stored there.
    public var address: DeliveryAddress?
    /// The person's role level from the directory (`leader`, …); nil when none is assigned.
    public var roleLevel: String?

    public init(
        training: Training?, planning: PersonPlanningInput?, trainings: [String: Training],
        address: DeliveryAddress?, roleLevel: String?
    ) {
        self.training = training
        self.planning = planning
        self.trainings = trainings
        self.address = address
        self.roleLevel = roleLevel
    }
}

/// What the nudge planner needs to know about one stored person: preferences, time zone, trainings and
/// history (sends with their answers, and reflections on trainings).
public struct PersonPlanningInput: Sendable, Equatable {
    public var preferences: PersonPreferences
    /// IANA zone id when known.
    public var timeZone: String?
    public var trainingIDs: [String]
    public var sends: [NudgeSendRecord]
    public var trainingReflections: [TrainingReflectionDay]

    public init(
        preferences: PersonPreferences, timeZone: String?, trainingIDs: [String], sends: [NudgeSendRecord],
        trainingReflections: [TrainingReflectionDay]
    ) {
        self.preferences = preferences
        self.timeZone = timeZone
        self.trainingIDs = trainingIDs
        self.sends = sends
        self.trainingReflections = trainingReflections
    }

    /// Someone not stored yet: default preferences, no zone, no trainings, no history.
    public static let newcomer = PersonPlanningInput(
        preferences: PersonPreferences(), timeZone: nil, trainingIDs: [], sends: [], trainingReflections: [])
}

/// A reflection that names a training, reduced to the training and the day it was stored.
public struct TrainingReflectionDay: Sendable, Equatable {
    public var trainingID: String
    public var day: Date

    public init(trainingID: String, day: Date) {
        self.trainingID = trainingID
        self.day = day
    }
}

/// One resolved participant: how to reach them and their time zone.
public struct TrainingParticipant: Sendable, Equatable {
    public var pseudonym: Pseudonym
    public var address: DeliveryAddress
    public var timeZone: String?

    public init(pseudonym: Pseudonym, address: DeliveryAddress, timeZone: String?) {
        self.pseudonym = pseudonym
        self.address = address
        self.timeZone = timeZone
    }
}

/// Counts for the admin view; no identities.
///
/// Everything in one summary comes from the same read, so the status and the counts always agree: an LMS
/// polling a training never sees "scheduled" with nobody in it.
public struct TrainingSummary: Sendable, Equatable, Codable {
    public var training: Training
    public var participants: Int
    public var nudgesSent: Int
    public var nudgesPending: Int
    /// How the participant lookup ended; nil while it is still running.
    public var resolution: TrainingResolutionReport?

    public init(
        training: Training, participants: Int, nudgesSent: Int, nudgesPending: Int,
        resolution: TrainingResolutionReport? = nil
    ) {
        self.training = training
        self.participants = participants
        self.nudgesSent = nudgesSent
        self.nudgesPending = nudgesPending
        self.resolution = resolution
    }

    /// `scheduled` once the resolution report is stored (it is written last, after every participant and
    /// nudge), `resolving_participants` before; `too_many_participants` when the report says the training was
    /// stopped at `DEBRIEF_MAX_PARTICIPANTS`.
    public var status: TrainingStatus {
        guard let resolution else { return .resolvingParticipants }
        return resolution.overLimit == nil ? .scheduled : .tooManyParticipants
    }
}

/// Where a training is in its life, as the admin API and `/debrief training list` show it.
public enum TrainingStatus: String, Sendable, Codable {
    /// Accepted; participants are being looked up, so counts may still grow.
    case resolvingParticipants = "resolving_participants"
    /// Every participant found is stored and their nudges are planned.
    case scheduled
    /// A user group or channel held more people than a training may have: nobody was stored or nudged.
    case tooManyParticipants = "too_many_participants"
}

/// How a person answered a nudge's buttons.
public enum NudgeResponse: String, Sendable, Codable {
    case reflected, snoozed, skipped
}

/// A nudge that was delivered, with where it landed so it can be updated later.
public struct NudgeSendRecord: Sendable, Equatable {
    public var id: String
    public var trainingID: String
    public var person: Pseudonym
    public var stageID: String
    /// `primary`, `reminder` or `snoozed` (the planner's ``NudgeKind``).
    public var kind: NudgeKind
    public var sentAt: Date
    public var channel: String
    public var messageTS: String
    public var response: NudgeResponse?
    public var respondedAt: Date?

    public init(
        id: String, trainingID: String, person: Pseudonym, stageID: String, kind: NudgeKind, sentAt: Date,
        channel: String, messageTS: String, response: NudgeResponse? = nil, respondedAt: Date? = nil
    ) {
        self.id = id
        self.trainingID = trainingID
        self.person = person
        self.stageID = stageID
        self.kind = kind
        self.sentAt = sentAt
        self.channel = channel
        self.messageTS = messageTS
        self.response = response
        self.respondedAt = respondedAt
    }
}

/// Dedupe keys of nudge jobs: `nudge:` + the planner's key (`<pseudonym>/<training>/<stage>/<kind>[/n]`).
///
/// The person comes first so stopping or erasing a person cancels all their pending nudges by prefix,
/// and a training's nudges are found by the middle part.
/// Their kind is ``JobKind/nudgeSend``.
public enum NudgeJobKey {
    public static func key(plannerKey: String) -> String { "nudge:" + plannerKey }

    public static func personPrefix(_ person: Pseudonym) -> String { "nudge:\(person.value)/" }
}

/// Who could not be reached when a training's participants were resolved, for the admin.
/// - Important: holds e-mails and user ids of people who are not participants; stores keep it sealed
///   (`IdentifierSealer.Purpose.resolutionReport`) and remove an erased person's user id from it.
public struct TrainingResolutionReport: Sendable, Equatable, Codable {
    public var resolved: Int
    public var unknownEmails: [String]
    public var deactivatedUserIDs: [String]
    /// User ids the workspace does not know (`user_not_found`): a typo, or someone from another workspace.
    public var unknownUserIDs: [String]
    public var unreadableSources: [String]
    /// Set when the sources named more people than a training may have: nothing was scheduled.
    public var overLimit: ParticipantLimitExceeded?

    public init(
        resolved: Int = 0, unknownEmails: [String] = [], deactivatedUserIDs: [String] = [],
        unknownUserIDs: [String] = [],
        unreadableSources: [String] = [], overLimit: ParticipantLimitExceeded? = nil
    ) {
        self.resolved = resolved
        self.unknownEmails = unknownEmails
        self.deactivatedUserIDs = deactivatedUserIDs
        self.unknownUserIDs = unknownUserIDs
        self.unreadableSources = unreadableSources
        self.overLimit = overLimit
    }

    /// Removes a user id from the lists of people who could not be reached; returns whether it was there.
    public mutating func remove(userID: String) -> Bool {
        let before = deactivatedUserIDs.count + unknownUserIDs.count
        deactivatedUserIDs.removeAll { $0 == userID }
        unknownUserIDs.removeAll { $0 == userID }
        return deactivatedUserIDs.count + unknownUserIDs.count != before
    }

    /// People named but not reachable.
    public var unresolvedCount: Int { unknownEmails.count + deactivatedUserIDs.count + unknownUserIDs.count }

    enum CodingKeys: String, CodingKey {
        case resolved, unknownEmails, deactivatedUserIDs, unknownUserIDs, unreadableSources, overLimit
    }

    /// Reports stored before `unknownUserIDs` or `overLimit` existed decode with an empty list and nil.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resolved = try container.decode(Int.self, forKey: .resolved)
        unknownEmails = try container.decode([String].self, forKey: .unknownEmails)
        deactivatedUserIDs = try container.decode([String].self, forKey: .deactivatedUserIDs)
        unknownUserIDs = try container.decodeIfPresent([String].self, forKey: .unknownUserIDs) ?? []
        unreadableSources = try container.decode([String].self, forKey: .unreadableSources)
        overLimit = try container.decodeIfPresent(ParticipantLimitExceeded.self, forKey: .overLimit)
    }
}

/// A training whose user groups, channels and people add up to more than the configured maximum: it is
/// stopped and reported to the admin rather than cut to an arbitrary subset.
public struct ParticipantLimitExceeded: Sendable, Equatable, Codable {
    /// The source being read when the count went over, e.g. "user group S0123" (no personal data).
    public var source: String
    /// The maximum number of participants per training.
    public var limit: Int

    public init(source: String, limit: Int) {
        self.source = source
        self.limit = limit
    }
}
