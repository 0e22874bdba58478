import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// The job queue in PostgreSQL, shared by every replica.
///
/// Why each statement carries its own condition: several replicas claim, finish and fail jobs at once, so no call
/// may read a row and then write it assuming it is alone. Claims lock the rows they take with `FOR UPDATE SKIP
/// LOCKED` (a concurrent claimer skips them instead of waiting or taking them too); completing, failing and
/// rescheduling change a row only `WHERE claimed_by = worker AND state = 'running'`, so a worker whose lease was
/// taken over changes nothing; enqueueing relies on `ON CONFLICT (dedupe_key) DO NOTHING`, so two replicas
/// enqueueing the same key make one job.
extension PostgresStore: JobQueue {
    /// How long a stored job error may be; longer texts are cut (the same as SQLite's).
    public static let maximumJobErrorLength = 500

    @discardableResult
    public func enqueue(_ jobs: [NewJob]) async throws(StoreError) -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await write { connection in try await Self.enqueue(jobs, in: connection, keyring: keyring) }
    }

    public func claimJobs(kinds: Set<String>?, limit: Int, worker: String, leaseFor: Duration, now: Date)
        async throws(StoreError) -> [Job]
    {
        guard limit > 0, kinds.map({ !$0.isEmpty }) ?? true else { return [] }
        let filter = KindFilter(kinds)
        let nowValue = now.timeIntervalSince1970
        let claimedUntil = nowValue + Self.seconds(leaseFor)
        return try await write { connection in
            // A job that used its last attempt and whose worker died anyway is a poison pill: bury it rather than
            // let it kill every worker in turn. Rows another transaction holds are left to that transaction.
            try await connection.execute(
                """
                UPDATE jobs SET state = 'dead', claimed_by = NULL, claimed_until = NULL,
                    last_error = 'lease expired during the last attempt (the worker stopped or crashed)'
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE state = 'running' AND claimed_until <= \(nowValue) AND attempts >= max_attempts
                        AND (\(filter.everyKind) OR kind = ANY(\(filter.kinds)))
                    FOR UPDATE SKIP LOCKED)
                """)
            // Due pending jobs and expired claims are picked by two index scans, each already in (run_at, id)
            // order and limited, then merged: one `OR` would make PostgreSQL read and sort every due row on each
            // claim (measured: 1.6–2.7 ms per claim at 5,000 due jobs, 0.3 ms this way, whatever the backlog).
            let rows = try await connection.rows(
                """
                WITH due AS (
                    SELECT id, run_at FROM jobs
                    WHERE state = 'pending' AND run_at <= \(nowValue)
                        AND (\(filter.everyKind) OR kind = ANY(\(filter.kinds)))
                    ORDER BY run_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                ), expired AS (
                    SELECT id, run_at FROM jobs
                    WHERE state = 'running' AND claimed_until <= \(nowValue) AND attempts < max_attempts
                        AND (\(filter.everyKind) OR kind = ANY(\(filter.kinds)))
                    ORDER BY run_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                ), chosen AS (
                    SELECT id FROM (SELECT id, run_at FROM due UNION ALL SELECT id, run_at FROM expired) AS candidates
                    ORDER BY run_at, id LIMIT \(limit)
                )
                UPDATE jobs SET state = 'running', claimed_by = \(worker), claimed_until = \(claimedUntil),
                    attempts = attempts + 1
                WHERE id IN (SELECT id FROM chosen)
                RETURNING \(unescaped: Self.jobColumns)
                """)
            let jobs = try await Self.jobs(from: rows, connection: connection, keyring: keyring)
            return jobs.sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
        }
    }

    public func completeJob(id: Int64, worker: String) async throws(StoreError) -> Bool {
        try await write { connection in
            try await connection.count(
                """
                UPDATE jobs SET state = 'done', claimed_by = NULL, claimed_until = NULL, identifiers = NULL
                WHERE id = \(id) AND state = 'running' AND claimed_by = \(worker)
                RETURNING 1
                """) == 1
        }
    }

    @discardableResult
    public func failJob(id: Int64, worker: String, error: String, retryAt: Date?) async throws(StoreError)
        -> JobState?
    {
        let message = Self.storedError(error)
        let retry = retryAt?.timeIntervalSince1970
        return try await write { connection -> JobState? in
            let rows = try await connection.rows(
                """
                UPDATE jobs SET
                    state = CASE WHEN \(retry)::DOUBLE PRECISION IS NULL OR attempts >= max_attempts
                        THEN 'dead' ELSE 'pending' END,
                    run_at = COALESCE(\(retry)::DOUBLE PRECISION, run_at), last_error = \(message),
                    claimed_by = NULL, claimed_until = NULL
                WHERE id = \(id) AND state = 'running' AND claimed_by = \(worker)
                RETURNING state
                """)
            guard let row = rows.first else { return nil }
            return JobState(rawValue: try row.decode(String.self))
        }
    }

    public func rescheduleJob(id: Int64, worker: String, runAt: Date) async throws(StoreError) -> Bool {
        let runAtValue = runAt.timeIntervalSince1970
        return try await write { connection in
            try await connection.count(
                """
                UPDATE jobs SET state = 'pending', run_at = \(runAtValue), attempts = GREATEST(attempts - 1, 0),
                    claimed_by = NULL, claimed_until = NULL
                WHERE id = \(id) AND state = 'running' AND claimed_by = \(worker)
                RETURNING 1
                """) == 1
        }
    }

    public func deadJobs(limit: Int) async throws(StoreError) -> [Job] {
        guard limit > 0 else { return [] }
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.jobColumns) FROM jobs WHERE state = 'dead' ORDER BY id DESC LIMIT \(limit)
                """)
            return try await Self.jobs(from: rows, connection: connection, keyring: keyring)
        }
    }

    public func job(id: Int64) async throws(StoreError) -> Job? {
        try await read { connection in
            let rows = try await connection.rows(
                "SELECT \(unescaped: Self.jobColumns) FROM jobs WHERE id = \(id)")
            return try await Self.jobs(from: rows, connection: connection, keyring: keyring).first
        }
    }

    public func retryDeadJob(id: Int64, now: Date) async throws(StoreError) -> Bool {
        let nowValue = now.timeIntervalSince1970
        return try await write { connection in
            try await connection.count(
                """
                UPDATE jobs SET state = 'pending', run_at = \(nowValue), attempts = 0, claimed_by = NULL,
                    claimed_until = NULL
                WHERE id = \(id) AND state = 'dead'
                RETURNING 1
                """) == 1
        }
    }

    public func nextDueDate(kinds: Set<String>?) async throws(StoreError) -> Date? {
        guard kinds.map({ !$0.isEmpty }) ?? true else { return nil }
        let filter = KindFilter(kinds)
        return try await read { connection in
            // Each walks its index (jobs_state_run_at, jobs_running_claimed_until) in order.
            let rows = try await connection.rows(
                """
                SELECT LEAST(
                    (SELECT run_at FROM jobs
                        WHERE state = 'pending' AND (\(filter.everyKind) OR kind = ANY(\(filter.kinds)))
                        ORDER BY run_at LIMIT 1),
                    (SELECT claimed_until FROM jobs
                        WHERE state = 'running' AND claimed_until IS NOT NULL
                            AND (\(filter.everyKind) OR kind = ANY(\(filter.kinds)))
                        ORDER BY claimed_until LIMIT 1))
                """)
            return try rows.first?.decode(Double?.self).map(Date.init(timeIntervalSince1970:))
        }
    }

    public func queueDepth(now: Date) async throws(StoreError) -> [String: JobDepth] {
        let nowValue = now.timeIntervalSince1970
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT kind,
                    COUNT(*) FILTER (WHERE state = 'pending' AND run_at <= \(nowValue)),
                    COUNT(*) FILTER (WHERE state = 'pending' AND run_at > \(nowValue)),
                    COUNT(*) FILTER (WHERE state = 'running'),
                    COUNT(*) FILTER (WHERE state = 'dead')
                FROM jobs WHERE state IN ('pending', 'running', 'dead')
                GROUP BY kind
                """)
            var depths: [String: JobDepth] = [:]
            for row in rows {
                let (kind, due, scheduled, running, dead) = try row.decode((String, Int, Int, Int, Int).self)
                depths[kind] = JobDepth(pendingDue: due, pendingScheduled: scheduled, running: running, dead: dead)
            }
            return depths
        }
    }

    @discardableResult
    public func cancelJobs(dedupeKeyPrefix: String) async throws(StoreError) -> Int {
        guard !dedupeKeyPrefix.isEmpty else { return 0 }
        return try await write { connection in
            try await Self.deleteJobs(connection, dedupeKeyPrefix: dedupeKeyPrefix, states: [JobState.pending])
        }
    }

    @discardableResult
    public func purgeCompletedJobs(runBefore: Date) async throws(StoreError) -> Int {
        let runBeforeValue = runBefore.timeIntervalSince1970
        return try await write { connection in
            let rows = try await connection.rows(
                """
                WITH purged AS (DELETE FROM jobs WHERE state = 'done' AND run_at < \(runBeforeValue) RETURNING 1)
                SELECT COUNT(*) FROM purged
                """)
            return try rows.first?.decode(Int.self) ?? 0
        }
    }
}

