import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation
import Logging

/// Gathers what the planner needs about one person from the store and turns plans into jobs.
///
/// The planner is pure; this is its thin I/O shell. Every send job re-plans at run time, so a plan made
/// when a training was registered adapts to everything that happened since (other trainings, snoozes,
/// pauses, reflections) without rewriting queued jobs.
struct NudgeScheduler: Sendable {
    let store: any TrainingStore & JobQueue
    let nudges: NudgeLibrary
    let rules: CalendarRules
    let logger: Logger
    let metrics = NudgeMetrics()

    /// Parameters of a `nudge.send` job.
    struct SendParameters: Codable, Sendable, Equatable {
        var plannerKey: String
        var person: String
        var trainingID: String
        var stageID: String
        var kind: NudgeKind
        /// Where the person is reached; absent in jobs queued before Teams existed, which are all Slack's.
        var platform: Platform?
    }

    func schedule(for training: Training) -> TrainingSchedule {
        let sequence = (try? nudges.sequence(training.sequenceID)?.schedule()) ?? NudgeSequence.default
        return TrainingSchedule(id: training.id, endedAt: training.endedAt, sequence: sequence)
    }

    /// The person's plan across all their trainings; nil when the person no longer exists (erased).
    func plan(for person: Pseudonym, extraTraining: Training? = nil, now: Date) async throws -> NudgePlan? {
        guard let input = try await store.planningInputs(of: [person])[person] else { return nil }
        let trainings = try await store.trainings(ids: input.trainingIDs)
        return plan(
            for: person, input: input, trainings: trainings, extraTraining: extraTraining,
            timeZone: input.timeZone.flatMap(TimeZone.init(identifier:)), now: now)
    }

    /// The person's plan from what the store knows about them (``PersonPlanningInput``), without I/O, so a
    /// batch of people can be read at once and planned one by one.
    /// - Parameters:
    ///   - trainings: At least the person's trainings by id (ids missing here were deleted and are skipped).
    ///   - extraTraining: A training to plan as well, e.g. one the person is being added to right now.
    ///   - timeZone: The zone to plan in; nil means the rules' default.
    func plan(
        for person: Pseudonym, input: PersonPlanningInput, trainings: [String: Training], extraTraining: Training?,
        timeZone: TimeZone?, now: Date
    ) -> NudgePlan {
        var schedules: [TrainingSchedule] = []
        schedules.reserveCapacity(input.trainingIDs.count + 1)
        for id in input.trainingIDs where id != extraTraining?.id {
            if let training = trainings[id] { schedules.append(schedule(for: training)) }
        }
        if let extraTraining { schedules.append(schedule(for: extraTraining)) }
        var history = NudgeHistory()
        for send in input.sends {
            history.sends.append(
                SentNudge(trainingID: send.trainingID, stageID: send.stageID, kind: send.kind, at: send.sentAt))
            guard let response = send.response, let at = send.respondedAt else { continue }
            let action = StageAction(trainingID: send.trainingID, stageID: send.stageID, at: at)
            switch response {
            case .snoozed: history.snoozes.append(action)
            case .skipped: history.skips.append(action)
            case .reflected:
                history.reflections.append(
                    TrainingReflection(trainingID: send.trainingID, stageID: send.stageID, at: at))
            }
        }
        for reflection in input.trainingReflections {
            history.reflections.append(TrainingReflection(trainingID: reflection.trainingID, at: reflection.day))
        }
        let calendar = PersonCalendar(person: person, timeZone: timeZone, preferences: input.preferences)
        return NudgePlanner.plan(trainings: schedules, person: calendar, rules: rules, history: history, now: now)
    }

    /// Jobs for the planned nudges (all, or of one training). Dedupe keys make re-enqueueing harmless.
    ///
    /// Each job carries the platform that reaches the person, and shares one rate-limit bucket with every send
    /// to the same workspace (`slack:T123`), which is how platforms count their limits.
    func jobs(from plan: NudgePlan, trainingID: String? = nil, platform: Platform, workspace: String) -> [NewJob] {
        plan.planned.filter { trainingID == nil || $0.trainingID == trainingID }.compactMap { planned in
            let parameters = SendParameters(
                plannerKey: planned.dedupeKey, person: planned.person.value, trainingID: planned.trainingID,
                stageID: planned.stageID, kind: planned.kind, platform: platform)
            return try? NewJob(
                kind: JobKind.nudgeSend.rawValue, parameters: parameters, runAt: planned.at,
                dedupeKey: NudgeJobKey.key(plannerKey: planned.dedupeKey), bucket: "\(platform.rawValue):\(workspace)",
                maxAttempts: 6)
        }
    }

    /// Re-plans a person and enqueues what is newly planned (after a snooze or a resume).
    @discardableResult
    func replan(_ person: Pseudonym, platform: Platform, workspace: String, now: Date) async throws -> Int {
        guard let plan = try await plan(for: person, now: now) else { return 0 }
        return try await store.enqueue(jobs(from: plan, platform: platform, workspace: workspace))
    }
}
