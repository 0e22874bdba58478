import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// `/reflect …`: a quick reflection, the form, help, `mine`, `forget`, `pause`, `resume`, `stop`, `privacy`.
/// What each does is ``ReflectCommandRunner``'s (the same in Teams); this draws it in Slack.
struct SlashCommandHandler: Sendable {
    let commands: ReflectCommandRunner
    let prompts: PromptLibrary
    let followUps: SlackFollowUps
    let logger: Logger
    /// The reply to a quick reflection, from a template made once (the hot path).
    let quickStoredReply: QuickStoredReply

    init(commands: ReflectCommandRunner, prompts: PromptLibrary, followUps: SlackFollowUps, logger: Logger) {
        self.commands = commands
        self.prompts = prompts
        self.followUps = followUps
        self.logger = logger
        quickStoredReply = QuickStoredReply(prompts: prompts)
    }

    func handle(_ command: SlashCommand) async -> SlackReply {
        guard command.command == "/reflect" else {
            return .json(SlackReplies.help(prompts: prompts, problem: nil))
        }
        let user = PlatformUser(platform: .slack, workspace: command.teamID, userID: command.userID)
        do {
            switch try await commands.run(commands.parse(command.text), for: user) {
            case .openForm:
                followUps.openReflectionForm(
                    triggerID: command.triggerID, prefill: ReflectionDraft(), replacing: nil,
                    responseURL: command.responseURL, user: user)
                return .ack
            case .quickStored(let reflection):
                return .encodedJSON(quickStoredReply.encoded(reflectionID: reflection.id, text: reflection.text))
            case .invalidQuickReflection(let errors):
                return .json(SlackReplies.invalidQuickReflection(prompts: prompts, errors: errors))
            case .help(let problem):
                return .json(SlackReplies.help(prompts: prompts, problem: problem))
            case .mine(let summary):
                return .json(
                    SlackReplies.mine(prompts: prompts, export: summary?.export, summaryLines: summary?.lines ?? []))
            case .confirmForget:
                return .json(SlackReplies.forgetConfirmation(prompts: prompts))
            case .paused(let until):
                return .json(SlackReplies.paused(prompts: prompts, until: until))
            case .resumed:
                return .json(SlackReplies.resumed(prompts: prompts))
            case .privacy(let receipt?):
                return .json(SlackDigestViews.draw(receipt))
            case .privacy(nil):
                return .json(["response_type": "ephemeral", "text": "Digests are not configured on this server yet."])
            case .stopped:
                return .json(SlackReplies.stopped(prompts: prompts))
            case .ideas(let answer):
                return .json(IdeaMessage.draw(answer, options: prompts.options))
            }
        } catch {
            logger.error("slash command failed", metadata: ["error": "\(error)"])
            // 200 so Slack shows the sentence; it tells the person to try again since nothing was kept.
            return .json(SlackReplies.somethingWentWrong(prompts: prompts))
        }
    }
}
