import DebriefCore
import DebriefStore
import Foundation

// TEMPORARY STUBS on the pg-base branch: the helper that owns this file replaces every body.
extension PostgresStore: JobQueue {
    public func enqueue(_ jobs: [NewJob]) async throws(StoreError) -> Int {
        throw .unexpected("PostgresStore.enqueue is not written yet")
    }

    public func claimJobs(kinds: Set<String>?, limit: Int, worker: String, leaseFor: Duration, now: Date)
        async throws(StoreError) -> [Job]
    {
        throw .unexpected("PostgresStore.claimJobs is not written yet")
    }

    public func completeJob(id: Int64, worker: String) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.completeJob is not written yet")
    }

    public func failJob(id: Int64, worker: String, error: String, retryAt: Date?) async throws(StoreError) -> JobState?
    {
        throw .unexpected("PostgresStore.failJob is not written yet")
    }

    public func rescheduleJob(id: Int64, worker: String, runAt: Date) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.rescheduleJob is not written yet")
    }

    public func deadJobs(limit: Int) async throws(StoreError) -> [Job] {
        throw .unexpected("PostgresStore.deadJobs is not written yet")
    }

    public func job(id: Int64) async throws(StoreError) -> Job? {
        throw .unexpected("PostgresStore.job is not written yet")
    }

    public func retryDeadJob(id: Int64, now: Date) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.retryDeadJob is not written yet")
    }

    public func nextDueDate(kinds: Set<String>?) async throws(StoreError) -> Date? {
        throw .unexpected("PostgresStore.nextDueDate is not written yet")
    }

    public func queueDepth(now: Date) async throws(StoreError) -> [String: JobDepth] {
        throw .unexpected("PostgresStore.queueDepth is not written yet")
    }

    public func cancelJobs(dedupeKeyPrefix: String) async throws(StoreError) -> Int {
        throw .unexpected("PostgresStore.cancelJobs is not written yet")
    }

    public func purgeCompletedJobs(runBefore: Date) async throws(StoreError) -> Int {
        throw .unexpected("PostgresStore.purgeCompletedJobs is not written yet")
    }

}

extension PostgresStore {
    /// How long a stored job error may be; longer texts are cut (the same as SQLite's).
    public static let maximumJobErrorLength = 500
}
