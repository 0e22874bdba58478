import Foundation

/// The durable job queue that lives in the same database as the data.
///
/// Why in the database rather than in memory or a broker: "accepted" and "will be delivered" must commit
/// together (a training and its nudges, a reflection and the message update), and a crash at any moment
/// must lose nothing. Every operation is one transaction; backends also expose a way to enqueue inside
/// a transaction of their own (see `SQLiteStore.enqueue(_:in:)`).
///
/// Delivery is at least once: a job is claimed with a lease (`claimedBy`, `claimedUntil`); if the worker
/// dies, the lease expires and another worker claims the job again. Duplicates after a crash are bounded
/// to the jobs that were in flight.
///
/// Claims under concurrency (exactly one claimer wins):
/// - SQLite: the claim runs in the single writer transaction, so two claimers are serialized.
/// - PostgreSQL: `UPDATE jobs SET state = 'running', claimed_by = $1, claimed_until = $2,
///   attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs WHERE ((state = 'pending' AND run_at <= $3)
///   OR (state = 'running' AND claimed_until <= $3)) AND kind = ANY($4) ORDER BY run_at, id LIMIT $5
///   FOR UPDATE SKIP LOCKED) RETURNING *` — concurrent claimers skip rows another transaction holds,
///   so replicas never block each other nor claim the same row.
///
/// Dedupe keys are unique for as long as the job row exists, whatever its state (pending, running, done,
/// dead): enqueueing a key again is skipped, so "exactly once per target and week" needs no extra table.
/// Only ``cancelJobs(dedupeKeyPrefix:)`` (pending jobs), ``purgeCompletedJobs(runBefore:)`` (done jobs, run by
/// the job worker after a retention period) and erasing a person (their nudge jobs) delete rows and so free
/// their keys.
///
/// - Important: dedupe keys, kinds, buckets and error texts are operator-visible and end up in logs:
///   they hold pseudonyms, training ids and workspace ids, never a platform user id, an e-mail or free text.
///   Parameters hold pseudonyms and ids of Debrief's own records, never a platform user id or an e-mail:
///   identities a job must act on go in its ``JobIdentifiers``, which the store seals, drops when the job is
///   done, and removes an erased person from.
public protocol JobQueue: Sendable {
    /// Inserts jobs; a job whose `dedupeKey` already exists is skipped (also within the same call).
    /// Returns how many were new.
    @discardableResult
    func enqueue(_ jobs: [NewJob]) async throws(StoreError) -> Int

    /// Claims up to `limit` jobs for `worker`, oldest `runAt` first: due pending jobs and running jobs whose
    /// lease expired (their worker died). Claimed jobs become ``JobState/running`` with
    /// `claimedUntil = now + leaseFor`, and their `attempts` grows by one.
    ///
    /// A running job whose lease expired after its last allowed attempt is not claimed again: it becomes
    /// ``JobState/dead`` (a job that kills its worker every time must not kill every worker forever).
    /// - Parameter kinds: Only these kinds; `nil` claims every kind.
    func claimJobs(kinds: Set<String>?, limit: Int, worker: String, leaseFor: Duration, now: Date)
        async throws(StoreError) -> [Job]

    /// Marks a job done and drops its identifiers (a finished job keeps no platform ids). Returns `false` (and
    /// changes nothing) when the job is no longer claimed by `worker` — its lease expired and someone else
    /// claimed it, or it was already finished.
    func completeJob(id: Int64, worker: String) async throws(StoreError) -> Bool

    /// Records a failed attempt. The job goes back to pending at `retryAt`, or becomes dead when it used
    /// all its attempts or when `retryAt` is `nil` (a permanent failure).
    /// - Parameter error: Operator text (for `debrief jobs`); never personal data. Long texts are cut.
    /// - Returns: The job's new state (``JobState/pending`` or ``JobState/dead``), or `nil` when the job
    ///   is no longer claimed by `worker`.
    @discardableResult
    func failJob(id: Int64, worker: String, error: String, retryAt: Date?) async throws(StoreError) -> JobState?

    /// Puts a claimed job back to pending at `runAt` without consuming an attempt (the claim's attempt is
    /// given back): for waits that are nobody's failure, such as a 429's `Retry-After`.
    /// Returns `false` when the job is no longer claimed by `worker`.
    func rescheduleJob(id: Int64, worker: String, runAt: Date) async throws(StoreError) -> Bool

    /// Dead letters, the most recently enqueued first, for `debrief jobs`.
    func deadJobs(limit: Int) async throws(StoreError) -> [Job]

    /// One job by id, in whatever state; nil when it does not exist (or was purged or cancelled).
    func job(id: Int64) async throws(StoreError) -> Job?

    /// Gives a dead job a fresh start: pending, due at `now`, attempts reset (the last error is kept for
    /// context). Returns `false` when the job is not dead.
    func retryDeadJob(id: Int64, now: Date) async throws(StoreError) -> Bool

    /// The earliest instant at which ``claimJobs(kinds:limit:worker:leaseFor:now:)`` could return a job of
    /// `kinds`: the earliest `runAt` of a pending job or `claimedUntil` of a running one (a lease that will
    /// expire). `nil` when no job of those kinds is pending or running. May lie in the past (a job already due).
    ///
    /// Why: the job worker sleeps until this instant instead of polling the table on a short timer.
    /// - Parameter kinds: Only these kinds; `nil` means every kind.
    func nextDueDate(kinds: Set<String>?) async throws(StoreError) -> Date?

    /// How many jobs wait, run and died, per kind (done jobs are not counted). Cheap enough to call every
    /// few seconds for a gauge.
    func queueDepth(now: Date) async throws(StoreError) -> [String: JobDepth]

