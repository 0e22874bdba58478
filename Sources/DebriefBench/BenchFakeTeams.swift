import DebriefFakeTeams
import Foundation

/// The Teams `debrief bench ingest --platform teams` talks to: the shared loopback ``FakeTeams`` (token endpoint
/// and Bot Connector, which receives the server's replies) with the Bot Framework issuer's OpenID metadata and
/// signing keys mounted on the same server, `people` people with the app installed and their 1:1 chats known,
/// and no rate limit (the fake would otherwise answer 429 like Teams; the bench reports any it sees).
///
/// Calls are not kept one by one; the report reads the fake's traffic counters.
final class BenchFakeTeams: Sendable {
    static let appID = FakeTeams.defaultAppID
    static let tenantID = FakeTeams.defaultTenantID

    /// What the Bot Connector saw, for the report.
    struct Counts: Sendable {
        /// Replies and sends accepted (201).
        var accepted = 0
        /// Calls to `sendToConversation` and `replyToActivity`, whatever their answer.
        var postCalls = 0
        var rateLimited = 0
        var unauthorized = 0
        /// Client-credentials tokens the server fetched.
        var tokensIssued = 0
        /// Fetches of the OpenID metadata and of the key set.
        var metadataFetches = 0
        var keyFetches = 0

        /// Post calls refused for another reason (403, 404, 413).
        var refused: Int { max(0, postCalls - accepted - rateLimited - unauthorized) }
    }

    let connector: FakeTeams
    let issuer: FakeBotFrameworkIssuer

    private init(connector: FakeTeams, issuer: FakeBotFrameworkIssuer) {
        self.connector = connector
        self.issuer = issuer
    }

    /// `http://127.0.0.1:PORT/`: the `serviceUrl` of every activity and the Bot Connector the server replies to.
    var serviceURL: String { connector.serviceURL }

    /// Where the server fetches the Bot Framework's OpenID metadata (and from it the key set).
    var openIDMetadataURL: String { connector.tokenBaseURL + FakeBotFrameworkIssuer.metadataPath }

    /// The token endpoint's base URL (`DEBRIEF_TEAMS_TOKEN_URL`).
    var tokenBaseURL: String { connector.tokenBaseURL }

    /// Starts on 127.0.0.1 with an ephemeral port and registers `people` people, each with a 1:1 chat.
    static func start(people: Int) async throws -> BenchFakeTeams {
        let issuer: FakeBotFrameworkIssuer
        let connector: FakeTeams
        do {
            issuer = try FakeBotFrameworkIssuer()
            connector = try await FakeTeams.start(extraRoutes: { issuer.register(on: $0) })
        } catch {
            throw BenchServer.StartError(description: "the fake Teams could not start: \(error)")
        }
        connector.setRecordsCalls(false)
        let numbers = Array(1...max(people, 1))
        connector.addMembers(
            numbers.map { FakeTeams.Member(id: memberID($0), name: "Bench \($0)", aadObjectId: objectID($0)) })
        for number in numbers {
            connector.addConversation(id: chatID(number), memberIDs: [memberID(number)])
        }
        return BenchFakeTeams(connector: connector, issuer: issuer)
    }

    func stop() async { await connector.stop() }

    static func memberID(_ number: Int) -> String { "29:bench-\(number)" }
    static func objectID(_ number: Int) -> String { String(format: "7faf8ab2-0000-4000-8000-%012d", number) }
    static func chatID(_ number: Int) -> String { "a:bench-chat-\(number)" }

    /// `count` distinct Connector tokens for this bot, issued a few seconds apart and valid for an hour, as the
    /// Bot Connector reuses a token across many activities rather than minting one per request.
    func tokens(count: Int, now: Date = Date()) throws -> [String] {
        try (0..<max(1, count)).map { offset in
            try issuer.token(
                audience: Self.appID, serviceURL: serviceURL, issuedAt: now.addingTimeInterval(-Double(offset)))
        }
    }

    /// A `message` activity from person `number` in their 1:1 chat, as the Bot Connector posts it, saying `text`
    /// (ASCII letters, digits and spaces only: it is put into the JSON as it is).
    func messageActivity(id: String, from number: Int, text: String) -> Data {
        let json =
            #"{"type":"message","id":"\#(id)","channelId":"msteams","serviceUrl":"\#(serviceURL)","#
            + #""localTimezone":"Europe/Berlin","#
            + #""from":{"id":"\#(Self.memberID(number))","name":"Bench \#(number)","#
            + #""aadObjectId":"\#(Self.objectID(number))"},"#
            + #""recipient":{"id":"28:\#(Self.appID)","name":"Debrief"},"#
            + #""conversation":{"id":"\#(Self.chatID(number))","conversationType":"personal","#
            + #""tenantId":"\#(Self.tenantID)"},"#
            + #""channelData":{"tenant":{"id":"\#(Self.tenantID)"}},"text":"\#(text)","textFormat":"plain"}"#
        return Data(json.utf8)
    }

    func counts() -> Counts {
        let traffic = connector.traffic
        return Counts(
            accepted: traffic.acceptedPosts.count,
            postCalls: (traffic.calls[.sendToConversation] ?? 0) + (traffic.calls[.replyToActivity] ?? 0),
            rateLimited: traffic.rateLimited.count, unauthorized: traffic.unauthorized,
            tokensIssued: connector.issuedTokenCount, metadataFetches: issuer.fetchCount(.metadata),
            keyFetches: issuer.fetchCount(.keys))
    }
}
