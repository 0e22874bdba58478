import DebriefCore
import Foundation

/// Request bodies shaped like the ones Slack sends (slack.md §3–5), built per test.
enum SlackBodies {
    static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    static func slashCommand(
        _ text: String, user: String = "U0001", team: String = "T0001", trigger: String = "1.2.abc",
        responseURL: String = "https://hooks.slack.com/commands/T0001/1/abc", command: String = "/reflect"
    ) -> String {
        formEncode([
            ("token", "legacyToken"), ("team_id", team), ("team_domain", "acme"), ("channel_id", "D0001"),
            ("channel_name", "directmessage"), ("user_id", user), ("user_name", "alice"), ("command", command),
            ("text", text), ("api_app_id", "A0001"), ("is_enterprise_install", "false"),
            ("response_url", responseURL), ("trigger_id", trigger),
        ])
    }

    static func interaction(_ payload: JSONValue) -> String {
        formEncode([("payload", String(decoding: payload.encoded(), as: UTF8.self))])
    }

    static func blockAction(
        actionID: String, value: String?, user: String = "U0001", trigger: String = "2.3.def", responseURL: String
    ) -> String {
        var action: [String: JSONValue] = [
            "action_id": .string(actionID), "block_id": "b1", "type": "button", "action_ts": "1735689700.1",
            "text": ["type": "plain_text", "text": "Go"],
        ]
        if let value { action["value"] = .string(value) }
        return interaction([
            "type": "block_actions",
            "user": ["id": .string(user), "username": "alice", "name": "alice", "team_id": "T0001"],
            "api_app_id": "A0001", "token": "legacy", "trigger_id": .string(trigger),
            "team": ["id": "T0001", "domain": "acme"], "enterprise": nil, "is_enterprise_install": false,
            "container": [
                "type": "message", "message_ts": "1735689600.000100", "channel_id": "D0001", "is_ephemeral": true,
            ],
            "channel": ["id": "D0001", "name": "directmessage"],
            "response_url": .string(responseURL),
            "actions": [.object(action)],
            "state": ["values": [:]],
        ])
    }

    /// A `view_submission` of the reflection modal with the given field values.
    static func reflectionSubmission(
        text: String?, outcome: String? = nil, minutes: String? = nil, confidence: String? = nil,
        category: String? = nil, tool: String? = nil, blockers: [String] = [], consent: String? = nil,
        privateMetadata: String = "", user: String = "U0001"
    ) -> String {
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
        let values: JSONValue = [
            "text": ["text": ["type": "plain_text_input", "value": text.map(JSONValue.string) ?? .null]],
            "task_category": ["task_category": select(category)],
            "tool": ["tool": ["type": "plain_text_input", "value": tool.map(JSONValue.string) ?? .null]],
            "outcome": ["outcome": radio(outcome)],
            "minutes_saved": ["minutes_saved": select(minutes)],
            "confidence": ["confidence": select(confidence)],
            "blockers": [
                "blockers": [
                    "type": "checkboxes",
                    "selected_options": .array(
                        blockers.map { ["text": ["type": "plain_text", "text": .string($0)], "value": .string($0)] }),
                ]
            ],
            "consent": ["consent": radio(consent)],
        ]
        return interaction([
            "type": "view_submission", "team": ["id": "T0001", "domain": "acme"],
            "user": ["id": .string(user), "username": "alice", "name": "alice", "team_id": "T0001"],
            "api_app_id": "A0001", "token": "legacy", "trigger_id": "3.4.ghi",
            "view": [
                "id": "V0001", "team_id": "T0001", "type": "modal", "callback_id": "reflection",
                "private_metadata": .string(privateMetadata), "hash": "1735689600.abc", "root_view_id": "V0001",
                "previous_view_id": nil, "external_id": "", "app_id": "A0001", "bot_id": "B0001",
                "state": ["values": values],
            ],
            "response_urls": [], "is_enterprise_install": false, "enterprise": nil,
        ])
    }

    static func event(_ event: JSONValue, eventID: String, team: String = "T0001") -> String {
        let envelope: JSONValue = [
            "token": "legacy", "team_id": .string(team), "api_app_id": "A0001", "event": event,
            "type": "event_callback", "event_id": .string(eventID), "event_time": 1_735_689_600,
            "authorizations": [
                [
                    "enterprise_id": nil, "team_id": .string(team), "user_id": "UBOT0001", "is_bot": true,
                    "is_enterprise_install": false,
                ]
            ],
            "is_ext_shared_channel": false,
        ]
        return String(decoding: envelope.encoded(), as: UTF8.self)
    }

    static func appHomeOpened(user: String = "U0001") -> JSONValue {
        [
            "type": "app_home_opened", "user": .string(user), "channel": "D0001", "tab": "home",
            "event_ts": "1735689600.000200",
        ]
    }
}
