import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Logging
import Metrics

/// Runs `training.resolve`: the platform's lookups, pseudonyms, plans and the nudge jobs.
///
/// Built for trainings of up to `DEBRIEF_MAX_PARTICIPANTS` (100,000) people without stalling the server:
/// - linear work: what planning needs is read for a batch of people at once (``TrainingStore/planningInputs(of:)``),
///   never several queries per person;
/// - bounded transactions: each batch of `batchSize` people, with their nudge jobs, is committed on its own, so
///   SQLite's single writer is never held for long and `/reflect` keeps writing. Batches are idempotent
///   (upserts, dedupe keys), and the training only counts as scheduled once ``TrainingStore/recordResolution``
///   ran at the end, so a resolution that was interrupted — a crash, SIGTERM — runs again from the start
///   and duplicates nothing;
/// - cooperative: loops pause every few dozen people and stop with `CancellationError` when the job worker
///   cancels them at shutdown (the job then resumes after a restart).
///
/// The job worker runs one resolution at a time (it is CPU-heavy), so one core always stays free for requests.
struct TrainingResolveHandler: JobHandler {
    let store: any TrainingStore
    /// The connected platforms; the job names the one its participants are on (Slack for older jobs).
    let platforms: ChatPlatforms
    let pseudonymizer: Pseudonymizer
    let scheduler: NudgeScheduler
    let now: @Sendable () -> Date
    let logger: Logger
    /// Wakes the job worker so the first nudges are considered at once.
    let onScheduled: @Sendable () -> Void
    /// The most people one training may have (`DEBRIEF_MAX_PARTICIPANTS`).
    var maximumParticipants = NudgeConfiguration.defaultMaximumParticipants
    /// People committed per transaction (with their nudge jobs, about six each): as many as fit in about
    /// 40 ms of the writer, so a `/reflect` waiting behind a batch is still acknowledged at once.
    var batchSizer = BatchSizer(target: .milliseconds(40), initial: 100, minimum: 10, maximum: 1_000)
    /// Pauses while planning, one step per person (planning a person takes tens of microseconds).
    var pace = CooperativePace(every: 32)

    func run(_ job: Job) async throws -> JobOutcome {
        let parameters = try job.decodeParameters(TrainingRegistrar.ResolveParameters.self)
        guard let training = try await store.training(id: parameters.trainingID) else { return .done }
        let platformID = parameters.platform ?? .slack
        guard let platform = platforms[platformID] else {
            return .retry(error: "\(platformID.displayName) is not configured on this server")
        }
        var workspace = training.workspace
        if workspace.isEmpty {
            do {
                workspace = try await platform.workspaceID()
            } catch .cancelled {
                throw CancellationError()
            } catch {
                return .retry(
                    error: "\(platform.platform.displayName) did not say which workspace this is: \(error.code)")
            }
        }
        let resolution: ParticipantResolution
        do {
            resolution = try await platform.resolveParticipants(
                TrainingRegistrar.IdentifierList.participants(parameters, job.identifiers), limit: maximumParticipants)
        } catch let unavailable as ParticipantDirectoryUnavailable {
            return .retry(error: unavailable.description)
        }
        var report = TrainingResolutionReport(
            resolved: 0, unknownEmails: resolution.unknownEmails, deactivatedUserIDs: resolution.deactivatedUserIDs,
            unknownUserIDs: resolution.unknownUserIDs, unreadableSources: resolution.unreadableSources,
            overLimit: resolution.overLimit)
        var nudges = 0
        if resolution.overLimit == nil {
            nudges = try await schedule(resolution.people, of: training, on: platform, workspace: workspace)
            report.resolved = resolution.people.count
        }
        try await store.recordResolution(trainingID: training.id, workspace: workspace, report: report)
        if let overLimit = resolution.overLimit {
            logger.warning(
                "training not scheduled: its participants exceed the maximum",
                metadata: ["training": "\(training.id)", "limit": "\(overLimit.limit)"])
        } else {
            logger.info(
                "training participants resolved",
                metadata: [
                    "training": "\(training.id)", "participants": "\(report.resolved)",
                    "unresolved": "\(report.unresolvedCount)", "nudges": "\(nudges)",
                ])
        }
        if let admin = job.identifiers[TrainingRegistrar.IdentifierList.notify].first {
            try? await platform.reportResolution(
                TrainingResolutionNotice(training: training, report: report, nudges: nudges), to: admin)
        }
        return .done
    }

