import DebriefFakeSlack
import Foundation

/// The Slack `debrief bench fanout` sends to: the shared loopback ``FakeSlack`` with a synthetic workspace
/// (every person in user group `S0BENCH`, time zones chosen by the number in the user id) and Slack's
/// workspace-wide rate limit on `chat.postMessage` — beyond `limitPerSecond` (after a burst of `burst`)
/// it answers HTTP 429 with `Retry-After: 1`, as Slack does.
///
/// Calls are not kept one by one (tens of thousands in a run); the report reads the fake's traffic
/// counters and arrival times.
final class BenchFakeSlack: Sendable {
    struct Settings: Sendable {
        var people: Int
        var limitPerSecond: Double
        var burst: Int
        var token: String
        /// Zones handed out by `users.info`, chosen by the number in the user id.
        var zones: [String]
    }

    /// What the fake saw, for the report.
    struct Counts: Sendable {
        var accepted = 0
        var rateLimited = 0
        var recipients = 0
        var unauthorized = 0
        var usersInfo = 0
        var usersListPages = 0
    }

    static let usergroupID = "S0BENCH"

    private let slack: FakeSlack

    private init(slack: FakeSlack) { self.slack = slack }

    var port: Int { slack.port }

    /// `http://127.0.0.1:PORT/api/`, for `SLACK_API_URL`.
    var baseURL: String { slack.baseURL }

    static func userID(_ index: Int) -> String { String(format: "U%05d", index) }

    /// Starts on 127.0.0.1 with an ephemeral port and returns once it listens.
    static func start(settings: Settings) async throws -> BenchFakeSlack {
        let slack: FakeSlack
        do {
            slack = try await FakeSlack.start(token: settings.token)
        } catch {
            throw BenchServer.StartError(description: "the fake Slack API could not start: \(error)")
        }
        slack.setRecordsCalls(false)
        slack.setAutoCreateUsers(false)
        let zones = settings.zones.isEmpty ? ["UTC"] : settings.zones
        // `tz_offset` of each zone now (the bench's zones have no daylight-saving time).
        let offsets = zones.map { TimeZone(identifier: $0)?.secondsFromGMT() ?? 0 }
        let numbers = Array(1...max(settings.people, 1))
        slack.setUsers(
            numbers.map { number in
                FakeSlack.User(
                    id: userID(number), name: "bench\(number)", timeZone: zones[number % zones.count],
                    timeZoneOffsetSeconds: offsets[number % zones.count])
            })
        slack.setUsergroup(usergroupID, users: numbers.map(userID))
        slack.setRateLimit(method: "chat.postMessage", perSecond: settings.limitPerSecond, burst: settings.burst)
        return BenchFakeSlack(slack: slack)
    }

    func stop() async { await slack.stop() }

    func counts() -> Counts {
        let traffic = slack.traffic
        return Counts(
            accepted: traffic.acceptedPosts.count, rateLimited: traffic.rateLimited.count,
            recipients: traffic.recipients.count, unauthorized: traffic.unauthorized,
            usersInfo: traffic.calls["users.info"] ?? 0, usersListPages: traffic.calls["users.list"] ?? 0)
    }

    /// The messages posted from `index` on, in arrival order (conversation and thread per message: what
    /// `bench replicas` counts per person and per digest channel).
    func posts(from index: Int = 0) -> [FakeSlack.PostedMessage] { slack.postedMessages(from: index) }

    /// Arrival times of the accepted messages so far.
    func arrivals() -> [ContinuousClock.Instant] { slack.traffic.acceptedPosts }

    /// Arrival times of the messages answered 429.
    func rejections() -> [ContinuousClock.Instant] { slack.traffic.rateLimited }
}
