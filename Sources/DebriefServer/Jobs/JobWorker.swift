import DebriefStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Runs due jobs from the durable ``JobQueue``: claims them with a lease, hands each to the
/// ``JobHandler`` registered for its kind, and records the ``JobOutcome``.
///
/// Why a polling `Service`: the queue is a database table shared with other processes (and replicas under
/// PostgreSQL), so there is no in-process notification to rely on; a cheap poll (default 200 ms) finds
/// what others enqueued and what became due, and ``wake()`` lets a local producer skip the wait.
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
/// - Time comes from the injected `now` (the server's clock, which may be simulated), never `Date()`.
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
        /// How often to look for due jobs when idle. Default 200 ms.
        public var pollInterval: Duration
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
        public var concurrencyByKind: [String: Int]
        /// How long graceful shutdown waits for in-flight handlers before cancelling them. Default 2 s, so
        /// a DM being posted is recorded, while SIGTERM still ends the process within a few seconds.
        public var shutdownGrace: Duration

        public init(
            workerID: String = JobWorker.Configuration.defaultWorkerID(),
            pollInterval: Duration = .milliseconds(200),
            maximumConcurrency: Int = 8,
            lease: Duration = .seconds(300),
            backoff: JobBackoff = JobBackoff(),
            depthRefreshInterval: Duration? = .seconds(15),
            storeErrorPause: Duration = .seconds(1),
            completedJobRetention: TimeInterval? = 30 * 86_400,
            concurrencyByKind: [String: Int] = [:],
            shutdownGrace: Duration = .seconds(2)
        ) {
            self.workerID = workerID
            self.pollInterval = pollInterval
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

    private let queue: any JobQueue
    private let handlers: [String: any JobHandler]
    private let configuration: Configuration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let random: @Sendable () -> Double
    private let sleep: @Sendable (Duration) async throws -> Void
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
    ///   - now: The server's clock (possibly simulated).
    ///   - random: A number in `0...1` for the backoff jitter.
    ///   - sleep: Waits between polls; must throw when the task is cancelled. Defaults to `Task.sleep`.
    public init(
        queue: any JobQueue,
        handlers: [String: any JobHandler],
        configuration: Configuration = Configuration(),
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil,
        now: @escaping @Sendable () -> Date,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.queue = queue
        self.handlers = handlers
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.random = random
        self.sleep = sleep
        self.metrics = JobWorkerMetrics(kinds: Set(handlers.keys), factory: metricsFactory)
    }

    /// Looks for due jobs now instead of at the next poll (call after enqueueing a job due now).
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
                guard let limit = configuration.concurrencyByKind[kind] else {
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
        let kinds = Set(handlers.keys)
        let capacity = max(configuration.maximumConcurrency, 1)
        guard !kinds.isEmpty else {
            logger.warning("job worker has no handlers; it claims nothing")
            while !isStopping && !Task.isCancelled { await claimSignal.wait() }
            return
        }
        while !isStopping && !Task.isCancelled {
            let free = capacity - state.withLock { $0.inFlight }
            guard free > 0 else {
                // A finishing handler signals.
                await claimSignal.wait()
                continue
            }
            let (claimable, room) = claimableKinds(kinds)
            guard !claimable.isEmpty else {
                // Every kind is at its limit: a finishing handler signals.
                await claimSignal.wait()
                continue
            }
            var jobs: [Job]
            do {
                jobs = try await queue.claimJobs(
                    kinds: claimable, limit: free, worker: configuration.workerID, leaseFor: configuration.lease,
                    now: now())
            } catch {
                logger.error(
                    "claiming jobs failed", metadata: ["error": "\(error)", "worker": "\(configuration.workerID)"])
                await waitForSignal(claimSignal, timeout: configuration.storeErrorPause)
                continue
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
            for job in fresh {
                group.addTask {
                    await self.process(job)
                    self.state.withLock {
                        $0.inFlight -= 1
                        $0.running.remove(job.id)
                        $0.runningByKind[job.kind, default: 1] -= 1
                    }
                    self.claimSignal.signal()
                }
            }
            if claimedCount < free {
                // Nothing more is due right now.
                await waitForSignal(claimSignal, timeout: configuration.pollInterval)
            }
        }
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

    /// Returns at the signal, after `timeout`, or on cancellation, whichever comes first.
    private func waitForSignal(_ signal: WakeSignal, timeout: Duration) async {
        let sleep = self.sleep
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await sleep(timeout) }
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
