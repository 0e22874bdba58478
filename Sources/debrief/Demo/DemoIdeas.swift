import DebriefCore
import DebriefHTTP
import Foundation
import HTTPTypes
import Synchronization

/// The use-case library in `debrief demo`: a person asks `/reflect ideas <topic>` after the simulated weeks, marks
/// the first example "Useful", and asks `/reflect ideas` with no topic (the most useful first). Also checks that no
/// colleague named in a quotable reflection appears in the examples.
struct DemoIdeas {
    let organisation: DemoOrganisation
    let simulation: DemoSimulation
    let requests: DemoRequests

    /// Prints the searches; returns false when an example shows a name it should not (Slack runs; a Teams-only
    /// run says where to look).
    func print() async throws -> Bool {
        Swift.print("")
        Swift.print("== Learning from colleagues: /reflect ideas ==")
        guard simulation.slack != nil,
            let asker = organisation.people.first(where: { $0.platform == .slack && $0.role == .ic })
        else {
            Swift.print(
                "(The demo shows ideas searches in Slack runs; in Teams people type “ideas <topic>” to the bot.)")
            return true
        }
        var shown: [String] = []
        for topic in ["outline", "unit tests"] {
            let response = try await requests.slashCommand(
                "ideas \(topic)", user: asker, trigger: "ideas-\(topic.replacingOccurrences(of: " ", with: "-"))")
            let payload = try JSONValue.decode(response.body)
            let text = Self.rendered(payload)
            shown.append(text)
            Swift.print("\(asker.firstName) asks “/reflect ideas \(topic)” → HTTP \(response.status.code):")
            Swift.print(Self.indented(text))
            if topic == "outline", let first = Self.usefulValues(payload).first {
                let click = try await requests.blockAction(
                    "idea_useful", value: first, user: asker, trigger: "ideas-useful")
                Swift.print("\(asker.firstName) clicks Useful on the first example → HTTP \(click.status.code)")
            }
        }
        let top = try await requests.slashCommand("ideas", user: asker, trigger: "ideas-top")
        let topText = Self.rendered(try JSONValue.decode(top.body))
        shown.append(topText)
        Swift.print("\(asker.firstName) asks “/reflect ideas” (no topic) → the most useful first:")
        Swift.print(Self.indented(String(topText.split(separator: "\n").prefix(4).joined(separator: "\n"))))
        let everything = shown.joined(separator: "\n")
        let parts = Set(
            simulation.tally.withLock { $0.mentionedNames }.flatMap { $0.split(separator: " ").map(String.init) }
                .filter { $0.count >= 3 })
        let leaked = parts.filter {
            everything.range(of: "\\b\($0)\\b", options: [.regularExpression, .caseInsensitive]) != nil
        }.sorted()
        Swift.print(
            "Ideas scrub check: "
                + (leaked.isEmpty
                    ? "no colleague named in a reflection appears in the examples."
                    : "LEAKED: \(leaked.joined(separator: ", "))"))
        return leaked.isEmpty
    }

    /// The examples as a reader sees them: sections and context lines, without the buttons.
    static func rendered(_ payload: JSONValue) -> String {
        (payload["blocks"]?.arrayValue ?? []).compactMap { block -> String? in
            switch block["type"]?.stringValue {
            case "header", "section": block["text"]?["text"]?.stringValue
            case "context": block["elements"]?[0]?["text"]?.stringValue
            default: nil
            }
        }.joined(separator: "\n")
    }

    static func usefulValues(_ payload: JSONValue) -> [String] {
        (payload["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }.compactMap {
            $0["action_id"]?.stringValue == "idea_useful" ? $0["value"]?.stringValue : nil
        }
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
