import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation
import Logging
import Metrics

/// What answering a nudge does, the same on every platform: "Snooze 1 day" and "Not this one" are recorded
/// (a snooze re-plans the person), a reflection sent from the nudge's form records it as answered, and the
/// nudge message is replaced by its answered form so its buttons go away.
struct NudgeAnswers: Sendable {
    let trainings: TrainingFeatures
    let reflections: ReflectionService
    /// The person's platform: replaces answered nudges.
    let platform: any ChatPlatform
    let background: BackgroundWork
    let logger: Logger
    let now: @Sendable () -> Date

    /// The nudge `nudgeID` and its training, only when the nudge was sent to `user` (a button forwarded to, or
    /// forged by, someone else does nothing).
    func ownNudge(_ nudgeID: String?, of user: PlatformUser) async throws -> (NudgeSendRecord, Training)? {
        guard let nudgeID, let record = try await trainings.store.nudgeSend(id: nudgeID),
            record.person == reflections.pseudonym(of: user),
            let training = try await trainings.store.training(id: record.trainingID)
        else { return nil }
        return (record, training)
    }

    var texts: NudgeMessageTexts { trainings.nudges.messageTexts(locale: nil) }

    /// Records a snooze and re-plans the person (the next nudge moves a day).
    func snooze(_ record: NudgeSendRecord, of user: PlatformUser) async throws {
        _ = try await trainings.store.recordNudgeResponse(id: record.id, response: .snoozed, at: now())
        try await trainings.scheduler.replan(
            record.person, platform: user.platform, workspace: user.workspace, now: now())
        trainings.wakeWorker()
        NudgeMetrics().snoozed.increment()
    }

    /// Records "not this one".
    func skip(_ record: NudgeSendRecord) async throws {
        _ = try await trainings.store.recordNudgeResponse(id: record.id, response: .skipped, at: now())
        NudgeMetrics().skipped.increment()
        await trainings.habits?.afterNudgeAnswered(record, platform: platform.platform, now: now())
        trainings.wakeWorker()
    }

    /// Records that a reflection answered the nudge.
    func reflected(_ record: NudgeSendRecord) async {
        _ = try? await trainings.store.recordNudgeResponse(id: record.id, response: .reflected, at: now())
        await trainings.habits?.afterNudgeAnswered(record, platform: platform.platform, now: now())
        trainings.wakeWorker()
    }

    /// Replaces the nudge with its answered form, in the background (the click is acknowledged at once).
    func updateNudge(_ record: NudgeSendRecord, _ answer: NudgeAnswer, trainingTitle: String) {
        let platform = self.platform
        let logger = self.logger
        let texts = self.texts
        background.submit("nudge.update") {
            do {
                try await platform.markNudgeAnswered(
                    PostedMessage(channel: record.channel, id: record.messageTS), answer: answer,
                    trainingTitle: trainingTitle, texts: texts)
            } catch {
                logger.warning("updating a nudge message failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