// MARK: - Inside other transactions

extension PostgresStore {
    /// How many jobs one `INSERT` carries (8 parameters each, far below PostgreSQL's 65,535 per statement).
    static let jobsPerInsert = 500

    /// Inserts jobs inside the caller's transaction, so data and the jobs it implies commit (or roll back) together —
    /// for example accepting a training and scheduling its nudges. Jobs whose dedupe key exists (also earlier in
    /// `jobs`, or committed by another replica meanwhile) are skipped. Returns how many were new.
    ///
    /// Why ids are taken from the sequence first: a job's identifiers are sealed bound to its id (`job:<id>`), and
    /// with the ids known the sealed value goes in with the row, in one multi-row `INSERT` per 500 jobs instead of
    /// an insert and an update per job. Ids follow the order of `jobs`, as if each was inserted in turn; an id
    /// whose job was skipped as a duplicate is simply never used (identity columns have gaps anyway).
    static func enqueue(_ jobs: [NewJob], in connection: PostgresConnection, keyring: PostgresKeyring)
        async throws -> Int
    {
        guard !jobs.isEmpty else { return 0 }
        let keys = jobs.contains { !$0.identifiers.isEmpty } ? try await keyring.keys(connection) : nil
        var inserted = 0
        var start = jobs.startIndex
        while start < jobs.endIndex {
            let end = min(start + jobsPerInsert, jobs.endIndex)
            let chunk = jobs[start..<end]
            start = end
            let ids = try await connection.rows(
                """
                SELECT nextval(pg_get_serial_sequence('jobs', 'id')) FROM generate_series(1, \(chunk.count))
                """
            ).map { row in try row.decode(Int64.self) }.sorted()
            guard ids.count == chunk.count else {
                throw StoreError.unexpected("the jobs id sequence gave \(ids.count) ids for \(chunk.count) jobs")
            }
            var statement = PostgresQuery.StringInterpolation(
                literalCapacity: 200 + 40 * chunk.count, interpolationCount: 8 * chunk.count)
            statement.appendLiteral(
                """
                INSERT INTO jobs (id, kind, parameters, state, run_at, attempts, max_attempts, dedupe_key, bucket,
                    identifiers)
                VALUES
                """)
            for (index, (id, job)) in zip(ids, chunk).enumerated() {
                let sealed: Data? =
                    if let keys { try sealIdentifiers(job.identifiers, jobID: id, keys: keys) } else { nil }
                statement.appendLiteral(index == 0 ? " (" : ", (")
                statement.appendInterpolation(id)
                statement.appendLiteral(", ")
                statement.appendInterpolation(job.kind)
                statement.appendLiteral(", ")
                try statement.appendInterpolation(job.parameters)
                statement.appendLiteral(", 'pending', ")
                statement.appendInterpolation(job.runAt.timeIntervalSince1970)
                statement.appendLiteral(", 0, ")
                statement.appendInterpolation(min(max(job.maxAttempts, 1), Int(Int32.max)))
                statement.appendLiteral(", ")
                statement.appendInterpolation(job.dedupeKey)
                statement.appendLiteral("::TEXT, ")
                statement.appendInterpolation(job.bucket)
                statement.appendLiteral("::TEXT, ")
                try statement.appendInterpolation(sealed)
                statement.appendLiteral("::BYTEA)")
            }
            statement.appendLiteral(" ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1")
            inserted += try await connection.count(PostgresQuery(stringInterpolation: statement))
        }
        return inserted
    }

