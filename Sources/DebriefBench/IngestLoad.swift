import DebriefHTTP
import Foundation
import HTTPTypes

/// The client side of `debrief bench ingest`: `concurrency` workers send `requests` requests back to back over
/// one curl client and time each one. What a request is (a signed Slack command, a Teams activity) is the
/// caller's `request(index)`, built before the clock starts for that request.
struct IngestLoad: Sendable {
    let requests: Int
    let concurrency: Int

    /// Every request's answer and the wall time of the whole run.
    struct Outcome: Sendable {
        var results: [WorkerResult]
        var elapsed: Duration
    }

    /// Sends the requests numbered 1…`requests`.
    func run(client: CurlHTTPClient, request: @escaping @Sendable (Int) -> HTTPRequestSpec) async -> Outcome {
        let counter = RequestCounter(total: requests)
        let clock = ContinuousClock()
        let started = clock.now
        let results = await withTaskGroup(of: [WorkerResult].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var results: [WorkerResult] = []
                    while let index = await counter.next() {
                        let spec = request(index)
                        let begin = clock.now
                        let status: Int
                        do {
                            status = try await client.execute(spec).status.code
                        } catch {
                            status = -1
                        }
                        results.append(WorkerResult(status: status, latency: clock.now - begin))
                    }
                    return results
                }
            }
            var all: [WorkerResult] = []
            for await part in group { all.append(contentsOf: part) }
            return all
        }
        return Outcome(results: results, elapsed: clock.now - started)
    }
}

struct WorkerResult: Sendable {
    /// The HTTP status, or -1 when the request failed without one (timeout, connection refused).
    var status: Int
    var latency: Duration
}

/// Hands out request numbers to the workers.
actor RequestCounter {
    private var issued = 0
    private let total: Int

    init(total: Int) { self.total = total }

    func next() -> Int? {
        guard issued < total else { return nil }
        issued += 1
        return issued
    }
}
