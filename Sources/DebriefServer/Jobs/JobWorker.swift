import DebriefStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Runs due jobs from the durable ``JobQueue``: claims them with a lease, hands each to the
/// ``JobHandler`` registered for its kind, and records the ``JobOutcome``.
///
/// When it looks at the queue: it never polls on a short timer. After a pass that claimed everything due it
/// sleeps until the earliest of: ``wake()`` (a producer in this process enqueued work), the next job's due
/// time or lease end as the store reports it (``JobQueue/nextDueDate(kinds:)``, on the server's clock, so a
/// simulated clock shortens the wait and a manual clock ends it when advanced), a finishing handler, and
/// `safetyInterval` of real time. The last is only for work another process enqueued (another replica,
/// `debrief jobs retry`), which no wake-up in this process announces. ``tick()`` runs one pass directly.
///
/// - Concurrency is bounded: at most `maximumConcurrency` handlers run at once, and the worker claims
///   only as many jobs as it has free slots, so a claimed job is never left waiting in memory.
/// - Per-kind limits: a kind listed in `concurrencyByKind` runs at most that many at once (CPU-heavy work
///   such as resolving a training's participants runs alone, so requests always find a free thread). Jobs
///   of a kind at its limit are not claimed, so they wait in the queue, not in memory with a ticking lease.
/// - Graceful shutdown: stop claiming, give in-flight handlers `shutdownGrace` to finish, then cancel the
///   rest. A handler that ends because it was cancelled is put back to pending at once without using an
///   attempt, so its job resumes after the restart. A hard stop (or a crash) leaves claims behind; their
///   lease expires and another worker runs them.
/// - Time comes from the injected ``ServerClock`` (which may be simulated or manual), never `Date()`.
///
/// Metrics: `debrief_jobs_completed_total{kind,outcome}` and, when enabled, the gauge
/// `debrief_job_queue_depth{kind,state}`; enable the gauge on one worker per process.
/// - Important: logs carry the job id, kind and attempt, never parameters or dedupe keys (they can hold
///   delivery details and pseudonyms).
public final class JobWorker: Service, Sendable {
    /// How the worker claims and retries. Every value has a production default.
    public struct Configuration: Sendable {
        /// Identifies this worker's claims; unique per process. Default `worker-<pid>-<random>`.
        public var workerID: String
        /// The longest an idle worker sleeps (real time) before looking at the queue again, for jobs another
        /// process enqueued: this process's producers call ``JobWorker/wake()`` and due times are known, so
        /// this only bounds how late work from elsewhere starts. Default 30 s.
        public var safetyInterval: Duration
        /// Handlers running at once. Default 8. Values below 1 behave as 1.
        public var maximumConcurrency: Int
        /// How long a claim lasts; must exceed the longest handler run (leases are not renewed).
        /// Default 5 minutes.
        public var lease: Duration
        /// Delay before the next attempt of a job whose handler asked for a retry.
        public var backoff: JobBackoff
        /// How often to refresh the queue-depth gauge; `nil` disables it. Default 15 s.
        public var depthRefreshInterval: Duration?
        /// Wait after the store failed to answer a claim before trying again. Default 1 s.
        public var storeErrorPause: Duration
        /// Done jobs last due longer ago than this are deleted (checked with the depth refresh); `nil` keeps
        /// them. Default 30 days: far beyond any nudge or digest window, so a dedupe key is never reused early.
        public var completedJobRetention: TimeInterval?
        /// At most this many handlers of a kind at once (within `maximumConcurrency`); kinds not listed are
        /// limited only by `maximumConcurrency`. Values below 1 behave as 1. Default: none.
        public var concurrencyByKind: [JobKind: Int]
        /// How long graceful shutdown waits for in-flight handlers before cancelling them. Default 2 s, so
        /// a DM being posted is recorded, while SIGTERM still ends the process within a few seconds.
        public var shutdownGrace: Duration

