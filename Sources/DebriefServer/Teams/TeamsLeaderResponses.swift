import DebriefCore
import DebriefPrompts
import DebriefStore
import DebriefTeams
import Foundation
import Logging

/// The Respond button and form in Teams (issue #13), on the same ``LeaderResponseService`` as Slack's.
///
/// **Privately, in the person's own chat.** The leadership digest card sits in a channel, and whatever replaces a
/// clicked card there (an invoke's card answer, an `Action.Submit` card update) is seen by the whole channel. So a
/// click on Respond never changes the channel's card: the form is sent to the clicker's 1:1 chat with Debrief (the
/// conversation reference kept for nudges, or one opened by their Entra object id), and the click is answered with
/// a short message only the clicker sees (an invoke's `message` answer). A task module would also be private, but
/// the endpoint answers no `task/fetch` invoke today and a dialog is lost when closed; a card in the chat stays,
/// can be finished later, and uses the form path (`Action.Execute` with `Action.Submit` fallback) the reflection
/// form already uses. Someone who may not respond gets the refusal the same private way, and no form.
struct TeamsLeaderResponses: Sendable {
    let service: LeaderResponseService
    let platform: TeamsChatPlatform
    let background: BackgroundWork
    let logger: Logger

    var texts: TeamsTexts { platform.texts }

    /// What the clicker alone is told, and whether the form went to their chat.
    struct RespondAnswer: Sendable, Equatable {
        var text: String
        var formSent: Bool
    }

    /// Respond was clicked. Returns the sentence for the clicker alone; the form, if they may respond, goes to their
    /// chat in the background.
    func respondClicked(digestID: String, by user: PlatformUser) async -> RespondAnswer {
        do {
            switch try await service.form(digestID: digestID, for: user) {
            case .failure(let refusal):
                return RespondAnswer(text: message(for: refusal), formSent: false)
            case .success(let context):
                let card = LeaderResponseCard.form(
                    texts: texts, digestID: context.digestID, week: context.week, themes: context.themes,
                    eligibleTeams: context.eligibleTeams)
                sendPrivately(card, summary: texts.respond.title, to: user)
                return RespondAnswer(text: texts.respond.formSent, formSent: true)
            }
        } catch {
            logger.error("opening the Teams respond form failed", metadata: ["error": "\(error)"])
            return RespondAnswer(text: texts.replies.somethingWentWrong, formSent: false)
        }
    }

    /// The form was submitted (from the person's chat); returns the card that replaces it.
    func submitted(_ form: LeaderResponseForm, digestID: String, by user: PlatformUser) async -> JSONValue {
        do {
            switch try await service.submit(form, digestID: digestID, by: user) {
            case .success(let response):
                logger.info("leader response stored", metadata: ["themes": "\(response.themes.count)"])
                return LeaderResponseCard.thanks(texts: texts, audience: response.audience)
            case .failure(.invalid(let errors)):
                guard let context = try await service.context(digestID: digestID) else {
                    return LeaderResponseCard.note(texts.respond.nothingToAnswer)
                }
                return LeaderResponseCard.form(
                    texts: texts, digestID: digestID, week: context.week, themes: context.themes,
                    eligibleTeams: context.eligibleTeams, prefill: form, errors: errors)
            case .failure(.refused(let refusal)):
                return LeaderResponseCard.note(message(for: refusal))
            }
        } catch {
            logger.error("storing a Teams leader response failed", metadata: ["error": "\(error)"])
            if let context = try? await service.context(digestID: digestID) {
                return LeaderResponseCard.form(
                    texts: texts, digestID: digestID, week: context.week, themes: context.themes,
                    eligibleTeams: context.eligibleTeams, prefill: form, storageFailed: true)
            }
            return LeaderResponseCard.note(texts.respond.storageFailed)
        }
    }

    /// Posts `card` to the person's own chat with Debrief, never to the channel the click came from.
    func sendPrivately(_ card: JSONValue, summary: String?, to user: PlatformUser) {
        let platform = self.platform
        let logger = self.logger
        let store = service.store
        let person = service.pseudonymizer.pseudonym(for: user)
        background.submit("teams.respond") {
            do {
                // The stored 1:1 conversation when there is one; else Teams opens it by the Entra object id.
                let address = try await store.deliveryAddress(of: person, platform: .teams) ?? DeliveryAddress(user)
                try await platform.send(card: card, summary: summary, to: address)
            } catch {
                logger.warning("sending a Teams respond card failed", metadata: ["error": "\(error)"])
            }
        }
    }

    func message(for refusal: LeaderResponseService.Refusal) -> String {
        switch refusal {
        case .notALeader: texts.respond.notALeader
        case .nothingToAnswer: texts.respond.nothingToAnswer
        }
    }
}
