import DebriefCore
import DebriefStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Enqueues each target's digest for the week that just ended, once that target's posting time has come (its
/// own weekday, time and zone, else `DEBRIEF_DIGEST_TIME` in the organisation's zone).
///
/// It sleeps on the server's clock until the next posting time of any target (a simulated clock shortens the
/// wait, a manual one ends it when advanced), not on a short timer: targets and schedules come from the
/// configuration and do not change while the server runs. ``tick()`` runs one pass.
///
/// Enqueueing is idempotent (the job's dedupe key is target + week), so several replicas or restarts
/// never post twice; the job itself re-checks the stored digest before posting.
final class DigestScheduler: Service, Sendable {
    struct Parameters: Codable, Sendable, Equatable {
        var target: DigestTarget
        var week: String
    }

    let store: any JobQueue
    let targets: [DigestTarget]
    let zone: TimeZone
    /// Targets without their own time post on this one.
    let standard: DigestSchedule
    /// Targets' own times, by target key.
    let schedules: [String: DigestSchedule]
    let clock: any ServerClock
    let logger: Logger
    let wakeWorker: @Sendable () -> Void
    /// Dedupe keys this process has enqueued (the store's unique key is what makes it exactly once).
    private let enqueued = Mutex<Set<String>>([])

    init(
        store: any JobQueue, targets: [DigestTarget], configuration: DebriefConfiguration,
        clock: any ServerClock, logger: Logger, wakeWorker: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.targets = targets
        self.zone = configuration.organisationTimeZone
        self.standard = configuration.digests.schedule
        self.schedules = configuration.digests.schedules
        self.clock = clock
        self.logger = logger
        self.wakeWorker = wakeWorker
    }

    /// The week a digest posted at `instant` covers (the last complete ISO week), if its posting time
    /// in that week has passed; nil before the first posting time of the current week.
    static func dueWeek(at instant: Date, zone: TimeZone, weekday: Int, hour: Int, minute: Int) -> WeekKey? {
        guard
            let postingTime = postingTime(inWeekOf: instant, zone: zone, weekday: weekday, hour: hour, minute: minute),
            instant >= postingTime
        else { return nil }
        return WeekKey(containing: instant, in: zone).previous
    }

    /// The posting time in the ISO week (in `zone`) that contains `instant`.
    static func postingTime(inWeekOf instant: Date, zone: TimeZone, weekday: Int, hour: Int, minute: Int) -> Date? {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: instant)
        var target = DateComponents()
        target.yearForWeekOfYear = parts.yearForWeekOfYear
        target.weekOfYear = parts.weekOfYear
        // ISO weekday 1 = Monday; Calendar weekday 1 = Sunday.
        target.weekday = weekday % 7 + 1
        target.hour = hour
        target.minute = minute
        return calendar.date(from: target)
    }

    /// The first posting time after `instant` of a schedule: this week's if it is still ahead, else next week's.
    static func nextPostingTime(after instant: Date, zone: TimeZone, weekday: Int, hour: Int, minute: Int) -> Date? {
        if let thisWeek = postingTime(inWeekOf: instant, zone: zone, weekday: weekday, hour: hour, minute: minute),
            thisWeek > instant
        {
            return thisWeek
        }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        guard let nextWeek = calendar.date(byAdding: .weekOfYear, value: 1, to: instant) else { return nil }
        return postingTime(inWeekOf: nextWeek, zone: zone, weekday: weekday, hour: hour, minute: minute)
            .flatMap { $0 > instant ? $0 : nil }
    }

    /// When the next pass has something to do: the earliest posting time of any target after `instant`.
    func nextPostingTime(after instant: Date) -> Date? {
        targets.compactMap { target -> Date? in
            let schedule = schedules[target.key] ?? standard
            return Self.nextPostingTime(
                after: instant, zone: schedule.timeZone ?? zone, weekday: schedule.weekday, hour: schedule.hour,
                minute: schedule.minute)
        }.min()
    }

    /// One pass: enqueues what is due now, each target on its own schedule; returns how many jobs were new.
    @discardableResult
    func tick() async throws -> Int {
        try await enqueueDue(at: clock.now())
    }

    /// Enqueues what is due at `instant`; returns how many jobs were new.
    @discardableResult
    private func enqueueDue(at instant: Date) async throws -> Int {
        var jobs: [NewJob] = []
        var keys: [String] = []
        for target in targets {
            let schedule = schedules[target.key] ?? standard
            guard
                let week = Self.dueWeek(
                    at: instant, zone: schedule.timeZone ?? zone, weekday: schedule.weekday, hour: schedule.hour,
                    minute: schedule.minute)
            else { continue }
            let key = "digest:\(target.key):\(week)"
            // Already handed to the queue by this process: no write transaction every tick for the rest of the week.
            guard !enqueued.withLock({ $0.contains(key) }) else { continue }
            keys.append(key)
            jobs.append(
                try NewJob(
                    kind: JobKind.digestPost.rawValue, parameters: Parameters(target: target, week: week.description),
                    runAt: instant,
                    dedupeKey: key, bucket: nil, maxAttempts: 8))
        }
        guard !jobs.isEmpty else { return 0 }
        let added = try await store.enqueue(jobs)
        enqueued.withLock { $0.formUnion(keys) }
        if added > 0 {
            logger.info("weekly digests enqueued", metadata: ["targets": "\(added)"])
            wakeWorker()
        }
        return added
    }

    /// How long (real time) to wait before trying again after the store failed to take the digest jobs.
    static let retryPause = Duration.seconds(5)

    func run() async throws {
        guard !targets.isEmpty else {
            // A service that returns ends the whole service group: idle until shutdown instead.
            try? await gracefulShutdown()
            return
        }
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let instant = clock.now()
                let clock = self.clock
                do {
                    try await enqueueDue(at: instant)
                } catch {
                    logger.error("scheduling digests failed", metadata: ["error": "\(error)"])
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.retryPause) }
                    continue
                }
                guard let next = nextPostingTime(after: instant) else {
                    // Only a calendar that cannot name next week's posting time gets here: look again later.
                    logger.error("no next digest posting time could be computed")
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3_600)) }
                    continue
                }
                // Woken by shutdown too, so SIGTERM is not held up by a week-long sleep.
                try? await cancelWhenGracefulShutdown { try await clock.sleep(until: next) }
            }
        } onGracefulShutdown: {
        }
    }
}
