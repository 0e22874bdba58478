/// How many nudges each local day and ISO week of the person already has (sent or planned).
///
/// Every DM counts, whatever its kind: a primary, a reminder, and a snoozed nudge coming back. The weekly
/// budget is what protects people from nagging, and a snoozed return is a DM like any other. The person's
/// own snooze is still honoured: the planner places snoozed returns before everything else, so when a week
/// fills up it is the next stage that moves, never the question the person asked to see again.
struct SendLedger: Sendable {
    let maximumPerDay: Int
    let maximumPerWeek: Int
    private var perDay: [LocalDate: Int] = [:]
    private var perWeek: [WeekKey: Int] = [:]

    init(maximumPerDay: Int, maximumPerWeek: Int) {
        self.maximumPerDay = maximumPerDay
        self.maximumPerWeek = maximumPerWeek
    }

    func hasRoom(on day: LocalDate) -> Bool {
        perDay[day, default: 0] < maximumPerDay && perWeek[day.week, default: 0] < maximumPerWeek
    }

    mutating func record(_ day: LocalDate) {
        perDay[day, default: 0] += 1
        perWeek[day.week, default: 0] += 1
    }
}
