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
    /// The Respond action on leadership digests (issue #13); nil where it is not wired.
    var responses: TeamsLeaderResponses? = nil

    var replies: TeamsReplies { TeamsReplies(texts: texts) }

    /// Applies the action for `user`; returns the card that replaces the clicked one.
    func apply(_ action: TeamsCardAction, by user: PlatformUser) async -> JSONValue {
        do {
            return try await applying(action, by: user)
        } catch {
            logger.error("a Teams card action failed", metadata: ["error": "\(error)"])
            if case .submitReflection(let draft, let nudgeID, let replacing) = action {
                // Keep what they wrote on the card and say saving failed: nothing was kept.
                return ReflectionFormCard.card(
                    texts: texts, prefill: draft, storageFailed: true, nudgeID: nudgeID, reflectionID: replacing)
            }
            return replies.somethingWentWrong()
        }
    }

    private func applying(_ action: TeamsCardAction, by user: PlatformUser) async throws -> JSONValue {
        switch action {
        case .reflect(let nudgeID):
            guard let (record, _) = try await nudges?.ownNudge(nudgeID, of: user) else { return replies.cardOutdated() }
            return ReflectionFormCard.card(texts: texts, nudgeID: record.id)
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
            return ReflectionFormCard.card(texts: texts, prefill: prefill, reflectionID: reflectionID)
        case .submitReflection(let draft, let nudgeID, let replacing):
            let answered = try await nudges?.ownNudge(nudgeID, of: user)
            switch try await reflections.submitForm(
                draft, by: user, replacing: replacing, trainingID: answered?.0.trainingID)
            {
            case .failure(let errors):
                return ReflectionFormCard.card(
                    texts: texts, prefill: draft, errors: errors, nudgeID: nudgeID, reflectionID: replacing)
            case .success:
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
