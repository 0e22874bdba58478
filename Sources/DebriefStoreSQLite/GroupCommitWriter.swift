import GRDB
import Synchronization

/// Commits many concurrent writes in one SQLite transaction ("group commit").
///
/// One commit per request is the ceiling of the naive design: under load most of the time goes to
/// beginning and committing transactions. Here every write runs in its own savepoint, so it succeeds or
/// fails alone, but the writes that arrived while the previous transaction was running share the next
/// commit. A caller resumes only after the commit that holds its write, so "returned" still means
/// "durable".
///
/// No background task: the first write to find the writer idle schedules a batch on GRDB's writer queue. A
/// batch that finds more writes waiting when it is done schedules the next one from that same queue, so
/// back-to-back batches never wait for a caller's task to be woken to lead the next one (that hand-off, a
/// thread wake per batch, was where a loaded writer spent its idle time). Each batch is its own entry on the
/// queue, so any other write queued meanwhile runs between two batches.
final class GroupCommitWriter: Sendable {
    /// One caller's write.
    private struct Item: Sendable {
        /// Runs the write in its own savepoint and returns how to resume the caller once the batch's commit
        /// succeeded or failed.
        let perform: @Sendable (Database) -> @Sendable ((any Error)?) -> Void
        /// Resumes the caller with `error` when its write never ran (the transaction could not begin).
        let fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Item] = []
        var scheduled = false
    }

    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    /// Upper bound on writes in one transaction, so one commit never grows without limit.
    private let maximumBatch: Int

    init(writer: any DatabaseWriter, maximumBatch: Int = 256) {
        self.writer = writer
        self.maximumBatch = maximumBatch
    }

    /// Runs `work` in the next batch and returns its value once that batch is committed. Deliberately not
    /// cancellable: a batch holds other callers' writes, and a write that was queued runs.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let item = Item(
                perform: { db in
                    let outcome: Result<T, any Error>
                    do {
                        outcome = .success(try Self.inSavepoint(db, work))
                    } catch {
                        outcome = .failure(error)
                    }
                    return { commitError in
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(with: outcome)
                        }
                    }
                },
                fail: { error in continuation.resume(throwing: error) })
            let schedule = state.withLock { state -> Bool in
                state.pending.append(item)
                if state.scheduled { return false }
                state.scheduled = true
                return true
            }
            if schedule { scheduleBatch() }
        }
    }

    /// Queues one batch on the writer: it takes what is pending, commits it, resumes its callers, and queues the
    /// next batch when more arrived, or marks the writer idle.
    private func scheduleBatch() {
        writer.asyncWriteWithoutTransaction { db in
            let batch = self.state.withLock { state -> [Item] in
                let taken = Array(state.pending.prefix(self.maximumBatch))
                state.pending.removeFirst(taken.count)
                return taken
            }
            self.commit(batch, in: db)
            let more = self.state.withLock { state -> Bool in
                if state.pending.isEmpty {
                    state.scheduled = false
                    return false
                }
                return true
            }
            if more { self.scheduleBatch() }
        }
    }

    /// One transaction holding every write of `batch`, each in its own savepoint; then every caller resumes.
    private func commit(_ batch: [Item], in db: Database) {
        guard !batch.isEmpty else { return }
        var finishers: [@Sendable ((any Error)?) -> Void] = []
        finishers.reserveCapacity(batch.count)
        var commitError: (any Error)?
        do {
            try db.inTransaction {
                for item in batch { finishers.append(item.perform(db)) }
                return .commit
            }
        } catch {
            // The commit itself failed (or the transaction could not begin): nothing of this batch is durable.
            commitError = error
        }
        for finish in finishers { finish(commitError) }
        if finishers.count < batch.count {
            let error = commitError ?? GroupCommitError.writeDidNotRun
            for item in batch[finishers.count...] { item.fail(error) }
        }
    }
}

extension GroupCommitWriter {
    /// Runs `work` in a savepoint of the batch's transaction: released when it succeeds, rolled back (and released)
    /// when it throws, so a failed write leaves nothing of itself in the batch.
    ///
    /// What `Database.inSavepoint` does inside a transaction, with the three statements prepared once per
    /// connection: GRDB prepares and finalizes `SAVEPOINT` and `RELEASE` on every call, 2–4% of the writer's time
    /// at 10,000 writes a second. Inside GRDB's transaction block a transaction that SQLite aborted (disk full,
    /// say) still makes every further statement throw, these included.
    static func inSavepoint<T>(_ db: Database, _ work: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT debrief_write").execute()
        do {
            let value = try work(db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT debrief_write").execute()
            return value
        } catch {
            // The first error is the one to report; a failed rollback means the transaction is gone anyway.
            try? db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT debrief_write").execute()
            try? db.cachedStatement(sql: "RELEASE SAVEPOINT debrief_write").execute()
            throw error
        }
    }
}

enum GroupCommitError: Error {
    /// A write's closure did not run to completion and left no value (never expected).
    case writeDidNotRun
}
