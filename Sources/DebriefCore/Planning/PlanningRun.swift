import Foundation

/// One invocation of ``NudgePlanner``: the working state while a person's plan is built.
///
/// The passes, in order:
/// 1. Gates that do not depend on where other sends land (erasure, stop, skip, reflection, pause) cancel
///    stages.
/// 2. **Ideal placement** of the remaining primary sends, ignoring `now`: where each would go given the
///    calendar, the budget and the sends already made. Judging lateness by this (not by the calendar alone)
///    keeps a send that the budget deferred from being mistaken for one the server missed, and makes the plan
///    stable: sending exactly what was planned and re-planning moves nothing else.
/// 3. Primary sends whose ideal time is already past are late: one per training may catch up, the rest are
///    missed.
/// 4. The same two steps for reminders, into the budget the primaries left.
///
/// Snoozed returns come before all of this: the person asked for them, so they take their day (and their
/// share of the weekly budget) first, and the primaries and reminders of every training fit around them.
struct PlanningRun {
    private let person: PersonCalendar
    private let rules: CalendarRules
    private let clock: PersonClock
    private let now: Date
    private let history: NudgeHistory
    private var tracks: [TrainingTrack]
    private var planned: [PlannedNudge] = []
    private var cancelled: [(track: Int, stage: Int, CancelledNudge)] = []

    init(trainings: [TrainingSchedule], person: PersonCalendar, rules: CalendarRules, history: NudgeHistory, now: Date)
    {
        let clock = PersonClock(person: person, rules: rules)
        self.person = person
        self.rules = rules
        self.clock = clock
        self.now = now
        self.history = history
        var seen: Set<String> = []
        let unique = trainings.filter { seen.insert($0.id).inserted }
            .sorted { ($0.endedAt, $0.id) < ($1.endedAt, $1.id) }
        self.tracks = unique.map {
            TrainingTrack(
                training: $0, history: history, clock: clock, rules: rules,
                pausedUntil: person.preferences.pausedUntil)
        }
    }

    mutating func plan() -> NudgePlan {
        // Snoozed returns first: the person's own request, counted in the weekly budget like any DM.
        let snoozed = followUpCandidates(of: .snoozed)
        var snoozeLedger = historyLedger()
        let idealSnoozed = placeFollowUps(snoozed, ledger: &snoozeLedger)
        var base = historyLedger()
        for (candidate, placement) in resolveLate(snoozed, ideal: idealSnoozed, base: historyLedger()) {
            base.record(placement.day)
            tracks[candidate.track].plannedSnoozeDay = placement.day
        }

        let primaries = primaryCandidates()
        var ledger = base
        let ideal = placePrimaries(primaries, ledger: &ledger)
        let finalPrimaries = resolveLate(primaries, ideal: ideal, base: base)
        var primaryLedger = base
        for (candidate, placement) in finalPrimaries {
            primaryLedger.record(placement.day)
            tracks[candidate.track].plannedPrimaryDays[candidate.stage] = placement.day
        }

        let reminders = followUpCandidates(of: .reminder)
        var reminderLedger = primaryLedger
        let idealReminders = placeFollowUps(reminders, ledger: &reminderLedger)
        _ = resolveLate(reminders, ideal: idealReminders, base: primaryLedger)

        planned.sort { ($0.at, $0.trainingID, $0.stageID) < ($1.at, $1.trainingID, $1.stageID) }
        cancelled.sort { lhs, rhs in
            (lhs.track, lhs.stage, Self.kindOrder(lhs.2.kind)) < (rhs.track, rhs.stage, Self.kindOrder(rhs.2.kind))
        }
        return NudgePlan(planned: planned, cancelled: cancelled.map(\.2))
    }

    private struct Candidate {
        var track: Int
        var stage: Int
        var kind: NudgeKind
        var earliest: LocalDate
        /// Follow-ups must land before this day (the training's next stage).
        var before: LocalDate?
        var ordinal: Int
    }

    private struct Placement {
        var day: LocalDate
        var at: Date
    }

    private func historyLedger() -> SendLedger {
        var ledger = SendLedger(maximumPerDay: rules.maximumPerDay, maximumPerWeek: rules.maximumPerWeek)
        for send in history.sends { ledger.record(clock.localDate(of: send.at)) }
        return ledger
    }

    // MARK: - Primary sends

