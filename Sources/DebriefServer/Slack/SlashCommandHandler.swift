import DebriefCore
import DebriefPrompts
import DebriefSlack
import DebriefStore
import Foundation
import Logging

/// `/reflect …`: a quick reflection, the form, help, `mine`, `forget`, `pause`, `resume`, `stop`, `privacy`.
struct SlashCommandHandler: Sendable {
    let reflections: ReflectionService
    let prompts: PromptLibrary
    /// Re-planning after `resume`, cancelling after `stop`, people's own zones; nil without trainings.
    let trainings: TrainingFeatures?
    /// The privacy receipt; nil when digests are not available.
    let digestViews: SlackDigestViews?
    let followUps: SlackFollowUps
    let organisationTimeZone: TimeZone
    let logger: Logger
    let now: @Sendable () -> Date

    func handle(_ command: SlashCommand) async -> SlackReply {
        guard command.command == "/reflect" else {
            return .json(SlackReplies.help(prompts: prompts, problem: nil))
        }
        let user = PlatformUser(platform: .slack, workspace: command.teamID, userID: command.userID)
        let intent = ReflectCommand.parse(command.text, today: reflections.today(in: organisationTimeZone))
        do {
            switch intent {
            case .openForm:
                followUps.openReflectionForm(
                    triggerID: command.triggerID, prefill: ReflectionDraft(), replacing: nil,
                    responseURL: command.responseURL)
                return .ack
            case .quick(let text):
                switch try await reflections.recordQuickReflection(text, by: user) {
                case .success(let reflection):
                    return .json(
                        SlackReplies.quickStored(prompts: prompts, reflectionID: reflection.id, text: reflection.text))
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
                return .json(SlackReplies.paused(prompts: prompts, until: SlackDates.human(until, in: zone)))
            case .resume:
                try await reflections.resume(user)
                if let trainings {
                    try await trainings.scheduler.replan(
                        reflections.pseudonym(of: user), platform: user.platform, workspace: user.workspace, now: now())
                    trainings.wakeWorker()
                }
                return .json(SlackReplies.resumed(prompts: prompts))
            case .privacy:
                guard let digestViews, trainings != nil else {
                    return .json([
                        "response_type": "ephemeral", "text": "Digests are not configured on this server yet.",
                    ])
                }
                return .json(try await digestViews.privacyReceipt(for: user))
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
        var lines = ["Pseudonym: \(export.pseudonym.value)", "First seen: \(SlackDates.human(export.firstSeenAt))"]
        if export.preferences.stopped {
            lines.append("Nudges: stopped")
        } else if let until = export.preferences.pausedUntil, until > now() {
            lines.append("Nudges: paused until \(SlackDates.human(until, in: await personalZone(of: user)))")
        }
        lines.append("Reflections: \(export.reflections.count)")
        for reflection in export.reflections {
            let outcome = reflection.outcome.map { " (\($0.rawValue))" } ?? ""
            lines.append("• \(SlackDates.isoDay(reflection.createdAt))\(outcome): \(reflection.text)")
        }
        return SlackReplies.mine(prompts: prompts, export: json, summaryLines: lines)
    }

    /// The person's own time zone (known once they took part in a training), else the organisation's.
    func personalZone(of user: PlatformUser) async -> TimeZone {
        guard let trainings,
            let identifier = try? await trainings.store.timeZone(of: reflections.pseudonym(of: user)),
            let zone = TimeZone(identifier: identifier)
        else { return organisationTimeZone }
        return zone
    }
}
