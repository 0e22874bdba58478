import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefTeams
import Foundation
import Logging
import Synchronization

/// A clock tests move by hand: the token cache's `Date`, the limiter's instants, and every sleep (recorded and
/// applied at once instead of waited for).
final class ManualClock: Sendable {
    private struct Reading {
        var date = Date(timeIntervalSince1970: 1_796_000_000)
        var offset: Duration = .zero
        var sleeps: [Duration] = []
    }

    private let reading = Mutex(Reading())
    private let origin = ContinuousClock.now

    var date: Date { reading.withLock { $0.date } }
    var sleeps: [Duration] { reading.withLock { $0.sleeps } }

    func advance(by duration: Duration) {
        reading.withLock {
            $0.offset += duration
            $0.date = $0.date.addingTimeInterval(
                Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
    }

    var now: @Sendable () -> Date { { [self] in date } }
    var instant: @Sendable () -> ContinuousClock.Instant { { [self] in origin + reading.withLock { $0.offset } } }

    /// Records the wait and moves the clock past it.
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in
            reading.withLock { $0.sleeps.append(duration) }
            advance(by: duration)
        }
    }
}

/// A started fake, a real curl client, and a token provider and connector client pointed at the fake.
struct ConnectorHarness {
    static let logger = Logger(label: "test.teams-connector")

    let fake: FakeTeams
    let http: CurlHTTPClient
    let clock: ManualClock
    let tokens: BotTokenProvider
    let client: BotConnectorClient
    let limiter: BucketRateLimiter

    static func run(
        password: String = FakeTeams.defaultPassword, appType: BotCredentials.AppType = .singleTenant,
        tenantID: String? = FakeTeams.defaultTenantID, retryPolicy: ConnectorRetryPolicy = ConnectorRetryPolicy(),
        _ body: (ConnectorHarness) async throws -> Void
    ) async throws {
        let fake = try await FakeTeams.start()
        let http = CurlHTTPClient(configuration: .init(honoursProxyEnvironment: false), logger: logger)
        let clock = ManualClock()
        let credentials = BotCredentials(
            appID: FakeTeams.defaultAppID, password: password, tenantID: tenantID, appType: appType)
        let tokens = BotTokenProvider(
            credentials: credentials, http: http, tokenBaseURL: fake.tokenBaseURL, logger: logger, now: clock.now,
            metrics: TeamsAPIMetrics())
        let limiter = BucketRateLimiter(
            defaultRate: BotConnectorClient.defaultRatePerTenant,
            ratesByKeyPrefix: ["teams:": BotConnectorClient.defaultRatePerTenant], now: clock.instant,
            sleep: clock.sleep)
        let client = BotConnectorClient(
            http: http, tokens: tokens, rateLimiter: limiter, defaultTenantID: FakeTeams.defaultTenantID,
            logger: logger, retryPolicy: retryPolicy, sleep: clock.sleep, now: clock.now, random: { 0.5 },
            metrics: TeamsAPIMetrics())
        let harness = ConnectorHarness(
            fake: fake, http: http, clock: clock, tokens: tokens, client: client, limiter: limiter)
        do {
            try await body(harness)
        } catch {
            await http.shutdown()
            await fake.stop()
            throw error
        }
        await http.shutdown()
        await fake.stop()
    }

    /// A person with the app installed, and their 1:1 conversation created.
    func personalConversation(
        member: FakeTeams.Member = FakeTeams.Member(
            id: "29:1megan", name: "Megan Bowen", aadObjectId: "7faf8ab2-0000-0000-0000-000000000001",
            email: "megan@contoso.example")
    ) async throws -> String {
        fake.addMembers([member])
        return try await client.createPersonalConversation(
            serviceURL: fake.serviceURL, tenantID: FakeTeams.defaultTenantID, botID: fake.botID,
            member: ChannelAccount(id: member.id))
    }
}

extension Activity {
    /// A nudge-like message: a summary and an Adaptive Card.
    static func nudge(_ text: String = "How did you use what you learned?") -> Activity {
        Activity(
            type: ActivityType.message, summary: text,
            attachments: [
                .adaptiveCard([
                    "type": "AdaptiveCard", "version": "1.5", "body": [["type": "TextBlock", "text": .string(text)]],
                ])
            ],
            channelData: ["notification": ["alert": true]])
    }
}
