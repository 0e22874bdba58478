import DebriefCore
import DebriefTeams
import Foundation

extension FuzzTarget {
    /// What the Bot Connector answers (untrusted: a regional endpoint, a proxy or an outage page can answer
    /// anything). The first byte picks the answer: 0 mod 5 an error body, 1 a resource response (`{"id"}`), 2 a
    /// created conversation, 3 a page of members, 4 a team's channel list.
    static let teamsConnector = FuzzTarget(
        name: "teams-connector",
        summary: "Bot Connector answers: error bodies (codes), resource ids, created conversations, members, channels"
    ) { input in
        let (selector, rest) = input.selector
        let decoder = JSONDecoder()
        switch selector % 5 {
        case 0:
            let body = ConnectorErrorBody(rest.data)
            for code in [body.code, body.subCode].compactMap({ $0 }) { TeamsConnectorChecks.safe(code) }
            FuzzExpect.that(body.mostSpecific == (body.subCode ?? body.code), "the sub-code is the most specific")
            // The correlation header goes through the same filter.
            TeamsConnectorChecks.safe(ConnectorErrorBody.safeCode(rest.text), mayBeEmpty: true)
            let once = ConnectorErrorBody.safeCode(rest.text)
            FuzzExpect.that(ConnectorErrorBody.safeCode(once) == once, "a safe code stays as it is")
        case 1:
            guard let response = try? decoder.decode(ResourceResponse.self, from: rest.data), let answer = json(rest)
            else { return }
            FuzzExpect.that(response.id == answer["id"]?.stringValue, "a resource id is the answer's id")
        case 2:
            guard let response = try? decoder.decode(ConversationResourceResponse.self, from: rest.data),
                let answer = json(rest)
            else { return }
            FuzzExpect.that(
                response.id == answer["id"]?.stringValue && response.activityId == answer["activityId"]?.stringValue,
                "a created conversation is the answer's id and activity id")
        case 3:
            guard let page = try? decoder.decode(PagedMembersResponse.self, from: rest.data), let answer = json(rest)
            else { return }
            let members = (page.members ?? []).compactMap(\.member)
            let withIDs = answer["members"]?.arrayValue?.filter { $0["id"]?.stringValue?.isEmpty == false }
            FuzzExpect.that(members.count == (withIDs?.count ?? 0), "every member with an id is kept, no other")
            for member in members { FuzzExpect.that(!member.id.isEmpty, "a member read from a page has an id") }
        default:
            guard let list = try? decoder.decode(ConversationList.self, from: rest.data), let answer = json(rest)
            else { return }
            let ids = list.conversations?.compactMap(\.id)
            FuzzExpect.that(
                ids == answer["conversations"]?.arrayValue?.compactMap { $0["id"]?.stringValue },
                "a channel list keeps every channel's id")
        }
    }
}

/// The same bytes read as plain JSON, the oracle for what a typed answer must hold. Nil when a field the typed
/// reading skips is not valid JSON (a typed decoder does not look inside fields it ignores).
private func json(_ input: FuzzInput) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: input.data)
}

enum TeamsConnectorChecks {
    /// A code that reaches logs, metrics and a job's error: at most 64 of `A-Z a-z 0-9 _ . -`, and never empty
    /// where it is kept.
    static func safe(_ code: String, mayBeEmpty: Bool = false) {
        FuzzExpect.that(mayBeEmpty || !code.isEmpty, "a kept connector code is not empty")
        FuzzExpect.that(code.unicodeScalars.count <= 64, "a connector code has at most 64 characters")
        FuzzExpect.that(
            code.unicodeScalars.allSatisfy {
                ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
                    || $0 == "." || $0 == "-"
            }, "a connector code has only letters, digits, _ . -")
    }
}
