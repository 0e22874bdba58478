import DebriefFakeTeams
import DebriefHTTP
import DebriefTeams
import Foundation
import Logging
import Synchronization
import Testing

/// A clock the tests move by hand; nothing in the auth tests sleeps.
final class AuthTestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by duration: Duration) {
        let seconds = TimeInterval(duration.components.seconds)
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// One fake issuer on loopback, the real curl client and an authenticator reading the fake's metadata, with a
/// manual clock set far from the real one (a check that read `Date()` instead would refuse every token).
struct AuthHarness {
    static let appID = "7e4a2b1c-0000-4000-8000-00000000a11d"
    static let serviceURL = "https://smba.trafficmanager.net/emea/"
    /// 2031-01-01T00:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_924_992_000)

    let issuer: FakeBotFrameworkIssuer
    let server: FakeBotFrameworkIssuer.Server
    let clock: AuthTestClock
    let authenticator: BotFrameworkAuthenticator

    static var quietLogger: Logger {
        var logger = Logger(label: "debrief-teams-auth-test")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with a started fake issuer and authenticator; stops both afterwards.
    static func with(
        issuer: FakeBotFrameworkIssuer? = nil,
        appID: String = AuthHarness.appID,
        _ body: (AuthHarness) async throws -> Void
    ) async throws {
        let issuer = try issuer ?? FakeBotFrameworkIssuer()
        let server = try await issuer.start()
        let http = CurlHTTPClient(configuration: .init(honoursProxyEnvironment: false), logger: quietLogger)
        let clock = AuthTestClock(start)
        let settings = BotFrameworkAuthSettings(appID: appID, openIDMetadataURL: server.openIDMetadataURL)
        let authenticator = BotFrameworkAuthenticator(
            settings: settings, http: http, now: { clock.now }, logger: quietLogger)
        let harness = AuthHarness(issuer: issuer, server: server, clock: clock, authenticator: authenticator)
        do {
            try await body(harness)
        } catch {
            await http.shutdown()
            await server.stop()
            throw error
        }
        await http.shutdown()
        await server.stop()
    }

    /// A Connector token minted at the harness clock's now (valid from 5 minutes before, for an hour).
    func validToken(kid: String? = nil) throws -> String {
        try issuer.token(audience: Self.appID, serviceURL: Self.serviceURL, issuedAt: clock.now, kid: kid)
    }

    /// Connector claims at the harness clock's now, for tests that change one of them.
    func claims() -> FakeBotFrameworkIssuer.Claims {
        .connector(audience: Self.appID, serviceURL: Self.serviceURL, issuedAt: clock.now)
    }

    func authenticate(_ token: String) async -> Result<VerifiedBotToken, BotFrameworkAuthFailure> {
        await authenticator.authenticate(authorization: "Bearer \(token)")
    }

    /// The failure of a refused token, nil when it was accepted.
    func failure(token: String) async -> BotFrameworkAuthFailure? {
        await authenticate(token).failure
    }

    /// The failure of a token minted with `claims` (default: valid Connector claims) and `signing`; nil when it
    /// was accepted. A token the fake cannot mint is recorded as an issue.
    func failure(
        _ claims: FakeBotFrameworkIssuer.Claims? = nil, signing: FakeBotFrameworkIssuer.Signing = .rs256(kid: nil)
    ) async -> BotFrameworkAuthFailure? {
        do {
            return await failure(token: try issuer.token(claims ?? self.claims(), signing: signing))
        } catch {
            Issue.record(error, "the fake issuer could not mint the token")
            return nil
        }
    }

    func accepts(token: String) async -> Bool {
        await failure(token: token) == nil
    }

    /// Whether a token with `claims` (default: valid Connector claims) signed with key `kid` is accepted.
    func accepts(_ claims: FakeBotFrameworkIssuer.Claims? = nil, kid: String? = nil) async -> Bool {
        do {
            return await accepts(token: try issuer.token(claims ?? self.claims(), signing: .rs256(kid: kid)))
        } catch {
            Issue.record(error, "the fake issuer could not mint the token")
            return false
        }
    }
}

extension Result {
    /// The error of a failed result, nil on success.
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
