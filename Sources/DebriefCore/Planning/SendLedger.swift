/// How many nudges each local day and ISO week of the person already has (sent or planned).
///
/// A snoozed nudge coming back was asked for by the person, so it takes a day (never two DMs on one day) but
/// not a share of the weekly budget, which exists to stop unsolicited nudges piling up. Otherwise a second
/// "Snooze 1 day" late in a busy week would silently never come back.
struct SendLedger: Sendable {
    let maximumPerDay: Int
    let maximumPerWeek: Int
    private var perDay: [LocalDate: Int] = [:]
    private var perWeek: [WeekKey: Int] = [:]

    init(maximumPerDay: Int, maximumPerWeek: Int) {
        self.maximumPerDay = maximumPerDay
        self.maximumPerWeek = maximumPerWeek
    }

    func hasRoom(on day: LocalDate, for kind: NudgeKind) -> Bool {
        guard perDay[day, default: 0] < maximumPerDay else { return false }
        return !Self.usesWeeklyBudget(kind) || perWeek[day.week, default: 0] < maximumPerWeek
    }

    mutating func record(_ day: LocalDate, kind: NudgeKind) {
        perDay[day, default: 0] += 1
        if Self.usesWeeklyBudget(kind) { perWeek[day.week, default: 0] += 1 }
    }

    private static func usesWeeklyBudget(_ kind: NudgeKind) -> Bool { kind != .snoozed }
}
