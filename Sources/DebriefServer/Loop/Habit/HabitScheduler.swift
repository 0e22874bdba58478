import DebriefCore
import DebriefPrompts
import DebriefStore
import Foundation
import Logging

/// The habit's thin I/O shell around ``HabitPlanner``: gathers what the planner needs about one person and
/// turns its steps into `habit.send` jobs (dedupe key `habit:<pseudonym>/<slot>`, so every replica enqueueing
/// the same slot adds one job).
struct HabitScheduler: Sendable {
    let store: any DebriefDataStore
    let nudges: NudgeScheduler
    let rules: CalendarRules
    /// `DEBRIEF_HABIT_INTERVAL` in days: the interval of people who say yes.
    let intervalDays: Int
    let texts: [Platform: HabitTexts]
    let logger: Logger

    /// Parameters of a `habit.send` job: pseudonyms and ids only.
    struct Parameters: Codable, Sendable, Equatable {
        var person: String
        var slot: String
        var platform: Platform
        var workspace: String
    }

    /// Everything the planner needs about one person.
    struct Inputs: Sendable {
        var calendar: PersonCalendar
        var state: HabitState?
        var prompts: [HabitPromptRecord]
        /// Every DM the person was sent or has planned (nudges and habit messages), for the caps.
        var busy: [Date]
        var plannedNudges: Int
        /// The person's latest nudge and when it was answered (snoozes do not count as answers).
        var lastNudge: (at: Date, answeredAt: Date?)?
        var trainingCount: Int
        var isLeader: Bool
    }

    /// Nil when the person is not (or no longer) stored.
    func inputs(of person: Pseudonym, now: Date) async throws -> Inputs? {
        guard let preferences = try await store.preferences(of: person) else { return nil }
        let zone = try await store.timeZone(of: person).flatMap(TimeZone.init(identifier:))
        let calendar = PersonCalendar(person: person, timeZone: zone, preferences: preferences)
        let prompts = try await store.habitPrompts(of: person)
        var busy = prompts.map(\.sentAt)
        var planned = 0
        var lastNudge: (at: Date, answeredAt: Date?)?
        var trainingCount = 0
        if let input = try await store.planningInputs(of: [person])[person] {
            trainingCount = input.trainingIDs.count
            let trainings = try await store.trainings(ids: input.trainingIDs)
            let plan = nudges.plan(
                for: person, input: input, trainings: trainings, extraTraining: nil, timeZone: zone, now: now)
            planned = plan.planned.count
            busy += input.sends.map(\.sentAt) + plan.planned.map(\.at)
            if let last = input.sends.max(by: { $0.sentAt < $1.sentAt }) {
                let answered = last.response.flatMap { $0 == .snoozed ? nil : last.respondedAt }
                lastNudge = (last.sentAt, answered)
            }
        }
        let role = try await store.roleAndTeam(of: person)?.roleLevel
        return Inputs(
            calendar: calendar, state: try await store.habit(of: person), prompts: prompts, busy: busy,
            plannedNudges: planned, lastNudge: lastNudge, trainingCount: trainingCount,
            isLeader: role == RoleLevel.leader.rawValue)
    }

    /// The next recurring step of a person who said yes.
    func nextStep(_ inputs: Inputs, now: Date) -> HabitStep {
        guard let state = inputs.state else { return .nothing }
        return HabitPlanner.nextPrompt(
            person: inputs.calendar, state: state, prompts: inputs.prompts, rules: rules, busy: inputs.busy, now: now)
    }

    /// The next leader ask, if the person is a leader who said yes or took part in a training and did not
    /// stop the ask.
    func leaderAsk(_ inputs: Inputs, now: Date) -> (week: WeekKey, at: Date)? {
        guard inputs.isLeader, inputs.state?.leaderAsksStopped != true,
            inputs.state?.status == .active || inputs.trainingCount > 0
        else { return nil }
        return HabitPlanner.leaderAsk(person: inputs.calendar, rules: rules, busy: inputs.busy, now: now)
    }

