import DebriefHTTP
import Foundation
import HTTPTypes
import Logging
import ServiceLifecycle
import Testing

@Suite("CurlHTTPClient against a loopback server")
struct CurlHTTPClientTests {
    private static func makeClient(
        _ configuration: CurlHTTPClient.Configuration = .init(honoursProxyEnvironment: false),
        metrics: RecordingMetrics? = nil
    ) -> CurlHTTPClient {
        CurlHTTPClient(configuration: configuration, logger: .test, metricsFactory: metrics)
    }

    @Test func globalInitIsIdempotentAndReportsTheLibrary() {
        #expect(Curl.globalInit())
        #expect(Curl.globalInit())
        #expect(Curl.versionDescription.hasPrefix("libcurl/"))
    }

    @Test func getRoundTripCarriesHeadersBothWays() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let response = try await client.execute(
                HTTPRequestSpec(method: .get, url: server.url("/echo"), headerFields: [.xTest: "hello from curl"]))
            await client.shutdown()

            #expect(response.status == .ok)
            #expect(response.headerFields[.xEchoTest] == "hello from curl")
            #expect(response.headerFields[.xEchoMethod] == "GET")
            #expect(String(decoding: response.body, as: UTF8.self) == "method:GET")
            #expect(await server.recorder.requestCount == 1)
        }
    }

    @Test func postRoundTripSendsBinaryBodyAndReturnsNon2xxStatusAsData() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let payload = Data([0x00, 0x01, 0xFF, 0x7B, 0x0D, 0x0A]) + Data(repeating: 0x61, count: 64 * 1024)
            let response = try await client.execute(
                HTTPRequestSpec(
                    method: .post, url: server.url("/echo?status=503"),
                    headerFields: [.contentType: "application/octet-stream", .xTest: "post"], body: payload))
            await client.shutdown()

            #expect(response.status.code == 503)
            #expect(response.body == payload)
            #expect(response.headerFields[.xEchoMethod] == "POST")
            #expect(response.headerFields[.xEchoTest] == "post")
            #expect(response.headerFields[.xEchoContentType] == "application/octet-stream")
        }
    }

    @Test(arguments: [HTTPRequest.Method.put, .patch, .delete])
    func otherMethodsReachTheServerAsThemselves(method: HTTPRequest.Method) async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let body = method == .delete ? Data() : Data("{\"ok\":true}".utf8)
            let response = try await client.execute(
                HTTPRequestSpec(
                    method: method, url: server.url("/echo"), headerFields: [.contentType: "application/json"],
                    body: body))
            await client.shutdown()

            #expect(response.status == .ok)
            #expect(response.headerFields[.xEchoMethod] == method.rawValue)
            let expected = body.isEmpty ? Data("method:\(method.rawValue)".utf8) : body
            #expect(response.body == expected)
        }
    }

    @Test func fiftyConcurrentRequestsAllCompleteOverReusedConnections() async throws {
        try await LoopbackServer.withServer { server in
            let perHost = 4
            let client = Self.makeClient(.init(maximumConnectionsPerHost: perHost, honoursProxyEnvironment: false))
            let bodies = try await withThrowingTaskGroup(of: (Int, HTTPResponseData).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        // A generous timeout: this is about connection reuse, and the suite shares the machine with
                        // the large-training tests.
                        let request = HTTPRequestSpec(
                            method: .post, url: server.url("/echo"), headerFields: [.xTest: "\(index)"],
                            body: Data("request \(index)".utf8), timeout: .seconds(60))
                        return (index, try await client.execute(request))
                    }
                }
                var collected: [Int: HTTPResponseData] = [:]
                for try await (index, response) in group {
                    collected[index] = response
                }
                return collected
            }
            #expect(bodies.count == 50)
            for (index, response) in bodies {
                #expect(response.status == .ok)
                #expect(String(decoding: response.body, as: UTF8.self) == "request \(index)")
                #expect(response.headerFields[.xEchoTest] == "\(index)")
            }
            #expect(await server.recorder.requestCount == 50)
            let portsAfterBurst = await server.recorder.remotePorts
            #expect(portsAfterBurst.count <= perHost, "curl must queue beyond the per-host limit, not open more")

            // Kept-alive connections are reused: sequential requests open no new connection.
            for _ in 0..<5 {
                _ = try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/echo")))
            }
            #expect(await server.recorder.remotePorts == portsAfterBurst)
            await client.shutdown()
        }
    }

    @Test func slowResponseBeyondTheTimeoutThrowsTimedOutQuickly() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let (result, elapsed) = await measure {
                try await client.execute(
                    HTTPRequestSpec(method: .get, url: server.url("/slow?token=secret"), timeout: .milliseconds(300)))
            }
            #expect(throws: HTTPClientError.timedOut(url: server.url("/slow"))) { try result.get() }
            // The error itself is the proof: without it the slow route answers 200 after 2 s.
            _ = elapsed
            await client.shutdown()
        }
    }

    @Test func cancellingTheTaskThrowsCancelledAndTheClientKeepsWorking() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let slow = Task {
                try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/slow")))
            }
            // Cancel only once the request is provably in flight.
            var started = server.recorder.slowRequestStarted.makeAsyncIterator()
            await started.next()
            let (result, elapsed) = await measure {
                slow.cancel()
                return try await slow.value
            }
            #expect(throws: HTTPClientError.cancelled) { try result.get() }
            // The error itself is the proof: without it the slow route answers 200 after 2 s.
            _ = elapsed

            let next = try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/echo")))
            #expect(next.status == .ok)
            await client.shutdown()
        }
    }

    @Test func aTaskCancelledBeforeTheRequestStartsThrowsCancelled() async throws {
        let client = Self.makeClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(HTTPRequestSpec(method: .get, url: "http://127.0.0.1:1/"))
        }
        await #expect(throws: HTTPClientError.cancelled) { try await task.value }
        await client.shutdown()
    }

    @Test func refusedConnectionThrowsCouldNotConnect() async throws {
        let client = Self.makeClient()
        // Nothing listens on port 1 of the loopback interface, so the kernel refuses at once.
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequestSpec(method: .get, url: "http://127.0.0.1:1/hook?token=secret"))
        }
        guard case .couldNotConnect(let url, _) = error else {
            Issue.record("expected couldNotConnect, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:1/hook", "the query string must not reach errors or logs")
        await client.shutdown()
    }

    @Test func nonHTTPSchemesAreRejected() async throws {
        let client = Self.makeClient()
        await #expect(throws: HTTPClientError.invalidURL("file:///etc/passwd")) {
            try await client.execute(HTTPRequestSpec(method: .get, url: "file:///etc/passwd"))
        }
        await client.shutdown()
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let response = try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/redirect")))
            await client.shutdown()
            #expect(response.status == .found)
            #expect(response.headerFields[.location] == "/echo")
            #expect(await server.recorder.requestCount == 1)
        }
    }

    @Test func oversizedResponseBodyFailsInsteadOfExhaustingMemory() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient(.init(maximumResponseBodySize: 1_000, honoursProxyEnvironment: false))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(
                    HTTPRequestSpec(method: .post, url: server.url("/echo"), body: Data(repeating: 1, count: 10_000)))
            }
            guard case .transport(_, let reason) = error else {
                Issue.record("expected transport error, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("1000 bytes"))
            await client.shutdown()
        }
    }

    @Test func shutdownFailsInFlightAndLaterRequests() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let slow = Task {
                try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/slow")))
            }
            var started = server.recorder.slowRequestStarted.makeAsyncIterator()
            await started.next()
            await client.shutdown()
            await #expect(throws: HTTPClientError.clientShutDown) { try await slow.value }
            await #expect(throws: HTTPClientError.clientShutDown) {
                try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/echo")))
            }
            await client.shutdown()  // idempotent
        }
    }

    @Test func asAServiceItStopsOnGracefulShutdown() async throws {
        try await LoopbackServer.withServer { server in
            let client = Self.makeClient()
            let group = ServiceGroup(services: [client], logger: .test)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let response = try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/echo")))
                #expect(response.status == .ok)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await #expect(throws: HTTPClientError.clientShutDown) {
                try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/echo")))
            }
        }
    }

    @Test func requestOutcomesAreCountedWithBoundedDimensions() async throws {
        try await LoopbackServer.withServer { server in
            let metrics = RecordingMetrics()
            let client = Self.makeClient(metrics: metrics)
            for status in [200, 201, 404, 429, 503] {
                _ = try await client.execute(HTTPRequestSpec(method: .get, url: server.url("/echo?status=\(status)")))
            }
            _ = try? await client.execute(HTTPRequestSpec(method: .get, url: "http://127.0.0.1:1/"))
            await client.shutdown()

            let label = "debrief_http_client_requests_total"
            #expect(metrics.value(label, [("outcome", "2xx")]) == 2)
            #expect(metrics.value(label, [("outcome", "4xx")]) == 1)
            #expect(metrics.value(label, [("outcome", "429")]) == 1)
            #expect(metrics.value(label, [("outcome", "5xx")]) == 1)
            #expect(metrics.value(label, [("outcome", "error")]) == 1)
            #expect(metrics.counterKeys.allSatisfy { !$0.contains("127.0.0.1") })
            #expect(metrics.counterKeys.count == 6)
        }
    }
}
