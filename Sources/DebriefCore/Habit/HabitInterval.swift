/// How often the recurring habit prompt comes (`DEBRIEF_HABIT_INTERVAL`): the same forms as a pause, `14d`,
/// `2w`, or a bare number of days.
public enum HabitInterval {
    /// Every other week, as the issue asks: often enough to keep a habit, rare enough not to nag.
    public static let defaultDays = 14
    /// At least weekly prompts would compete with the nudge cap; anything shorter is almost surely a typo.
    public static let minimumDays = 7

    /// The interval in days, from ``minimumDays`` to ``HabitState/maximumIntervalDays``.
    public static func parse(_ text: String) throws(DayDuration.Failure) -> Int {
        let days = try DayDuration.parse(text, maximumDays: HabitState.maximumIntervalDays)
        guard days >= minimumDays else { throw .notPositive }
        return days
    }

    /// "Less often": twice the interval, capped.
    public static func doubled(_ days: Int) -> Int {
        let (twice, overflow) = days.multipliedReportingOverflow(by: 2)
        return overflow ? HabitState.maximumIntervalDays : min(twice, HabitState.maximumIntervalDays)
    }
}
