import Foundation

/// One invocation of ``NudgePlanner``: the working state while a person's plan is built.
struct PlanningRun {
    private let person: PersonCalendar
    private let rules: CalendarRules
    private let clock: PersonClock
    private let now: Date
    private var tracks: [TrainingTrack]
    private var ledger: SendLedger
    private var planned: [PlannedNudge] = []
    private var cancelled: [(track: Int, stage: Int, CancelledNudge)] = []

    init(trainings: [TrainingSchedule], person: PersonCalendar, rules: CalendarRules, history: NudgeHistory, now: Date) {
        let clock = PersonClock(person: person, rules: rules)
        self.person = person
        self.rules = rules
        self.clock = clock
        self.now = now
        var seen: Set<String> = []
        let unique = trainings.filter { seen.insert($0.id).inserted }
            .sorted { ($0.endedAt, $0.id) < ($1.endedAt, $1.id) }
        self.tracks = unique.map { TrainingTrack(training: $0, history: history, clock: clock, rules: rules) }
        self.ledger = SendLedger(
            maximumPerDay: rules.maximumPerDay, maximumPerWeek: rules.maximumPerWeek,
            sentDays: history.sends.map { clock.localDate(of: $0.at) })
    }

    mutating func plan() -> NudgePlan {
        placePrimaries(evaluatePrimaries())
        placeFollowUps(evaluateFollowUps())
        planned.sort { ($0.at, $0.trainingID, $0.stageID) < ($1.at, $1.trainingID, $1.stageID) }
        cancelled.sort { lhs, rhs in
            (lhs.track, lhs.stage, Self.kindOrder(lhs.2.kind)) < (rhs.track, rhs.stage, Self.kindOrder(rhs.2.kind))
        }
        return NudgePlan(planned: planned, cancelled: cancelled.map(\.2))
    }

    // MARK: - Primary sends

    private struct Candidate {
        var track: Int
        var stage: Int
        var kind: NudgeKind
        var earliest: LocalDate
        var notBefore: Date
        /// Follow-ups must land before this day (the training's next stage).
        var before: LocalDate?
        var ordinal: Int
    }

    private mutating func evaluatePrimaries() -> [[Candidate]] {
        var queues: [[Candidate]] = Array(repeating: [], count: tracks.count)
        for trackIndex in tracks.indices {
            let track = tracks[trackIndex]
            for stage in track.stages.indices where track.sends[stage].isEmpty {
                switch primaryGate(track: track, stage: stage) {
                case .cancel(let reason):
                    cancel(track: trackIndex, stage: stage, kind: .primary, reason: reason)
                case .send(let earliest, let before):
                    queues[trackIndex].append(
                        Candidate(
                            track: trackIndex, stage: stage, kind: .primary, earliest: earliest,
                            notBefore: max(track.training.endedAt, now), before: before, ordinal: 1))
                }
            }
        }
        return queues
    }

    private enum Gate {
        case cancel(CancellationReason)
        /// `before` bounds a late send: it must go out before the next stage's calendar day.
        case send(earliest: LocalDate, before: LocalDate?)
    }

    private func primaryGate(track: TrainingTrack, stage: Int) -> Gate {
        if person.isErased { return .cancel(.erased) }
        if person.preferences.stopped { return .cancel(.stopped) }
        if track.skipped[stage] { return .cancel(.skipped) }
        if track.reflectedWithinInterval(of: stage) { return .cancel(.alreadyReflected) }
        guard let slot = track.calendarSlots[stage] else { return .cancel(.noSendableDay) }
        if let until = person.preferences.pausedUntil, slot < until { return .cancel(.paused) }
        guard slot < now else { return .send(earliest: clock.localDate(of: slot), before: nil) }
        // Overdue: at most one late send per training, and only a recent one.
        let laterSendMade = track.sends.joined().contains { $0.at >= slot }
        let laterStageDue = track.calendarSlots[(stage + 1)...].contains { $0.map { $0 < now } ?? false }
        if laterSendMade || laterStageDue || now.timeIntervalSince(slot) > rules.catchUpWindow {
            return .cancel(.missed)
        }
        let nextStageDay = track.calendarSlots[(stage + 1)...].lazy.compactMap { $0 }.first
            .map { clock.localDate(of: $0) }
        return .send(earliest: clock.localDate(of: now), before: nextStageDay)
    }

    private mutating func placePrimaries(_ queues: [[Candidate]]) {
        var queues = queues
        var heads = Array(repeating: 0, count: queues.count)
        while true {
            var best: (track: Int, earliest: LocalDate)?
            for trackIndex in queues.indices where heads[trackIndex] < queues[trackIndex].count {
                let candidate = queues[trackIndex][heads[trackIndex]]
                let earliest = effectiveEarliest(candidate)
                if best.map({ earliest < $0.earliest }) ?? true { best = (trackIndex, earliest) }
            }
            guard let (trackIndex, earliest) = best else { return }
            var candidate = queues[trackIndex][heads[trackIndex]]
            heads[trackIndex] += 1
            candidate.earliest = earliest
            queues[trackIndex][heads[trackIndex] - 1] = candidate
            if let placed = place(candidate) {
                tracks[trackIndex].plannedPrimaryDays[candidate.stage] = placed
                tracks[trackIndex].lastSendDay = placed
            } else {
                // Only late sends are bounded; one that no longer fits before the next stage is simply missed.
                let reason: CancellationReason = candidate.before == nil ? .noSendableDay : .missed
                cancel(track: trackIndex, stage: candidate.stage, kind: .primary, reason: reason)
            }
        }
    }

