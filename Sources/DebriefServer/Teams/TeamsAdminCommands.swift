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

    func handle(_ text: String, from user: PlatformUser, in activity: Activity) async -> JSONValue {
        guard let trainings else { return card("Trainings are not available on this server.") }
        guard adminUsers.contains(user.userID) else {
            return card(
                "Sorry, `debrief` commands are for the people who run Debrief here. If you think you should have "
                    + "access, ask them to add your Entra object id to DEBRIEF_TEAMS_ADMIN_USERS.")
        }
        switch AdminCommand.parse(text, timeZone: trainings.organisationTimeZone) {
        case .help:
            return card(Self.help)
        case .invalid(let problem):
            return card("\(TeamsMarkup.escape(problem))\n\n\(Self.help)")
        case .digestPreview:
            return card("Digest previews are in Slack (`/debrief digest preview`) and `debrief digest preview`.")
        case .trainingList:
            do {
                let summaries = try await trainings.store.trainingSummaries()
                guard !summaries.isEmpty else { return card("No trainings registered yet.") }
                let lines = summaries.prefix(30).map { summary in
                    "- **\(TeamsMarkup.escape(summary.training.title))** (ended "
                        + "\(PersonDates.isoDay(summary.training.endedAt))): \(AdminProgress.phrase(summary))"
                }
                return card(lines.joined(separator: "\n"))
            } catch {
                return TeamsReplies(texts: texts).somethingWentWrong()
            }
        case .trainingAdd(let request):
            do {
                let training = try await trainings.registrar.accept(
                    request, platform: .teams, workspace: user.workspace, notifyUserID: user.userID)
                trainings.wakeWorker()
                return card(
                    "Registered **\(TeamsMarkup.escape(training.title))**. I'm looking up the participants now and "
                        + "will tell you here who gets nudges and anyone I could not reach.")
            } catch let rejection as TrainingRegistrar.Rejection {
                return card("I could not register that: \(TeamsMarkup.escape("\(rejection)")).")
            } catch {
                logger.error("registering a training failed", metadata: ["error": "\(error)"])
                return TeamsReplies(texts: texts).somethingWentWrong()
            }
        }
    }

    private func card(_ text: String) -> JSONValue {
        AdaptiveCard.card(body: [AdaptiveCard.text(text)], fallbackText: text)
    }

    static let help = """
        **Debrief admin commands**
        - `debrief training add "Title" ended:2026-11-20T16:00 participants:a@example.com,19:…@thread.tacv2` — \
        participants are e-mail addresses, Entra object ids or teams Debrief is in, separated by commas
        - `debrief training list` — trainings with counts
        """
}
