import DebriefCore
import DebriefStore
import DebriefTeams
import Foundation
import HTTPTypes
import Logging
import Metrics

/// `POST /api/messages`: every Bot Framework activity from Teams.
///
/// Authenticate (the Bot Framework JWT, `teams.md` §2), decode, check the token against the activity (its
/// channel is endorsed by the signing key, its `serviceUrl` is the token's), then dispatch by type. Invokes
/// (card clicks) are answered in the response within Teams' few seconds; everything else is acknowledged once
/// what it carries is stored, and answered through the Bot Connector afterwards.
/// - Important: logs carry activity types and outcomes only — never ids of people, tokens or text.
struct TeamsEndpoint: Sendable {
    let authenticator: BotFrameworkAuthenticator
    let deliveries: any Store
    let conversations: TeamsConversations
    let messages: TeamsMessages
    let cardActions: TeamsCardActions
    let metrics: TeamsEndpointMetrics
    let logger: Logger
    let now: @Sendable () -> Date

    /// Handles one request. Never throws: every outcome is an HTTP answer.
    func handle(body: Data, authorization: String?) async -> TeamsReply {
        let token: VerifiedBotToken
        switch await authenticator.authenticate(authorization: authorization) {
        case .success(let verified): token = verified
        case .failure(let failure):
            logger.notice("rejected Teams request", metadata: ["reason": "\(failure.reason)"])
            return .unauthorized
        }
        let activity: Activity
        do {
            activity = try JSONDecoder().decode(Activity.self, from: body)
        } catch {
            metrics.activities(type: "invalid").increment()
            return .badRequest("the body is not a Bot Framework activity (a JSON object)")
        }
        if case .failure(let failure) = token.admits(activity) {
            logger.notice("rejected Teams activity", metadata: ["reason": "\(failure.reason)"])
            return .unauthorized
        }
        guard let type = activity.type, !type.isEmpty else {
            metrics.activities(type: "invalid").increment()
            return .badRequest("the activity has no type")
        }
        metrics.activities(type: TeamsEndpointMetrics.label(type)).increment()
        switch type {
        case ActivityType.invoke:
            return await invoke(activity)
        case ActivityType.message, ActivityType.conversationUpdate, ActivityType.installationUpdate:
            return await once(activity) { () async throws in
                if type == ActivityType.message {
                    try await messages.handle(activity)
                } else {
                    try await conversations.handle(activity)
                }
            }
        default:
            // Teams adds activity types at any time: acknowledged and ignored.
            return .ok
        }
    }

    /// `adaptiveCard/action`: the card that replaces the clicked one, in Teams' invoke response shape.
    private func invoke(_ activity: Activity) async -> TeamsReply {
        guard activity.name == TeamsCardAction.invokeName else {
            // Microsoft's adapters answer invokes they do not implement with 501.
            return TeamsReply(status: .notImplemented)
        }
        guard let user = activity.sender else {
            return .invoke(TeamsInvokeResponse.error(code: "BadRequest", message: "The activity names no user."))
        }
        switch TeamsCardAction.decode(activity) {
        case .failure(let error):
            logger.notice("unreadable Teams card action", metadata: ["reason": "\(error)"])
            return .invoke(TeamsInvokeResponse.error(error))
        case .success(.respond(let digestID)) where !activity.isPersonal:
            // Respond on a digest in a channel: the card stays as everyone sees it; the clicker alone reads the
            // answer, and the form goes to their own chat (``TeamsLeaderResponses``).
            guard let responses = cardActions.responses else {
                return .invoke(TeamsInvokeResponse.message(cardActions.texts.cardProblems.outdated))
            }
            return .invoke(
                TeamsInvokeResponse.message(await responses.respondClicked(digestID: digestID, by: user).text))
        case .success(let action):
            try? await conversations.remember(activity)
            return .invoke(TeamsInvokeResponse.card(await cardActions.apply(action, by: user)))
        }
    }

    /// Runs `work` once per activity: a redelivered activity (same conversation and id) is acknowledged without
    /// running again; when the work fails its record is released, so a redelivery is processed.
    private func once(_ activity: Activity, _ work: () async throws -> Void) async -> TeamsReply {
        var delivery: InboundDelivery?
        if let id = activity.id, !id.isEmpty, let conversation = activity.conversation?.id {
            let recorded = InboundDelivery(
                platform: .teams, workspace: activity.tenantID ?? "", deliveryID: conversation + "/" + id,
                kind: activity.type ?? "", receivedAt: now())
            do {
                guard try await deliveries.recordInboundDelivery(recorded) else {
                    metrics.duplicates.increment()
                    return .ok
                }
            } catch {
                logger.error("recording a Teams activity failed", metadata: ["error": "\(error)"])
                return TeamsReply(status: .serviceUnavailable)
            }
            delivery = recorded
        }
        do {
            try await work()
            return .ok
        } catch {
            logger.error("handling a Teams activity failed", metadata: ["error": "\(error)"])
            if let delivery { try? await deliveries.removeInboundDelivery(delivery) }
            return TeamsReply(status: .internalServerError)
        }
    }
}

/// Metric handles with bounded label values.
struct TeamsEndpointMetrics: Sendable {
    let duplicates = Counter(label: "debrief_teams_duplicate_activities_total")

    func activities(type: String) -> Counter {
        Counter(label: "debrief_teams_activities_total", dimensions: [("type", type)])
    }

    /// The activity types with their own label; anything else is `other`.
    static func label(_ type: String) -> String {
        let known = [
            ActivityType.message, ActivityType.invoke, ActivityType.conversationUpdate, ActivityType.installationUpdate,
        ]
        return known.contains(type) ? type : "other"
    }
}
