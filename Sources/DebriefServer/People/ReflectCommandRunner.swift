import DebriefCore
import DebriefStore
import Foundation
import Logging

/// What `/reflect …` (Slack) and the same words typed to the bot (Teams) do, once for every platform: the
/// store changes, re-planning after `resume`, cancelling nudges after `stop`, the person's own zone for dates.
/// Each platform's handler parses its payload into a ``ReflectCommand`` and draws the ``Outcome`` in its own
/// markup.
struct ReflectCommandRunner: Sendable {
    let reflections: ReflectionService
    /// Re-planning after `resume`, cancelling after `stop`, people's own zones; nil without trainings.
    let trainings: TrainingFeatures?
    /// The privacy receipt; nil when digests are not available.
    let receipts: PrivacyReceipts?
    let organisationTimeZone: TimeZone
    let now: @Sendable () -> Date
    /// `ideas`: colleagues' examples; nil when the server has no library (the platform says so).
    var ideas: IdeaLibraryService? = nil

    /// What a command came to, for the platform to say.
    enum Outcome: Sendable {
        case openForm
        case quickStored(Reflection)
        case invalidQuickReflection(ReflectionValidationErrors)
        case help(problem: ReflectCommandProblem?)
        /// Nil: nothing is stored about the person.
        case mine(PersonSummary?)
        /// `forget` asks first; the platform shows a confirmation that calls ``forget(_:)``.
        case confirmForget
        case paused(until: String)
        case resumed
        case stopped
        /// Nil: digests are not configured on this server.
        case privacy(PrivacyReceipt?)
        /// Nil: the examples library is not available on this server.
        case ideas(IdeaAnswer?)
    }

    /// `mine`: the export as JSON (for a download or a code block) and a readable summary.
    struct PersonSummary: Sendable {
        var export: JSONValue
        var lines: [String]
    }

    func parse(_ text: String) -> ReflectCommand {
        ReflectCommand.parse(text, today: reflections.today(in: organisationTimeZone))
    }

    /// Runs the command for `user`. Throws when the store fails (nothing was kept; the platform says "try again").
    func run(_ command: ReflectCommand, for user: PlatformUser) async throws -> Outcome {
        switch command {
        case .openForm:
            return .openForm
        case .quick(let text):
            switch try await reflections.recordQuickReflection(text, by: user) {
            case .success(let reflection):
                return .quickStored(reflection)
            case .failure(let errors): return .invalidQuickReflection(errors)
            }
        case .help:
            return .help(problem: nil)
        case .invalid(let problem):
            return .help(problem: problem)
        case .mine:
            return .mine(try await summary(of: user))
        case .forget:
            return .confirmForget
        case .pause(let length):
            let zone = await personalZone(of: user)
            let until = try await reflections.pause(user, for: length, in: zone)
            return .paused(until: PersonDates.human(until, in: zone))
        case .resume:
            try await reflections.resume(user)
            if let trainings {
                try await trainings.scheduler.replan(
                    reflections.pseudonym(of: user), platform: user.platform, workspace: user.workspace, now: now())
                try await trainings.habits?.enqueueNext(
                    reflections.pseudonym(of: user), platform: user.platform, workspace: user.workspace, now: now())
                trainings.wakeWorker()
            }
            return .resumed
        case .privacy:
            guard let receipts, trainings != nil else { return .privacy(nil) }
            return .privacy(try await receipts.receipt(for: user))
        case .stop:
            try await reflections.stop(user)
            if let trainings {
                try await trainings.store.cancelJobs(
                    dedupeKeyPrefix: NudgeJobKey.personPrefix(reflections.pseudonym(of: user)))
                // The habit stops too (its jobs would find the person stopped; no need to keep them queued).
                try await trainings.store.cancelJobs(
                    dedupeKeyPrefix: HabitJobKey.personPrefix(reflections.pseudonym(of: user)))
            }
            return .stopped
        case .ideas(let topic):
            guard let ideas else { return .ideas(nil) }
            return .ideas(try await ideas.search(topic: topic, for: user))
        }
    }

    /// Erases everything about the person (after they confirmed), their delivery address and conversation
    /// reference included, and their id in queued jobs; returns how many reflections went.
    func forget(_ user: PlatformUser) async throws -> Int {
        try await reflections.forget(user)
    }

    func summary(of user: PlatformUser) async throws -> PersonSummary? {
        guard var export = try await reflections.export(of: user) else { return nil }
        let habitLine = try await habitSummary(of: user, into: &export)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let json = try JSONValue.decode(encoder.encode(export))
        var lines = [
            "Pseudonym: \(export.pseudonym.value)", "First seen: \(PersonDates.human(export.firstSeenAt))",
        ]
        if export.preferences.stopped {
            lines.append("Nudges: stopped")
        } else if let until = export.preferences.pausedUntil, until > now() {
            lines.append("Nudges: paused until \(PersonDates.human(until, in: await personalZone(of: user)))")
        }
        if let habitLine { lines.append(habitLine) }
        lines.append("Reflections: \(export.reflections.count)")
        if let marks = export.usefulMarks {
            lines.append("Colleagues' examples you marked useful: \(marks) (only the total is kept)")
        }
        for reflection in export.reflections {
            let outcome = reflection.outcome.map { " (\($0.rawValue))" } ?? ""
            lines.append("• \(PersonDates.isoDay(reflection.createdAt))\(outcome): \(reflection.text)")
        }
        lines += LeaderResponseSummary.lines(export.leaderResponses ?? [])
        return PersonSummary(export: json, lines: lines)
    }

    /// The person's own time zone (known once they took part in a training or wrote from Teams), else the
    /// organisation's.
    func personalZone(of user: PlatformUser) async -> TimeZone {
        guard let trainings,
            let identifier = try? await trainings.store.timeZone(of: reflections.pseudonym(of: user)),
            let zone = TimeZone(identifier: identifier)
        else { return organisationTimeZone }
        return zone
    }
}
