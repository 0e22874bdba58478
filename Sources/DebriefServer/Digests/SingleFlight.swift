/// Runs one piece of work per key at a time: callers that arrive while it runs wait for its result
/// instead of starting the same work again.
///
/// The digest jobs of one week start together (one per target); the first computes every target's
/// document and the others wait for it rather than repeating a computation over a year of history.
actor SingleFlight<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]

    func run(_ key: String, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] { return try await task.value }
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}
