import Foundation

/// What became of one attempt at a job; ``JobWorker`` turns it into the queue update.
public enum JobOutcome: Sendable, Equatable {
    /// Finished; the job is done.
    case done
    /// Failed in a way that may pass (timeout, 5xx): consumes an attempt, next attempt after the worker's
    /// ``JobBackoff``; dead when attempts are exhausted.
    /// - Important: `error` is operator text stored with the job and logged; never personal data.
    case retry(error: String)
    /// Not attempted for a reason outside the job (a rate-limit pause): back to pending at the given
    /// instant without consuming an attempt.
    case rescheduled(at: Date)
    /// Will never succeed (the person was erased, the workspace uninstalled the app): dead at once.
    /// - Important: `error` is operator text stored with the job and logged; never personal data.
    case failedPermanently(error: String)
}
