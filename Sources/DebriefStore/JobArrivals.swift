/// A queue that hears when another process queued work: PostgreSQL's `LISTEN`/`NOTIFY` between replicas.
///
/// Why: a replica's worker sleeps until its next known due time or a wake-up from its own producers; work another
/// replica enqueued (or a dead job an operator retried) would otherwise wait for the worker's safety interval. SQLite
/// has one process and does not conform.
public protocol JobArrivals: Sendable {
    /// Calls `arrived` each time another process may have queued due work, and after every reconnection (work may
    /// have arrived while nobody listened), until the calling task is cancelled. Never throws: a lost connection is
    /// retried with backoff, and the worker's safety interval covers the gap.
    func watchJobArrivals(_ arrived: @escaping @Sendable () -> Void) async
}
