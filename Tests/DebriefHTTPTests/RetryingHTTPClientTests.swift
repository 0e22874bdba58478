import DebriefHTTP
import Foundation
import HTTPTypes
import Logging
import Testing

@Suite("RetryingHTTPClient over the real curl client")
struct RetryingHTTPClientTests {
    private static let policy = RetryPolicy(
        maximumAttempts: 3, backoffBase: .milliseconds(100), maximumBackoff: .seconds(5),
        maximumRetryAfter: .seconds(60))

    private static func withClients(
        _ body: (LoopbackServer, CurlHTTPClient, SleepRecorder) async throws -> Void
    ) async throws {
        try await LoopbackServer.withServer { server in
            let curl = CurlHTTPClient(configuration: .init(honoursProxyEnvironment: false), logger: .test)
            let sleeper = SleepRecorder()
            do {
                try await body(server, curl, sleeper)
            } catch {
                await curl.shutdown()
                throw error
            }
            await curl.shutdown()
        }
    }

    private static func retrying(_ base: any HTTPClient, _ sleeper: SleepRecorder) -> RetryingHTTPClient {
        RetryingHTTPClient(wrapping: base, policy: policy, logger: .test, sleep: sleeper.sleep)
    }

    @Test func rateLimitedOnceWaitsRetryAfterThenSucceeds() async throws {
        try await Self.withClients { server, curl, sleeper in
            await server.script(
                "rate-limited-once",
                [.init(status: .tooManyRequests, headers: ["Retry-After": "1"]), .init(status: .ok, body: "done")])
            let response = try await Self.retrying(curl, sleeper).execute(
                HTTPRequestSpec(method: .get, url: server.url("/scripted/rate-limited-once")))

            #expect(response.status == .ok)
            #expect(String(decoding: response.body, as: UTF8.self) == "done")
            #expect(sleeper.recorded == [.seconds(1)])
            #expect(await server.recorder.hits("rate-limited-once") == 2)
        }
    }

    @Test func serverErrorsAreRetriedWithGrowingBackoff() async throws {
        try await Self.withClients { server, curl, sleeper in
            await server.script(
                "flaky",
                [
                    .init(status: .serviceUnavailable), .init(status: .serviceUnavailable),
                    .init(status: .ok, body: "up"),
                ])
            let response = try await Self.retrying(curl, sleeper).execute(
                HTTPRequestSpec(method: .get, url: server.url("/scripted/flaky")))

            #expect(response.status == .ok)
            #expect(await server.recorder.hits("flaky") == 3)
            let delays = sleeper.recorded
            try #require(delays.count == 2)
            // Equal jitter: the n-th backoff lies in [base·2^(n-1)/2, base·2^(n-1)].
            #expect(delays[0] >= .milliseconds(50) && delays[0] <= .milliseconds(100))
            #expect(delays[1] >= .milliseconds(100) && delays[1] <= .milliseconds(200))
        }
    }

    @Test func persistentServerErrorReturnsTheLastResponseAfterMaximumAttempts() async throws {
        try await Self.withClients { server, curl, sleeper in
            await server.script("broken", [.init(status: .internalServerError, body: "still broken")])
            let response = try await Self.retrying(curl, sleeper).execute(
                HTTPRequestSpec(method: .get, url: server.url("/scripted/broken")))

            #expect(response.status == .internalServerError)
            #expect(String(decoding: response.body, as: UTF8.self) == "still broken")
            #expect(await server.recorder.hits("broken") == 3)
            #expect(sleeper.recorded.count == 2)
        }
    }

    @Test func retryAfterBeyondTheCapIsReturnedWithoutWaiting() async throws {
        try await Self.withClients { server, curl, sleeper in
            await server.script("hour", [.init(status: .tooManyRequests, headers: ["Retry-After": "3600"])])
            let response = try await Self.retrying(curl, sleeper).execute(
                HTTPRequestSpec(method: .get, url: server.url("/scripted/hour")))

            #expect(response.status == .tooManyRequests)
            #expect(response.headerFields[.retryAfter] == "3600")
            #expect(sleeper.recorded.isEmpty)
            #expect(await server.recorder.hits("hour") == 1)
        }
    }

    @Test func connectionFailuresAreRetriedThenThrown() async throws {
        try await Self.withClients { _, curl, sleeper in
            let counting = CountingClient(curl)
            let error = await #expect(throws: HTTPClientError.self) {
                try await Self.retrying(counting, sleeper).execute(
                    HTTPRequestSpec(method: .post, url: "http://127.0.0.1:1/api/chat.postMessage"))
            }
            guard case .couldNotConnect = error else {
                Issue.record("expected couldNotConnect, got \(String(describing: error))")
                return
            }
            #expect(counting.calls == 3)
            #expect(sleeper.recorded.count == 2)
        }
    }

    @Test func cancellationWhileWaitingEndsTheWaitWithCancelled() async throws {
        try await Self.withClients { server, curl, _ in
            await server.script("down", [.init(status: .serviceUnavailable)])
            let (sleeping, sleepingContinuation) = AsyncStream.makeStream(of: Void.self)
            let client = RetryingHTTPClient(
                wrapping: curl, policy: RetryPolicy(backoffBase: .seconds(3600), maximumBackoff: .seconds(3600)),
                logger: .test,
                sleep: { delay in
                    sleepingContinuation.yield()
                    try await Task.sleep(for: delay)
                })
            let task = Task {
                try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/scripted/down")))
            }
            var iterator = sleeping.makeAsyncIterator()
            await iterator.next()
            let (result, elapsed) = await measure {
                task.cancel()
                return try await task.value
            }
            #expect(throws: HTTPClientError.cancelled) { try result.get() }
            // Throwing `.cancelled` is the proof; a wall-clock bound would only make this flaky under load.
            _ = elapsed
            #expect(await server.recorder.hits("down") == 1)
        }
    }
}
