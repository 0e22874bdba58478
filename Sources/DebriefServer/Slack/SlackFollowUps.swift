import DebriefCore
import DebriefPrompts
import DebriefSlack
import Foundation
import Logging

/// What happens after a Slack request is acknowledged: opening the reflection form, answering through a
/// `response_url`, publishing the Home tab. Each runs as ``BackgroundWork``, so the acknowledgement never
/// waits on Slack's Web API (Slack wants it within three seconds).
struct SlackFollowUps: Sendable {
    let api: SlackWebAPIClient
    let prompts: PromptLibrary
    let background: BackgroundWork
    let logger: Logger
    /// The rotating questions; nil: forms carry none.
    var questions: QuestionService? = nil

    /// Opens the reflection form; if Slack refuses (an expired trigger), tells the person through
    /// `response_url` instead of failing silently.
    func openReflectionForm(
        triggerID: String, prefill: ReflectionDraft, replacing reflectionID: String?, responseURL: String?,
        user: PlatformUser? = nil
    ) {
        openForm(
            triggerID: triggerID,
            privateMetadata: ReflectionModal.privateMetadata(reflectionID: reflectionID), prefill: prefill,
            responseURL: responseURL, user: user)
    }

    /// Opens the reflection form carrying `privateMetadata` (a nudge id, a reflection being completed).
    /// With `user`, the form carries the person's rotating question (see ``QuestionService``).
    func openForm(
        triggerID: String, privateMetadata: String, prefill: ReflectionDraft, responseURL: String?,
        user: PlatformUser? = nil
    ) {
        let prompts = self.prompts
        let questions = user == nil ? nil : self.questions
        let api = self.api
        let logger = self.logger
        let fallback = SlackReplies.couldNotOpenForm(prompts: prompts)
        background.submit("views.open") {
            var question: RotatingQuestion?
            if let questions, let user { question = await questions.question(for: user) }
            let view = ReflectionModal.view(
                prompts: prompts, prefill: prefill, privateMetadata: privateMetadata, question: question,
                questionTexts: questions?.library.formTexts(for: nil) ?? .english)
            do {
                try await api.viewsOpen(triggerID: triggerID, view: view)
            } catch {
                logger.warning("opening the reflection form failed", metadata: ["error": "\(error)"])
                if let responseURL {
                    try? await api.respond(responseURL: responseURL, message: fallback)
                }
            }
        }
    }

    func respond(_ responseURL: String?, _ message: JSONValue) {
        guard let responseURL else { return }
        let api = self.api
        let logger = self.logger
        background.submit("response_url") {
            do {
                try await api.respond(responseURL: responseURL, message: message)
            } catch {
                logger.warning("answering through response_url failed", metadata: ["error": "\(error)"])
            }
        }
    }

    func publishHome(userID: String) {
        let view = HomeTab.view(prompts: prompts)
        let api = self.api
        let logger = self.logger
        background.submit("views.publish") {
            do {
                try await api.viewsPublish(userID: userID, view: view)
            } catch {
                logger.warning("publishing the Home tab failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Dates as replies show them.
enum SlackDates {
    static func human(_ date: Date, in zone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt) -> String {
        PersonDates.human(date, in: zone)
    }

    static func isoDay(_ date: Date) -> String { PersonDates.isoDay(date) }

    static func ephemeral(_ text: String) -> SlackReply {
        .json(["response_type": "ephemeral", "text": .string(text)])
    }
}
