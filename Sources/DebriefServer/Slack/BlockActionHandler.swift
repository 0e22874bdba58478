import DebriefCore
import DebriefPrompts
import DebriefSlack
import Foundation
import Logging

/// Buttons: "Add details" and "Open the form" on replies, the two halves of "forget me", and the nudge
/// buttons. Always acknowledged at once; what follows goes through `response_url` or a view.
struct BlockActionHandler: Sendable {
    let reflections: ReflectionService
    let prompts: PromptLibrary
    let followUps: SlackFollowUps
    /// Nil without trainings (nudge buttons are then ignored).
    let nudges: NudgeResponses?
    let logger: Logger
    /// The Respond button on leadership digests (issue #13); nil leaves it unanswered.
    var responses: SlackLeaderResponses? = nil
    /// The "Useful" button of `/reflect ideas`; nil without the library (the click is ignored).
    var ideas: IdeaLibraryService? = nil
    /// The habit's buttons; nil without trainings.
    var habits: HabitAnswers? = nil

    func handle(_ payload: BlockActions) async -> SlackReply {
        let user = PlatformUser(platform: .slack, workspace: payload.teamID, userID: payload.userID)
        guard let action = payload.actions.first else { return .ack }
        do {
            switch action.actionID {
            case SlackActionID.addDetails:
                let reflectionID = action.value
                var prefill = ReflectionDraft()
                if let reflectionID, let stored = try await reflections.draft(ofReflection: reflectionID, by: user) {
                    prefill = stored
                }
                followUps.openReflectionForm(
                    triggerID: payload.triggerID, prefill: prefill, replacing: reflectionID,
                    responseURL: payload.responseURL, user: user)
            case SlackActionID.openForm:
                followUps.openReflectionForm(
                    triggerID: payload.triggerID, prefill: ReflectionDraft(), replacing: nil,
                    responseURL: payload.responseURL, user: user)
            case SlackActionID.forgetConfirm:
                let erased = try await reflections.forget(user)
                logger.info("person erased on request", metadata: ["reflections": "\(erased)"])
                followUps.respond(payload.responseURL, SlackReplies.forgotten(prompts: prompts))
            case SlackActionID.forgetCancel:
                followUps.respond(payload.responseURL, ["delete_original": true])
            case LeaderResponseModal.respondActionID:
                await responses?.respondClicked(payload, digestID: action.value)
            case SlackActionID.ideaUseful:
                guard let ideas, let reflectionID = action.value else { break }
                let result = try await ideas.markUseful(reflectionID: reflectionID, by: user)
                followUps.respond(payload.responseURL, IdeaMessage.sentence(IdeaReplyText.text(for: result)))
            case NudgeActionID.reflect, NudgeActionID.snooze, NudgeActionID.skip:
                try await nudges?.handleButton(
                    action.actionID, nudgeID: action.value, triggerID: payload.triggerID, user: user)
            case let actionID where HabitActionID.answer(of: actionID) != nil:
                guard let answer = HabitActionID.answer(of: actionID), let habits, let promptID = action.value else {
                    break
                }
                switch try await habits.answer(answer, to: promptID, by: user) {
                case .note(let note):
                    followUps.respond(payload.responseURL, SlackReplies.replacingOriginal(HabitMessage.answered(note)))
                case .openForm:
                    followUps.openReflectionForm(
                        triggerID: payload.triggerID, prefill: ReflectionDraft(), replacing: nil, responseURL: nil)
                case .outdated:
                    followUps.respond(payload.responseURL, ["delete_original": true])
                }
            default:
                logger.debug("ignored block action", metadata: ["action_id": "\(action.actionID)"])
            }
        } catch {
            logger.error("block action failed", metadata: ["error": "\(error)"])
            followUps.respond(payload.responseURL, SlackReplies.somethingWentWrong(prompts: prompts))
        }
        return .ack
    }
}
