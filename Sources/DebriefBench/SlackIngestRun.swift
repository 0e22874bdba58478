import DebriefHTTP
import DebriefServer
import DebriefSlack
import Foundation
import HTTPTypes

/// `bench ingest --platform slack`: signed `/reflect <text>` slash commands, as Slack sends them, from `people`
/// distinct people; the quick reflection is stored before the 200 and its answer is in the response body.
struct SlackIngestRun: Sendable {
    let load: IngestLoad
    let people: Int

    func run(database: BenchDatabase, client: CurlHTTPClient) async throws -> IngestReport {
        let secret = "bench-signing-secret-\(UUID().uuidString)"
        let server = try BenchServer.start(
            environment: ConfigurationKey.environment(
                BenchIngest.serverSettings(database: database).merging([
                    .slackSigningSecret: secret,
                    .slackBotToken: "xoxb-bench-token",
                    .slackAPIURL: "http://127.0.0.1:9/api/",
                ]) { _, new in new }))
        print("Slack: server pid \(server.pid) listening on 127.0.0.1:\(server.port); database \(database.backend)")

        let verifier = SlackSignatureVerifier(signingSecret: secret)
        let url = "http://127.0.0.1:\(server.port)/slack/events"
        let people = self.people
        let cpuBefore = server.cpuSeconds()
        let benchBefore = BenchIngest.processCPUSeconds()
        let outcome = await load.run(client: client) { index in
            let body = Data(
                ("token=x&team_id=TBENCH&team_domain=bench&channel_id=D0001&channel_name=directmessage"
                    + "&user_id=U\(index % people)&user_name=bench&command=%2Freflect"
                    + "&text=bench+reflection+number+\(index)&api_app_id=A0001&is_enterprise_install=false"
                    + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT%2F1%2Fx&trigger_id=1.2.x")
                    .utf8)
            let timestamp = String(Int(Date().timeIntervalSince1970))
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            if let name = HTTPField.Name("X-Slack-Request-Timestamp") { headers[name] = timestamp }
            if let name = HTTPField.Name("X-Slack-Signature") {
                headers[name] = verifier.sign(body: body, timestamp: timestamp)
            }
            return HTTPRequestSpec(method: .post, url: url, headerFields: headers, body: body, timeout: .seconds(10))
        }
        let cpuAfter = server.cpuSeconds()
        let benchCPU = BenchIngest.processCPUSeconds() - benchBefore
        let peakKiB = server.peakMemoryKiB()
        let exitStatus = server.terminate()
        return IngestReport(
            platform: .slack, concurrency: load.concurrency, people: people, outcome: outcome,
            backend: database.backend,
            stored: try await BenchIngest.storedReflections(database: database), peakKiB: peakKiB,
            serverCPUSeconds: BenchIngest.cpuSpent(from: cpuBefore, to: cpuAfter), benchCPUSeconds: benchCPU,
            exitStatus: exitStatus)
    }
}
