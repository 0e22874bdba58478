import DebriefCore
import DebriefHTTP
import DebriefServer
import Foundation
import HTTPTypes
import Synchronization

/// Activities to the running server's `/api/messages`, shaped as the Bot Connector delivers them and signed
/// with the fake Bot Framework issuer's key at the current simulated time: installs, typed messages, card
/// button invokes (`adaptiveCard/action`), and the bot being added to a team.
final class DemoTeamsRequests: Sendable {
    /// The card verbs the demo's people press (the raw values of `TeamsCardVerb`).
    enum Verb {
        static let reflect = "nudge.reflect"
        static let snooze = "nudge.snooze"
        static let skip = "nudge.skip"
        static let submit = "reflection.submit"
    }

    let client: CurlHTTPClient
    let port: Int
    let clock: ManualClock
    let teams: DemoTeams
    /// Activities posted, and how many were not answered 200.
    let sent = Mutex((activities: 0, refused: 0))

    init(client: CurlHTTPClient, port: Int, clock: ManualClock, teams: DemoTeams) {
        self.client = client
        self.port = port
        self.clock = clock
        self.teams = teams
    }

    var url: String { "http://127.0.0.1:\(port)/api/messages" }

    /// Posts one activity with a freshly signed Bot Connector token.
    func post(_ activity: JSONValue) async throws -> HTTPResponseData {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.authorization] = "Bearer \(try teams.token(at: clock.now()))"
        let response = try await client.execute(
            HTTPRequestSpec(
                method: .post, url: url, headerFields: headers, body: activity.encoded(), timeout: .seconds(10)))
        sent.withLock {
            $0.activities += 1
            if response.status != .ok { $0.refused += 1 }
        }
        return response
    }

    /// The envelope every activity from `member` in their 1:1 chat with the bot shares.
    func personal(_ type: String, from member: DemoTeams.Member, id: String, extra: [String: JSONValue] = [:])
        -> JSONValue
    {
        var object: [String: JSONValue] = [
            "type": .string(type), "id": .string(id), "channelId": "msteams",
            "timestamp": .string(ISO8601DateFormatter().string(from: clock.now())),
            "serviceUrl": .string(teams.serviceURL), "localTimezone": .string(member.timeZone),
            "from": [
                "id": .string(member.memberID), "name": .string(member.name), "aadObjectId": .string(member.objectID),
            ],
            "recipient": ["id": .string("28:" + DemoTeams.appID), "name": "Debrief"],
            "conversation": [
                "id": .string(member.chat), "conversationType": "personal", "tenantId": .string(DemoTeams.tenantID),
            ],
            "channelData": ["tenant": ["id": .string(DemoTeams.tenantID)]],
        ]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    /// The person installs the app: the server keeps their chat and zone and welcomes them.
    func install(_ member: DemoTeams.Member) async throws -> HTTPResponseData {
        try await post(
            personal("installationUpdate", from: member, id: "f:install-\(member.userID)", extra: ["action": "add"]))
    }

    /// Something typed to the bot in the 1:1 chat.
    func message(_ text: String, from member: DemoTeams.Member, id: String) async throws -> HTTPResponseData {
        try await post(
            personal("message", from: member, id: id, extra: ["text": .string(text), "textFormat": "plain"]))
    }

    /// A card button (`Action.Execute`) pressed; the answer is the card that replaces it.
    func invoke(
        _ verb: String, data: [String: JSONValue], from member: DemoTeams.Member, replyTo: String?, id: String
    ) async throws -> HTTPResponseData {
        var extra: [String: JSONValue] = [
            "name": "adaptiveCard/action",
            "value": [
                "action": ["type": "Action.Execute", "verb": .string(verb), "data": .object(data)],
                "trigger": "manual",
            ],
        ]
        if let replyTo { extra["replyToId"] = .string(replyTo) }
        return try await post(personal("invoke", from: member, id: id, extra: extra))
    }

    /// The reflection form's inputs, as the card sends them merged into the button's data.
    static func formData(_ reflection: DemoReflection, nudgeID: String?) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "text": .string(reflection.text), "consent": .string(reflection.consent.rawValue),
        ]
        if let nudgeID { data["nudge_id"] = .string(nudgeID) }
        if let category = reflection.category { data["task_category"] = .string(category.rawValue) }
        if let tool = reflection.tool { data["tool"] = .string(tool) }
        if let outcome = reflection.outcome { data["outcome"] = .string(outcome.rawValue) }
        if let minutes = reflection.minutes { data["minutes_saved"] = .string(minutes.rawValue) }
        if let confidence = reflection.confidence { data["confidence"] = .string(String(confidence)) }
        if !reflection.blockers.isEmpty {
            data["blockers"] = .string(reflection.blockers.map(\.rawValue).joined(separator: ","))
        }
        return data
    }

    /// The bot added to a team: Teams sends a `conversationUpdate` from the General channel, and the server
    /// remembers the team (for digests and rosters) and says its channel id there.
    func botAdded(toTeam teamID: String, name: String, by member: DemoTeams.Member) async throws -> HTTPResponseData {
        try await post(
            [
                "type": "conversationUpdate", "id": .string("f:team-\(teamID)"), "channelId": "msteams",
                "serviceUrl": .string(teams.serviceURL),
                "from": ["id": .string(member.memberID), "aadObjectId": .string(member.objectID)],
                "recipient": ["id": .string("28:" + DemoTeams.appID)],
                "conversation": [
                    "id": .string(teamID), "conversationType": "channel", "isGroup": true,
                    "tenantId": .string(DemoTeams.tenantID),
                ],
                "membersAdded": [["id": .string("28:" + DemoTeams.appID)]],
                "channelData": [
                    "eventType": "teamMemberAdded", "team": ["id": .string(teamID), "name": .string(name)],
                    "tenant": ["id": .string(DemoTeams.tenantID)],
                ],
            ])
    }
}

/// One Teams person pressing card buttons and typing to the bot.
struct DemoTeamsActor: Sendable {
    let member: DemoTeams.Member
    let teams: DemoTeams
    let requests: DemoTeamsRequests

    /// Presses a card button; returns the card that replaces it (the invoke's answer).
    func press(_ verb: String, data: [String: JSONValue], replyTo: String?, id: String) async throws -> JSONValue? {
        let response = try await requests.invoke(verb, data: data, from: member, replyTo: replyTo, id: id)
        let json = try? JSONValue.decode(response.body)
        guard response.status == .ok, json?["statusCode"]?.numberValue == 200 else {
            throw DemoError(
                "\(verb): HTTP \(response.status.code) \(String(decoding: response.body, as: UTF8.self).prefix(300))")
        }
        return json?["value"]
    }

    /// Saves the form; the answer must be the thanks (a card without inputs), not the form back with problems.
    func submit(_ reflection: DemoReflection, nudgeID: String?, replyTo: String?, id: String) async throws {
        let answer = try await press(
            DemoTeamsRequests.Verb.submit, data: DemoTeamsRequests.formData(reflection, nudgeID: nudgeID),
            replyTo: replyTo, id: id)
        guard DemoTeams.inputIDs(answer).isEmpty else {
            throw DemoError("the form was refused: \(DemoTeams.rendered(answer).prefix(300))")
        }
    }
}
