import DebriefCore
import DebriefStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Every tick (`DebriefDependencies.digestTick`) enqueues each target's digest for the week that just ended,
/// once that target's posting time has come (its own weekday, time and zone, else `DEBRIEF_DIGEST_TIME` in
/// the organisation's zone).
///
/// Enqueueing is idempotent (the job's dedupe key is target + week), so several replicas or restarts
/// never post twice; the job itself re-checks the stored digest before posting.
final class DigestScheduler: Service, Sendable {
    static let jobKind = "digest.post"

    struct Parameters: Codable, Sendable, Equatable {
        var target: DigestTarget
        var week: String
    }

    let store: any DebriefDataStore
    let targets: [DigestTarget]
    let zone: TimeZone
    /// Targets without their own time post on this one.
    let standard: DigestSchedule
    /// Targets' own times, by target key.
    let schedules: [String: DigestSchedule]
    let now: @Sendable () -> Date
    let tick: Duration
    let logger: Logger
    let wakeWorker: @Sendable () -> Void
    /// Dedupe keys this process has enqueued (the store's unique key is what makes it exactly once).
    private let enqueued = Mutex<Set<String>>([])

    init(
        store: any DebriefDataStore, targets: [DigestTarget], configuration: DebriefConfiguration,
        now: @escaping @Sendable () -> Date, tick: Duration, logger: Logger, wakeWorker: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.targets = targets
        self.zone = configuration.organisationTimeZone
        self.standard = configuration.digests.schedule
        self.schedules = configuration.digests.schedules
        self.now = now
        self.tick = tick
        self.logger = logger
        self.wakeWorker = wakeWorker
    }

    /// The week a digest posted at `instant` covers (the last complete ISO week), if its posting time
    /// in that week has passed; nil before the first posting time of the current week.
    static func dueWeek(at instant: Date, zone: TimeZone, weekday: Int, hour: Int, minute: Int) -> WeekKey? {
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
        guard let postingTime = calendar.date(from: target), instant >= postingTime else { return nil }
        return WeekKey(containing: instant, in: zone).previous
    }

    /// Enqueues what is due now, each target on its own schedule; returns how many jobs were new.
    @discardableResult
    func enqueueDue() async throws -> Int {
        let instant = now()
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
                    kind: Self.jobKind, parameters: Parameters(target: target, week: week.description), runAt: instant,
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

    func run() async throws {
        guard !targets.isEmpty else {
            // A service that returns ends the whole service group: idle until shutdown instead.
            try? await gracefulShutdown()
            return
        }
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await enqueueDue()
                } catch {
                    logger.error("scheduling digests failed", metadata: ["error": "\(error)"])
                }
                // Woken by shutdown too: a plain sleep held SIGTERM up for up to a whole tick (5 s).
                try? await cancelWhenGracefulShutdown { [tick] in try await Task.sleep(for: tick) }
            }
        } onGracefulShutdown: {}
    }
}
