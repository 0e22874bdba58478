import DebriefCore
import DebriefHTTP
import DebriefPlatform
import DebriefPrompts
import DebriefStore
import Foundation

/// Trainings and their nudges: registering a training, resolving its participants on their platform, and
/// sending each planned nudge at its time (`training.resolve`, `nudge.send`).
struct TrainingsFeature: ServerFeature {
    /// What the chat endpoints and the admin API use: commands, nudge buttons, re-planning.
    let features: TrainingFeatures
    let jobHandlers: [JobKind: any JobHandler]

    /// Nil when no chat platform is configured: there is nobody to nudge.
    init?(runtime: DebriefRuntime, wake: WakeBox) {
        let configuration = runtime.configuration
        // Each resolution and nudge job names its platform; without any there is nobody to nudge.
        guard !runtime.platforms.isEmpty else { return nil }
        let rules = CalendarRules(
            defaultTimeZone: configuration.organisationTimeZone,
            holidays: Set(configuration.nudges.holidays.compactMap { LocalDate($0) }),
            maximumPerWeek: configuration.nudges.maximumPerWeek)
        let scheduler = NudgeScheduler(
            store: runtime.store, nudges: runtime.nudges, rules: rules, logger: runtime.logger)
        let registrar = TrainingRegistrar(
            store: runtime.store, nudges: runtime.nudges, now: runtime.now, makeID: runtime.makeID,
            maximumParticipants: configuration.nudges.maximumParticipants)
        // Nudge sends do not sleep through a 429 inside the client: the bucket pause makes every sender wait.
        // Each platform's own pace, by bucket (`slack:T…`, `teams:<tenant>`).
        let teamsRate = BucketRateLimiter.Rate(perSecond: configuration.teams.sendRatePerSecond, burst: 1)
        let limiter = BucketRateLimiter(
            defaultRate: .init(perSecond: configuration.slack.sendRatePerSecond, burst: 1),
            ratesByKeyPrefix: ["\(Platform.teams.rawValue):": teamsRate])
        let habits = HabitScheduler(
            store: runtime.store, nudges: scheduler, rules: rules, intervalDays: configuration.nudges.habitIntervalDays,
            texts: runtime.habitTexts, logger: runtime.logger)
        features = TrainingFeatures(
            store: runtime.store, registrar: registrar, scheduler: scheduler, nudges: runtime.nudges,
            adminUserIDs: configuration.slack.adminUserIDs, organisationTimeZone: configuration.organisationTimeZone,
            wakeWorker: { wake.wake() }, habits: habits)
        jobHandlers = [
            .nudgeSend: NudgeSendHandler(
                scheduler: scheduler, store: runtime.store, platforms: runtime.platforms, limiter: limiter,
                now: runtime.now, makeID: runtime.makeID, logger: runtime.logger, habits: habits),
            .habitSend: HabitSendHandler(
                habits: habits, platforms: runtime.platforms, limiter: limiter, now: runtime.now,
                makeID: runtime.makeID, wakeWorker: { wake.wake() }, logger: runtime.logger),
            .trainingResolve: TrainingResolveHandler(
                store: runtime.store, platforms: runtime.platforms, pseudonymizer: runtime.pseudonymizer,
                scheduler: scheduler,
                now: runtime.now, logger: runtime.logger, onScheduled: { wake.wake() },
                maximumParticipants: configuration.nudges.maximumParticipants),
        ]
    }
}