    /// Unsent stages that survive the placement-independent gates, in training then stage order.
    private mutating func primaryCandidates() -> [Candidate] {
        var candidates: [Candidate] = []
        for trackIndex in tracks.indices {
            let track = tracks[trackIndex]
            for stage in track.stages.indices where track.sends[stage].isEmpty {
                if let reason = primaryGate(track: track, stage: stage) {
                    cancel(track: trackIndex, stage: stage, kind: .primary, reason: reason)
                    continue
                }
                guard let slot = track.calendarSlots[stage] else { continue }
                candidates.append(
                    Candidate(
                        track: trackIndex, stage: stage, kind: .primary, earliest: clock.localDate(of: slot),
                        before: nil, ordinal: 1))
            }
        }
        return candidates
    }

    private func primaryGate(track: TrainingTrack, stage: Int) -> CancellationReason? {
        if person.isErased { return .erased }
        if person.preferences.stopped { return .stopped }
        if track.skipped[stage] { return .skipped }
        if track.preempted.contains(stage) { return .alreadyReflected }
        guard let slot = track.calendarSlots[stage] else { return .noSendableDay }
        if let until = person.preferences.pausedUntil, slot < until { return .paused }
        return nil
    }

    /// Greedy placement ignoring `now`: repeatedly the stage with the earliest possible day (ties: the training
    /// that ended first) takes the first day with budget left, after its training's previous send.
    private mutating func placePrimaries(_ candidates: [Candidate], ledger: inout SendLedger) -> [Placement?] {
        var placements: [Placement?] = Array(repeating: nil, count: candidates.count)
        var queues: [[Int]] = Array(repeating: [], count: tracks.count)
        for (index, candidate) in candidates.enumerated() { queues[candidate.track].append(index) }
        var heads = Array(repeating: 0, count: tracks.count)
        var lastDay = tracks.map(\.lastPlacedDay)
        while true {
            var best: (track: Int, earliest: LocalDate)?
            for track in queues.indices where heads[track] < queues[track].count {
                let candidate = candidates[queues[track][heads[track]]]
                let earliest = lastDay[track].map { max(candidate.earliest, $0.adding(days: 1)) } ?? candidate.earliest
                if best.map({ earliest < $0.earliest }) ?? true { best = (track, earliest) }
            }
            guard let (track, earliest) = best else { break }
            let index = queues[track][heads[track]]
            heads[track] += 1
            let candidate = candidates[index]
            if let placement = place(
                candidate, from: earliest, notBefore: tracks[track].training.endedAt, ledger: &ledger)
            {
                placements[index] = placement
                lastDay[track] = placement.day
            }
        }
        return placements
    }

    // MARK: - Follow-ups (snoozed returns and reminders)

    /// The follow-ups of one kind still owed. Snoozed returns are gathered before any primary is placed (so
    /// their bound is only a later stage already sent, which closes the stage anyway); reminders after, so
    /// they must land before the next stage's planned day.
    private mutating func followUpCandidates(of kind: NudgeKind) -> [Candidate] {
        var candidates: [Candidate] = []
        for trackIndex in tracks.indices {
            let track = tracks[trackIndex]
            for stage in track.stages.indices {
                guard let followUp = track.followUp(of: stage, clock: clock, rules: rules), followUp.kind == kind
                else { continue }
                if let reason = followUpGate(track: track, stage: stage, earliest: followUp.earliest) {
                    cancel(
                        track: trackIndex, stage: stage, kind: followUp.kind, reason: reason, ordinal: followUp.ordinal)
                    continue
                }
                candidates.append(
                    Candidate(
                        track: trackIndex, stage: stage, kind: followUp.kind, earliest: followUp.earliest,
                        before: track.nextPrimaryDay(after: stage), ordinal: followUp.ordinal))
            }
        }
        return candidates
    }

    private func followUpGate(track: TrainingTrack, stage: Int, earliest: LocalDate) -> CancellationReason? {
        if person.isErased { return .erased }
        if person.preferences.stopped { return .stopped }
        if track.skipped[stage] { return .skipped }
        if let firstSend = track.sends[stage].first?.at, track.reflections.contains(where: { $0.at > firstSend }) {
            return .alreadyReflected
        }
        if let until = person.preferences.pausedUntil,
            let slot = clock.firstSend(from: earliest, notBefore: track.training.endedAt), slot.at < until
        {
            return .paused
        }
        return nil
    }

    /// Earliest follow-up first; each takes the first day with budget left before its next stage.
    private mutating func placeFollowUps(_ candidates: [Candidate], ledger: inout SendLedger) -> [Placement?] {
        var placements: [Placement?] = Array(repeating: nil, count: candidates.count)
        let order = candidates.indices.sorted {
            (candidates[$0].earliest, candidates[$0].track, candidates[$0].stage)
                < (candidates[$1].earliest, candidates[$1].track, candidates[$1].stage)
        }
        for index in order {
            let candidate = candidates[index]
            placements[index] = place(
                candidate, from: candidate.earliest, notBefore: tracks[candidate.track].training.endedAt,
                ledger: &ledger)
        }
        return placements
    }

