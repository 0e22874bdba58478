import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore

/// The DM the admin who registered a training gets once its participants are resolved: counts, and exactly
/// who could not be reached (the first names of long lists), in Slack mrkdwn.
package enum TrainingResolutionMessage {
    /// Longest list of names in the admin's DM; the rest is counted (Slack refuses messages over 40,000
    /// characters, and a list of thousands helps nobody).
    package static let maximumListedInSummary = 50

    /// What the admin is told: counts, and exactly who could not be reached (the first names of long lists).
    package static func text(_ notice: TrainingResolutionNotice) -> String {
        let (training, report, nudges) = (notice.training, notice.report, notice.nudges)
        let title = "*\(SlackMarkup.escape(training.title))*"
        if let overLimit = report.overLimit {
            return "\(title) was not scheduled: with \(SlackMarkup.escape(overLimit.source)) it has more than"
                + " \(overLimit.limit) participants, the most one training can have (DEBRIEF_MAX_PARTICIPANTS)."
                + " Nobody was nudged. Register it as several smaller trainings (smaller user groups or channels)."
        }
        var lines = ["\(title): \(report.resolved) participants will get \(nudges) nudges in their own working hours."]
        if !report.unknownEmails.isEmpty {
            lines.append("No Slack account for: \(listed(report.unknownEmails.map(SlackMarkup.escape))).")
        }
        if !report.deactivatedUserIDs.isEmpty {
            lines.append("Deactivated, so skipped: \(listed(report.deactivatedUserIDs.map { "<@\($0)>" })).")
        }
        if !report.unknownUserIDs.isEmpty {
            // Plain ids: Slack cannot render a mention of someone it does not know.
            lines.append("Not in this workspace, so skipped: \(listed(report.unknownUserIDs.map(SlackMarkup.escape))).")
        }
        for source in report.unreadableSources.prefix(maximumListedInSummary) {
            lines.append("Could not read \(SlackMarkup.escape(source)) (is the bot a member?).")
        }
        if report.unreadableSources.count > maximumListedInSummary {
            lines.append(
                "… and \(report.unreadableSources.count - maximumListedInSummary) more sources could not be read.")
        }
        return lines.joined(separator: "\n")
    }

    /// `a, b, c` — or the first ``maximumListedInSummary`` and how many more.
    package static func listed(_ items: [String]) -> String {
        let shown = items.prefix(maximumListedInSummary).joined(separator: ", ")
        let more = items.count - maximumListedInSummary
        return more > 0 ? "\(shown) and \(more) more" : shown
    }
}
