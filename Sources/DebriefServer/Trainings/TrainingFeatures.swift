import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation

/// What the Slack endpoint needs for trainings and nudges: admin commands, nudge buttons, re-planning.
struct TrainingFeatures: Sendable {
    let store: any DebriefDataStore
    let registrar: TrainingRegistrar
    let scheduler: NudgeScheduler
    let nudges: NudgeLibrary
    let adminUserIDs: Set<String>
    let organisationTimeZone: TimeZone
    /// Wakes the job worker after new work was enqueued.
    let wakeWorker: @Sendable () -> Void
    /// The habit after the last training (offer, recurring prompt, leaders' ask).
    var habits: HabitScheduler?

    /// `private_metadata` of a form opened from a nudge: only the nudge id travels through Slack.
    static let nudgeMetadataPrefix = "nudge:"

    static func nudgeID(fromPrivateMetadata metadata: String) -> String? {
        guard metadata.hasPrefix(nudgeMetadataPrefix) else { return nil }
        let id = String(metadata.dropFirst(nudgeMetadataPrefix.count))
        return id.isEmpty ? nil : id
    }
}
