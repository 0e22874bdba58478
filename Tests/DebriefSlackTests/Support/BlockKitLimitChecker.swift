import DebriefCore

/// Walks Block Kit JSON and lists every place that breaks a limit of reference `slack.md` §7.
///
/// Independent of the renderers' own truncation so a renderer bug cannot hide itself.
enum BlockKitLimitChecker {
    enum Surface {
        case modal, home, message
    }

    static func violations(in root: JSONValue, surface: Surface) -> [String] {
        var problems: [String] = []
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        func length(_ value: JSONValue?) -> Int { value?.stringValue?.utf16.count ?? 0 }
        func text(_ value: JSONValue?) -> Int { length(value?["text"]) }

        switch surface {
        case .modal:
            check(root["type"]?.stringValue == "modal", "view type is not modal")
            check((1...24).contains(text(root["title"])), "modal title is \(text(root["title"])) characters")
            if let submit = root["submit"] { check(text(submit) <= 24, "submit is \(text(submit)) characters") }
            if let close = root["close"] { check(text(close) <= 24, "close is \(text(close)) characters") }
            check(length(root["private_metadata"]) <= 3000, "private_metadata too long")
            check(length(root["callback_id"]) <= 255, "callback_id too long")
            let hasInput = root["blocks"]?.arrayValue?.contains { $0["type"]?.stringValue == "input" } ?? false
            if hasInput { check(root["submit"] != nil, "modal with inputs has no submit") }
        case .home:
            check(root["type"]?.stringValue == "home", "view type is not home")
        case .message:
            check(length(root["text"]) <= 40_000, "message text too long")
        }
        let blocks = root["blocks"]?.arrayValue ?? []
        let maximumBlocks = surface == .message ? 50 : 100
        check(blocks.count <= maximumBlocks, "\(blocks.count) blocks, more than \(maximumBlocks)")
        var totalText = 0
        for (index, block) in blocks.enumerated() {
            let here = "blocks[\(index)]"
            check(length(block["block_id"]) <= 255, "\(here).block_id too long")
            switch block["type"]?.stringValue {
            case "section":
                check(text(block["text"]) <= 3000, "\(here) section text is \(text(block["text"])) characters")
                totalText += text(block["text"])
            case "header":
                check(text(block["text"]) <= 150, "\(here) header is \(text(block["text"])) characters")
                check(block["text"]?["type"]?.stringValue == "plain_text", "\(here) header is not plain_text")
            case "context":
                check((block["elements"]?.arrayValue?.count ?? 0) <= 10, "\(here) context has more than 10 elements")
            case "actions":
                let elements = block["elements"]?.arrayValue ?? []
                check(elements.count <= 25, "\(here) more than 25 actions")
                for element in elements { checkElement(element, at: here, check) }
            case "input":
                check((1...2000).contains(text(block["label"])), "\(here) label length \(text(block["label"]))")
                if let hint = block["hint"] { check(text(hint) <= 2000, "\(here) hint too long") }
                if let element = block["element"] { checkElement(element, at: here, check) }
            case "divider":
                break
            default:
                problems.append("\(here) has unexpected type \(block["type"]?.stringValue ?? "nil")")
            }
        }
        if surface == .message {
            check(totalText <= 12_000, "cumulative section text \(totalText) risks msg_blocks_too_long")
        }
        return problems
    }

    private static func checkElement(
        _ element: JSONValue, at here: String, _ check: (Bool, @autoclosure () -> String) -> Void
    ) {
        func length(_ value: JSONValue?) -> Int { value?.stringValue?.utf16.count ?? 0 }
        check(length(element["action_id"]) <= 255, "\(here) action_id too long")
        if let placeholder = element["placeholder"] {
            check(length(placeholder["text"]) <= 150, "\(here) placeholder too long")
        }
        let type = element["type"]?.stringValue ?? ""
        if type == "button" {
            check((1...75).contains(length(element["text"]?["text"])), "\(here) button text length")
            check(length(element["value"]) <= 2000, "\(here) button value too long")
        }
        if type == "plain_text_input", let maximum = element["max_length"]?.numberValue {
            check((1...3000).contains(Int(maximum)), "\(here) max_length out of range")
            if let initial = element["initial_value"] {
                check(length(initial) <= Int(maximum), "\(here) initial_value over max_length")
            }
        }
        if let options = element["options"]?.arrayValue {
            let maximum = (type == "static_select" || type == "multi_static_select") ? 100 : 10
            check(options.count <= maximum, "\(here) \(options.count) options, more than \(maximum)")
            for option in options {
                check(
                    (1...75).contains(length(option["text"]?["text"])),
                    "\(here) option text length \(length(option["text"]?["text"]))")
                check((1...150).contains(length(option["value"])), "\(here) option value length")
                if let description = option["description"] {
                    check(
                        length(description["text"]) <= 75,
                        "\(here) option description is \(length(description["text"])) characters")
                }
            }
            if let initial = element["initial_option"] {
                check(options.contains(initial), "\(here) initial_option is not one of the options")
            }
            for initial in element["initial_options"]?.arrayValue ?? [] {
                check(options.contains(initial), "\(here) initial_options entry is not one of the options")
            }
        }
    }
}
