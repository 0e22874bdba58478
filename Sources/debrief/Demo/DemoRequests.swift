import DebriefCore
import DebriefHTTP
import DebriefServer
import DebriefSlack
import Foundation
import HTTPTypes

/// Requests to the running server, shaped and signed exactly as Slack (and an LMS) would send them.
struct DemoRequests: Sendable {
    let client: CurlHTTPClient
    let port: Int
    let signer: SlackSignatureVerifier
    let clock: ManualClock
    let adminToken: String
    /// Nil when the organisation is only in Teams (the admin API is used either way).
    let slack: DemoSlack?
    let teamID = DemoSlack.teamID

    var base: String { "http://127.0.0.1:\(port)" }

    // MARK: - Slack

    /// A body signed with the signing secret and the current simulated time, posted to `/slack/events`.
    func postSigned(_ body: String) async throws -> HTTPResponseData {
        let data = Data(body.utf8)
        let stamp = String(Int(clock.now().timeIntervalSince1970))
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let name = HTTPField.Name("X-Slack-Request-Timestamp") { headers[name] = stamp }
        if let name = HTTPField.Name("X-Slack-Signature") { headers[name] = signer.sign(body: data, timestamp: stamp) }
        return try await client.execute(
            HTTPRequestSpec(
                method: .post, url: base + "/slack/events", headerFields: headers, body: data, timeout: .seconds(10)))
    }

    func slashCommand(_ text: String, user: DemoPerson, trigger: String) async throws -> HTTPResponseData {
        try await postSigned(
            DemoForm.encode([
                ("token", "legacy"), ("team_id", teamID), ("team_domain", "debrief-demo"),
                ("channel_id", "D" + user.userID.dropFirst()),
                ("channel_name", "directmessage"), ("user_id", user.userID), ("user_name", user.firstName.lowercased()),
                ("command", "/reflect"), ("text", text), ("api_app_id", "A0DEMO01"), ("is_enterprise_install", "false"),
                ("response_url", slack?.responseURL(trigger) ?? ""), ("trigger_id", trigger),
            ]))
    }

    func userJSON(_ user: DemoPerson) -> JSONValue {
        [
            "id": .string(user.userID), "username": .string(user.firstName.lowercased()),
            "name": .string(user.firstName.lowercased()), "team_id": .string(teamID),
        ]
    }

    func interaction(_ payload: JSONValue) -> String {
        DemoForm.encode([("payload", String(decoding: payload.encoded(), as: UTF8.self))])
    }

    /// A click on one of a nudge's buttons.
    func blockAction(_ actionID: String, value: String, user: DemoPerson, trigger: String) async throws
        -> HTTPResponseData
    {
        let action: JSONValue = [
            "action_id": .string(actionID), "block_id": "nudge_actions", "type": "button", "value": .string(value),
            "action_ts": .string(String(clock.now().timeIntervalSince1970)),
            "text": ["type": "plain_text", "text": "Reflect"],
        ]
        let channel = "D" + user.userID.dropFirst()
        return try await postSigned(
            interaction([
                "type": "block_actions", "user": userJSON(user), "api_app_id": "A0DEMO01", "token": "legacy",
                "trigger_id": .string(trigger), "team": ["id": .string(teamID), "domain": "debrief-demo"],
                "enterprise": nil, "is_enterprise_install": false,
                "container": [
                    "type": "message", "message_ts": "1761000000.000100", "channel_id": .string(channel),
                    "is_ephemeral": false,
                ],
                "channel": ["id": .string(channel), "name": "directmessage"],
                "response_url": .string(slack?.responseURL(trigger) ?? ""), "actions": [action],
                "state": ["values": [:]],
            ]))
    }

    /// The reflection modal submitted with the given answers.
    /// - Parameter question: the rotating question the form carried and the person's answer to it, if any.
    func viewSubmission(
        _ reflection: DemoReflection, privateMetadata: String, user: DemoPerson,
        question: (DemoQuestion, String)? = nil
    ) async throws -> HTTPResponseData {
        func select(_ value: String?) -> JSONValue {
            guard let value else { return ["type": "static_select", "selected_option": nil] }
            return [
                "type": "static_select",
                "selected_option": ["text": ["type": "plain_text", "text": .string(value)], "value": .string(value)],
            ]
        }
        func radio(_ value: String?) -> JSONValue {
            guard let value else { return ["type": "radio_buttons", "selected_option": nil] }
            return [
                "type": "radio_buttons",
                "selected_option": ["text": ["type": "plain_text", "text": .string(value)], "value": .string(value)],
            ]
        }
        var values: [String: JSONValue] = [
            "text": ["text": ["type": "plain_text_input", "value": .string(reflection.text)]],
            "task_category": ["task_category": select(reflection.category?.rawValue)],
            "tool": ["tool": ["type": "plain_text_input", "value": reflection.tool.map(JSONValue.string) ?? .null]],
            "outcome": ["outcome": radio(reflection.outcome?.rawValue)],
            "minutes_saved": ["minutes_saved": select(reflection.minutes?.rawValue)],
            "confidence": ["confidence": select(reflection.confidence.map(String.init))],
            "blockers": [
                "blockers": [
                    "type": "checkboxes",
                    "selected_options": .array(
                        reflection.blockers.map {
                            [
                                "text": ["type": "plain_text", "text": .string($0.rawValue)],
                                "value": .string($0.rawValue),
                            ]
                        }),
                ]
            ],
            "consent": ["consent": radio(reflection.consent.rawValue)],
        ]
        if let (question, answer) = question {
            values["rotating_question"] = ["question:\(question.id)": question.submittedValue(answer)]
        }
        return try await postSigned(
            interaction([
                "type": "view_submission", "team": ["id": .string(teamID), "domain": "debrief-demo"],
                "user": userJSON(user), "api_app_id": "A0DEMO01", "token": "legacy", "trigger_id": "0.0.submit",
                "view": [
                    "id": "VDEMO", "team_id": .string(teamID), "type": "modal", "callback_id": "reflection",
                    "private_metadata": .string(privateMetadata), "hash": "1761000000.demo", "root_view_id": "VDEMO",
                    "previous_view_id": nil, "external_id": "", "app_id": "A0DEMO01", "bot_id": "BDEMO01",
                    "state": ["values": .object(values)],
                ],
                "response_urls": [], "is_enterprise_install": false, "enterprise": nil,
            ]))
    }

    // MARK: - Admin API and pages

    func postJSON(_ path: String, _ body: JSONValue) async throws -> HTTPResponseData {
        try await sendJSON(.post, path, body)
    }

    func put(_ path: String, _ body: JSONValue) async throws -> HTTPResponseData {
        try await sendJSON(.put, path, body)
    }

    func sendJSON(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue) async throws -> HTTPResponseData {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer \(adminToken)"
        return try await client.execute(
            HTTPRequestSpec(
                method: method, url: base + path, headerFields: headers, body: body.encoded(), timeout: .seconds(10)))
    }

    func get(_ url: String, admin: Bool = false) async throws -> HTTPResponseData {
        var headers = HTTPFields()
        if admin { headers[.authorization] = "Bearer \(adminToken)" }
        return try await client.execute(
            HTTPRequestSpec(
                method: .get, url: url.hasPrefix("http") ? url : base + url, headerFields: headers,
                timeout: .seconds(10)))
    }
}
