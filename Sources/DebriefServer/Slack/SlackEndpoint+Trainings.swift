import DebriefCore
import DebriefPlatform
import DebriefSlack
import DebriefStore
import Foundation
import DebriefPrompts
import Logging
import Metrics

/// `/debrief` admin commands and the buttons on nudge DMs.
extension SlackEndpoint {
    func handleAdminCommand(_ command: SlashCommand) async -> SlackReply {
        guard let trainings else {
            return Self.ephemeral("Trainings are not available on this server.")
        }
        guard trainings.adminUserIDs.contains(command.userID) else {
            return Self.ephemeral(
                "Sorry, `/debrief` is for the people who run Debrief here. If you think you should have access, ask them to add you to DEBRIEF_ADMIN_USERS.")
        }
        switch AdminCommand.parse(command.text, timeZone: trainings.organisationTimeZone) {
        case .help:
            return Self.ephemeral(Self.adminHelp)
        case .invalid(let problem):
            // The problem echoes what the admin typed: escaped, so `<…>` in it is shown rather than interpreted.
            return Self.ephemeral("\(SlackMarkup.escape(problem))\n\n\(Self.adminHelp)")
        case .digestPreview(let target, let week):
            return await digestPreview(target: target, week: week)
        case .trainingList:
            do {
                let summaries = try await trainings.store.trainingSummaries()
                guard !summaries.isEmpty else { return Self.ephemeral("No trainings registered yet.") }
                let lines = summaries.prefix(30).map { summary in
                    "• *\(SlackMarkup.escape(summary.training.title))* (ended \(Self.isoDay(summary.training.endedAt))): "
                        + Self.progress(summary)
                }
                return Self.ephemeral(lines.joined(separator: "\n"))
            } catch {
                return .json(SlackReplies.somethingWentWrong(prompts: prompts))
            }
        case .trainingAdd(let request):
            do {
                let training = try await trainings.registrar.accept(
                    request, workspace: command.teamID, notifyUserID: command.userID)
                trainings.wakeWorker()
                return Self.ephemeral(
                    "Registered *\(SlackMarkup.escape(training.title))*. I'm looking up the participants now and will DM you who gets nudges and anyone I could not reach.")
            } catch let rejection as TrainingRegistrar.Rejection {
                return Self.ephemeral("I could not register that: \(rejection).")
            } catch {
                logger.error("registering a training failed", metadata: ["error": "\(error)"])
                return .json(SlackReplies.somethingWentWrong(prompts: prompts))
            }
        }
    }

    /// A training's counts as one phrase; while participants are still being looked up it says so, and
    /// only the counts found so far (all from the same read as the status).
    static func progress(_ summary: TrainingSummary) -> String {
        switch summary.status {
        case .resolvingParticipants:
            return "looking up participants (\(summary.participants) found so far, \(summary.nudgesPending) nudges planned)"
        case .scheduled:
            return "\(summary.participants) participants, \(summary.nudgesSent) nudges sent, \(summary.nudgesPending) planned"
                + (summary.training.unresolvedCount > 0 ? ", \(summary.training.unresolvedCount) not reachable" : "")
        case .tooManyParticipants:
            let limit = summary.resolution?.overLimit.map { " (\($0.limit))" } ?? ""
            return "not scheduled: more participants than a training can have\(limit); register it as smaller trainings"
        }
    }

    static let adminHelp = """
        *Debrief admin commands*
        • `/debrief training add "Title" ended:2026-11-20T16:00 participants:@user-group` — participants may be a user group, a #channel, @people or e-mail addresses, separated by commas
        • `/debrief training list` — trainings with counts
        • `/debrief digest preview [leadership|team:<name>] [2026-W47]` — what would be posted (only you see it)
        """