        public init(
            workerID: String = JobWorker.Configuration.defaultWorkerID(),
            safetyInterval: Duration = .seconds(30),
            maximumConcurrency: Int = 8,
            lease: Duration = .seconds(300),
            backoff: JobBackoff = JobBackoff(),
            depthRefreshInterval: Duration? = .seconds(15),
            storeErrorPause: Duration = .seconds(1),
            completedJobRetention: TimeInterval? = 30 * 86_400,
            concurrencyByKind: [JobKind: Int] = [:],
            shutdownGrace: Duration = .seconds(2)
        ) {
            self.workerID = workerID
            self.safetyInterval = safetyInterval
            self.maximumConcurrency = maximumConcurrency
            self.lease = lease
            self.backoff = backoff
            self.depthRefreshInterval = depthRefreshInterval
            self.storeErrorPause = storeErrorPause
            self.completedJobRetention = completedJobRetention
            self.concurrencyByKind = concurrencyByKind
            self.shutdownGrace = shutdownGrace
        }

        /// `worker-<pid>-<8 random hex digits>`: unique across restarts of the same process id.
        public static func defaultWorkerID() -> String {
            let suffix = UInt32.random(in: 0...UInt32.max)
            let hex = String(suffix, radix: 16)
            let padded = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
            return "worker-\(ProcessInfo.processInfo.processIdentifier)-\(padded)"
        }
    }

    private struct State {
        var stopping = false
        var inFlight = 0
        /// Jobs this worker is running. A lease that ran out while its handler still works (a send waiting
        /// at the rate limiter under a fast simulated clock) lets the store hand the job out again; this
        /// worker then leaves it to the run already under way instead of running it twice.
        var running: Set<Int64> = []
        /// Handlers running per kind, for `concurrencyByKind`.
        var runningByKind: [String: Int] = [:]
    }

    /// What one claim pass found, and so what the worker does next.
    private enum Pass: Equatable {
        /// Every free slot got a job: more may be due, claim again at once.
        case filledEverySlot
        /// Claimed everything due (possibly nothing): sleep until the next due time or a wake-up.
        case claimedAllDue
        /// No free slot, or every kind at its limit: a finishing handler signals.
        case noRoom
        /// The store did not answer: pause, then try again.
        case storeFailed
    }

    private let queue: any JobQueue
    private let handlers: [String: any JobHandler]
    /// `concurrencyByKind` by stored kind.
    private let limits: [String: Int]
    private let configuration: Configuration
    private let logger: Logger
    private let clock: any ServerClock
    private let random: @Sendable () -> Double
    private let metrics: JobWorkerMetrics
    private let state = Mutex(State())
    private let claimSignal = WakeSignal()
    private let depthSignal = WakeSignal()

    /// - Parameters:
    ///   - queue: Where jobs are claimed and their outcomes recorded.
    ///   - handlers: The handler for each kind; only these kinds are claimed.
    ///   - configuration: Poll interval, concurrency, lease, backoff.
    ///   - logger: Receives one line per retry, dead letter or lost claim.
    ///   - metricsFactory: Where the metrics are created; `nil` uses `MetricsSystem`.
    ///   - clock: The server's clock (possibly simulated or manual): due times, leases, backoff.
    ///   - random: A number in `0...1` for the backoff jitter.
    public init(
        queue: any JobQueue,
        handlers: [JobKind: any JobHandler],
        configuration: Configuration = Configuration(),
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil,
        clock: any ServerClock,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.queue = queue
        self.handlers = Dictionary(uniqueKeysWithValues: handlers.map { ($0.key.rawValue, $0.value) })
        self.limits = Dictionary(
            uniqueKeysWithValues: configuration.concurrencyByKind.map { ($0.key.rawValue, $0.value) })
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.random = random
        self.metrics = JobWorkerMetrics(kinds: Set(self.handlers.keys), factory: metricsFactory)
    }

    private func now() -> Date { clock.now() }

    /// Looks at the queue now instead of at the next due time (call after enqueueing a job).
    public func wake() {
        claimSignal.signal()
    }