    func job(_ person: Pseudonym, slot: HabitSlot, runAt: Date, platform: Platform, workspace: String) -> NewJob? {
        try? NewJob(
            kind: JobKind.habitSend.rawValue,
            parameters: Parameters(person: person.value, slot: slot.key, platform: platform, workspace: workspace),
            runAt: runAt, dedupeKey: HabitJobKey.key(person, slot: slot.key),
            bucket: "\(platform.rawValue):\(workspace)", maxAttempts: 6)
    }

    /// Enqueues the person's next recurring step and leader ask (after a "Yes", a "Keep", a send, a resume).
    @discardableResult
    func enqueueNext(_ person: Pseudonym, platform: Platform, workspace: String, now: Date) async throws -> Int {
        guard let inputs = try await inputs(of: person, now: now) else { return 0 }
        var jobs: [NewJob] = []
        switch nextStep(inputs, now: now) {
        case .nothing: break
        case .send(_, let at, let ordinal):
            jobs += [job(person, slot: .recurring(ordinal), runAt: at, platform: platform, workspace: workspace)]
                .compactMap { $0 }
        case .stop(let at, let ordinal):
            jobs += [job(person, slot: .stop(ordinal), runAt: at, platform: platform, workspace: workspace)]
                .compactMap { $0 }
        }
        if let ask = leaderAsk(inputs, now: now),
            let job = job(
                person, slot: .leader(ask.week.description), runAt: ask.at, platform: platform, workspace: workspace)
        {
            jobs.append(job)
        }
        return jobs.isEmpty ? 0 : try await store.enqueue(jobs)
    }

    /// After a nudge was sent or answered: queue the check for the habit offer (when the training's last stage
    /// went out, once its answer time has passed; after an answer, now), and the leader ask for a leader who
    /// takes part in a training.
    func afterNudge(
        _ person: Pseudonym, trainingID: String, stageID: String, isLastStage: Bool, answered: Bool,
        platform: Platform, workspace: String, now: Date, isLeader knownLeader: Bool? = nil
    ) async throws {
        var jobs: [NewJob] = []
        if answered {
            jobs += [
                job(
                    person, slot: .offer(trigger: "\(trainingID)/\(stageID)/answer"), runAt: now, platform: platform,
                    workspace: workspace)
            ].compactMap { $0 }
        } else if isLastStage {
            let settled = now.addingTimeInterval(TimeInterval(HabitPlanner.settleDays * 86_400 + 60))
            jobs += [
                job(person, slot: .offer(trigger: trainingID), runAt: settled, platform: platform, workspace: workspace)
            ].compactMap { $0 }
        }
        // Only a leader's plan is worth reading here (most nudges go to people who are not).
        if !answered, try await isLeader(person, known: knownLeader),
            let inputs = try await inputs(of: person, now: now), let ask = leaderAsk(inputs, now: now),
            let job = job(
                person, slot: .leader(ask.week.description), runAt: ask.at, platform: platform, workspace: workspace)
        {
            jobs.append(job)
        }
        if !jobs.isEmpty { _ = try await store.enqueue(jobs) }
    }

    /// Whether the person's directory role is `leader`; `known` is the answer when the caller read it already
    /// (a nudge send reads the role with the rest of its context).
    private func isLeader(_ person: Pseudonym, known: Bool?) async throws -> Bool {
        if let known { return known }
        return try await store.roleAndTeam(of: person)?.roleLevel == RoleLevel.leader.rawValue
    }

    /// Whether `stageID` is the last stage of the training's nudge sequence.
    func isLastStage(_ stageID: String, of training: Training) -> Bool {
        nudges.schedule(for: training).sequence.stages.last?.id == stageID
    }
}

extension HabitScheduler {
    /// After a nudge was answered ("Not this one", or a reflection from it): the habit offer may be due now.
    func afterNudgeAnswered(_ record: NudgeSendRecord, platform: Platform, now: Date) async {
        guard let address = try? await store.deliveryAddress(of: record.person, platform: platform) else { return }
        try? await afterNudge(
            record.person, trainingID: record.trainingID, stageID: record.stageID, isLastStage: false, answered: true,
            platform: platform, workspace: address.workspace, now: now)
    }
}