    /// The digest as it would be posted, for the admin's eyes only; last week by default.
    func digestPreview(target: String, week: String?) async -> SlackReply {
        guard let digests else { return Self.ephemeral("Digests are not configured on this server.") }
        guard let scope = DigestTarget.Scope(key: target) else {
            return Self.ephemeral("`\(SlackMarkup.escape(target))` is not a digest: use `leadership` or `team:<name>`.")
        }
        let weekKey: WeekKey
        if let week {
            guard let parsed = WeekKey(week) else {
                return Self.ephemeral("`\(SlackMarkup.escape(week))` is not an ISO week like 2026-W47.")
            }
            weekKey = parsed
        } else {
            weekKey = WeekKey(containing: now(), in: organisationTimeZone).previous
        }
        let currentWeek = WeekKey(containing: now(), in: organisationTimeZone)
        guard weekKey < currentWeek else {
            return Self.ephemeral(
                "\(weekKey) has not ended yet: previews show finished weeks only, so two previews never differ "
                    + "by who reflected in between. The latest finished week is \(currentWeek.previous).")
        }
        do {
            let names = await digestNames?.recent(waitingAtMost: .milliseconds(1_500))
            let document = try await digests.publishedDocument(
                for: scope, week: weekKey, currentWeek: currentWeek, names: names, now: now())
            let texts = platform.digestTexts(
                DigestDelivery(digestID: "", document: document, link: "(link to the digest page)"))
            return .json(
                DigestMessage.ephemeral(
                    intro: "*Preview, not posted* (\(SlackMarkup.escape(target)), \(weekKey)):", texts: texts,
                    note: names == nil ? DigestService.withheldNote : nil))
        } catch {
            logger.error("digest preview failed", metadata: ["error": "\(error)"])
            return .json(SlackReplies.somethingWentWrong(prompts: prompts))
        }
    }

    static func ephemeral(_ text: String) -> SlackReply {
        .json(["response_type": "ephemeral", "text": .string(text)])
    }

    func handleNudgeButton(_ actionID: String, nudgeID: String?, payload: BlockActions, user: PlatformUser) async throws {
        guard let trainings, let nudgeID, let record = try await trainings.store.nudgeSend(id: nudgeID),
            record.person == reflections.pseudonym(of: user),
            let training = try await trainings.store.training(id: record.trainingID)
        else { return }
        let texts = trainings.nudges.messageTexts(locale: nil)
        switch actionID {
        case NudgeActionID.reflect:
            let view = ReflectionModal.view(
                prompts: prompts, prefill: ReflectionDraft(),
                privateMetadata: TrainingFeatures.nudgeMetadataPrefix + nudgeID)
            let api = self.api
            let logger = self.logger
            let triggerID = payload.triggerID
            background.submit("views.open") {
                do {
                    try await api.viewsOpen(triggerID: triggerID, view: view)
                } catch {
                    logger.warning("opening the reflection form from a nudge failed", metadata: ["error": "\(error)"])
                }
            }
        case NudgeActionID.snooze:
            _ = try await trainings.store.recordNudgeResponse(id: nudgeID, response: .snoozed, at: now())
            try await trainings.scheduler.replan(record.person, platform: user.platform, workspace: user.workspace, now: now())
            trainings.wakeWorker()
            NudgeMetrics().snoozed.increment()
            updateNudge(record, .snoozed, trainingTitle: training.title, texts: texts)
        default:
            _ = try await trainings.store.recordNudgeResponse(id: nudgeID, response: .skipped, at: now())
            NudgeMetrics().skipped.increment()
            updateNudge(record, .skipped, trainingTitle: training.title, texts: texts)
        }
    }

    /// After a reflection that answers a nudge: record it and replace the nudge with a short thanks.
    func thankForNudge(_ record: NudgeSendRecord, trainings: TrainingFeatures) async {
        _ = try? await trainings.store.recordNudgeResponse(id: record.id, response: .reflected, at: now())
        guard let training = try? await trainings.store.training(id: record.trainingID) else { return }
        updateNudge(
            record, .reflected, trainingTitle: training.title, texts: trainings.nudges.messageTexts(locale: nil))
    }

    /// Replaces the nudge with its answered form, in the background (the click is acknowledged at once).
    func updateNudge(_ record: NudgeSendRecord, _ answer: NudgeAnswer, trainingTitle: String, texts: NudgeMessageTexts) {
        let platform = self.platform
        let logger = self.logger
        background.submit("chat.update") {
            do {
                try await platform.markNudgeAnswered(
                    PostedMessage(channel: record.channel, id: record.messageTS), answer: answer,
                    trainingTitle: trainingTitle, texts: texts)
            } catch {
                logger.warning("updating a nudge message failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
