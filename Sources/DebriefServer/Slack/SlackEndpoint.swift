import DebriefCore
import DebriefPlatform
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import HTTPTypes
import Logging
import Metrics

/// `POST /slack/events`: one endpoint for slash commands, interactivity and the Events API (Bolt's layout).
///
/// Order of work on every request: verify the signature, decode, apply the command in one store
/// transaction, answer. Anything slow or trigger-bound (views.open, views.publish, response_url) is handed
/// to ``BackgroundWork`` so the acknowledgement never waits on Slack's Web API.
/// - Important: logs carry payload kinds and outcomes only — never user ids, tokens or reflection text.
public struct SlackEndpoint: Sendable {
    let verifier: SlackSignatureVerifier
    let reflections: ReflectionService
    let store: any Store
    let api: SlackWebAPIClient
    /// The same workspace behind the port: nudge updates and digest texts, as the rest of the server sees them.
    let platform: SlackChatPlatform
    let prompts: PromptLibrary
    let background: BackgroundWork
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: SlackEndpointMetrics
    let trainings: TrainingFeatures?
    let digests: DigestService?
    /// The workspace directory for scrubbing names in receipts and previews (a recent cached copy).
    let digestNames: DirectoryCache?
    let organisationTimeZone: TimeZone

    init(
        signingSecret: String, reflections: ReflectionService, store: any Store, platform: SlackChatPlatform,
        prompts: PromptLibrary, background: BackgroundWork, now: @escaping @Sendable () -> Date, logger: Logger,
        trainings: TrainingFeatures? = nil, digests: DigestService? = nil, digestNames: DirectoryCache? = nil,
        organisationTimeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt
    ) {
        self.verifier = SlackSignatureVerifier(signingSecret: signingSecret)
        self.reflections = reflections
        self.store = store
        self.api = platform.api
        self.platform = platform
        self.prompts = prompts
        self.background = background
        self.now = now
        self.logger = logger
        self.metrics = SlackEndpointMetrics()
        self.trainings = trainings
        self.digests = digests
        self.digestNames = digestNames
        self.organisationTimeZone = organisationTimeZone
    }

    /// Handles one signed request. Never throws: every outcome is an HTTP answer.
    public func handle(
        body: Data, contentType: String?, timestamp: String?, signature: String?, retryNumber: String? = nil
    ) async -> SlackReply {
        if SlackInboundDecoder.isSSLCheck(formBody: body), timestamp == nil, signature == nil {
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
            return await handleSlashCommand(command)
        case .blockActions(let actions):
            return await handleBlockActions(actions)
        case .viewSubmission(let submission):
            return await handleViewSubmission(submission)
        case .viewClosed:
            return .ack
        case .eventCallback(let callback):
            return await handleEvent(callback, retryNumber: retryNumber)
        case .appRateLimited:
            logger.warning("Slack reports this app is rate limited for events")
            return .ack
        }
    }

    // MARK: - Slash commands

    func handleSlashCommand(_ command: SlashCommand) async -> SlackReply {
        if command.command == "/debrief" { return await handleAdminCommand(command) }
        guard command.command == "/reflect" else {
            return .json(SlackReplies.help(prompts: prompts, problem: nil))
        }
        let user = PlatformUser(platform: .slack, workspace: command.teamID, userID: command.userID)
        let intent = ReflectCommand.parse(command.text, today: reflections.today(in: organisationTimeZone))
        do {
            switch intent {
            case .openForm:
                openModal(triggerID: command.triggerID, prefill: ReflectionDraft(), replacing: nil,
                    responseURL: command.responseURL)
                return .ack
            case .quick(let text):
                switch try await reflections.recordQuickReflection(text, by: user) {
                case .success(let reflection):
                    return .json(SlackReplies.quickStored(prompts: prompts, reflectionID: reflection.id, text: reflection.text))
                case .failure(let errors):
                    return .json(SlackReplies.invalidQuickReflection(prompts: prompts, errors: errors))
                }
            case .help:
                return .json(SlackReplies.help(prompts: prompts, problem: nil))
            case .invalid(let problem):
                return .json(SlackReplies.help(prompts: prompts, problem: problem))
            case .mine:
                return .json(try await mine(user))
            case .forget:
                return .json(SlackReplies.forgetConfirmation(prompts: prompts))
            case .pause(let length):
                let zone = await personalZone(of: user)
                let until = try await reflections.pause(user, for: length, in: zone)
                return .json(SlackReplies.paused(prompts: prompts, until: Self.humanDate(until, in: zone)))
            case .resume:
                try await reflections.resume(user)
                if let trainings {
                    try await trainings.scheduler.replan(reflections.pseudonym(of: user), platform: user.platform, workspace: user.workspace, now: now())
                    trainings.wakeWorker()
                }
                return .json(SlackReplies.resumed(prompts: prompts))
            case .privacy:
                return .json(try await privacyReceipt(for: user))
            case .stop:
                try await reflections.stop(user)
                if let trainings {
                    try await trainings.store.cancelJobs(
                        dedupeKeyPrefix: NudgeJobKey.personPrefix(reflections.pseudonym(of: user)))
                }
                return .json(SlackReplies.stopped(prompts: prompts))
            }
        } catch {
            logger.error("slash command failed", metadata: ["error": "\(error)"])
            // 200 so Slack shows the sentence; it tells the person to try again since nothing was kept.
            return .json(SlackReplies.somethingWentWrong(prompts: prompts))
        }
    }

