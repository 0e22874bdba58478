import DebriefStore
import Foundation
import GRDB

/// The job queue in the SQLite file, next to the data it acts on.
///
/// Every operation goes through ``perform(_:)`` (the group-commit writer), so it is one savepoint inside
/// a shared transaction and "returned" means "committed". Claims are race-free because SQLite has a single
/// writer: the select-then-update of a claim cannot interleave with another claim.
extension SQLiteStore: JobQueue {
    /// The longest error text kept per job; operator text needs no more.
    static let maximumJobErrorLength = 500

    @discardableResult
    public func enqueue(_ jobs: [NewJob]) async throws(StoreError) -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await perform { db in try Self.enqueue(jobs, in: db, keyring: keyring) }
    }

    /// Inserts jobs inside the caller's transaction, so data and the jobs it implies commit (or roll back)
    /// together — for example accepting a training and scheduling its nudges. Jobs whose dedupe key exists
    /// are skipped. Returns how many were new. Identifiers are sealed, bound to the new job's id.
    static func enqueue(_ jobs: [NewJob], in db: Database, keyring: SQLiteKeyring) throws -> Int {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO jobs (kind, parameters, state, run_at, attempts, max_attempts, dedupe_key, bucket)
                VALUES (?, ?, 'pending', ?, 0, ?, ?, ?)
                ON CONFLICT (dedupe_key) DO NOTHING
                """)
        var inserted = 0
        for job in jobs {
            try statement.execute(arguments: [
                job.kind, job.parameters, job.runAt.timeIntervalSince1970, max(job.maxAttempts, 1), job.dedupeKey,
                job.bucket,
            ])
            guard db.changesCount == 1 else { continue }
            inserted += 1
            if !job.identifiers.isEmpty {
                let id = db.lastInsertedRowID
                try db.execute(
                    sql: "UPDATE jobs SET identifiers = ? WHERE id = ?",
                    arguments: [try sealIdentifiers(job.identifiers, jobID: id, keys: keyring.keys(db)), id])
            }
        }
        return inserted
    }

    public func claimJobs(kinds: Set<String>?, limit: Int, worker: String, leaseFor: Duration, now: Date)
        async throws(StoreError) -> [Job]
    {
        guard limit > 0, kinds.map({ !$0.isEmpty }) ?? true else { return [] }
        let kindList = kinds.map { Array($0).sorted() }
        return try await perform { db in
            try Self.claim(
                db, kinds: kindList, limit: limit, worker: worker, leaseFor: leaseFor, now: now, keyring: keyring)
        }
    }

    static func claim(
        _ db: Database, kinds: [String]?, limit: Int, worker: String, leaseFor: Duration, now: Date,
        keyring: SQLiteKeyring
    ) throws -> [Job] {
        let nowValue = now.timeIntervalSince1970
        var kindFilter = ""
        var kindArguments: StatementArguments = []
        if let kinds {
            kindFilter = " AND kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))"
            kindArguments = StatementArguments(kinds)
        }
        // A job that ran out of attempts and whose worker died anyway is a poison pill: bury it.
        // Cached statements: the worker claims many times a second under load, and compiling these again each
        // time (with GRDB's authorizer callback per column) cost more than running them.
        try db.cachedStatement(
            sql: """
                UPDATE jobs SET state = 'dead', claimed_by = NULL, claimed_until = NULL,
                    last_error = 'lease expired during the last attempt (the worker stopped or crashed)'
                WHERE state = 'running' AND claimed_until <= ? AND attempts >= max_attempts\(kindFilter)
                """
        ).execute(arguments: [nowValue] + kindArguments)
        // Two index-ordered queries (expired leases are rare; pending rows come in run_at order from the
        // index, so LIMIT stops early), merged by (run_at, id).
        let expired = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT * FROM jobs WHERE state = 'running' AND claimed_until <= ?\(kindFilter)
                    ORDER BY run_at, id LIMIT ?
                    """),
            arguments: [nowValue] + kindArguments + [limit]
        ).map { row in try Self.job(from: row, db: db, keyring: keyring) }
        let due = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT * FROM jobs WHERE state = 'pending' AND run_at <= ?\(kindFilter)
                    ORDER BY run_at, id LIMIT ?
                    """),
            arguments: [nowValue] + kindArguments + [limit]
        ).map { row in try Self.job(from: row, db: db, keyring: keyring) }
        let chosen = (expired + due).sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }.prefix(limit)
        let claimedUntil = now.addingTimeInterval(Self.seconds(leaseFor))
        let update = try db.cachedStatement(
            sql: """
                UPDATE jobs SET state = 'running', claimed_by = ?, claimed_until = ?, attempts = attempts + 1
                WHERE id = ?
                """)
        var claimed: [Job] = []
        claimed.reserveCapacity(chosen.count)
        for var job in chosen {
            try update.execute(arguments: [worker, claimedUntil.timeIntervalSince1970, job.id])
            job.state = .running
            job.claimedBy = worker
            job.claimedUntil = Date(timeIntervalSince1970: claimedUntil.timeIntervalSince1970)
            job.attempts += 1
            claimed.append(job)
        }
        return claimed
    }

    public func completeJob(id: Int64, worker: String) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.cachedStatement(
                sql: """
                    UPDATE jobs SET state = 'done', claimed_by = NULL, claimed_until = NULL, identifiers = NULL
                    WHERE id = ? AND state = 'running' AND claimed_by = ?
                    """
            ).execute(arguments: [id, worker])
            return db.changesCount == 1
        }
    }

    @discardableResult
    public func failJob(id: Int64, worker: String, error: String, retryAt: Date?) async throws(StoreError)
        -> JobState?
    {
        let message = String(error.prefix(Self.maximumJobErrorLength))
        return try await perform { db -> JobState? in
            try db.cachedStatement(
                sql: """
                    UPDATE jobs SET
                        state = CASE WHEN ?1 IS NULL OR attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
                        run_at = COALESCE(?1, run_at), last_error = ?2, claimed_by = NULL, claimed_until = NULL
                    WHERE id = ?3 AND state = 'running' AND claimed_by = ?4
                    """
            ).execute(arguments: [retryAt?.timeIntervalSince1970, message, id, worker])
            guard db.changesCount == 1 else { return nil }
            let state = try String.fetchOne(
                db.cachedStatement(sql: "SELECT state FROM jobs WHERE id = ?"), arguments: [id])
            return state.flatMap(JobState.init(rawValue:))
        }
    }

    public func rescheduleJob(id: Int64, worker: String, runAt: Date) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.cachedStatement(
                sql: """
                    UPDATE jobs SET state = 'pending', run_at = ?, attempts = MAX(attempts - 1, 0),
                        claimed_by = NULL, claimed_until = NULL
                    WHERE id = ? AND state = 'running' AND claimed_by = ?
                    """
            ).execute(arguments: [runAt.timeIntervalSince1970, id, worker])
            return db.changesCount == 1
        }
    }

    public func deadJobs(limit: Int) async throws(StoreError) -> [Job] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM jobs WHERE state = 'dead' ORDER BY id DESC LIMIT ?", arguments: [limit]
            ).map { row in try Self.job(from: row, db: db, keyring: keyring) }
        }
    }

    public func job(id: Int64) async throws(StoreError) -> Job? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map { row in
                try Self.job(from: row, db: db, keyring: keyring)
            }
        }
    }

    public func retryDeadJob(id: Int64, now: Date) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'pending', run_at = ?, attempts = 0, claimed_by = NULL,
                        claimed_until = NULL
                    WHERE id = ? AND state = 'dead'
                    """,
                arguments: [now.timeIntervalSince1970, id])
            return db.changesCount == 1
        }
    }

    public func nextDueDate(kinds: Set<String>?) async throws(StoreError) -> Date? {
        guard kinds.map({ !$0.isEmpty }) ?? true else { return nil }
        let kindList = kinds.map { Array($0).sorted() }
        let kindFilter =
            kindList.map { " AND kind IN (\(Array(repeating: "?", count: $0.count).joined(separator: ", ")))" } ?? ""
        let kindArguments = StatementArguments(kindList ?? [])
        return try await read { db in
            // Each walks its index in order and stops at the first row of an asked kind.
            let pending = try Double.fetchOne(
                db, sql: "SELECT run_at FROM jobs WHERE state = 'pending'\(kindFilter) ORDER BY run_at LIMIT 1",
                arguments: kindArguments)
            let leaseEnd = try Double.fetchOne(
                db,
                sql: """
                    SELECT claimed_until FROM jobs WHERE state = 'running' AND claimed_until IS NOT NULL\(kindFilter)
                    ORDER BY claimed_until LIMIT 1
                    """,
                arguments: kindArguments)
            return [pending, leaseEnd].compactMap { $0 }.min().map(Date.init(timeIntervalSince1970:))
        }
    }

    public func queueDepth(now: Date) async throws(StoreError) -> [String: JobDepth] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind,
                        SUM(state = 'pending' AND run_at <= ?1) AS pending_due,
                        SUM(state = 'pending' AND run_at > ?1) AS pending_scheduled,
                        SUM(state = 'running') AS running,
                        SUM(state = 'dead') AS dead
                    FROM jobs WHERE state IN ('pending', 'running', 'dead')
                    GROUP BY kind
                    """,
                arguments: [now.timeIntervalSince1970])
            var depths: [String: JobDepth] = [:]
            for row in rows {
                depths[row["kind"]] = JobDepth(
                    pendingDue: row["pending_due"] ?? 0, pendingScheduled: row["pending_scheduled"] ?? 0,
                    running: row["running"] ?? 0, dead: row["dead"] ?? 0)
            }
            return depths
        }
    }

    @discardableResult
    public func cancelJobs(dedupeKeyPrefix: String) async throws(StoreError) -> Int {
        guard !dedupeKeyPrefix.isEmpty else { return 0 }
        return try await perform { db in try Self.deleteJobs(db, dedupeKeyPrefix: dedupeKeyPrefix, states: ["pending"])
        }
    }

    /// Deletes the jobs in `states` whose dedupe key starts with `dedupeKeyPrefix`; returns how many.
    static func deleteJobs(_ db: Database, dedupeKeyPrefix: String, states: [String]) throws -> Int {
        guard !dedupeKeyPrefix.isEmpty, !states.isEmpty else { return 0 }
        // Not LIKE: it treats `%` and `_` as wildcards and ignores ASCII case. The range lets the UNIQUE
        // index on dedupe_key find the candidates (no UTF-8 byte is 0xFF, so every key with the prefix
        // sorts below prefix || 0xFF); substr makes the match exact.
        let placeholders = states.map { _ in "?" }.joined(separator: ", ")
        try db.execute(
            sql: """
                DELETE FROM jobs
                WHERE dedupe_key >= ? AND dedupe_key < (? || X'FF')
                    AND substr(dedupe_key, 1, length(?)) = ? AND state IN (\(placeholders))
                """,
            arguments: StatementArguments(
                [dedupeKeyPrefix, dedupeKeyPrefix, dedupeKeyPrefix, dedupeKeyPrefix] + states))
        return db.changesCount
    }

    @discardableResult
    public func purgeCompletedJobs(runBefore: Date) async throws(StoreError) -> Int {
        try await perform { db in
            try db.execute(
                sql: "DELETE FROM jobs WHERE state = 'done' AND run_at < ?",
                arguments: [runBefore.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // MARK: - Rows

    /// A job row, its identifiers opened (only rows that have any need the key).
    static func job(from row: Row, db: Database, keyring: SQLiteKeyring) throws -> Job {
        let state: String = row["state"]
        let claimedUntil: Double? = row["claimed_until"]
        let id: Int64 = row["id"]
        let sealed: Data? = row["identifiers"]
        let identifiers = try sealed.map { try openIdentifiers($0, jobID: id, keys: keyring.keys(db)) } ?? .none
        return Job(
            id: row["id"], kind: row["kind"], parameters: row["parameters"] ?? Data(),
            state: JobState(rawValue: state) ?? .pending, runAt: Date(timeIntervalSince1970: row["run_at"]),
            attempts: row["attempts"], maxAttempts: row["max_attempts"], dedupeKey: row["dedupe_key"],
            bucket: row["bucket"], claimedBy: row["claimed_by"],
            claimedUntil: claimedUntil.map(Date.init(timeIntervalSince1970:)), lastError: row["last_error"],
            identifiers: identifiers)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let components = duration.components
        return TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
