import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// What a person does with a nudge DM in Slack: "Reflect" opens the form, "Snooze 1 day" and "Not this one"
/// are recorded (``NudgeAnswers``, the same on every platform), and a reflection sent from the form replaces
/// the nudge with a thanks.
struct NudgeResponses: Sendable {
    let answers: NudgeAnswers
    let followUps: SlackFollowUps

    var trainings: TrainingFeatures { answers.trainings }

    /// A click on one of the nudge's buttons; ignored unless the nudge is the clicking person's own.
    func handleButton(_ actionID: String, nudgeID: String?, triggerID: String, user: PlatformUser) async throws {
        guard let (record, training) = try await answers.ownNudge(nudgeID, of: user) else { return }
        switch actionID {
        case NudgeActionID.reflect:
            followUps.openForm(
                triggerID: triggerID, privateMetadata: TrainingFeatures.nudgeMetadataPrefix + record.id,
                prefill: ReflectionDraft(), responseURL: nil, user: user)
        case NudgeActionID.snooze:
            try await answers.snooze(record, of: user)
            answers.updateNudge(record, .snoozed, trainingTitle: training.title)
        default:
            try await answers.skip(record)
            answers.updateNudge(record, .skipped, trainingTitle: training.title)
        }
    }

    /// The nudge a form submission answers, if its private metadata names one of the person's own nudges.
    func answeredNudge(privateMetadata: String, user: PlatformUser) async throws -> NudgeSendRecord? {
        guard let nudgeID = TrainingFeatures.nudgeID(fromPrivateMetadata: privateMetadata) else { return nil }
        return try await answers.ownNudge(nudgeID, of: user)?.0
    }

    /// After a reflection that answers a nudge: record it and replace the nudge with a short thanks.
    func thank(for record: NudgeSendRecord) async {
        await answers.reflected(record)
        guard let training = try? await trainings.store.training(id: record.trainingID) else { return }
        answers.updateNudge(record, .reflected, trainingTitle: training.title)
    }
}
