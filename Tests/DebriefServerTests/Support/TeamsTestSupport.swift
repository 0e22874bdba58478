import DebriefCore
import DebriefFakeTeams
import DebriefHTTP
import DebriefServer
import Foundation
import HTTPTypes

/// A Teams tenant on loopback for the server under test: the fake Bot Connector and token endpoint, with the
/// Bot Framework's OpenID metadata and signing keys on the same server, and the server configured for it.
struct TeamsTenant: Sendable {
    let connector: FakeTeams
    let issuer: FakeBotFrameworkIssuer

    static let appID = FakeTeams.defaultAppID
    static let tenantID = FakeTeams.defaultTenantID

    static func start() async throws -> TeamsTenant {
        let issuer = try FakeBotFrameworkIssuer()
        let connector = try await FakeTeams.start(extraRoutes: { issuer.register(on: $0) })
        return TeamsTenant(connector: connector, issuer: issuer)
    }

    /// Points the server's Teams settings at this tenant.
    func configure(_ configuration: inout DebriefConfiguration, admins: Set<String> = []) {
        configuration.teams = TeamsConfiguration(
            credentials: .init(appID: Self.appID, password: FakeTeams.defaultPassword, tenantID: Self.tenantID),
            openIDMetadataURL: connector.tokenBaseURL + FakeBotFrameworkIssuer.metadataPath,
            tokenURL: connector.tokenBaseURL, serviceURL: connector.serviceURL, sendRatePerSecond: 50,
            adminUsers: admins)
    }

    /// An activity as the Bot Connector sends it: signed for this bot and the fake's service URL, at `now`.
    func post(_ activity: JSONValue, to server: TestServer, now: Date) async throws -> HTTPResponseData {
        let token = try issuer.token(audience: Self.appID, serviceURL: connector.serviceURL, issuedAt: now)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.authorization] = "Bearer \(token)"
        return try await server.client.execute(
            HTTPRequestSpec(
                method: .post, url: "http://127.0.0.1:\(server.port)/api/messages", headerFields: headers,
                body: activity.encoded(), timeout: .seconds(10)))
    }

    /// A person in Teams, with their 1:1 chat with the bot.
    struct Person: Sendable {
        var memberID: String
        var objectID: String
        var name: String
        var chat: String
        var timeZone: String
    }

    /// Registers the person with the fake (installed, with a 1:1 chat) and returns them.
    func person(_ name: String, number: Int, timeZone: String) -> Person {
        let objectID = String(format: "7faf8ab2-0000-4000-8000-%012d", number)
        let person = Person(
            memberID: "29:\(name.lowercased())", objectID: objectID, name: name, chat: "a:chat-\(name.lowercased())",
            timeZone: timeZone)
        connector.addMembers([FakeTeams.Member(id: person.memberID, name: name, aadObjectId: objectID)])
        connector.addConversation(id: person.chat, memberIDs: [person.memberID])
        return person
    }

    /// The envelope every activity from `person` in their 1:1 chat shares.
    func activity(_ type: String, from person: Person, id: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var object: [String: JSONValue] = [
            "type": .string(type), "id": .string(id), "channelId": "msteams",
            "serviceUrl": .string(connector.serviceURL), "localTimezone": .string(person.timeZone),
            "from": [
                "id": .string(person.memberID), "name": .string(person.name), "aadObjectId": .string(person.objectID),
            ],
            "recipient": ["id": .string("28:" + Self.appID), "name": "Debrief"],
            "conversation": [
                "id": .string(person.chat), "conversationType": "personal", "tenantId": .string(Self.tenantID),
            ],
            "channelData": ["tenant": ["id": .string(Self.tenantID)]],
        ]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    func stop() async { await connector.stop() }
}