    // MARK: - Lateness

    /// Plans sends whose ideal time is still ahead, catches up at most one late send per training and cancels
    /// the rest. Returns the final placements.
    private mutating func resolveLate(
        _ candidates: [Candidate], ideal: [Placement?], base: SendLedger
    ) -> [(Candidate, Placement)] {
        var ledger = base
        var result: [(Candidate, Placement)] = []
        var catchUps: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            guard let placement = ideal[index] else {
                let reason: CancellationReason =
                    candidate.before == nil ? .noSendableDay : .supersededByNextStage
                cancel(
                    track: candidate.track, stage: candidate.stage, kind: candidate.kind, reason: reason,
                    ordinal: candidate.ordinal)
                continue
            }
            if placement.at >= now {
                ledger.record(placement.day)
                result.append((candidate, placement))
                record(candidate, placement)
            } else if isCatchUpAllowed(index, in: candidates, ideal: ideal) {
                catchUps.append(index)
            } else {
                cancel(
                    track: candidate.track, stage: candidate.stage, kind: candidate.kind, reason: .missed,
                    ordinal: candidate.ordinal)
            }
        }
        let today = clock.localDate(of: now)
        for index in catchUps {
            let candidate = candidates[index]
            let track = tracks[candidate.track]
            // A late send must still come before the training's next send, sent or planned.
            let nextDay = candidates.indices
                .filter { candidates[$0].track == candidate.track && candidates[$0].stage > candidate.stage }
                .compactMap { ideal[$0]?.day }.min()
            var bounded = candidate
            bounded.before = [candidate.before, nextDay].compactMap { $0 }.min()
            let earliest = track.lastPlacedDay.map { max(today, $0.adding(days: 1)) } ?? today
            if let placement = place(
                bounded, from: earliest, notBefore: max(now, track.training.endedAt), ledger: &ledger)
            {
                result.append((candidate, placement))
                record(candidate, placement)
            } else {
                cancel(
                    track: candidate.track, stage: candidate.stage, kind: candidate.kind, reason: .missed,
                    ordinal: candidate.ordinal)
            }
        }
        return result
    }

    /// A late send goes out only if it is recent, and nothing later of the same training is also due or sent.
    private func isCatchUpAllowed(_ index: Int, in candidates: [Candidate], ideal: [Placement?]) -> Bool {
        let candidate = candidates[index]
        guard let placement = ideal[index], now.timeIntervalSince(placement.at) <= rules.catchUpWindow else {
            return false
        }
        let track = tracks[candidate.track]
        if track.sends.joined().contains(where: { $0.at >= placement.at }) { return false }
        let laterDue = candidates.indices.contains { other in
            candidates[other].track == candidate.track && candidates[other].stage > candidate.stage
                && (ideal[other].map { $0.at < now } ?? false)
        }
        return !laterDue
    }

    // MARK: - Shared

    /// The first allowed day on or after `from` with budget left (and before the candidate's bound).
    private func place(
        _ candidate: Candidate, from earliest: LocalDate, notBefore: Date, ledger: inout SendLedger
    ) -> Placement? {
        let snapshot = ledger
        guard
            let found = clock.firstSend(
                from: earliest, notBefore: notBefore, before: candidate.before,
                accepts: { snapshot.hasRoom(on: $0) })
        else { return nil }
        ledger.record(found.day)
        return Placement(day: found.day, at: found.at)
    }

    private mutating func record(_ candidate: Candidate, _ placement: Placement) {
        let track = tracks[candidate.track]
        let stageID = track.stages[candidate.stage].id
        planned.append(
            PlannedNudge(
                person: person.person, trainingID: track.training.id, stageID: stageID, kind: candidate.kind,
                at: placement.at, local: clock.zone.localDateTime(at: placement.at),
                timeZoneID: clock.zone.identifier,
                dedupeKey: dedupeKey(
                    trainingID: track.training.id, stageID: stageID, kind: candidate.kind,
                    ordinal: candidate.ordinal)))
    }

    private mutating func cancel(
        track: Int, stage: Int, kind: NudgeKind, reason: CancellationReason, ordinal: Int = 1
    ) {
        let trainingID = tracks[track].training.id
        let stageID = tracks[track].stages[stage].id
        cancelled.append(
            (
                track, stage,
                CancelledNudge(
                    trainingID: trainingID, stageID: stageID, kind: kind, reason: reason,
                    dedupeKey: dedupeKey(trainingID: trainingID, stageID: stageID, kind: kind, ordinal: ordinal))
            ))
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
