import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation

/// Gathers what the planner needs about one person from the store and turns plans into jobs.
///
/// The planner is pure; this is its thin I/O shell. Every send job re-plans at run time, so a plan made
/// when a training was registered adapts to everything that happened since (other trainings, snoozes,
/// pauses, reflections) without rewriting queued jobs.
struct NudgeScheduler: Sendable {
    let store: any DebriefDataStore
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
    }

    func schedule(for training: Training) -> TrainingSchedule {
        let sequence = (try? nudges.sequence(training.sequenceID)?.schedule()) ?? NudgeSequence.default
        return TrainingSchedule(id: training.id, endedAt: training.endedAt, sequence: sequence)
    }

    /// The person's plan across all their trainings; nil when the person no longer exists (erased).
    func plan(for person: Pseudonym, extraTraining: Training? = nil, now: Date) async throws -> NudgePlan? {
        guard let preferences = try await store.preferences(of: person) else { return nil }
        var trainings: [Training] = []
        for id in try await store.trainingIDs(of: person) {
            if let training = try await store.training(id: id) { trainings.append(training) }
        }
        if let extraTraining, !trainings.contains(where: { $0.id == extraTraining.id }) { trainings.append(extraTraining) }
        let zone = try await store.timeZone(of: person).flatMap(TimeZone.init(identifier:))
        let calendar = PersonCalendar(person: person, timeZone: zone, preferences: preferences)
        let sends = try await store.nudgeSends(to: person)
        var history = NudgeHistory()
        for send in sends {
            history.sends.append(SentNudge(trainingID: send.trainingID, stageID: send.stageID, kind: send.kind, at: send.sentAt))
            guard let response = send.response, let at = send.respondedAt else { continue }
            let action = StageAction(trainingID: send.trainingID, stageID: send.stageID, at: at)
            switch response {
            case .snoozed: history.snoozes.append(action)
            case .skipped: history.skips.append(action)
            case .reflected: history.reflections.append(TrainingReflection(trainingID: send.trainingID, stageID: send.stageID, at: at))
            }
        }
        for reflection in try await store.trainingReflections(of: person) {
            history.reflections.append(TrainingReflection(trainingID: reflection.trainingID, at: reflection.day))
        }
        return NudgePlanner.plan(
            trainings: trainings.map(schedule(for:)), person: calendar, rules: rules, history: history, now: now)
    }

    /// Jobs for the planned nudges (all, or of one training). Dedupe keys make re-enqueueing harmless.
    func jobs(from plan: NudgePlan, trainingID: String? = nil, workspace: String) -> [NewJob] {
        plan.planned.filter { trainingID == nil || $0.trainingID == trainingID }.compactMap { planned in
            let parameters = SendParameters(
                plannerKey: planned.dedupeKey, person: planned.person.value, trainingID: planned.trainingID,
                stageID: planned.stageID, kind: planned.kind)
            return try? NewJob(
                kind: NudgeJobKey.kind, parameters: parameters, runAt: planned.at,
                dedupeKey: NudgeJobKey.key(plannerKey: planned.dedupeKey), bucket: "slack:\(workspace)", maxAttempts: 6)
        }
    }

    /// Re-plans a person and enqueues what is newly planned (after a snooze or a resume).
    @discardableResult
    func replan(_ person: Pseudonym, workspace: String, now: Date) async throws -> Int {
        guard let plan = try await plan(for: person, now: now) else { return 0 }
        return try await store.enqueue(jobs(from: plan, workspace: workspace))
    }
}

import Logging

/// Everything the server keeps: reflections, the job queue and trainings, behind their contracts.
public typealias DebriefDataStore = Store & JobQueue & TrainingStore & DigestStore & ReleaseStore