    /// Stops claiming; ``run()`` returns once in-flight handlers finished. What graceful shutdown does;
    /// for use outside a service group.
    public func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        if first {
            logger.info(
                "job worker stopping: no new claims, finishing in-flight jobs",
                metadata: ["worker": "\(configuration.workerID)", "in_flight": "\(state.withLock { $0.inFlight })"])
        }
        claimSignal.signal()
        depthSignal.signal()
    }

    public func run() async {
        logger.info(
            "job worker started",
            metadata: [
                "worker": "\(configuration.workerID)", "kinds": "\(handlers.keys.sorted().joined(separator: ","))",
            ])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if let interval = configuration.depthRefreshInterval {
                    group.addTask { await self.refreshDepthPeriodically(every: interval) }
                }
                await claimLoop(&group)
                // Stopped or cancelled: the depth loop ends too. In-flight jobs get the grace period, then
                // are cancelled; leaving the group waits for them to return.
                stop()
                if await !drain(within: configuration.shutdownGrace) {
                    logger.notice(
                        "job worker cancelling jobs still running after the shutdown grace; they resume after a restart",
                        metadata: [
                            "worker": "\(configuration.workerID)", "in_flight": "\(state.withLock { $0.inFlight })",
                        ])
                }
                // Also interrupts a queue-depth query under way: on a queue of a million jobs it takes seconds,
                // and shutdown must not wait for a gauge.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        logger.info("job worker stopped", metadata: ["worker": "\(configuration.workerID)"])
    }

    // MARK: - Claiming

    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// Waits until no handler runs, at most `grace` (less when the task is cancelled). Returns whether all
    /// handlers finished.
    private func drain(within grace: Duration) async -> Bool {
        let deadline = ContinuousClock.now + grace
        while state.withLock({ $0.inFlight }) > 0 {
            let left = deadline - ContinuousClock.now
            guard left > .zero, !Task.isCancelled else { return false }
            await waitForSignal(claimSignal, timeout: left)
        }
        return true
    }

    /// The kinds that may be claimed now, and how many of each limited kind.
    private func claimableKinds(_ kinds: Set<String>) -> (kinds: Set<String>, room: [String: Int]) {
        state.withLock { state in
            var claimable: Set<String> = []
            var room: [String: Int] = [:]
            for kind in kinds {
                guard let limit = limits[kind] else {
                    claimable.insert(kind)
                    continue
                }
                let free = max(limit, 1) - state.runningByKind[kind, default: 0]
                if free > 0 {
                    claimable.insert(kind)
                    room[kind] = free
                }
            }
            return (claimable, room)
        }
    }

    private func claimLoop(_ group: inout DiscardingTaskGroup) async {
        guard !handlers.isEmpty else {
            logger.warning("job worker has no handlers; it claims nothing")
            while !isStopping && !Task.isCancelled { await claimSignal.wait() }
            return
        }
        while !isStopping && !Task.isCancelled {
            let instant = now()
            let (jobs, pass) = await claimDue(at: instant)
            for job in jobs {
                group.addTask { await self.runClaimed(job) }
            }
            switch pass {
            case .filledEverySlot:
                continue
            case .noRoom:
                await claimSignal.wait()
            case .storeFailed:
                await waitForSignal(claimSignal, timeout: configuration.storeErrorPause)
            case .claimedAllDue:
                await sleepUntilNextDue(claimedAt: instant)
            }
        }
    }

    /// One pass, for tests and tools: claims what is due now and runs it, again while claims fill every free
    /// slot, and returns when those jobs finished. Returns how many jobs ran. Safe beside a running worker
    /// (claims are exclusive, and a job this worker already runs is not started twice).
    @discardableResult
    public func tick() async -> Int {
        var total = 0
        while !Task.isCancelled {
            let (jobs, pass) = await claimDue(at: now())
            total += jobs.count
            await withDiscardingTaskGroup { group in
                for job in jobs {
                    group.addTask { await self.runClaimed(job) }
                }
            }
            guard pass == .filledEverySlot else { break }
        }
        return total
    }

    /// Claims due jobs for the free slots and books them as running; the caller runs them (``runClaimed(_:)``).
    private func claimDue(at instant: Date) async -> (jobs: [Job], pass: Pass) {
        let free = max(configuration.maximumConcurrency, 1) - state.withLock { $0.inFlight }
        guard free > 0 else { return ([], .noRoom) }
        let (claimable, room) = claimableKinds(Set(handlers.keys))
        guard !claimable.isEmpty else { return ([], .noRoom) }
        var jobs: [Job]
        do {
            jobs = try await queue.claimJobs(
                kinds: claimable, limit: free, worker: configuration.workerID, leaseFor: configuration.lease,
                now: instant)
        } catch {
            logger.error(
                "claiming jobs failed", metadata: ["error": "\(error)", "worker": "\(configuration.workerID)"])
            return ([], .storeFailed)
        }
        let claimedCount = jobs.count
        jobs = await returnBeyondLimits(jobs, room: room)
        let fresh = state.withLock { state -> [Job] in
            let fresh = jobs.filter { !state.running.contains($0.id) }
            state.inFlight += fresh.count
            state.running.formUnion(fresh.map(\.id))
            for job in fresh { state.runningByKind[job.kind, default: 0] += 1 }
            return fresh
        }
        return (fresh, claimedCount < free ? .claimedAllDue : .filledEverySlot)
    }

    /// Runs a job booked by ``claimDue(at:)``, records its outcome, frees its slot and tells the claim loop.
    private func runClaimed(_ job: Job) async {
        await process(job)
        state.withLock {
            $0.inFlight -= 1
            $0.running.remove(job.id)
            $0.runningByKind[job.kind, default: 1] -= 1
        }
        claimSignal.signal()
    }

    /// Sleeps until the next job of a claimable kind is due (or its lease ends), a wake-up, a finishing
    /// handler, or the safety interval, whichever comes first.
    private func sleepUntilNextDue(claimedAt instant: Date) async {
        let (claimable, _) = claimableKinds(Set(handlers.keys))
        var next: Date?
        if !claimable.isEmpty {
            do {
                next = try await queue.nextDueDate(kinds: claimable)
            } catch {
                // The safety interval still bounds the wait.
                logger.warning("reading the next job's due time failed", metadata: ["error": "\(error)"])
            }
        }
        if let next, next <= instant {
            // Due at the claim's instant yet not claimed: enqueued just after the claim (its producer's
            // wake-up ends this pause at once), or a row the claim cannot take. Pause rather than spin.
            logger.debug(
                "a job due at the last claim was not claimed; looking again shortly",
                metadata: ["worker": "\(configuration.workerID)"])
            await waitForSignal(claimSignal, timeout: configuration.storeErrorPause)
            return
        }
        await waitForSignal(claimSignal, until: next, timeout: configuration.safetyInterval)
    }

    /// Keeps the claimed jobs of limited kinds that fit their `room` and puts the others straight back
    /// (pending, due as before, attempt given back): one claim can return several jobs of a kind.
    private func returnBeyondLimits(_ jobs: [Job], room: [String: Int]) async -> [Job] {
        guard !room.isEmpty else { return jobs }
        var left = room
        var kept: [Job] = []
        kept.reserveCapacity(jobs.count)
        for job in jobs {
            guard let free = left[job.kind] else {
                kept.append(job)
                continue
            }
            if free > 0 {
                left[job.kind] = free - 1
                kept.append(job)
                continue
            }
            do {
                _ = try await queue.rescheduleJob(id: job.id, worker: configuration.workerID, runAt: job.runAt)
            } catch {
                // Its lease expires and it is claimed again then.
                logger.warning(
                    "returning a job beyond its kind's limit failed",
                    metadata: ["job.id": "\(job.id)", "job.kind": "\(job.kind)", "error": "\(error)"])
            }
        }
        return kept
    }

    /// Returns at the signal, when the clock reaches `deadline` (if any), after `timeout` of real time, or on
    /// cancellation, whichever comes first.
    private func waitForSignal(_ signal: WakeSignal, until deadline: Date? = nil, timeout: Duration) async {
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            if let deadline {
                group.addTask { try? await clock.sleep(until: deadline) }
            }
            group.addTask { await signal.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: - Running one job

    private func process(_ job: Job) async {
        var outcome: JobOutcome
        if let handler = handlers[job.kind] {
            do {
                outcome = try await handler.run(job)
            } catch {
                // Only the type: an error's description may carry request details.
                outcome = .retry(error: "handler threw \(String(describing: type(of: error)))")
            }
        } else {
            outcome = .failedPermanently(error: "no handler for job kind \(job.kind)")
        }
        if Task.isCancelled && outcome != .done {
            // Cancelled at shutdown: whatever the handler made of it, the job did not fail. Back to pending
            // now, attempt given back, so it resumes as soon as a worker runs again.
            outcome = .rescheduled(at: now())
            logger.info(
                "job interrupted by shutdown; it resumes after a restart",
                metadata: ["job.id": "\(job.id)", "job.kind": "\(job.kind)"])
        }
        await record(outcome, of: job)
    }

    private func record(_ outcome: JobOutcome, of job: Job) async {
        let worker = configuration.workerID
        var metadata: Logger.Metadata = [
            "job.id": "\(job.id)", "job.kind": "\(job.kind)", "job.attempt": "\(job.attempts)",
            "job.max_attempts": "\(job.maxAttempts)",
        ]
        do {
            switch outcome {
            case .done:
                if try await queue.completeJob(id: job.id, worker: worker) {
                    metrics.record(.done, kind: job.kind)
                } else {
                    lost(job, metadata)
                }
            case .retry(let error):
                let retryAt = configuration.backoff.retryDate(afterAttempt: job.attempts, from: now(), random: random())
                metadata["job.error"] = "\(error)"
                switch try await queue.failJob(id: job.id, worker: worker, error: error, retryAt: retryAt) {
                case .dead:
                    metrics.record(.dead, kind: job.kind)
                    logger.error("job failed for the last time; it is a dead letter", metadata: metadata)
                case .none:
                    lost(job, metadata)
                default:
                    metrics.record(.retry, kind: job.kind)
                    metadata["job.retry_at"] = "\(retryAt)"
                    logger.info("job failed; retrying later", metadata: metadata)
                }
            case .rescheduled(let runAt):
                if try await queue.rescheduleJob(id: job.id, worker: worker, runAt: runAt) {
                    metrics.record(.rescheduled, kind: job.kind)
                } else {
                    lost(job, metadata)
                }
            case .failedPermanently(let error):
                metadata["job.error"] = "\(error)"
                if try await queue.failJob(id: job.id, worker: worker, error: error, retryAt: nil) != nil {
                    metrics.record(.dead, kind: job.kind)
                    logger.error("job failed permanently; it is a dead letter", metadata: metadata)
                } else {
                    lost(job, metadata)
                }
            }
        } catch {
            metadata["error"] = "\(error)"
            metrics.record(.lost, kind: job.kind)
            logger.error("recording a job outcome failed; the job runs again after its lease", metadata: metadata)
        }
    }

    private func lost(_ job: Job, _ metadata: Logger.Metadata) {
        metrics.record(.lost, kind: job.kind)
        logger.warning("job claim was lost (lease expired and taken over); outcome not recorded", metadata: metadata)
    }

    // MARK: - Queue depth

    /// Refreshes the depth gauge and, at most hourly, deletes done jobs past their retention (the table would
    /// otherwise only grow, and slow every query that scans it).
    private func refreshDepthPeriodically(every interval: Duration) async {
        var lastPurge: ContinuousClock.Instant?
        while !isStopping && !Task.isCancelled {
            do {
                metrics.update(try await queue.queueDepth(now: now()))
            } catch {
                if Task.isCancelled { return }
                logger.warning("reading the job queue depth failed", metadata: ["error": "\(error)"])
            }
            if let retention = configuration.completedJobRetention,
                lastPurge.map({ ContinuousClock.now - $0 >= .seconds(3_600) }) ?? true
            {
                lastPurge = ContinuousClock.now
                do {
                    try await queue.purgeCompletedJobs(runBefore: now().addingTimeInterval(-retention))
                } catch {
                    logger.warning("deleting old finished jobs failed", metadata: ["error": "\(error)"])
                }
            }
            await waitForSignal(depthSignal, timeout: interval)
        }
    }
}
