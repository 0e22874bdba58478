/// Every kind of job the server enqueues and runs: the one spelling of a job's `kind`.
///
/// Why an enum: the kind is written by whoever enqueues, read by the worker to pick a handler, counted in
/// metrics and listed by `debrief jobs`; three string constants in three files drifted apart easily.
/// - Important: the raw values are stored in every database's `jobs` table; never change one (add a case and
///   migrate instead).
public enum JobKind: String, Sendable, CaseIterable, Codable {
    /// Sends one planned nudge to one person (parameters: the nudge plan entry).
    case nudgeSend = "nudge.send"
    /// Resolves a registered training's participants and plans their nudges.
    case trainingResolve = "training.resolve"
    /// Computes and posts one target's weekly digest.
    case digestPost = "digest.post"
    /// Sends one habit message (offer, recurring prompt, "Should I keep asking?", leader ask) or ends the habit
    /// silently (parameters: the person's pseudonym and the slot).
    case habitSend = "habit.send"
}
