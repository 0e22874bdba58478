import Foundation

/// Decides when each participant of a training gets their reflection nudges.
///
/// A pure function of (trainings, person, calendar rules, history, now): no clock, no I/O, no randomness, so
/// the same inputs always give the same plan and the rules can be tested exhaustively. The scheduler re-plans
/// after every event (a send, a snooze, a reflection, a pause) and replaces the person's queued nudges.
///
/// The rules, beyond the calendar rules documented on ``CalendarRules``:
/// - **Order.** A training's stages go out in order, on strictly later local days; across trainings the stage
///   whose earliest day comes first takes the budget first (ties: the training that ended first, then its id).
///   Primary sends are placed before any follow-up, so a reminder never pushes a later stage into next week.
/// - **Weekly budget.** Every DM counts toward ``CalendarRules/maximumPerWeek`` (ISO weeks in the person's
///   zone) and ``CalendarRules/maximumPerDay``: primaries, reminders and snoozed returns alike.
/// - **Snoozes.** "Snooze 1 day" brings the nudge back on the first allowed day after the local day of the
///   press that still has room in its day and week (each press once) — the next working morning, unless the
///   week's budget is already used by nudges sent that week, then the first working morning of a week with
///   room. Snoozed returns are placed before every primary and reminder, so the person's own request is
///   never dropped for budget: what moves instead is the next stage (of any training), to the next day with
///   room, which may be next week. A training's next stage always comes after its snoozed return.
/// - **Reminders.** After its first send a stage may get one reminder, ``CalendarRules/reminder`` working
///   days later, if the person neither reflected on the training, snoozed nor skipped since. A reminder fits
///   into the budget the primaries left and must land before the training's next stage, otherwise the next
///   stage replaces it.
/// - **Cancellation.** Erasure, `/reflect stop` and "Not this one" cancel a stage. So does having already
///   reflected on the training since the previous stage's send (since the training ended, for the first
///   stage): a reflection that answers the latest nudge sent before it (names that stage, or names none)
///   pre-empts nothing; any other reflection on the training cancels the next nudge of that training still to
///   come — one nudge, never the rest of the sequence. A pause cancels every send the calendar puts before it
///   ends; nothing is saved up for afterwards.
/// - **No bursts.** A send whose planned time passed without it being sent (downtime, a training registered
///   late) is late. "Planned time" is where the calendar and the budget put it given the sends actually made,
///   so a send the weekly budget deferred is never mistaken for a late one. A late send goes
///   out once, at the first allowed moment from `now`, only if it is at most
///   ``CalendarRules/catchUpWindow`` late, no later send of the same training is also due or was already made,
///   and it still fits before the next stage's day; otherwise it is ``CancellationReason/missed``. So a person
///   gets at most one late nudge per training, and a late nudge never delays the next one.
public enum NudgePlanner {
    /// Plans the nudges of one training; `history` should still hold the person's sends for *all* trainings
    /// so the weekly budget counts them.
    public static func plan(
        training: TrainingSchedule, person: PersonCalendar, rules: CalendarRules, history: NudgeHistory, now: Date
    ) -> NudgePlan {
        plan(trainings: [training], person: person, rules: rules, history: history, now: now)
    }

    /// Plans the nudges of all of a person's trainings together, so overlapping trainings share the daily and
    /// weekly budget fairly and the plan shows where each send really lands.
    public static func plan(
        trainings: [TrainingSchedule], person: PersonCalendar, rules: CalendarRules, history: NudgeHistory,
        now: Date
    ) -> NudgePlan {
        var run = PlanningRun(trainings: trainings, person: person, rules: rules, history: history, now: now)
        return run.plan()
    }
}
