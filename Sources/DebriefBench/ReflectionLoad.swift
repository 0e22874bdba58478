import DebriefHTTP
import DebriefSlack
import Foundation
import HTTPTypes
import Synchronization

/// The inbound side of `bench replicas`: signed `/reflect` slash commands sent to the replicas in turn (request i
/// to replica i mod N), paced so they spread over the nudge fan-out and so some of them meet the killed replica.
///
/// Signature timestamps are on the replicas' simulated clock (``ReplicaTimeline``): a server checks them against
/// its own clock. The people reflecting are not the training's participants (ids `UR0000`…), so reflections
/// cannot change whose nudge is due.
struct ReflectionLoad: Sendable {
    let requests: Int
    let concurrency: Int
    /// Requests started per second at most.
    let perSecond: Double
    let people: Int
    let signingSecret: String
    let timeline: ReplicaTimeline

    struct Result: Sendable {
        var replica: Int
        /// HTTP status, or -1 without an answer (connection refused while a replica is down, reset by the kill).
        var status: Int
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
    }

    /// Sends every request (a restarted replica keeps its port, so `ports` holds for the whole run) and counts
    /// the finished ones in `progress`.
    func run(client: CurlHTTPClient, ports: [Int], progress: LoadProgress) async -> [Result] {
        let counter = RequestCounter(total: requests)
        let verifier = SlackSignatureVerifier(signingSecret: signingSecret)
        let began = ContinuousClock.now
        let interval = 1 / max(perSecond, 0.001)
        return await withTaskGroup(of: [Result].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var results: [Result] = []
                    while let index = await counter.next() {
                        let due = began + .seconds(Double(index - 1) * interval)
                        if due > .now { try? await Task.sleep(until: due, clock: .continuous) }
                        let replica = (index - 1) % ports.count
                        let spec = request(
                            index: index, port: ports[replica], verifier: verifier)
                        let started = ContinuousClock.now
                        let status: Int
                        do {
                            status = try await client.execute(spec).status.code
                        } catch {
                            status = -1
                        }
                        results.append(Result(replica: replica, status: status, started: started, ended: .now))
                        progress.finished(acknowledged: status == 200)
                    }
                    return results
                }
            }
            var all: [Result] = []
            for await part in group { all.append(contentsOf: part) }
            progress.end()
            return all
        }
    }

    func request(index: Int, port: Int, verifier: SlackSignatureVerifier) -> HTTPRequestSpec {
        let user = String(format: "UR%04d", index % max(people, 1))
        let body = Data(
            ("token=x&team_id=TBENCH&team_domain=bench&channel_id=D0001&channel_name=directmessage"
                + "&user_id=\(user)&user_name=bench&command=%2Freflect"
                + "&text=replica+bench+reflection+number+\(index)&api_app_id=A0001&is_enterprise_install=false"
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT%2F1%2Fx&trigger_id=1.2.x")
                .utf8)
        let timestamp = String(Int(timeline.simulated(at: .now).timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let name = HTTPField.Name("X-Slack-Request-Timestamp") { headers[name] = timestamp }
        if let name = HTTPField.Name("X-Slack-Signature") {
            headers[name] = verifier.sign(body: body, timestamp: timestamp)
        }
        return HTTPRequestSpec(
            method: .post, url: "http://127.0.0.1:\(port)/slack/events", headerFields: headers, body: body,
            timeout: .seconds(10))
    }
}

/// How far the reflection load is, readable while it runs (the bench waits for it before it stops the replicas).
final class LoadProgress: Sendable {
    private let state = Mutex<(finished: Int, acknowledged: Int, done: Bool)>((0, 0, false))

    func finished(acknowledged: Bool) {
        state.withLock {
            $0.finished += 1
            if acknowledged { $0.acknowledged += 1 }
        }
    }

    func end() { state.withLock { $0.done = true } }

    var snapshot: (finished: Int, acknowledged: Int, done: Bool) { state.withLock { $0 } }
}
