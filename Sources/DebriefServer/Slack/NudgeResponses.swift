import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging
import Metrics

/// What a person does with a nudge DM: "Reflect" opens the form, "Snooze 1 day" and "Not this one" are
/// recorded (and re-plan the person), and a reflection sent from the form replaces the nudge with a thanks.
struct NudgeResponses: Sendable {
    let trainings: TrainingFeatures
    let reflections: ReflectionService
    /// Replaces answered nudges (through the port, as every platform does it).
    let platform: any ChatPlatform
    let followUps: SlackFollowUps
    let logger: Logger
    let now: @Sendable () -> Date

    /// A click on one of the nudge's buttons; ignored unless the nudge is the clicking person's own.
    func handleButton(_ actionID: String, nudgeID: String?, triggerID: String, user: PlatformUser) async throws {
        guard let nudgeID, let record = try await trainings.store.nudgeSend(id: nudgeID),
            record.person == reflections.pseudonym(of: user),
            let training = try await trainings.store.training(id: record.trainingID)
        else { return }
        let texts = trainings.nudges.messageTexts(locale: nil)
        switch actionID {
        case NudgeActionID.reflect:
            followUps.openForm(
                triggerID: triggerID, privateMetadata: TrainingFeatures.nudgeMetadataPrefix + nudgeID,
                prefill: ReflectionDraft(), responseURL: nil)
        case NudgeActionID.snooze:
            _ = try await trainings.store.recordNudgeResponse(id: nudgeID, response: .snoozed, at: now())
            try await trainings.scheduler.replan(
                record.person, platform: user.platform, workspace: user.workspace, now: now())
            trainings.wakeWorker()
            NudgeMetrics().snoozed.increment()
            updateNudge(record, .snoozed, trainingTitle: training.title, texts: texts)
        default:
            _ = try await trainings.store.recordNudgeResponse(id: nudgeID, response: .skipped, at: now())
            NudgeMetrics().skipped.increment()
            updateNudge(record, .skipped, trainingTitle: training.title, texts: texts)
        }
    }

    /// The nudge a form submission answers, if its private metadata names one of the person's own nudges.
    func answeredNudge(privateMetadata: String, user: PlatformUser) async throws -> NudgeSendRecord? {
        guard let nudgeID = TrainingFeatures.nudgeID(fromPrivateMetadata: privateMetadata),
            let record = try await trainings.store.nudgeSend(id: nudgeID),
            record.person == reflections.pseudonym(of: user)
        else { return nil }
        return record
    }

    /// After a reflection that answers a nudge: record it and replace the nudge with a short thanks.
    func thank(for record: NudgeSendRecord) async {
        _ = try? await trainings.store.recordNudgeResponse(id: record.id, response: .reflected, at: now())
        guard let training = try? await trainings.store.training(id: record.trainingID) else { return }
        updateNudge(
            record, .reflected, trainingTitle: training.title, texts: trainings.nudges.messageTexts(locale: nil))
    }

    /// Replaces the nudge with its answered form, in the background (the click is acknowledged at once).
    private func updateNudge(
        _ record: NudgeSendRecord, _ answer: NudgeAnswer, trainingTitle: String, texts: NudgeMessageTexts
    ) {
        let platform = self.platform
        let logger = self.logger
        followUps.background.submit("chat.update") {
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