    /// A stage never goes out on or before the day of the same training's previous send.
    private func effectiveEarliest(_ candidate: Candidate) -> LocalDate {
        guard let last = tracks[candidate.track].lastSendDay else { return candidate.earliest }
        return max(candidate.earliest, last.adding(days: 1))
    }

    // MARK: - Follow-ups (reminders and snoozes)

    private mutating func evaluateFollowUps() -> [Candidate] {
        var candidates: [Candidate] = []
        for trackIndex in tracks.indices {
            let track = tracks[trackIndex]
            for stage in track.stages.indices {
                guard let followUp = track.followUp(of: stage, clock: clock, rules: rules) else { continue }
                let before = track.nextPrimaryDay(after: stage)
                if let reason = followUpGate(track: track, stage: stage, followUp: followUp, before: before) {
                    cancel(track: trackIndex, stage: stage, kind: followUp.kind, reason: reason, ordinal: followUp.ordinal)
                    continue
                }
                let notBefore = max(track.training.endedAt, now)
                let idealDay = clock.firstSend(from: followUp.earliest, notBefore: track.training.endedAt)?.day
                let earliest = idealDay.map { max($0, clock.localDate(of: now)) } ?? followUp.earliest
                candidates.append(
                    Candidate(
                        track: trackIndex, stage: stage, kind: followUp.kind, earliest: earliest,
                        notBefore: notBefore, before: before, ordinal: followUp.ordinal))
            }
        }
        return candidates
    }

    private func followUpGate(
        track: TrainingTrack, stage: Int, followUp: TrainingTrack.FollowUp, before: LocalDate?
    ) -> CancellationReason? {
        if person.isErased { return .erased }
        if person.preferences.stopped { return .stopped }
        if track.skipped[stage] { return .skipped }
        if let firstSend = track.sends[stage].first?.at,
            track.reflections.contains(where: { $0.at > firstSend })
        {
            return .alreadyReflected
        }
        guard let ideal = clock.firstSend(from: followUp.earliest, notBefore: track.training.endedAt) else {
            return .noSendableDay
        }
        if let before, ideal.day >= before { return .supersededByNextStage }
        if let until = person.preferences.pausedUntil, ideal.at < until { return .paused }
        if ideal.at < now && now.timeIntervalSince(ideal.at) > rules.catchUpWindow { return .missed }
        return nil
    }

    private mutating func placeFollowUps(_ candidates: [Candidate]) {
        let ordered = candidates.sorted { ($0.earliest, $0.track, $0.stage) < ($1.earliest, $1.track, $1.stage) }
        for candidate in ordered where place(candidate) == nil {
            cancel(
                track: candidate.track, stage: candidate.stage, kind: candidate.kind,
                reason: candidate.before == nil ? .noSendableDay : .supersededByNextStage, ordinal: candidate.ordinal)
        }
    }

    // MARK: - Shared

    /// Puts a send on the first allowed day with budget left, or returns nil when there is none.
    private mutating func place(_ candidate: Candidate) -> LocalDate? {
        let ledger = self.ledger
        guard
            let found = clock.firstSend(
                from: candidate.earliest, notBefore: candidate.notBefore, before: candidate.before,
                accepts: { ledger.hasRoom(on: $0) })
        else { return nil }
        self.ledger.record(found.day)
        let track = tracks[candidate.track]
        let stageID = track.stages[candidate.stage].id
        planned.append(
            PlannedNudge(
                person: person.person, trainingID: track.training.id, stageID: stageID, kind: candidate.kind,
                at: found.at, local: clock.zone.localDateTime(at: found.at), timeZoneID: clock.zone.identifier,
                dedupeKey: dedupeKey(trainingID: track.training.id, stageID: stageID, kind: candidate.kind,
                    ordinal: candidate.ordinal)))
        return found.day
    }

    private mutating func cancel(
        track: Int, stage: Int, kind: NudgeKind, reason: CancellationReason, ordinal: Int = 1
    ) {
        let trainingID = tracks[track].training.id
        let stageID = tracks[track].stages[stage].id
        cancelled.append(
            (track, stage,
                CancelledNudge(
                    trainingID: trainingID, stageID: stageID, kind: kind, reason: reason,
                    dedupeKey: dedupeKey(trainingID: trainingID, stageID: stageID, kind: kind, ordinal: ordinal))))
    }

    private func dedupeKey(trainingID: String, stageID: String, kind: NudgeKind, ordinal: Int) -> String {
        let base = "\(person.person.value)/\(trainingID)/\(stageID)/\(kind.rawValue)"
        return kind == .snoozed ? base + "/\(ordinal)" : base
    }

    private static func kindOrder(_ kind: NudgeKind) -> Int {
        switch kind {
        case .primary: 0
        case .reminder: 1
        case .snoozed: 2
        }
    }
}

/// How many nudges each local day and ISO week of the person already has (sent or planned).
struct SendLedger: Sendable {
    let maximumPerDay: Int
    let maximumPerWeek: Int
    private var perDay: [LocalDate: Int] = [:]
    private var perWeek: [WeekKey: Int] = [:]

    init(maximumPerDay: Int, maximumPerWeek: Int, sentDays: [LocalDate]) {
        self.maximumPerDay = maximumPerDay
        self.maximumPerWeek = maximumPerWeek
        for day in sentDays { record(day) }
    }

    func hasRoom(on day: LocalDate) -> Bool {
        perDay[day, default: 0] < maximumPerDay && perWeek[day.week, default: 0] < maximumPerWeek
    }

    mutating func record(_ day: LocalDate) {
        perDay[day, default: 0] += 1
        perWeek[day.week, default: 0] += 1
    }
}
