import Foundation

/// One person's calendar under the rules: which local days are usable and when on them a nudge may go.
///
/// Internal to the planner; all wall-clock reasoning happens here so the planner itself only moves days around.
struct PersonClock: Sendable {
    struct SendWindow: Sendable, Equatable {
        var start: Date
        var end: Date
        /// Where in the window this person's nudges go.
        var slot: Date
    }

    let zone: TimeZone
    let hours: WorkingHours
    let holidays: Set<LocalDate>
    let windowSeconds: Int
    let lastWorkdayCutoff: LocalTime?
    /// nil sends at the window start.
    let spreadKey: UInt64?
    let horizonDays: Int

    init(person: PersonCalendar, rules: CalendarRules) {
        self.zone = person.timeZone ?? rules.defaultTimeZone
        self.hours = person.workingHours ?? rules.defaultWorkingHours
        self.holidays = rules.holidays
        self.windowSeconds = max(0, rules.sendWindowMinutes) * 60
        self.lastWorkdayCutoff = rules.lastWorkdayCutoff
        switch rules.spread {
        case .windowStart: self.spreadKey = nil
        case .byPseudonym: self.spreadKey = StableHash.of(person.person.value)
        }
        self.horizonDays = max(1, rules.searchHorizonDays)
    }

    func localDate(of instant: Date) -> LocalDate { zone.localDateTime(at: instant).date }

    func isWorkingDay(_ date: LocalDate) -> Bool {
        hours.days.contains(date.weekday) && !holidays.contains(date)
    }

    /// The last day of the person's working week by weekday (Friday for Mon–Fri), regardless of holidays.
    func isLastWorkdayOfWeek(_ weekday: Weekday) -> Bool {
        hours.days.contains(weekday) && !hours.days.contains(weekday.next)
    }

    func window(on date: LocalDate) -> SendWindow? {
        guard isWorkingDay(date) else { return nil }
        let startSeconds = hours.start.secondsSinceMidnight
        var endSeconds = min(startSeconds + windowSeconds, hours.end.secondsSinceMidnight)
        if let cutoff = lastWorkdayCutoff, isLastWorkdayOfWeek(date.weekday) {
            endSeconds = min(endSeconds, cutoff.secondsSinceMidnight)
        }
        guard endSeconds > startSeconds else { return nil }
        let dayStart = date.dayNumber * 86_400
        let start = zone.instant(for: LocalDateTime(wallSeconds: dayStart + startSeconds))
        let end = zone.instant(for: LocalDateTime(wallSeconds: dayStart + endSeconds))
        guard end > start else { return nil }
        var slot = start
        if let key = spreadKey {
            let offset = Int(key.multipliedFullWidth(by: UInt64(endSeconds - startSeconds)).high)
            let candidate = zone.instant(for: LocalDateTime(wallSeconds: dayStart + startSeconds + offset))
            // A window that straddles a clock change can map a wall time outside it; fall back to its start.
            if candidate >= start && candidate < end { slot = candidate }
        }
        return SendWindow(start: start, end: end, slot: slot)
    }

    /// The send time on `date`, no earlier than `notBefore`, if the window is still open then.
    func sendTime(on date: LocalDate, notBefore: Date) -> Date? {
        guard let window = window(on: date) else { return nil }
        let time = max(window.slot, notBefore)
        return time < window.end ? time : nil
    }

    /// The first usable day on or after `day` (and before `before`, when given) that `accepts`, with its time.
    func firstSend(
        from day: LocalDate, notBefore: Date, before: LocalDate? = nil, accepts: (LocalDate) -> Bool = { _ in true }
    ) -> (day: LocalDate, at: Date)? {
        for step in 0..<horizonDays {
            let candidate = day.adding(days: step)
            if let before, candidate >= before { return nil }
            guard accepts(candidate), let time = sendTime(on: candidate, notBefore: notBefore) else { continue }
            return (candidate, time)
        }
        return nil
    }

    /// `count` of the person's working days (holidays excluded) after `date`.
    func adding(workingDays count: Int, to date: LocalDate) -> LocalDate {
        var day = date
        var remaining = max(0, count)
        var steps = 0
        while remaining > 0 && steps < horizonDays {
            day = day.adding(days: 1)
            steps += 1
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }
}

/// A hash that is the same in every process and release (unlike `Hasher`, which is seeded per process), so a
/// person's send minute never changes between plans.
enum StableHash {
    /// FNV-1a over the UTF-8 bytes, then the SplitMix64 finaliser to spread similar strings apart.
    static func of(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 30
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash = hash &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return hash
    }
}
