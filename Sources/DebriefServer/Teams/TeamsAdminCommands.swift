import DebriefCore
import DebriefStore
import DebriefTeams
import Foundation
import Logging

/// `debrief …` typed to the bot by the people in `DEBRIEF_TEAMS_ADMIN_USERS` (Entra object ids): register and
/// list trainings, the same commands and rules as Slack's `/debrief`. Participants are e-mail addresses, Entra
/// object ids, or teams (`19:…@thread.tacv2`) the bot is in.
struct TeamsAdminCommands: Sendable {
    /// Nil when trainings are not available on this server.
    let trainings: TrainingFeatures?
    /// Entra object ids, lower-cased.
    let adminUsers: Set<String>
    let texts: TeamsTexts
    let logger: Logger

    var replies: TeamsReplies { TeamsReplies(texts: texts) }

    func handle(_ text: String, from user: PlatformUser, in activity: Activity) async -> JSONValue {
        guard let trainings else { return replies.trainingsNotAvailable() }
        guard adminUsers.contains(user.userID) else { return replies.adminOnly() }
        switch AdminCommand.parse(text, timeZone: trainings.organisationTimeZone) {
        case .help:
            return replies.adminHelp()
        case .invalid(let problem):
            return replies.adminHelp(problem: problem)
        case .digestPreview:
            return replies.adminHelp(problem: "Digest previews are in Slack and in `debrief digest preview`.")
        case .trainingList:
            do {
                let summaries = try await trainings.store.trainingSummaries()
                guard !summaries.isEmpty else { return replies.noTrainings() }
                return replies.lines(
                    summaries.prefix(30).map { summary in
                        "- **\(TeamsMarkup.escape(summary.training.title))** (ended "
                            + "\(PersonDates.isoDay(summary.training.endedAt))): \(AdminProgress.phrase(summary))"
                    })
            } catch {
                return replies.somethingWentWrong()
            }
        case .trainingAdd(let request):
            do {
                let training = try await trainings.registrar.accept(
                    request, platform: .teams, workspace: user.workspace, notifyUserID: user.userID)
                trainings.wakeWorker()
                return replies.trainingRegistered(title: training.title)
            } catch let rejection as TrainingRegistrar.Rejection {
                return replies.trainingRejected(reason: "\(rejection)")
            } catch {
                logger.error("registering a training failed", metadata: ["error": "\(error)"])
                return replies.somethingWentWrong()
            }
        }
    }
}
