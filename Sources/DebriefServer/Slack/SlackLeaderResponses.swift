import DebriefCore
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// The Respond button and form in Slack: the button on the leadership digest opens the form for leaders and admins
/// (anyone else gets a private sentence saying why not); the submitted form is checked and stored, or its field
/// errors are shown in the form.
struct SlackLeaderResponses: Sendable {
    let service: LeaderResponseService
    let followUps: SlackFollowUps
    let logger: Logger

    /// Respond was clicked. Acknowledged at once; the form opens (or the refusal is said) in the background.
    func respondClicked(_ payload: BlockActions, digestID: String?) async {
        let user = PlatformUser(platform: .slack, workspace: payload.teamID, userID: payload.userID)
        do {
            switch try await service.form(digestID: digestID ?? "", for: user) {
            case .failure(let refusal):
                followUps.respond(payload.responseURL, Self.privateNote(refusal))
            case .success(let context):
                let view = LeaderResponseModal.view(
                    digestID: context.digestID, week: context.week, themes: context.themes,
                    eligibleTeams: context.eligibleTeams, consentNote: LeaderResponseService.consentNote)
                let api = followUps.api
                let logger = self.logger
                let responseURL = payload.responseURL
                let followUps = self.followUps
                let triggerID = payload.triggerID
                followUps.background.submit("views.open") {
                    do {
                        try await api.viewsOpen(triggerID: triggerID, view: view)
                    } catch {
                        logger.warning("opening the respond form failed", metadata: ["error": "\(error)"])
                        followUps.respond(
                            responseURL,
                            Self.ephemeral("The form could not be opened (Slack took too long). Click Respond again."))
                    }
                }
            }
        } catch {
            logger.error("opening the respond form failed", metadata: ["error": "\(error)"])
            followUps.respond(payload.responseURL, Self.ephemeral("Something went wrong on our side. Try again."))
        }
    }

    /// The form was submitted.
    func submitted(_ submission: ViewSubmission) async -> SlackReply {
        let user = PlatformUser(platform: .slack, workspace: submission.teamID, userID: submission.userID)
        let form = LeaderResponseModal.form(from: submission)
        do {
            switch try await service.submit(form, digestID: submission.privateMetadata, by: user) {
            case .success(let response):
                logger.info("leader response stored", metadata: ["themes": "\(response.themes.count)"])
                return .json(LeaderResponseModal.thanksView(audience: response.audience))
            case .failure(.invalid(let errors)):
                var errors = errors
                if errors.teams != nil, submission.value(block: LeaderResponseModal.Block.teams) == nil {
                    // The form had no team select: show the problem under the audience choice instead.
                    errors.audience = errors.audience ?? errors.teams
                    errors.teams = nil
                }
                return .json(LeaderResponseModal.errorsResponse(errors))
            case .failure(.refused(let refusal)):
                let message =
                    refusal == .notALeader
                    ? LeaderResponseService.notALeaderMessage : LeaderResponseService.nothingToAnswerMessage
                return .json(LeaderResponseModal.errorsResponse(LeaderResponseFormErrors(text: message)))
            }
        } catch {
            logger.error("storing a leader response failed", metadata: ["error": "\(error)"])
            return .json(
                LeaderResponseModal.errorsResponse(
                    LeaderResponseFormErrors(
                        text: "Your response could not be saved just now (nothing was lost here): press Publish again.")
                ))
        }
    }

    static func privateNote(_ refusal: LeaderResponseService.Refusal) -> JSONValue {
        switch refusal {
        case .notALeader: ephemeral(LeaderResponseService.notALeaderMessage)
        case .nothingToAnswer: ephemeral(LeaderResponseService.nothingToAnswerMessage)
        }
    }

    /// Seen only by the person who clicked; the digest stays as it is.
    static func ephemeral(_ text: String) -> JSONValue {
        ["response_type": "ephemeral", "replace_original": false, "text": .string(text)]
    }
}
