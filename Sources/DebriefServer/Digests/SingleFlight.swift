/// Runs one piece of work per key at a time: callers that arrive while it runs wait for its result
/// instead of starting the same work again.
///
/// The digest jobs of one week start together (one per target); the first computes every target's
/// document and the others wait for it rather than repeating a computation over a year of history.
/// The first caller runs the work itself (no detached task); if it fails, every waiter gets the error.
actor SingleFlight<Value: Sendable> {
    private var waiting: [String: [CheckedContinuation<Value, any Error>]] = [:]

    func run(_ key: String, _ work: @Sendable () async throws -> Value) async throws -> Value {
        if waiting[key] != nil {
            return try await withCheckedThrowingContinuation { waiting[key, default: []].append($0) }
        }
        waiting[key] = []
        let result: Result<Value, any Error>
        do {
            result = .success(try await work())
        } catch {
            result = .failure(error)
        }
        let waiters = waiting.removeValue(forKey: key) ?? []
        for waiter in waiters { waiter.resume(with: result) }
        return try result.get()
    }
}