    /// Deletes the pending jobs whose dedupe key starts with `dedupeKeyPrefix` (for example every planned
    /// nudge of a person on `/reflect stop`). Running, done and dead jobs are left alone. Their keys become
    /// free again, so a person who resumes can be planned anew. An empty prefix cancels nothing.
    /// Returns how many were cancelled.
    @discardableResult
    func cancelJobs(dedupeKeyPrefix: String) async throws(StoreError) -> Int

    /// Deletes done jobs last due before `runBefore` (retention; the table would otherwise only grow).
    /// Their dedupe keys become free again. Returns how many went.
    @discardableResult
    func purgeCompletedJobs(runBefore: Date) async throws(StoreError) -> Int
}

/// Where a job is in its life.
public enum JobState: String, Sendable, Equatable, Codable, CaseIterable {
    /// Waiting for `runAt` (or due and waiting for a worker).
    case pending
    /// Claimed by a worker until its lease ends.
    case running
    /// Finished successfully.
    case done
    /// Gave up: attempts exhausted or failed permanently. Listed by `debrief jobs`, retried by hand.
    case dead
}

/// A job to enqueue.
///
/// Why the parameters are opaque `Data`: the queue stores and returns them untouched; the caller encodes
/// its own `Codable` payload (JSON) and the handler for `kind` decodes it, so the store knows no job types.
public struct NewJob: Sendable, Equatable {
    /// Which handler runs it, a ``JobKind`` raw value such as `"nudge.send"`. A small fixed set: it is a metrics
    /// dimension.
    public var kind: String
    /// The handler's payload, JSON-encoded by the caller.
    public var parameters: Data
    /// Not before this instant.
    public var runAt: Date
    /// Unique while the job exists (see ``JobQueue``); `nil` never deduplicates.
    public var dedupeKey: String?
    /// The rate-limit bucket the job spends from, e.g. `"slack:T0001"`; informational for the queue.
    public var bucket: String?
    /// Attempts before the job is dead. Values below 1 behave as 1.
    public var maxAttempts: Int
    /// Platform identities the job acts on, sealed at rest and dropped when the job is done.
    public var identifiers: JobIdentifiers

    public init(
        kind: String, parameters: Data, runAt: Date, dedupeKey: String? = nil, bucket: String? = nil,
        maxAttempts: Int = 8, identifiers: JobIdentifiers = .none
    ) {
        self.kind = kind
        self.parameters = parameters
        self.runAt = runAt
        self.dedupeKey = dedupeKey
        self.bucket = bucket
        self.maxAttempts = maxAttempts
        self.identifiers = identifiers
    }

    /// Encodes `parameters` as JSON.
    public init<Parameters: Encodable>(
        kind: String, parameters: Parameters, runAt: Date, dedupeKey: String? = nil, bucket: String? = nil,
        maxAttempts: Int = 8, identifiers: JobIdentifiers = .none
    ) throws(StoreError) {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            data = try encoder.encode(parameters)
        } catch {
            throw StoreError.constraintViolated("job parameters for \(kind) cannot be encoded")
        }
        self.init(
            kind: kind, parameters: data, runAt: runAt, dedupeKey: dedupeKey, bucket: bucket,
            maxAttempts: maxAttempts, identifiers: identifiers)
    }
}

/// A stored job, as a worker or an operator sees it.
public struct Job: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: String
    public var parameters: Data
    public var state: JobState
    /// When it is (or was last) due.
    public var runAt: Date
    /// Attempts started so far, including the current one for a claimed job.
    public var attempts: Int
    public var maxAttempts: Int
    public var dedupeKey: String?
    public var bucket: String?
    /// The worker holding the claim while running.
    public var claimedBy: String?
    public var claimedUntil: Date?
    /// What went wrong the last time, as operator text.
    public var lastError: String?
    /// Platform identities the job acts on (empty once it is done).
    public var identifiers: JobIdentifiers

    public init(
        id: Int64, kind: String, parameters: Data, state: JobState, runAt: Date, attempts: Int, maxAttempts: Int,
        dedupeKey: String?, bucket: String?, claimedBy: String? = nil, claimedUntil: Date? = nil,
        lastError: String? = nil, identifiers: JobIdentifiers = .none
    ) {
        self.identifiers = identifiers
        self.id = id
        self.kind = kind
        self.parameters = parameters
        self.state = state
        self.runAt = runAt
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.dedupeKey = dedupeKey
        self.bucket = bucket
        self.claimedBy = claimedBy
        self.claimedUntil = claimedUntil
        self.lastError = lastError
    }

    /// Decodes the JSON parameters a caller encoded.
    public func decodeParameters<Parameters: Decodable>(_ type: Parameters.Type) throws(StoreError) -> Parameters {
        do {
            return try JSONDecoder().decode(type, from: parameters)
        } catch {
            throw StoreError.unexpected("job \(id) (\(kind)) has parameters that do not decode")
        }
    }
}

/// Queue depth of one kind, for the `debrief_job_queue_depth` gauge and `debrief jobs`.
public struct JobDepth: Sendable, Equatable {
    /// Pending and due: waiting only for a free worker. Growing means workers cannot keep up.
    public var pendingDue: Int
    /// Pending and planned for later (nudges days ahead, retries after backoff).
    public var pendingScheduled: Int
    /// Claimed by a worker (including claims whose lease has expired but not yet been taken over).
    public var running: Int
    public var dead: Int

    public init(pendingDue: Int = 0, pendingScheduled: Int = 0, running: Int = 0, dead: Int = 0) {
        self.pendingDue = pendingDue
        self.pendingScheduled = pendingScheduled
        self.running = running
        self.dead = dead
    }
}
