import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging
import Metrics

/// Accepts trainings from `/debrief training add` and the admin API, then resolves their participants
/// and schedules their nudges in a durable job.
///
/// Accepting is one transaction (the training row and its `training.resolve` job), so an acknowledged
/// training is never lost; resolving talks to Slack (slow, rate limited), so it never blocks the ack.
struct TrainingRegistrar: Sendable {
    static let resolveKind = "training.resolve"

    /// Parameters of a `training.resolve` job: the training and the user groups and channels to read. People
    /// named by user id or e-mail, and the admin to tell the result, are platform identities: they travel in
    /// the job's sealed ``JobIdentifiers`` (``IdentifierList``), which the store drops when the job is done and
    /// removes an erased person from.
    struct ResolveParameters: Codable, Sendable {
        var trainingID: String
        var participants: [ParticipantSource]
    }

    enum Rejection: Error, Equatable, CustomStringConvertible {
        case unknownSequence(String)
        case titleTooLong
        case noParticipants

        var description: String {
            switch self {
            case .unknownSequence(let id): "there is no nudge sequence `\(id)` in prompts/nudges/"
            case .titleTooLong: "the title is longer than \(TrainingRequest.maximumTitleLength) characters"
            case .noParticipants: "no participants were given"
            }
        }
    }

    let store: any DebriefDataStore
    let nudges: NudgeLibrary
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String

    /// Stores the training and its resolution job. `workspace` may be empty when unknown (admin API):
    /// the job then asks Slack which workspace the bot token belongs to.
    func accept(_ request: TrainingRequest, workspace: String, notifyUserID: String?) async throws -> Training {
        guard nudges.sequence(request.sequenceID) != nil else { throw Rejection.unknownSequence(request.sequenceID) }
        guard request.title.count <= TrainingRequest.maximumTitleLength else { throw Rejection.titleTooLong }
        guard !request.participants.isEmpty else { throw Rejection.noParticipants }
        let training = Training(
            id: makeID(), workspace: workspace, title: request.title, topic: request.topic, endedAt: request.endedAt,
            sequenceID: request.sequenceID, createdAt: now())
        let job = try NewJob(
            kind: Self.resolveKind,
            parameters: ResolveParameters(
                trainingID: training.id,
                participants: IdentifierList.groupsAndChannels(request.participants)),
            runAt: now(), dedupeKey: "training-resolve:\(training.id)", bucket: nil, maxAttempts: 5,
            identifiers: IdentifierList.identifiers(of: request.participants, notify: notifyUserID))
        try await store.registerTraining(training, participants: [], jobs: [job])
        return training
    }
}

/// Runs `training.resolve`: Slack lookups, pseudonyms, plans, and the nudge jobs — committed together.
struct TrainingResolveHandler: JobHandler {
    let store: any DebriefDataStore
    let api: SlackWebAPIClient
    let pseudonymizer: Pseudonymizer
    let scheduler: NudgeScheduler
    let now: @Sendable () -> Date
    let logger: Logger
    /// Wakes the job worker so the first nudges are considered at once.
    let onScheduled: @Sendable () -> Void

    func run(_ job: Job) async throws -> JobOutcome {
        let parameters = try job.decodeParameters(TrainingRegistrar.ResolveParameters.self)
        guard let training = try await store.training(id: parameters.trainingID) else { return .done }
        var workspace = training.workspace
        if workspace.isEmpty {
            do {
                let identity = try await api.authTest()
                guard let team = identity["team_id"]?.stringValue else { return .retry(error: "auth.test without team_id") }
                workspace = team
            } catch {
                return .retry(error: "auth.test failed: \(error.code ?? "error")")
            }
        }
        let resolution = await SlackParticipantResolver(api: api).resolve(
            TrainingRegistrar.IdentifierList.participants(parameters, job.identifiers))
        var participants: [TrainingParticipant] = []
        var jobs: [NewJob] = []
        let schedule = scheduler.schedule(for: training)
        for person in resolution.people {
            let user = PlatformUser(platform: .slack, workspace: workspace, userID: person.userID)
            let pseudonym = pseudonymizer.pseudonym(for: user)
            participants.append(
                TrainingParticipant(pseudonym: pseudonym, address: DeliveryAddress(user), timeZone: person.timeZone))
            // Plan with what is known of the person so far plus this training; the send jobs re-plan anyway.
            let known = try await scheduler.plan(for: pseudonym, extraTraining: training, now: now())
            let plan = known ?? NudgePlanner.plan(
                training: schedule,
                person: PersonCalendar(person: pseudonym, timeZone: person.timeZone.flatMap(TimeZone.init(identifier:))),
                rules: scheduler.rules, history: NudgeHistory(), now: now())
            jobs += scheduler.jobs(from: plan, trainingID: training.id, workspace: workspace)
        }
        let report = TrainingResolutionReport(
            resolved: participants.count, unknownEmails: resolution.unknownEmails,
            deactivatedUserIDs: resolution.deactivatedUserIDs, unknownUserIDs: resolution.unknownUserIDs,
            unreadableSources: resolution.unreadableSources)
        try await store.addTrainingParticipants(
            trainingID: training.id, workspace: workspace, participants: participants, report: report, jobs: jobs,
            at: now())
        scheduler.metrics.planned.increment(by: Int64(jobs.count))
        logger.info(
            "training participants resolved",
            metadata: ["participants": "\(participants.count)", "unresolved": "\(report.unresolvedCount)", "nudges": "\(jobs.count)"])
        onScheduled()
        if let admin = job.identifiers[TrainingRegistrar.IdentifierList.notify].first {
            let text = Self.summary(training: training, report: report, nudges: jobs.count)
            _ = try? await api.chatPostMessage(channel: admin, text: text, blocks: nil)
        }
        return .done
    }

    /// What the admin is told: counts, and exactly who could not be reached.
    static func summary(training: Training, report: TrainingResolutionReport, nudges: Int) -> String {
        var lines = ["*\(SlackMarkup.escape(training.title))*: \(report.resolved) participants will get \(nudges) nudges in their own working hours."]
        if !report.unknownEmails.isEmpty {
            lines.append("No Slack account for: \(report.unknownEmails.map(SlackMarkup.escape).joined(separator: ", ")).")
        }
        if !report.deactivatedUserIDs.isEmpty {
            lines.append("Deactivated, so skipped: \(report.deactivatedUserIDs.map { "<@\($0)>" }.joined(separator: ", ")).")
        }
        if !report.unknownUserIDs.isEmpty {
            // Plain ids: Slack cannot render a mention of someone it does not know.
            lines.append("Not in this workspace, so skipped: \(report.unknownUserIDs.map(SlackMarkup.escape).joined(separator: ", ")).")
        }
        for source in report.unreadableSources {
            lines.append("Could not read \(SlackMarkup.escape(source)) (is the bot a member?).")
        }
        return lines.joined(separator: "\n")
    }
}