    /// Stores the people and enqueues their nudges batch by batch; returns how many nudges were planned.
    private func schedule(
        _ people: [ResolvedParticipant], of training: Training, on platform: any ChatPlatform, workspace: String
    )
        async throws -> Int
    {
        var pace = self.pace
        var trainings: [String: Training] = [training.id: training]
        var zones: [String: TimeZone] = [:]
        func zone(_ identifier: String?) -> TimeZone? {
            guard let identifier else { return nil }
            if let known = zones[identifier] { return known }
            let parsed = TimeZone(identifier: identifier)
            if let parsed { zones[identifier] = parsed }
            return parsed
        }
        // In pseudonym order: almost every index a participant touches (people, participants, nudge dedupe
        // keys) is keyed by the pseudonym, so consecutive batches fill neighbouring index pages instead of
        // dirtying a random page per row. That is most of the difference between writing a few hundred
        // megabytes and several gigabytes for 100,000 people. (One sort, O(n log n): about 50 ms for 100,000.)
        var ordered: [(pseudonym: Pseudonym, person: ResolvedParticipant)] = []
        ordered.reserveCapacity(people.count)
        for person in people {
            try await pace.step()
            ordered.append(
                (pseudonymizer.pseudonym(for: user(person, on: platform.platform, workspace: workspace)), person))
        }
        ordered.sort { $0.pseudonym.value < $1.pseudonym.value }
        try await pace.pauseNow()
        var planned = 0
        var sizer = batchSizer
        var start = 0
        while start < ordered.count {
            let slice = ordered[start..<min(ordered.count, start + sizer.size)]
            start = slice.endIndex
            let batch = slice.map(\.person)
            let pseudonyms = slice.map(\.pseudonym)
            let inputs = try await store.planningInputs(of: pseudonyms)
            var missing: Set<String> = []
            for input in inputs.values {
                for id in input.trainingIDs where trainings[id] == nil { missing.insert(id) }
            }
            if !missing.isEmpty {
                trainings.merge(try await store.trainings(ids: Array(missing))) { current, _ in current }
            }
            var participants: [TrainingParticipant] = []
            participants.reserveCapacity(batch.count)
            var jobs: [NewJob] = []
            for (person, pseudonym) in zip(batch, pseudonyms) {
                try await pace.step()
                let user = user(person, on: platform.platform, workspace: workspace)
                participants.append(
                    TrainingParticipant(pseudonym: pseudonym, address: DeliveryAddress(user), timeZone: person.timeZone)
                )
                // Someone not stored yet is planned as a newcomer; everyone with what is known of them so far
                // plus this training (the send jobs re-plan anyway), in the zone Slack reports now.
                let input = inputs[pseudonym] ?? .newcomer
                let plan = scheduler.plan(
                    for: pseudonym, input: input, trainings: trainings, extraTraining: training,
                    timeZone: zone(person.timeZone ?? input.timeZone), now: now())
                jobs += scheduler.jobs(
                    from: plan, trainingID: training.id, platform: platform.platform, workspace: workspace)
            }
            let writeStarted = ContinuousClock.now
            try await store.addTrainingParticipants(
                trainingID: training.id, workspace: workspace, participants: participants, jobs: jobs, at: now())
            sizer.record(items: batch.count, took: ContinuousClock.now - writeStarted)
            planned += jobs.count
            scheduler.metrics.planned.increment(by: Int64(jobs.count))
            onScheduled()
        }
        return planned
    }

    private func user(_ person: ResolvedParticipant, on platform: Platform, workspace: String) -> PlatformUser {
        PlatformUser(platform: platform, workspace: workspace, userID: person.userID)
    }
}
