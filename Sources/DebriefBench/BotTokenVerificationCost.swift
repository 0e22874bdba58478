import DebriefHTTP
import DebriefTeams
import Foundation
import Logging

/// The CPU cost of verifying one Bot Framework token with the signing key already cached: Debrief's own
/// ``BotFrameworkAuthenticator`` (the code `POST /api/messages` runs first), timed in this process against the
/// bench's fake issuer, so the ingest report can say which share of the server's CPU per request it is.
///
/// The key set is fetched once before the clock starts; every timed call then verifies RS256 with the cached key
/// and checks the claims, as the server does for each activity.
struct BotTokenVerificationCost: Sendable {
    /// Verifications timed.
    let verifications: Int

    struct Measurement: Sendable {
        var verifications: Int
        /// CPU time per verification, microseconds.
        var cpuMicroseconds: Double
        /// Verifications refused (must be 0: the tokens are valid).
        var refused: Int
    }

    enum CostError: Error, CustomStringConvertible {
        case refused(String)

        var description: String {
            switch self {
            case .refused(let reason): "the fake issuer's token was refused before timing (\(reason))"
            }
        }
    }

    /// Verifies `tokens` round robin and returns the CPU per verification.
    func measure(tokens: [String], openIDMetadataURL: String, http: any HTTPClient) async throws -> Measurement {
        var logger = Logger(label: "debrief-bench")
        logger.logLevel = .warning
        let authenticator = BotFrameworkAuthenticator(
            settings: BotFrameworkAuthSettings(appID: BenchFakeTeams.appID, openIDMetadataURL: openIDMetadataURL),
            http: http, now: { Date() }, logger: logger)
        let headers = tokens.map { "Bearer " + $0 }
        guard let first = headers.first else { return Measurement(verifications: 0, cpuMicroseconds: 0, refused: 0) }
        // Warm up: fetches the metadata and keys, so what is timed is verification with a cached key.
        if case .failure(let failure) = await authenticator.authenticate(authorization: first) {
            throw CostError.refused("\(failure.reason)")
        }
        var refused = 0
        let before = BenchIngest.processCPUSeconds()
        for index in 0..<verifications {
            if case .failure = await authenticator.authenticate(authorization: headers[index % headers.count]) {
                refused += 1
            }
        }
        let cpu = BenchIngest.processCPUSeconds() - before
        return Measurement(
            verifications: verifications, cpuMicroseconds: cpu * 1e6 / Double(max(1, verifications)),
            refused: refused)
    }
}
