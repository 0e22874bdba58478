import DebriefCore
import DebriefPlatform
import DebriefStore
import DebriefTeams
import Foundation
import Logging

/// What a click on one of Debrief's cards does, whichever way it arrived (an `Action.Execute` invoke or an
/// older client's `Action.Submit` message): the same rules as Slack's buttons and form, answered with the card
/// that replaces the clicked one.
struct TeamsCardActions: Sendable {
    let reflections: ReflectionService
    let commands: ReflectCommandRunner
    /// Nil without trainings: nudge buttons then only say the nudge is gone.
    let nudges: NudgeAnswers?
    let texts: TeamsTexts
    let logger: Logger
    /// The habit's buttons; nil without trainings.
    var habits: HabitAnswers? = nil
    /// The rotating questions; nil: forms carry none and answers are not read.
    var questions: QuestionService? = nil
    /// The Respond action on leadership digests (issue #13); nil where it is not wired.
    var responses: TeamsLeaderResponses? = nil

    var replies: TeamsReplies { TeamsReplies(texts: texts) }

    /// Applies the action for `user`; returns the card that replaces the clicked one.
    func apply(_ action: TeamsCardAction, by user: PlatformUser) async -> JSONValue {
        do {
            return try await applying(action, by: user)
        } catch {
            logger.error("a Teams card action failed", metadata: ["error": "\(error)"])
            if case .submitReflection(let draft, let nudgeID, let replacing, let answer) = action {
                // Keep what they wrote on the card and say saving failed: nothing was kept.
                return ReflectionFormCard.card(
                    texts: texts, prefill: draft, storageFailed: true, nudgeID: nudgeID, reflectionID: replacing,
                    question: await formQuestion(for: user, answered: answer))
            }
            return replies.somethingWentWrong()
        }
    }

    /// The rotating question for a form: the one answered when the card comes back (with what was answered and
    /// why it was refused), otherwise the person's question for this week; nil without questions.
    private func formQuestion(for user: PlatformUser, answered: QuestionAnswerDraft?, error: String? = nil) async
        -> ReflectionFormQuestion?
    {
        guard let questions else { return nil }
        let asked: RotatingQuestion?
        if let answered, let question = questions.question(id: answered.questionID) {
            asked = question
        } else {
            asked = await questions.question(for: user)
        }
        guard let asked else { return nil }
        return ReflectionFormQuestion(
            question: asked, texts: questions.formTexts(), answer: answered?.value, error: error)
    }

    private func applying(_ action: TeamsCardAction, by user: PlatformUser) async throws -> JSONValue {
        switch action {
        case .reflect(let nudgeID):
            guard let (record, _) = try await nudges?.ownNudge(nudgeID, of: user) else { return replies.cardOutdated() }
            return ReflectionFormCard.card(
                texts: texts, nudgeID: record.id, question: await formQuestion(for: user, answered: nil))
        case .snooze(let nudgeID):
            guard let nudges, let (record, training) = try await nudges.ownNudge(nudgeID, of: user) else {
                return replies.cardOutdated()
            }
            try await nudges.snooze(record, of: user)
            return NudgeCard.snoozed(text: "", trainingTitle: training.title, texts: nudges.texts)
        case .skip(let nudgeID):
            guard let nudges, let (record, training) = try await nudges.ownNudge(nudgeID, of: user) else {
                return replies.cardOutdated()
            }
            try await nudges.skip(record)
            return NudgeCard.skipped(text: "", trainingTitle: training.title, texts: nudges.texts)
        case .openForm(let reflectionID):
            var prefill = ReflectionDraft()
            if let reflectionID, let stored = try await reflections.draft(ofReflection: reflectionID, by: user) {
                prefill = stored
            }
            return ReflectionFormCard.card(
                texts: texts, prefill: prefill, reflectionID: reflectionID,
                question: await formQuestion(for: user, answered: nil))
        case .submitReflection(let draft, let nudgeID, let replacing, let answer):
            // The question's answer is checked first: a refused answer keeps the card and nothing is stored.
            var validAnswer: ValidQuestionAnswer?
            if let questions {
                switch questions.validate(answer) {
                case .success(let valid): validAnswer = valid
                case .failure(let problem):
                    return ReflectionFormCard.card(
                        texts: texts, prefill: draft, nudgeID: nudgeID, reflectionID: replacing,
                        question: await formQuestion(
                            for: user, answered: answer, error: questions.message(for: problem)))
                }
            }
            let answered = try await nudges?.ownNudge(nudgeID, of: user)
            switch try await reflections.submitForm(
                draft, by: user, replacing: replacing, trainingID: answered?.0.trainingID)
            {
            case .failure(let errors):
                return ReflectionFormCard.card(
                    texts: texts, prefill: draft, errors: errors, nudgeID: nudgeID, reflectionID: replacing,
                    question: await formQuestion(for: user, answered: answer))
            case .success(let reflection):
                if let validAnswer, let questions {
                    try await questions.record(validAnswer, by: user, with: reflection)
                }
                await habits?.reflected(by: user)
                guard let nudges, let (record, training) = answered else {
                    return ReflectionFormCard.thanks(texts: texts)
                }
                await nudges.reflected(record)
                return NudgeCard.thanked(trainingTitle: training.title, texts: nudges.texts)
            }
        case .confirmForget:
            _ = try await commands.forget(user)
            return replies.forgotten()
        case .cancelForget:
            return replies.forgetCancelled()
        case .ideaUseful(let reflectionID):
            guard let ideas = commands.ideas else { return IdeaCard.sentence(IdeaWording.notConfigured) }
            return IdeaCard.sentence(
                IdeaReplyText.text(for: try await ideas.markUseful(reflectionID: reflectionID, by: user)))
        case .habit(let promptID, let answer):
            switch try await habits?.answer(answer, to: promptID, by: user) ?? .outdated {
            case .note(let note): return HabitCard.answered(note)
            case .openForm: return ReflectionFormCard.card(texts: texts)
            case .outdated: return replies.cardOutdated()
            }
        case .respond(let digestID):
            // Reached only from a person's own chat (channel clicks are answered privately before this): the note
            // replaces nothing anyone else sees.
            guard let responses else { return replies.cardOutdated() }
            return LeaderResponseCard.note(await responses.respondClicked(digestID: digestID, by: user).text)
        case .submitResponse(let form, let digestID):
            guard let responses else { return replies.cardOutdated() }
            return await responses.submitted(form, digestID: digestID, by: user)
        }
    }
}