    /// Deletes the jobs in `states` whose dedupe key starts with `dedupeKeyPrefix`, inside the caller's transaction
    /// (cancelling a person's planned nudges; erasing a person). Returns how many went.
    ///
    /// Not `LIKE`: it treats `%` and `_` as wildcards. `starts_with` compares exactly, case included; the byte-wise
    /// range before it (dedupe keys are `COLLATE "C"`) lets the unique index find the keys instead of a scan.
    static func deleteJobs(_ connection: PostgresConnection, dedupeKeyPrefix: String, states: [JobState])
        async throws -> Int
    {
        guard !dedupeKeyPrefix.isEmpty, !states.isEmpty else { return 0 }
        let stateNames = states.map(\.rawValue)
        let rows = try await connection.rows(
            """
            WITH deleted AS (
                DELETE FROM jobs
                WHERE state = ANY(\(stateNames)) AND dedupe_key >= \(dedupeKeyPrefix)
                    AND dedupe_key < (\(dedupeKeyPrefix) || chr(1114111)) AND starts_with(dedupe_key, \(dedupeKeyPrefix))
                RETURNING 1)
            SELECT COUNT(*) FROM deleted
            """)
        return try rows.first?.decode(Int.self) ?? 0
    }
}

// MARK: - Rows

extension PostgresStore {
    /// The columns every job query selects, in the order ``jobs(from:connection:keyring:)`` decodes them.
    static let jobColumns = """
        id, kind, parameters, state, run_at, attempts, max_attempts, dedupe_key, bucket, claimed_by, claimed_until,
        last_error, identifiers
        """

