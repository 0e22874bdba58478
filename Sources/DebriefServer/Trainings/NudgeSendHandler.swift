import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Logging
import Metrics

/// Runs `nudge.send` jobs: re-plans the person, and sends the DM only if the plan still says "now".
///
/// The job names the platform (Slack unless it says otherwise); the DM goes through that platform's adapter to
/// the address stored for the person there.
/// - Important: neither the address nor the nudge text is logged.
struct NudgeSendHandler: JobHandler {
    let scheduler: NudgeScheduler
    let store: any TrainingStore
    /// The connected platforms; their nudge sends do not wait out 429s themselves: the bucket pause below
    /// does, for every sender.
    let platforms: ChatPlatforms
    let limiter: BucketRateLimiter
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    let logger: Logger
    /// Queues the habit offer after a training's last stage, and leaders' weekly ask.
    var habits: HabitScheduler? = nil
    let metrics = NudgeMetrics()

    /// A send this far before its planned instant waits instead (clock jitter, early polls).
    static let earlyTolerance: TimeInterval = 60

    func run(_ job: Job) async throws -> JobOutcome {
        let parameters = try job.decodeParameters(NudgeScheduler.SendParameters.self)
        let person = Pseudonym(rawValue: parameters.person)
        let platformID = parameters.platform ?? .slack
        // Everything this send reads, in one read: five separate reads, each a hop to a reader thread and
        // back, were most of a send's CPU when a large training sends hundreds a second.
        let context = try await store.nudgeSendContext(
            of: person, trainingID: parameters.trainingID, platform: platformID)
        guard let training = context.training else { return .done }
        guard let input = context.planning else {
            metrics.cancelled(.erased).increment()
            return .done
        }
        let plan = scheduler.plan(
            for: person, input: input, trainings: context.trainings, extraTraining: nil,
            timeZone: input.timeZone.flatMap(TimeZone.init(identifier:)), now: now())
        if let cancelled = plan.cancelled.first(where: { $0.dedupeKey == parameters.plannerKey }) {
            metrics.cancelled(cancelled.reason).increment()
            return .done
        }
        guard let planned = plan.planned.first(where: { $0.dedupeKey == parameters.plannerKey }) else {
            // Already sent (a repeat after a crash) or no longer part of the plan.
            return .done
        }
        if planned.at.timeIntervalSince(now()) > Self.earlyTolerance {
            return .rescheduled(at: planned.at)
        }
        guard let platform = platforms[platformID] else {
            return .retry(error: "\(platformID.displayName) is not configured on this server")
        }
        guard let address = context.address else { return .done }
        // "N days" as the person counts them: calendar days on their clock (the zone the plan used for them).
        let zone = TimeZone(identifier: planned.timeZoneID) ?? scheduler.rules.defaultTimeZone
        let daysSince = max(0, zone.calendarDays(from: training.endedAt, to: now()))
        let text: String
        do {
            text = try scheduler.nudges.text(
                sequence: training.sequenceID, stage: parameters.stageID, locale: nil, pseudonym: person.value,
                trainingTitle: training.title, daysSince: daysSince,
                kind: parameters.kind == .reminder ? .reminder : .primary)
        } catch {
            return .failedPermanently(error: "nudge text missing: \(error)")
        }
        let nudgeID = makeID()
        let nudge = NudgeDelivery(
            text: text, trainingTitle: training.title, nudgeID: nudgeID,
            texts: scheduler.nudges.messageTexts(locale: nil))
        let bucket = job.bucket ?? "\(platformID.rawValue):\(address.workspace)"
        try await limiter.acquire(bucket)
        let reference: PostedMessage
        do {
            reference = try await platform.sendNudge(nudge, to: address)
        } catch {
            return await outcome(of: error, platform: platformID, bucket: bucket)
        }
        // A crash between the post and this record repeats at most this one nudge (at-least-once).
        try await store.recordNudgeSent(
            NudgeSendRecord(
                id: nudgeID, trainingID: training.id, person: person, stageID: parameters.stageID,
                kind: parameters.kind, sentAt: now(), channel: reference.channel, messageTS: reference.id))
        metrics.sent.increment()
        if let habits {
            // The nudge is sent and recorded; a failure here only delays the habit offer to the next trigger.
            do {
                try await habits.afterNudge(
                    person, trainingID: training.id, stageID: parameters.stageID,
                    isLastStage: habits.isLastStage(parameters.stageID, of: training), answered: false,
                    platform: platformID, workspace: address.workspace, now: now(),
                    isLeader: context.roleLevel == RoleLevel.leader.rawValue)
            } catch {
                logger.warning("queueing the habit offer failed", metadata: ["error": "\(error)"])
            }
        }
        return .done
    }

    func outcome(of error: ChatPlatformError, platform: Platform, bucket: String) async -> JobOutcome {
        switch error {
        case .rateLimited(let retryAfter):
            let wait = retryAfter ?? .seconds(30)
            await limiter.pause(bucket, for: wait)
            metrics.rateLimited.increment()
            logger.warning(
                "\(platform.displayName) rate limited nudge sends; pausing the workspace bucket",
                metadata: ["wait": "\(wait)"])
            return .rescheduled(at: now().addingTimeInterval(Double(wait.components.seconds) + 1))
        case .refused(let code):
            metrics.failed.increment()
            return .failedPermanently(error: "\(platform.displayName): \(code)")
        case .cancelled:
            return .retry(error: "\(platform.displayName): cancelled")
        case .unavailable(let code):
            metrics.failed.increment()
            return .retry(error: "\(platform.displayName): \(code)")
        }
    }
}

/// Nudge counters with bounded labels; nothing per person.
struct NudgeMetrics: Sendable {
    let sent = Counter(label: "debrief_nudges_sent_total")
    let failed = Counter(label: "debrief_nudges_failed_total")
    let rateLimited = Counter(label: "debrief_nudges_rate_limited_total")
    let snoozed = Counter(label: "debrief_nudges_snoozed_total")
    let skipped = Counter(label: "debrief_nudges_skipped_total")
    let planned = Counter(label: "debrief_nudges_planned_total")

    func cancelled(_ reason: CancellationReason) -> Counter {
        Counter(label: "debrief_nudges_cancelled_total", dimensions: [("reason", reason.rawValue)])
    }
}
