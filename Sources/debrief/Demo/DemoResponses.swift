import DebriefCore
import DebriefFakeSlack
import DebriefHTTP
import DebriefStore
import Foundation

/// "You said, we did" in the demo (issue #13): after the first simulated week's digests, a leader clicks Respond on
/// the leadership digest in Slack and answers its top blocker for all teams, through the real button and form, so
/// week 2's team digests open with what leaders said will change and the leadership digest shows loop closure.
extension DemoSimulation {
    /// Responds once, to the leadership digest of `week` (the first simulated week's); says what it did.
    func respondToLeadershipDigest(week: WeekKey, progress: @Sendable (String) -> Void) async throws {
        guard let slack,
            let leader = organisation.people.first(where: { $0.role == .leader && $0.platform == .slack })
        else { return }
        let posts = slack.slack.postedMessages().filter { $0.channel == DemoOrganisation.leadershipChannel }
        let buttons = posts.reversed().flatMap { post in
            (post.message["blocks"]?.arrayValue ?? []).flatMap { $0["elements"]?.arrayValue ?? [] }
        }
        guard let digestID = buttons.first(where: { $0["action_id"] == "digest_respond" })?["value"]?.stringValue,
            let stored = try await store.digest(id: digestID),
            let document = try? JSONDecoder().decode(DigestDocument.self, from: stored.document),
            let theme = ResponseTheme.published(in: document).first
        else {
            progress("  \(week): the leadership digest had no blocker to respond to")
            return
        }
        _ = try await requests.blockAction("digest_respond", value: digestID, user: leader, trigger: "demo-respond")
        let topic = (theme.label.components(separatedBy: ": ").last ?? theme.label).lowercased()
        let text =
            "Heard you on \(topic): from next Monday every team gets a 30-minute clinic with our AI champions, "
            + "and we will publish which data may go into which tool."
        let values: JSONValue = [
            "response_text": ["text": ["type": "plain_text_input", "value": .string(text)]],
            "response_themes": [
                "themes": [
                    "type": "checkboxes",
                    "selected_options": [
                        ["text": ["type": "plain_text", "text": "theme"], "value": .string(theme.key)]
                    ],
                ]
            ],
            "response_audience": [
                "audience": [
                    "type": "radio_buttons",
                    "selected_option": ["text": ["type": "plain_text", "text": "All teams"], "value": "all"],
                ]
            ],
        ]
        let answer = try await requests.postSigned(
            requests.interaction([
                "type": "view_submission", "team": ["id": .string(DemoSlack.teamID), "domain": "debrief-demo"],
                "user": requests.userJSON(leader), "api_app_id": "A0DEMO01", "token": "legacy",
                "trigger_id": "demo-respond-submit",
                "view": [
                    "id": "V0RESPOND", "team_id": .string(DemoSlack.teamID), "type": "modal",
                    "callback_id": "leader_response", "private_metadata": .string(digestID), "hash": "1",
                    "state": ["values": values],
                ],
                "response_urls": [], "is_enterprise_install": false,
            ]))
        let saved = (try? JSONValue.decode(answer.body))?["response_action"] == "update"
        progress(
            saved
                ? "  \(week): \(leader.fullName) (a leader) responded to the digest's top theme ("
                    + "\(topic)) for all teams; teams read it next week under \"You said, we did\""
                : "  \(week): the leader's response was not accepted")
    }
}
