import DebriefCore
import DebriefSlack
import Foundation
import HTTPTypes
import Logging
import Metrics

/// `POST /slack/events`: one endpoint for slash commands, interactivity and the Events API (Bolt's layout).
///
/// Verify the signature, decode, dispatch to the handler of the payload's kind — nothing else happens here.
/// Each handler applies its command in one store transaction and answers; anything slow or trigger-bound
/// (views.open, views.publish, response_url) goes to ``SlackFollowUps`` so the acknowledgement never waits on
/// Slack's Web API.
/// - Important: logs carry payload kinds and outcomes only — never user ids, tokens or reflection text.
///
/// A class: the route closure reaches it by one reference; as a struct of handlers it was copied (a few dozen
/// retains and releases) on every request.
public final class SlackEndpoint: Sendable {
    let verifier: SlackSignatureVerifier
    let slashCommands: SlashCommandHandler
    let adminCommands: AdminCommandHandler
    let blockActions: BlockActionHandler
    let viewSubmissions: ViewSubmissionHandler
    let events: EventHandler
    let metrics: SlackEndpointMetrics
    let logger: Logger
    let now: @Sendable () -> Date

    init(
        verifier: SlackSignatureVerifier, slashCommands: SlashCommandHandler, adminCommands: AdminCommandHandler,
        blockActions: BlockActionHandler, viewSubmissions: ViewSubmissionHandler, events: EventHandler,
        metrics: SlackEndpointMetrics, logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        self.verifier = verifier
        self.slashCommands = slashCommands
        self.adminCommands = adminCommands
        self.blockActions = blockActions
        self.viewSubmissions = viewSubmissions
        self.events = events
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    /// Handles one signed request. Never throws: every outcome is an HTTP answer.
    public func handle(
        body: Data, contentType: String?, timestamp: String?, signature: String?, retryNumber: String? = nil
    ) async -> SlackReply {
        // The unsigned check first by its missing headers: a signed request's body is not scanned for it.
        if timestamp == nil, signature == nil, SlackInboundDecoder.isSSLCheck(formBody: body) {
            return .ack
        }
        do {
            try verifier.verify(body: body, timestampHeader: timestamp, signatureHeader: signature, now: now())
        } catch {
            metrics.signatureFailures.increment()
            logger.notice("rejected Slack request", metadata: ["reason": "\(error)"])
            return .error(.unauthorized, "invalid request: \(error)")
        }
        let payload: SlackInboundPayload
        do {
            payload = try SlackInboundDecoder.decode(body: body, contentType: contentType)
        } catch {
            metrics.payloads(kind: "invalid").increment()
            logger.notice("malformed Slack payload", metadata: ["reason": "\(error)"])
            var reply = SlackReply.error(.badRequest, "\(error)")
            reply.extraHeaders = [("X-Slack-No-Retry", "1")]
            return reply
        }
        metrics.payloads(kind: payload.kindLabel).increment()
        switch payload {
        case .sslCheck:
            return .ack
        case .urlVerification(let challenge):
            return .json(["challenge": .string(challenge)])
        case .slashCommand(let command):
            if command.command == "/debrief" { return await adminCommands.handle(command) }
            return await slashCommands.handle(command)
        case .blockActions(let actions):
            return await blockActions.handle(actions)
        case .viewSubmission(let submission):
            return await viewSubmissions.handle(submission)
        case .viewClosed:
            return .ack
        case .eventCallback(let callback):
            return await events.handle(callback, retryNumber: retryNumber)
        case .appRateLimited:
            logger.warning("Slack reports this app is rate limited for events")
            return .ack
        }
    }
}

/// Metric handles created once, with bounded label values.
struct SlackEndpointMetrics: Sendable {
    let signatureFailures = Counter(label: "debrief_slack_signature_failures_total")
    let duplicateEvents = Counter(label: "debrief_slack_duplicate_events_total")
    /// One counter per payload kind, made at start: looking a counter up in the registry by its labels on every
    /// request cost a lock and a hash of the labels.
    private let payloadCounters: [String: Counter] = Dictionary(
        uniqueKeysWithValues: (SlackInboundPayload.kindLabels + ["invalid"]).map {
            ($0, Counter(label: "debrief_slack_payloads_total", dimensions: [("kind", $0)]))
        })

    func payloads(kind: String) -> Counter {
        payloadCounters[kind] ?? Counter(label: "debrief_slack_payloads_total", dimensions: [("kind", kind)])
    }
}
