import ServiceLifecycle

/// Lets the application's `ServiceGroup` own the client's lifetime: `run()` parks until graceful shutdown
/// (or cancellation), then stops the curl thread. Register it before the HTTP server so the server, which
/// may still be finishing requests that call out, stops first.
extension CurlHTTPClient: Service {
    public func run() async throws {
        // Throws CancellationError if the service group is cancelled rather than shut down gracefully;
        // either way the client must stop.
        try? await gracefulShutdown()
        await shutdown()
    }
}
