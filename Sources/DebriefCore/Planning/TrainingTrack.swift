import Foundation

/// One training as the planner sees it for one person: its stages and what already happened to each.
struct TrainingTrack {
    let training: TrainingSchedule
    let stages: [NudgeStage]
    /// Sends of each stage, oldest first.
    let sends: [[SentNudge]]
    let snoozes: [[StageAction]]
    let skipped: [Bool]
    /// Reflections on this training made after it ended, oldest first.
    let reflections: [TrainingReflection]
    /// Where each stage would go on the calendar alone (ignoring budgets, order and `now`). Used to judge
    /// pauses, lateness and reflection intervals, which must not shift when other sends move.
    let calendarSlots: [Date?]
    /// Stages whose nudge a reflection made unnecessary (see `preemptedStages(pausedUntil:)`).
    private(set) var preempted: Set<Int> = []
    /// Filled in by the planner once primary sends are placed.
    var plannedPrimaryDays: [LocalDate?]
    /// The local day of this training's latest send so far.
    let lastSendDay: LocalDate?
    /// Filled in by the planner when a snoozed return of this training is planned (before any primary).
    var plannedSnoozeDay: LocalDate?
    /// The day this training's next primary must come after: its latest send, or the snoozed return the
    /// person asked for when that comes later.
    var lastPlacedDay: LocalDate? { [lastSendDay, plannedSnoozeDay].compactMap { $0 }.max() }
    private let sendDays: [LocalDate?]

    init(
        training: TrainingSchedule, history: NudgeHistory, clock: PersonClock, rules: CalendarRules,
        pausedUntil: Date?
    ) {
        self.training = training
        let stages = training.sequence.stages
        self.stages = stages
        let index = Dictionary(stages.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var sends = Array(repeating: [SentNudge](), count: stages.count)
        for send in history.sends where send.trainingID == training.id {
            if let stage = index[send.stageID] { sends[stage].append(send) }
        }
        self.sends = sends.map { $0.sorted { $0.at < $1.at } }
        var snoozes = Array(repeating: [StageAction](), count: stages.count)
        for snooze in history.snoozes where snooze.trainingID == training.id {
            if let stage = index[snooze.stageID] { snoozes[stage].append(snooze) }
        }
        self.snoozes = snoozes.map { $0.sorted { $0.at < $1.at } }
        var skipped = Array(repeating: false, count: stages.count)
        for skip in history.skips where skip.trainingID == training.id {
            if let stage = index[skip.stageID] { skipped[stage] = true }
        }
        self.skipped = skipped
        self.reflections = history.reflections
            .filter { $0.trainingID == training.id && $0.at >= training.endedAt }
            .sorted { $0.at < $1.at }

        let endDay = clock.localDate(of: training.endedAt)
        self.calendarSlots = stages.map { stage in
            let nominal = endDay.adding(days: stage.dayOffset)
            let day = Self.preferredDay(for: nominal, stage: stage, rules: rules)
            return clock.firstSend(from: day, notBefore: training.endedAt)?.at
        }
        self.sendDays = self.sends.map { $0.first.map { clock.localDate(of: $0.at) } }
        self.plannedPrimaryDays = Array(repeating: nil, count: stages.count)
        self.lastSendDay = history.sends.filter { $0.trainingID == training.id }.map(\.at).max()
            .map { clock.localDate(of: $0) }
        self.preempted = preemptedStages(pausedUntil: pausedUntil)
    }

    /// Later stages on a non-preferred weekday move to the next preferred one if it is close (``PreferredDays``).
    static func preferredDay(for nominal: LocalDate, stage: NudgeStage, rules: CalendarRules) -> LocalDate {
        guard let preferred = rules.preferredDays, stage.dayOffset >= preferred.fromStageOffsetDays,
            !preferred.weekdays.contains(nominal.weekday)
        else { return nominal }
        let delay = (1...max(1, preferred.maximumDelayDays)).first {
            preferred.weekdays.contains(nominal.adding(days: $0).weekday)
        }
        guard let delay, delay <= preferred.maximumDelayDays else { return nominal }
        return nominal.adding(days: delay)
    }

    /// Stages cancelled because the person already reflected in their interval.
    ///
    /// Each reflection is read against the nudges sent before it. If it answers the latest of them (it names
    /// that stage, or names none, as a reflection opened from a nudge does) it pre-empts nothing. Otherwise —
    /// a reflection before any nudge, or one made after a later nudge went out — the person has already done
    /// this round's recall, and it cancels the *next* nudge of the training still to come (skipped and paused
    /// stages are not coming, so it passes over them). Only sends and button presses decide this, never where
    /// other sends are planned, so a stage deferred by the weekly budget is treated like any other.
    private func preemptedStages(pausedUntil: Date?) -> Set<Int> {
        var result: Set<Int> = []
        for reflection in reflections {
            let latest = latestSentStage(atOrBefore: reflection.at)
            if let latest, reflection.stageID == nil || reflection.stageID == stages[latest].id { continue }
            let next = stages.indices.first { stage in
                stage > (latest ?? -1) && !sends[stage].contains { $0.at <= reflection.at } && !skipped[stage]
                    && !(pausedUntil.map { until in calendarSlots[stage].map { $0 < until } ?? false } ?? false)
            }
            if let next { result.insert(next) }
        }
        return result
    }

    private func latestSentStage(atOrBefore instant: Date) -> Int? {
        var latest: (at: Date, stage: Int)?
        for stage in stages.indices {
            for send in sends[stage] where send.at <= instant {
                if latest.map({ send.at > $0.at }) ?? true { latest = (send.at, stage) }
            }
        }
        return latest?.stage
    }

    /// The day of the next stage's first send, sent or planned: a follow-up has to come before it.
    func nextPrimaryDay(after stage: Int) -> LocalDate? {
        stages.indices.filter { $0 > stage }.compactMap { sendDays[$0] ?? plannedPrimaryDays[$0] }.min()
    }

    struct FollowUp {
        var kind: NudgeKind
        var earliest: LocalDate
        var ordinal: Int
    }

    /// The follow-up a stage is still owed, if any (before any cancellation rule is applied).
    func followUp(of stage: Int, clock: PersonClock, rules: CalendarRules) -> FollowUp? {
        // Once a later stage went out, this one is closed.
        if stages.indices.contains(where: { $0 > stage && !sends[$0].isEmpty }) { return nil }
        if let first = sends[stage].first, let last = sends[stage].last {
            if let snooze = snoozes[stage].last, snooze.at > last.at {
                let ordinal = sends[stage].filter { $0.kind == .snoozed }.count + 1
                return FollowUp(
                    kind: .snoozed, earliest: clock.localDate(of: snooze.at).adding(days: 1), ordinal: ordinal)
            }
            guard let reminder = rules.reminder, snoozes[stage].isEmpty,
                sends[stage].allSatisfy({ $0.kind == .primary })
            else { return nil }
            let day = clock.adding(workingDays: reminder.afterWorkingDays, to: clock.localDate(of: first.at))
            return FollowUp(kind: .reminder, earliest: day, ordinal: 1)
        }
        guard let reminder = rules.reminder, let primaryDay = plannedPrimaryDays[stage] else { return nil }
        return FollowUp(
            kind: .reminder, earliest: clock.adding(workingDays: reminder.afterWorkingDays, to: primaryDay), ordinal: 1)
    }
}
