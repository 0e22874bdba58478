import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// `/debrief …`: the admin commands (register and list trainings, preview a digest), for the people in
/// `DEBRIEF_ADMIN_USERS` only.
struct AdminCommandHandler: Sendable {
    /// Nil when trainings are not available on this server.
    let trainings: TrainingFeatures?
    let digestViews: SlackDigestViews?
    let prompts: PromptLibrary
    let logger: Logger

    func handle(_ command: SlashCommand) async -> SlackReply {
        guard let trainings else {
            return Self.ephemeral("Trainings are not available on this server.")
        }
        guard trainings.adminUserIDs.contains(command.userID) else {
            return Self.ephemeral(
                "Sorry, `/debrief` is for the people who run Debrief here. If you think you should have access, ask them to add you to DEBRIEF_ADMIN_USERS."
            )
        }
        switch AdminCommand.parse(command.text, timeZone: trainings.organisationTimeZone) {
        case .help:
            return Self.ephemeral(Self.adminHelp)
        case .invalid(let problem):
            // The problem echoes what the admin typed: escaped, so `<…>` in it is shown rather than interpreted.
            return Self.ephemeral("\(SlackMarkup.escape(problem))\n\n\(Self.adminHelp)")
        case .digestPreview(let target, let week):
            guard let digestViews else { return Self.ephemeral("Digests are not configured on this server.") }
            return await digestViews.preview(target: target, week: week, prompts: prompts)
        case .trainingList:
            do {
                let summaries = try await trainings.store.trainingSummaries()
                guard !summaries.isEmpty else { return Self.ephemeral("No trainings registered yet.") }
                let lines = summaries.prefix(30).map { summary in
                    "• *\(SlackMarkup.escape(summary.training.title))* (ended \(SlackDates.isoDay(summary.training.endedAt))): "
                        + Self.progress(summary)
                }
                return Self.ephemeral(lines.joined(separator: "\n"))
            } catch {
                return .json(SlackReplies.somethingWentWrong(prompts: prompts))
            }
        case .trainingAdd(let request):
            do {
                let training = try await trainings.registrar.accept(
                    request, workspace: command.teamID, notifyUserID: command.userID)
                trainings.wakeWorker()
                return Self.ephemeral(
                    "Registered *\(SlackMarkup.escape(training.title))*. I'm looking up the participants now and will DM you who gets nudges and anyone I could not reach."
                )
            } catch let rejection as TrainingRegistrar.Rejection {
                return Self.ephemeral("I could not register that: \(rejection).")
            } catch {
                logger.error("registering a training failed", metadata: ["error": "\(error)"])
                return .json(SlackReplies.somethingWentWrong(prompts: prompts))
            }
        }
    }

    static func ephemeral(_ text: String) -> SlackReply { SlackDates.ephemeral(text) }

    static func progress(_ summary: TrainingSummary) -> String { AdminProgress.phrase(summary) }

    static let adminHelp = """
        *Debrief admin commands*
        • `/debrief training add "Title" ended:2026-11-20T16:00 participants:@user-group` — participants may be a user group, a #channel, @people or e-mail addresses, separated by commas
        • `/debrief training list` — trainings with counts
        • `/debrief digest preview [leadership|team:<name>] [2026-W47]` — what would be posted (only you see it)
        """
}
