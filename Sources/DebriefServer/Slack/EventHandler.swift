import DebriefCore
import DebriefSlack
import DebriefStore
import Foundation
import HTTPTypes
import Logging
import Metrics

/// The Events API: each event once (Slack retries; the event id is recorded first), the Home tab, and the
/// installation events an operator must know about.
struct EventHandler: Sendable {
    /// Inbound deliveries and installation events.
    let store: any Store
    let followUps: SlackFollowUps
    let metrics: SlackEndpointMetrics
    let logger: Logger
    let now: @Sendable () -> Date

    func handle(_ callback: EventCallback, retryNumber: String?) async -> SlackReply {
        let delivery = InboundDelivery(
            platform: .slack, workspace: callback.teamID, deliveryID: callback.eventID,
            kind: callback.event.typeName, receivedAt: now())
        do {
            guard try await store.recordInboundDelivery(delivery) else {
                metrics.duplicateEvents.increment()
                logger.debug("duplicate event ignored", metadata: ["retry": "\(retryNumber ?? "0")"])
                return .ack
            }
        } catch {
            logger.error("recording an event failed", metadata: ["error": "\(error)"])
            return .error(.serviceUnavailable, "temporarily unavailable, please retry")
        }
        do {
            switch callback.event {
            case .appHomeOpened(let userID, _, let tab):
                if tab == "home" { followUps.publishHome(userID: userID) }
            case .appUninstalled:
                try await store.recordInstallationEvent(
                    InstallationEvent(
                        platform: .slack, workspace: callback.teamID, kind: .uninstalled, occurredAt: now()))
                logger.notice("app uninstalled from a workspace")
            case .tokensRevoked:
                try await store.recordInstallationEvent(
                    InstallationEvent(
                        platform: .slack, workspace: callback.teamID, kind: .tokensRevoked, occurredAt: now()))
                logger.notice("tokens revoked in a workspace")
            case .other:
                break
            }
        } catch {
            logger.error("handling an event failed", metadata: ["error": "\(error)"])
            try? await store.removeInboundDelivery(delivery)
            return .error(.serviceUnavailable, "temporarily unavailable, please retry")
        }
        return .ack
    }
}
