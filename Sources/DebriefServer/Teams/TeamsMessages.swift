import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import DebriefTeams
import Foundation
import Logging

/// A `message` activity: what people type to the bot (`reflect …`, `help`, `mine`, `forget`, `pause 2w`,
/// `resume`, `stop`, `privacy`, and for admins `debrief training add …`), or the values of an `Action.Submit`
/// card button from an older client.
///
/// Everything that must be kept is kept before the activity is acknowledged; the answer goes out afterwards
/// through the Bot Connector (``BackgroundWork``), as Microsoft asks of bots (`teams.md` §1.1).
struct TeamsMessages: Sendable {
    let commands: ReflectCommandRunner
    let cardActions: TeamsCardActions
    let admin: TeamsAdminCommands
    let conversations: TeamsConversations
    let platform: TeamsChatPlatform
    let background: BackgroundWork
    let logger: Logger

    var replies: TeamsReplies { TeamsReplies(texts: platform.texts) }

    func handle(_ activity: Activity) async throws {
        guard let user = activity.sender else { return }
        try await conversations.remember(activity)
        if activity.value != nil {
            try await submitted(activity, by: user)
            return
        }
        let card = try await answer(activity.commandText, from: user, in: activity)
        send(card, to: activity)
    }

    /// An `Action.Submit` click: applied like an invoke; the card it came from is replaced (`replyToId`), or the
    /// answer is sent when Teams did not say which card it was.
    private func submitted(_ activity: Activity, by user: PlatformUser) async throws {
        let card: JSONValue
        switch TeamsCardAction.decode(activity) {
        case .success(.respond(let digestID)) where !activity.isPersonal:
            // Respond on a digest in a channel (an older client's Action.Submit): the channel's card is never
            // replaced; the answer goes to the clicker's own chat.
            guard let responses = cardActions.responses else { return }
            let answer = await responses.respondClicked(digestID: digestID, by: user)
            if !answer.formSent {
                responses.sendPrivately(LeaderResponseCard.note(answer.text), summary: nil, to: user)
            }
            return
        case .success(let action):
            card = await cardActions.apply(action, by: user)
        case .failure(let error):
            logger.notice("unreadable Teams card submission", metadata: ["reason": "\(error)"])
            card = replies.cardProblem(error)
        }
        let platform = self.platform
        let logger = self.logger
        if let replyToID = activity.replyToId, let serviceURL = activity.serviceUrl,
            let conversationID = activity.conversation?.id
        {
            let message = PostedMessage(
                channel: TeamsMessageLocation(conversationID: conversationID, serviceURL: serviceURL).encoded,
                id: replyToID)
            background.submit("teams.update") {
                do {
                    try await platform.updateCard(message, with: card)
                } catch {
                    logger.warning("updating a Teams card failed", metadata: ["error": "\(error)"])
                }
            }
        } else {
            send(card, to: activity)
        }
    }

    /// The typed command's effect and its answer.
    func answer(_ text: String, from user: PlatformUser, in activity: Activity) async throws -> JSONValue {
        let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let first = words.first.map { $0.lowercased() } ?? ""
        if first == "debrief" {
            return await admin.handle(words.count > 1 ? String(words[1]) : "", from: user, in: activity)
        }
        let commandText: String
        if first == "reflect" || first == "/reflect" {
            commandText = words.count > 1 ? String(words[1]) : ""
        } else if Self.commandWords.contains(first) {
            commandText = text
        } else {
            // Not a command: say how to reflect rather than storing whatever was typed (a "hi" is no reflection).
            return replies.help()
        }
        do {
            switch try await commands.run(commands.parse(commandText), for: user) {
            // The same form as "Write a reflection" on a card, with the person's rotating question.
            case .openForm: return await cardActions.apply(.openForm(reflectionID: nil), by: user)
            case .quickStored(let reflection):
                return replies.quickStored(reflectionID: reflection.id, text: reflection.text)
            case .invalidQuickReflection(let errors): return replies.invalidQuickReflection(errors: errors)
            case .help(let problem): return replies.help(problem: problem)
            case .mine(let summary): return replies.mine(export: summary?.export, summaryLines: summary?.lines ?? [])
            case .confirmForget: return replies.forgetConfirmation()
            case .paused(let until): return replies.paused(until: until)
            case .resumed: return replies.resumed()
            case .stopped: return replies.stopped()
            case .privacy(let receipt?):
                return replies.privacyReceipt(
                    week: receipt.week, team: receipt.team, anonymityThreshold: receipt.anonymityThreshold,
                    texts: receipt.texts,
                    note: receipt.withheldNote)
            case .privacy(nil):
                return replies.privacyNotConfigured()
            case .ideas(let answer):
                return IdeaCard.card(answer, options: platform.texts.library.options)
            }
        } catch {
            logger.error("a Teams command failed", metadata: ["error": "\(error)"])
            return replies.somethingWentWrong()
        }
    }

    /// The words that are commands on their own (`help`, `mine`, …), as `/reflect` knows them.
    static let commandWords: Set<String> = ["help", "mine", "forget", "pause", "resume", "stop", "privacy", "ideas"]

    private func send(_ card: JSONValue, to activity: Activity) {
        let platform = self.platform
        let logger = self.logger
        background.submit("teams.reply") {
            do {
                try await platform.reply(to: activity, card: card)
            } catch {
                logger.warning("answering in Teams failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