    /// Job rows (``jobColumns``), their identifiers opened (the key is read only when a row has any).
    static func jobs(from rows: [PostgresRow], connection: PostgresConnection, keyring: PostgresKeyring)
        async throws -> [Job]
    {
        var jobs: [Job] = []
        jobs.reserveCapacity(rows.count)
        var keys: PostgresKeyring.Keys?
        for row in rows {
            let (
                id, kind, parameters, state, runAt, attempts, maxAttempts, dedupeKey, bucket, claimedBy, claimedUntil,
                lastError, sealed
            ) = try row.decode(
                (
                    Int64, String, Data, String, Double, Int, Int, String?, String?, String?, Double?, String?, Data?
                ).self)
            var identifiers = JobIdentifiers.none
            if let sealed {
                let opening: PostgresKeyring.Keys
                if let keys {
                    opening = keys
                } else {
                    opening = try await keyring.keys(connection)
                    keys = opening
                }
                identifiers = try openIdentifiers(sealed, jobID: id, keys: opening)
            }
            jobs.append(
                Job(
                    id: id, kind: kind, parameters: parameters, state: JobState(rawValue: state) ?? .pending,
                    runAt: Date(timeIntervalSince1970: runAt), attempts: attempts, maxAttempts: maxAttempts,
                    dedupeKey: dedupeKey, bucket: bucket, claimedBy: claimedBy,
                    claimedUntil: claimedUntil.map(Date.init(timeIntervalSince1970:)), lastError: lastError,
                    identifiers: identifiers))
        }
        return jobs
    }

    /// The error text as stored: at most ``maximumJobErrorLength`` characters, without NUL (PostgreSQL's `TEXT`
    /// refuses it, and a failure to record a failure would leave the job claimed until its lease runs out).
    static func storedError(_ error: String) -> String {
        String(error.replacingOccurrences(of: "\u{0}", with: "").prefix(maximumJobErrorLength))
    }

    static func seconds(_ duration: Duration) -> Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The kinds a query is limited to, as two parameters: `everyKind` is true when there is no limit.
    ///
    /// Why not two spellings of each query: the statement text stays fixed, and PostgreSQL plans each execution with
    /// its parameters (postgres-nio's unnamed statements), so the always-true branch costs nothing.
    struct KindFilter {
        let everyKind: Bool
        let kinds: [String]

        init(_ kinds: Set<String>?) {
            everyKind = kinds == nil
            self.kinds = kinds.map { $0.sorted() } ?? []
        }
    }
}