    func mine(_ user: PlatformUser) async throws -> JSONValue {
        guard let export = try await reflections.export(of: user) else {
            return SlackReplies.mine(prompts: prompts, export: nil, summaryLines: [])
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let json = try JSONValue.decode(encoder.encode(export))
        var lines = ["Pseudonym: \(export.pseudonym.value)", "First seen: \(Self.humanDate(export.firstSeenAt))"]
        if export.preferences.stopped {
            lines.append("Nudges: stopped")
        } else if let until = export.preferences.pausedUntil, until > now() {
            lines.append("Nudges: paused until \(Self.humanDate(until, in: await personalZone(of: user)))")
        }
        lines.append("Reflections: \(export.reflections.count)")
        for reflection in export.reflections {
            let outcome = reflection.outcome.map { " (\($0.rawValue))" } ?? ""
            lines.append("• \(Self.isoDay(reflection.createdAt))\(outcome): \(reflection.text)")
        }
        return SlackReplies.mine(prompts: prompts, export: json, summaryLines: lines)
    }

    // MARK: - Interactivity

    func handleBlockActions(_ payload: BlockActions) async -> SlackReply {
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
                openModal(triggerID: payload.triggerID, prefill: prefill, replacing: reflectionID,
                    responseURL: payload.responseURL)
            case SlackActionID.openForm:
                openModal(triggerID: payload.triggerID, prefill: ReflectionDraft(), replacing: nil,
                    responseURL: payload.responseURL)
            case SlackActionID.forgetConfirm:
                let erased = try await reflections.forget(user)
                logger.info("person erased on request", metadata: ["reflections": "\(erased)"])
                respond(payload.responseURL, SlackReplies.forgotten(prompts: prompts))
            case SlackActionID.forgetCancel:
                respond(payload.responseURL, ["delete_original": true])
            case NudgeActionID.reflect, NudgeActionID.snooze, NudgeActionID.skip:
                try await handleNudgeButton(action.actionID, nudgeID: action.value, payload: payload, user: user)
            default:
                logger.debug("ignored block action", metadata: ["action_id": "\(action.actionID)"])
            }
        } catch {
            logger.error("block action failed", metadata: ["error": "\(error)"])
            respond(payload.responseURL, SlackReplies.somethingWentWrong(prompts: prompts))
        }
        return .ack
    }

    func handleViewSubmission(_ submission: ViewSubmission) async -> SlackReply {
        guard submission.callbackID == ReflectionModal.callbackID else { return .ack }
        let user = PlatformUser(platform: .slack, workspace: submission.teamID, userID: submission.userID)
        let draft = ReflectionModal.draft(from: submission)
        let replacing = ReflectionModal.reflectionID(fromPrivateMetadata: submission.privateMetadata)
        do {
            var nudge: NudgeSendRecord?
            if let trainings, let nudgeID = TrainingFeatures.nudgeID(fromPrivateMetadata: submission.privateMetadata),
                let record = try await trainings.store.nudgeSend(id: nudgeID),
                record.person == reflections.pseudonym(of: user)
            {
                nudge = record
            }
            switch try await reflections.submitForm(draft, by: user, replacing: replacing, trainingID: nudge?.trainingID) {
            case .success:
                if let nudge, let trainings { await thankForNudge(nudge, trainings: trainings) }
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

    // MARK: - Events API

    func handleEvent(_ callback: EventCallback, retryNumber: String?) async -> SlackReply {
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
                if tab == "home" {
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
            case .appUninstalled:
                try await store.recordInstallationEvent(
                    InstallationEvent(platform: .slack, workspace: callback.teamID, kind: .uninstalled, occurredAt: now()))
                logger.notice("app uninstalled from a workspace")
            case .tokensRevoked:
                try await store.recordInstallationEvent(
                    InstallationEvent(platform: .slack, workspace: callback.teamID, kind: .tokensRevoked, occurredAt: now()))
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

    // MARK: - Side effects after the ack

    func openModal(triggerID: String, prefill: ReflectionDraft, replacing reflectionID: String?, responseURL: String?) {
        let view = ReflectionModal.view(
            prompts: prompts, prefill: prefill,
            privateMetadata: ReflectionModal.privateMetadata(reflectionID: reflectionID))
        let api = self.api
        let logger = self.logger
        let fallback = SlackReplies.couldNotOpenForm(prompts: prompts)
        background.submit("views.open") {
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

    /// The person's own time zone (known once they took part in a training), else the organisation's.
    func personalZone(of user: PlatformUser) async -> TimeZone {
        guard let trainings,
            let identifier = try? await trainings.store.timeZone(of: reflections.pseudonym(of: user)),
            let zone = TimeZone(identifier: identifier)
        else { return organisationTimeZone }
        return zone
    }

    static func humanDate(_ date: Date, in zone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEEE d MMMM yyyy"
        return formatter.string(from: date)
    }

    static func isoDay(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}

/// Metric handles created once, with bounded label values.
struct SlackEndpointMetrics: Sendable {
    let signatureFailures = Counter(label: "debrief_slack_signature_failures_total")
    let duplicateEvents = Counter(label: "debrief_slack_duplicate_events_total")

    func payloads(kind: String) -> Counter {
        Counter(label: "debrief_slack_payloads_total", dimensions: [("kind", kind)])
    }
}
