import DebriefStore

/// Runs the jobs of one kind for ``JobWorker`` (send a nudge, post a digest, update a message).
///
/// Why the outcome is a value rather than thrown errors: the worker must know whether a failure consumes
/// an attempt (``JobOutcome/retry(error:)``), is nobody's fault (``JobOutcome/rescheduled(at:)``, e.g. a
/// 429 that paused the workspace's bucket) or will never succeed (``JobOutcome/failedPermanently(error:)``).
/// A handler that throws anyway is treated as a retry, so no job is lost to an unexpected error.
///
/// Handlers must be idempotent enough for at-least-once delivery: after a crash the in-flight job runs
/// again. A handler should not run longer than the worker's lease, and should reschedule rather than wait
/// out a long rate-limit pause (it holds one of the worker's slots while it waits).
public protocol JobHandler: Sendable {
    func run(_ job: Job) async throws -> JobOutcome
}
