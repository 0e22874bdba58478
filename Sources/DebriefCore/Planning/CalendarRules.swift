import Foundation

/// The organisation-wide rules that keep nudges humane: when they may arrive and how many.
///
/// The defaults follow the issue and the field notes (§4.3): deliver early in the recipient's own working
/// day, prefer Monday to Wednesday, never Friday afternoon, at most two nudges a week across all trainings,
/// and at most one reminder per stage (the first reminder lifts response a lot, a second little, a third
/// mostly annoys).
///
/// How a send time is chosen, in order:
/// 1. **Day.** Stage offsets count local calendar days from the local date the training ended on. Stages at
///    least ``PreferredDays/fromStageOffsetDays`` days out that land on a non-preferred weekday move to the next
///    preferred weekday when that is at most ``PreferredDays/maximumDelayDays`` away (Thursday and Friday move
///    to Monday; Saturday and Sunday too). Early stages never move for preference: their value is closeness to
///    the session.
/// 2. **Allowed days.** The first day on or after that which is one of the person's working days, not one of
///    ``holidays``, has a send window, still has room in ``maximumPerDay`` and the week's ``maximumPerWeek``,
///    and comes after the same training's previous stage.
/// 3. **Time.** The send window is the first ``sendWindowMinutes`` of the person's working day, cut at the end
///    of their working hours and, on the last working day of their week (Friday for Mon–Fri), at
///    ``lastWorkdayCutoff``. Within it the send goes at the window start, or at a fixed per-person point
///    (``SendTimeSpread/byPseudonym``) so thousands of people are not messaged in the same second.
public struct CalendarRules: Sendable, Equatable, Codable {
    /// Used for people whose zone is unknown.
    public var defaultTimeZone: TimeZone
    /// Used for people without their own working hours.
    public var defaultWorkingHours: WorkingHours
    /// Local dates on which nobody is nudged (public holidays, company shutdowns), in each person's own zone.
    public var holidays: Set<LocalDate>
    /// Nudges per person per ISO week in their zone, across all trainings, reminders and snoozed returns
    /// included (see ``NudgePlanner`` for how a snoozed return keeps its place and the next stage moves).
    public var maximumPerWeek: Int
    /// Nudges per person per local day, across all trainings.
    public var maximumPerDay: Int
    /// Length of the morning send window from the start of the working day.
    public var sendWindowMinutes: Int
    /// No send at or after this local time on the last working day of the person's week; nil turns it off.
    public var lastWorkdayCutoff: LocalTime?
    /// Moves later stages to better weekdays; nil turns it off.
    public var preferredDays: PreferredDays?
    /// The single reminder for an unanswered stage; nil sends no reminders.
    public var reminder: ReminderRule?
    /// How late a missed send may still go out (once) instead of being dropped, in seconds.
    public var catchUpWindow: TimeInterval
    public var spread: SendTimeSpread
    /// How far ahead the planner looks for an allowed day before giving up on a send.
    public var searchHorizonDays: Int

    public init(
        defaultTimeZone: TimeZone = .gmt,
        defaultWorkingHours: WorkingHours = .standard,
        holidays: Set<LocalDate> = [],
        maximumPerWeek: Int = 2,
        maximumPerDay: Int = 1,
        sendWindowMinutes: Int = 90,
        lastWorkdayCutoff: LocalTime? = .noon,
        preferredDays: PreferredDays? = PreferredDays(),
        reminder: ReminderRule? = ReminderRule(),
        catchUpWindow: TimeInterval = 2 * 86_400,
        spread: SendTimeSpread = .byPseudonym,
        searchHorizonDays: Int = 366
    ) {
        self.defaultTimeZone = defaultTimeZone
        self.defaultWorkingHours = defaultWorkingHours
        self.holidays = holidays
        self.maximumPerWeek = maximumPerWeek
        self.maximumPerDay = maximumPerDay
        self.sendWindowMinutes = sendWindowMinutes
        self.lastWorkdayCutoff = lastWorkdayCutoff
        self.preferredDays = preferredDays
        self.reminder = reminder
        self.catchUpWindow = catchUpWindow
        self.spread = spread
        self.searchHorizonDays = searchHorizonDays
    }
}

/// Weekdays on which nudges get answered best, used to move later stages a few days.
///
/// Internal surveys sent on Monday get about 13% more responses and Thursday about 6% fewer, but the difference
/// is mostly speed and fades after 3–4 days (field notes §4.3). So preference never delays the first stages,
/// where every day of forgetting counts, and only shifts stages a week or more out by a few days.
public struct PreferredDays: Sendable, Hashable, Codable {
    public var weekdays: Set<Weekday>
    /// Stages with a smaller offset keep their day.
    public var fromStageOffsetDays: Int
    /// A stage moves only if a preferred weekday comes within this many days.
    public var maximumDelayDays: Int

    public init(
        weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday], fromStageOffsetDays: Int = 7,
        maximumDelayDays: Int = 4
    ) {
        self.weekdays = weekdays
        self.fromStageOffsetDays = fromStageOffsetDays
        self.maximumDelayDays = maximumDelayDays
    }
}

/// The one reminder a stage may get when its nudge was neither answered, snoozed nor skipped.
public struct ReminderRule: Sendable, Hashable, Codable {
    /// Working days (the person's, holidays excluded) after the stage's first send.
    public var afterWorkingDays: Int

    public init(afterWorkingDays: Int = 2) {
        self.afterWorkingDays = afterWorkingDays
    }
}

/// Where inside the send window a person's nudges go.
public enum SendTimeSpread: String, Sendable, Hashable, Codable {
    /// Everyone at the window start (simple to reason about; what most tests use).
    case windowStart
    /// A fixed point per person, from a stable hash of the pseudonym: the same person always gets the same
    /// minute (no randomness, identical across processes and releases), and a cohort spreads evenly over the
    /// window instead of arriving as one burst at the rate limiter.
    case byPseudonym
}
