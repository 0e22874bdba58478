import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// The reflection form, submitted: stored (or its field errors shown in the form), and when it answers a
/// nudge, the nudge is thanked.
struct ViewSubmissionHandler: Sendable {
    let reflections: ReflectionService
    let prompts: PromptLibrary
    /// Nil without trainings (no form then answers a nudge).
    let nudges: NudgeResponses?
    let logger: Logger
    /// The Respond form of leadership digests (issue #13); nil leaves it unanswered.
    var responses: SlackLeaderResponses? = nil
    /// The rotating questions; nil: answers are not read.
    var questions: QuestionService? = nil
    /// A reflection answers the person's open habit prompt; nil without trainings.
    var habits: HabitAnswers? = nil

    func handle(_ submission: ViewSubmission) async -> SlackReply {
        if submission.callbackID == LeaderResponseModal.callbackID, let responses {
            return await responses.submitted(submission)
        }
        guard submission.callbackID == ReflectionModal.callbackID else { return .ack }
        let user = PlatformUser(platform: .slack, workspace: submission.teamID, userID: submission.userID)
        let draft = ReflectionModal.draft(from: submission)
        let replacing = ReflectionModal.reflectionID(fromPrivateMetadata: submission.privateMetadata)
        // The question's answer is checked first: a rejected answer keeps the form open and nothing is stored.
        var answer: ValidQuestionAnswer?
        if let questions {
            switch questions.validate(ReflectionModal.questionAnswer(from: submission)) {
            case .success(let valid): answer = valid
            case .failure(let problem):
                return .json(ReflectionModal.questionErrorResponse(questions.message(for: problem)))
            }
        }
        do {
            let nudge = try await nudges?.answeredNudge(privateMetadata: submission.privateMetadata, user: user)
            switch try await reflections.submitForm(
                draft, by: user, replacing: replacing, trainingID: nudge?.trainingID)
            {
            case .success(let reflection):
                if let answer, let questions { try await questions.record(answer, by: user, with: reflection) }
                if let nudge { await nudges?.thank(for: nudge) }
                await habits?.reflected(by: user)
                return .json(ReflectionModal.thanksView(prompts: prompts))
            case .failure(let errors):
                return .json(ReflectionModal.errorsResponse(errors, prompts: prompts))
            }
        } catch {
            logger.error("storing a reflection failed", metadata: ["error": "\(error)"])
            // Keep the modal open with what they typed, so nothing is lost; they can submit again.
            return .json(ReflectionModal.storageFailureResponse(prompts: prompts))
        }
    }
}
