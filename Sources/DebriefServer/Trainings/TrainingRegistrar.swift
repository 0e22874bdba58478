import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation

/// Accepts trainings from `/debrief training add` and the admin API, then resolves their participants
/// and schedules their nudges in a durable job.
///
/// Accepting is one transaction (the training row and its `training.resolve` job), so an acknowledged
/// training is never lost; resolving talks to Slack (slow, rate limited), so it never blocks the ack.
struct TrainingRegistrar: Sendable {
    /// Parameters of a `training.resolve` job: the training and the user groups and channels to read. People
    /// named by user id or e-mail, and the admin to tell the result, are platform identities: they travel in
    /// the job's sealed ``JobIdentifiers`` (``IdentifierList``), which the store drops when the job is done and
    /// removes an erased person from.
    struct ResolveParameters: Codable, Sendable {
        var trainingID: String
        var participants: [ParticipantSource]
        /// Where the participants are; absent in jobs queued before Teams existed, which are all Slack's.
        var platform: Platform?
    }

    enum Rejection: Error, Equatable, CustomStringConvertible {
        case unknownSequence(String)
        case titleTooLong
        case noParticipants
        /// More user groups, channels, people and e-mails were listed than a training may have people.
        case tooManyParticipants(listed: Int, limit: Int)

        var description: String {
            switch self {
            case .unknownSequence(let id): "there is no nudge sequence `\(id)` in prompts/nudges/"
            case .titleTooLong: "the title is longer than \(TrainingRequest.maximumTitleLength) characters"
            case .noParticipants: "no participants were given"
            case .tooManyParticipants(let listed, let limit):
                "it lists \(listed) participants, and a training can have at most \(limit)"
                    + " (DEBRIEF_MAX_PARTICIPANTS); split it into several trainings"
            }
        }
    }

    let store: any TrainingStore
    let nudges: NudgeLibrary
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    /// The most people one training may have (`DEBRIEF_MAX_PARTICIPANTS`); a list naming more is refused
    /// here, and sources that resolve to more are stopped by the resolution job.
    var maximumParticipants = NudgeConfiguration.defaultMaximumParticipants

    /// Stores the training and its resolution job. `workspace` may be empty when unknown (admin API):
    /// the job then asks the platform which workspace the bot belongs to.
    ///
    /// - Parameter platform: where the participants (and the admin to notify) are.
    func accept(_ request: TrainingRequest, platform: Platform = .slack, workspace: String, notifyUserID: String?)
        async throws -> Training
    {
        guard nudges.sequence(request.sequenceID) != nil else { throw Rejection.unknownSequence(request.sequenceID) }
        guard request.title.count <= TrainingRequest.maximumTitleLength else { throw Rejection.titleTooLong }
        guard !request.participants.isEmpty else { throw Rejection.noParticipants }
        guard request.participants.count <= maximumParticipants else {
            throw Rejection.tooManyParticipants(listed: request.participants.count, limit: maximumParticipants)
        }
        let training = Training(
            id: makeID(), workspace: workspace, title: request.title, topic: request.topic, endedAt: request.endedAt,
            sequenceID: request.sequenceID, createdAt: now())
        let job = try NewJob(
            kind: JobKind.trainingResolve.rawValue,
            parameters: ResolveParameters(
                trainingID: training.id,
                participants: IdentifierList.groupsAndChannels(request.participants), platform: platform),
            runAt: now(), dedupeKey: "training-resolve:\(training.id)", bucket: nil, maxAttempts: 5,
            identifiers: IdentifierList.identifiers(of: request.participants, notify: notifyUserID))
        try await store.registerTraining(training, participants: [], jobs: [job])
        return training
    }
}
