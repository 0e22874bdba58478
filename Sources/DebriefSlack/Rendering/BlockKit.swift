import DebriefCore
import DebriefPrompts

/// Small builders for Block Kit JSON that enforce Slack's length limits (reference `slack.md` §7).
///
/// Texts from `prompts/` are validated against the same limits when they load; truncation here is the
/// last guard for text that comes from people (quoted reflections, exports), so Slack never rejects a
/// whole message because one field was a character too long.
enum BlockKit {
    enum Limit {
        static let modalTitle = 24
        static let modalButton = 24
        static let blocksPerMessage = 50
        static let blocksPerView = 100
        static let sectionText = 3000
        static let headerText = 150
        static let label = 2000
        static let hint = 2000
        static let placeholder = 150
        static let buttonText = 75
        static let buttonValue = 2000
        static let optionText = 75
        static let optionValue = 150
        static let optionDescription = 75
        static let privateMetadata = 3000
        static let callbackID = 255
        static let plainTextInput = 3000
        static let messageText = 3000
    }

    /// Cuts `text` to at most `limit` UTF-16 code units (what Slack counts), ending with "…" when cut.
    static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var result = ""
        var used = 0
        let budget = limit - 1
        for character in text {
            let size = character.utf16.count
            if used + size > budget { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }

    /// The longest prefix of whole characters within `count` UTF-16 code units, without an ellipsis.
    static func prefix(_ text: String, utf16Count count: Int) -> String {
        guard text.utf16.count > count else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf16.count
            if used + size > count { break }
            result.append(character)
            used += size
        }
        return result
    }

    /// Escapes the three characters mrkdwn treats as markup, for text that comes from people.
    static func escape(_ text: String) -> String { SlackMarkup.escape(text) }

    static func plainText(_ text: String, limit: Int) -> JSONValue {
        ["type": "plain_text", "text": .string(truncate(text, to: limit)), "emoji": true]
    }

    static func mrkdwn(_ text: String, limit: Int = Limit.sectionText) -> JSONValue {
        ["type": "mrkdwn", "text": .string(truncate(text, to: limit))]
    }

    static func section(_ markdown: String) -> JSONValue {
        ["type": "section", "text": mrkdwn(markdown)]
    }

    static func header(_ text: String) -> JSONValue {
        ["type": "header", "text": plainText(text, limit: Limit.headerText)]
    }

    static func context(_ markdown: String) -> JSONValue {
        ["type": "context", "elements": [mrkdwn(markdown)]]
    }

    static let divider: JSONValue = ["type": "divider"]

    static func option(text: String, value: String, description: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "text": plainText(text, limit: Limit.optionText),
            "value": .string(truncate(value, to: Limit.optionValue)),
        ]
        if let description {
            object["description"] = plainText(description, limit: Limit.optionDescription)
        }
        return .object(object)
    }

    enum ButtonStyle: String {
        case primary, danger
    }

    static func button(text: String, actionID: String, value: String, style: ButtonStyle? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "type": "button",
            "text": plainText(text, limit: Limit.buttonText),
            "action_id": .string(actionID),
            "value": .string(truncate(value, to: Limit.buttonValue)),
        ]
        if let style { object["style"] = .string(style.rawValue) }
        return .object(object)
    }

    static func actions(blockID: String, _ elements: [JSONValue]) -> JSONValue {
        ["type": "actions", "block_id": .string(blockID), "elements": .array(elements)]
    }

    /// `{"response_type":"ephemeral","text":…,"blocks":[…]}`; `text` is the notification fallback.
    static func ephemeral(text: String, blocks: [JSONValue]) -> JSONValue {
        [
            "response_type": "ephemeral",
            "text": .string(truncate(text, to: Limit.messageText)),
            "blocks": .array(Array(blocks.prefix(Limit.blocksPerMessage))),
        ]
    }
}
