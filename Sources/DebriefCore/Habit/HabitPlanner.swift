import Foundation

/// Decides when the habit's messages go: the one-time offer, the recurring prompt, the adaptive stop, and the
/// weekly leader ask.
///
/// A pure function of (person, rules, what they were already sent, now), like ``NudgePlanner``, and built on
/// the same calendar: every message lands in the person's working hours in their zone, never on a weekend or
/// holiday, and counts against the same daily and weekly caps as nudges (`busy` holds every DM already sent or
/// planned for them). Re-planning after any event gives the same answer, so a job carries no decision, only a
/// slot to check.
///
/// The rules:
/// - **Offer.** Once the person's last training sequence is done (``sequenceDone(plannedNudges:lastSend:)``),
///   the offer goes at the first allowed moment with room.
/// - **Recurring.** ``HabitState/intervalDays`` after the later of the last prompt and the last restart (the
///   "Yes", a "Keep"), moved to the first allowed day with room, but never on the first working day of a week:
///   that morning belongs to the leaders' ask, so leaders speak first. A pause moves the prompt after it.
/// - **Adaptive stop.** Two recurring prompts in a row without any answer: the next slot asks "Should I keep
///   asking?" instead. If that goes unanswered until the following prompt would be due, the habit stops there,
///   silently. Any answer resets the count; nothing else is counted.
/// - **Leaders first.** A leader's ask goes at the start of the working window on the first working day of
///   each week, if that day still has room; otherwise that week is skipped.
public enum HabitPlanner {
    /// How long an unanswered last nudge keeps its sequence open: the person may still answer it.
    public static let settleDays = 3

    /// When the person's training sequences are all done, or nil while a nudge is still planned (or none was
    /// ever sent): the answer to the last nudge, or ``settleDays`` after it went unanswered.
    public static func sequenceDone(plannedNudges: Int, lastSend: (at: Date, answeredAt: Date?)?) -> Date? {
        guard plannedNudges == 0, let lastSend else { return nil }
        return lastSend.answeredAt ?? lastSend.at.addingTimeInterval(TimeInterval(settleDays * 86_400))
    }

    /// When to send the one-time offer: the first allowed moment from `doneAt` (or now, if later) with room.
    /// Nil when the person is erased or stopped, or nothing fits within the rules' horizon.
    public static func offerTime(
        person: PersonCalendar, rules: CalendarRules, busy: [Date], doneAt: Date, now: Date
    ) -> Date? {
        guard !person.isErased, !person.preferences.stopped else { return nil }
        let clock = PersonClock(person: person, rules: rules)
        let ledger = ledger(busy, clock: clock, rules: rules)
        var notBefore = max(doneAt, now)
        if let until = person.preferences.pausedUntil { notBefore = max(notBefore, until) }
        return clock.firstSend(
            from: clock.localDate(of: notBefore), notBefore: notBefore, accepts: { ledger.hasRoom(on: $0) }
        )?.at
    }

    /// The next recurring step for a person who said yes.
    /// - Parameter prompts: the person's recurring and keep-asking prompts (other kinds are ignored), any order.
    public static func nextPrompt(
        person: PersonCalendar, state: HabitState, prompts: [HabitPromptRecord], rules: CalendarRules,
        busy: [Date], now: Date
    ) -> HabitStep {
        guard !person.isErased, !person.preferences.stopped, state.status == .active else { return .nothing }
        let slots = prompts.filter { $0.kind == .recurring || $0.kind == .keepAsking }.sorted {
            ($0.sentAt, $0.id) < ($1.sentAt, $1.id)
        }
        let ordinal = slots.count + 1
        let last = slots.last
        let anchor = max(last?.sentAt ?? state.since, state.since)
        let clock = PersonClock(person: person, rules: rules)
        let ledger = ledger(busy, clock: clock, rules: rules)
        let dueDay = clock.localDate(of: anchor).adding(days: max(1, state.intervalDays))
        var notBefore = max(now, anchor)
        if let until = person.preferences.pausedUntil { notBefore = max(notBefore, until) }
        let from = max(dueDay, clock.localDate(of: notBefore))
        let accepts: (LocalDate) -> Bool = { ledger.hasRoom(on: $0) && !clock.isFirstWorkingDayOfWeek($0) }
        if let last, last.kind == .keepAsking, last.answer == nil, last.sentAt >= state.since {
            // Stop where the next prompt would have gone, judged without `now` (nothing is sent, so a late worker
            // must not keep moving it to a later window); the cap does not matter for a message never sent.
            var stopNotBefore = anchor
            if let until = person.preferences.pausedUntil { stopNotBefore = max(stopNotBefore, until) }
            let due = clock.firstSend(
                from: max(dueDay, clock.localDate(of: stopNotBefore)), notBefore: stopNotBefore,
                accepts: { !clock.isFirstWorkingDayOfWeek($0) })
            return due.map { .stop(at: $0.at, ordinal: ordinal) } ?? .nothing
        }
        guard let slot = clock.firstSend(from: from, notBefore: notBefore, accepts: accepts) else { return .nothing }
        let kind: HabitPromptKind = ignoredInARow(slots, since: state.since) >= 2 ? .keepAsking : .recurring
        return .send(kind, at: slot.at, ordinal: ordinal)
    }

    /// Recurring prompts at the end of `slots` (oldest first) that got no answer, back to the last answer, the
    /// last "Should I keep asking?" or the last restart.
    static func ignoredInARow(_ slots: [HabitPromptRecord], since: Date) -> Int {
        var count = 0
        for prompt in slots.reversed() {
            guard prompt.sentAt >= since, prompt.kind == .recurring, prompt.answer == nil else { break }
            count += 1
        }
        return count
    }

    /// The next leader ask: the start of the working window on the first working day of this week or a later
    /// one (up to `weeksAhead`), not before `now` nor a pause, on a day with room.
    public static func leaderAsk(
        person: PersonCalendar, rules: CalendarRules, busy: [Date], now: Date, weeksAhead: Int = 4
    ) -> (week: WeekKey, at: Date)? {
        guard !person.isErased, !person.preferences.stopped else { return nil }
        let clock = PersonClock(person: person, rules: rules)
        let ledger = ledger(busy, clock: clock, rules: rules)
        var notBefore = now
        if let until = person.preferences.pausedUntil { notBefore = max(notBefore, until) }
        var week = clock.localDate(of: now).week
        for _ in 0...max(0, weeksAhead) {
            defer { week = week.adding(weeks: 1) }
            guard let day = (0..<7).map({ week.monday.adding(days: $0) }).first(where: clock.isWorkingDay),
                let window = clock.window(on: day), window.start >= notBefore, ledger.hasRoom(on: day)
            else { continue }
            return (week, window.start)
        }
        return nil
    }

    private static func ledger(_ busy: [Date], clock: PersonClock, rules: CalendarRules) -> SendLedger {
        var ledger = SendLedger(maximumPerDay: rules.maximumPerDay, maximumPerWeek: rules.maximumPerWeek)
        for instant in busy { ledger.record(clock.localDate(of: instant)) }
        return ledger
    }
}

extension PersonClock {
    /// No working day comes before `date` in its ISO week (Monday for most people; Tuesday after a holiday).
    func isFirstWorkingDayOfWeek(_ date: LocalDate) -> Bool {
        guard isWorkingDay(date) else { return false }
        let monday = date.week.monday
        return !(0..<monday.days(until: date)).contains { isWorkingDay(monday.adding(days: $0)) }
    }
}
