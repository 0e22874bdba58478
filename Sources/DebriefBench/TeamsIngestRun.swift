import DebriefFakeTeams
import DebriefHTTP
import DebriefServer
import Foundation
import HTTPTypes

/// `bench ingest --platform teams`: `message` activities `reflect <text>` from `people` distinct people in their
/// 1:1 chats, each with a Bot Framework JWT the server verifies (RS256 with the cached signing key, claims, the
/// key's endorsement of `msteams`, the `serviceurl` claim against the activity). The reflection is stored before
/// the 200; the answer goes out afterwards through the Bot Connector (the fake), and the report counts what the
/// fake received.
///
/// A few distinct tokens are minted before the run and reused, as the Bot Connector reuses a token for about an
/// hour: minting (an RSA signature) per request would make the client the bottleneck, and the server verifies
/// every token anyway (it caches keys, not tokens).
struct TeamsIngestRun: Sendable {
    let load: IngestLoad
    let people: Int
    /// Distinct Connector tokens, used round robin.
    let tokens: Int
    /// Verifications timed in-process to price one verification with a cached key.
    let verifications: Int
    /// How long to wait after the last acknowledgement for the replies still queued in the server.
    static let replyDrainTimeout = Duration.seconds(60)
    /// The target "verification of a cached key must not be the bottleneck" as a number: its share of the
    /// server's CPU per request.
    static let verificationShareTarget = 0.25

    func run(database: BenchDatabase, client: CurlHTTPClient) async throws -> IngestReport {
        let teams = try await BenchFakeTeams.start(people: people)
        let server: BenchServer
        do {
            server = try BenchServer.start(
                environment: ConfigurationKey.environment(
                    BenchIngest.serverSettings(database: database).merging([
                        .teamsAppID: BenchFakeTeams.appID,
                        .teamsAppPassword: FakeTeams.defaultPassword,
                        .teamsTenantID: BenchFakeTeams.tenantID,
                        .teamsOpenIDMetadataURL: teams.openIDMetadataURL,
                        .teamsTokenURL: teams.tokenBaseURL,
                        .teamsServiceURL: teams.serviceURL,
                        // The highest rate the setting accepts, so the replies keep up with the load.
                        .teamsSendRate: "1000",
                    ]) { _, new in new }))
        } catch {
            await teams.stop()
            throw error
        }
        print(
            "Teams: server pid \(server.pid) listening on 127.0.0.1:\(server.port); fake Bot Connector on "
                + "127.0.0.1:\(teams.connector.port); database \(database.backend)")

        let tokens: [String]
        do {
            tokens = try teams.tokens(count: self.tokens)
        } catch {
            _ = server.terminate()
            await teams.stop()
            throw error
        }
        let url = "http://127.0.0.1:\(server.port)/api/messages"
        let people = self.people
        let cpuBefore = server.cpuSeconds()
        let benchBefore = BenchIngest.processCPUSeconds()
        let outcome = await load.run(client: client) { index in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.authorization] = "Bearer " + tokens[index % tokens.count]
            let body = teams.messageActivity(
                id: "bench-\(index)", from: index % people + 1, text: "reflect bench reflection number \(index)")
            return HTTPRequestSpec(method: .post, url: url, headerFields: headers, body: body, timeout: .seconds(10))
        }
        let acknowledged = outcome.results.filter { $0.status == 200 }.count
        let drain = await waitForReplies(teams, expected: acknowledged)
        let cpuAfter = server.cpuSeconds()
        let benchCPU = BenchIngest.processCPUSeconds() - benchBefore
        let peakKiB = server.peakMemoryKiB()
        let exitStatus = server.terminate()
        let counts = teams.counts()

        let cost: BotTokenVerificationCost.Measurement?
        do {
            cost = try await BotTokenVerificationCost(verifications: verifications).measure(
                tokens: tokens, openIDMetadataURL: teams.openIDMetadataURL, http: client)
        } catch {
            print("JWT verification cost not measured: \(error)")
            cost = nil
        }
        await teams.stop()

        var report = IngestReport(
            platform: .teams, concurrency: load.concurrency, people: people, outcome: outcome,
            backend: database.backend,
            stored: try await BenchIngest.storedReflections(database: database), peakKiB: peakKiB,
            serverCPUSeconds: BenchIngest.cpuSpent(from: cpuBefore, to: cpuAfter), benchCPUSeconds: benchCPU,
            exitStatus: exitStatus)
        let repliesOK = counts.accepted == acknowledged && counts.rateLimited == 0 && counts.unauthorized == 0
        report.details = [
            "replies:       \(counts.accepted) of \(acknowledged) received by the fake Bot Connector"
                + " (\(IngestReport.milliseconds(drain)) ms after the last acknowledgement);"
                + " 429: \(counts.rateLimited), 401: \(counts.unauthorized), refused: \(counts.refused)"
                + (repliesOK ? "" : " — REPLIES LOST"),
            "tokens:        \(tokens.count) Connector tokens reused for \(outcome.results.count) activities; the server"
                + " fetched the OpenID metadata \(counts.metadataFetches)×, the key set \(counts.keyFetches)×, its own"
                + " bot token \(counts.tokensIssued)×",
            verificationLine(cost, cpuPerRequest: report.cpuMicrosecondsPerRequest),
        ]
        report.detailsFailed = !repliesOK || (cost?.refused ?? 0) > 0
        return report
    }

    /// Waits until the fake has received `expected` replies or the timeout passes; returns how long it waited.
    private func waitForReplies(_ teams: BenchFakeTeams, expected: Int) async -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: Self.replyDrainTimeout)
        while clock.now < deadline {
            let counts = teams.counts()
            if counts.accepted + counts.rateLimited + counts.unauthorized + counts.refused >= expected { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return clock.now - start
    }

    private func verificationLine(_ cost: BotTokenVerificationCost.Measurement?, cpuPerRequest: Double?) -> String {
        guard let cost else { return "JWT verification: not measured" }
        var line =
            "JWT verification (cached key): \(String(format: "%.0f", cost.cpuMicroseconds)) µs CPU per token"
            + " (Debrief's authenticator in-process, \(cost.verifications) verifications, \(cost.refused) refused)"
        if let cpuPerRequest, cpuPerRequest > 0 {
            let share = cost.cpuMicroseconds / cpuPerRequest
            line +=
                String(format: " = %.0f %% of the server's CPU per request", share * 100)
                + String(format: "   target < %.0f %% (not the bottleneck) ", Self.verificationShareTarget * 100)
                + (share < Self.verificationShareTarget ? "met" : "MISSED")
        }
        return line
    }
}
