/// Polls `probe` until it returns a value, for at most `timeout`; nil when it never did.
///
/// For an effect that happens in the background (a post to the fake Slack, a card to the fake Bot Connector): it
/// returns as soon as the effect is there, so the bound can be generous for a busy machine. Never use it to show
/// that something did *not* happen; drive the injected clock and ``TestServer/runDueWork()`` for that.
public func eventually<Value>(
    timeout: Duration, every interval: Duration = .milliseconds(10), _ probe: () async throws -> Value?
) async throws -> Value? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline else { return nil }
        try await Task.sleep(for: interval)
    }
}
