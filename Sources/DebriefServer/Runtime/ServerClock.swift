import Foundation

/// The server's one time model: what time it is, and waiting until an instant on that same clock.
///
/// Why one protocol: everything the server waits for — a job's due time, a lease's end, a digest's posting
/// time — is an instant on the server's clock, which is the wall clock in production, a faster simulated one
/// for demos and acceptance tests (``DebriefClock``), or a ``ManualClock`` that tests and `debrief demo` move
/// by hand. Waiting through the clock lets a simulated clock running 100 times faster sleep 100 times
/// shorter, and lets a manual clock wake sleepers when it is advanced, so no test sleeps to see what a
/// background loop does and no loop polls on a short timer.
///
/// Code that only reads the time takes a `now: @Sendable () -> Date` closure made from the clock
/// (``DebriefDependencies/now``).
public protocol ServerClock: Sendable {
    /// The current instant on this clock.
    func now() -> Date

    /// Returns once ``now()`` has reached `deadline` (at once if it already has).
    /// - Throws: `CancellationError` as soon as the calling task is cancelled, without waiting for `deadline`.
    func sleep(until deadline: Date) async throws
}
