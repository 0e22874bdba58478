import DebriefCore
import DebriefStore
import DebriefTeams
import Foundation

extension FuzzTarget {
    /// `POST /api/messages`: the activity JSON and everything Debrief reads from it (tenant, sender, zone, the
    /// conversation to reach the sender in, the typed command).
    static let teamsActivity = FuzzTarget(
        name: "teams-activity",
        summary: "Activity JSON decoding and its readers (tenantID, sender, senderTimeZone, senderAddress, commandText)"
    ) { input in
        guard let activity = try? JSONDecoder().decode(Activity.self, from: input.data) else { return }
        // What Debrief answers with is encoded from the same type: it must always encode and read back the same.
        if let encoded = try? JSONEncoder().encode(activity) {
            FuzzExpect.that(
                (try? JSONDecoder().decode(Activity.self, from: encoded)) == activity,
                "an activity encodes and decodes back to itself")
        } else {
            FuzzExpect.that(false, "a decoded activity encodes")
        }
        TeamsActivityChecks.readers(of: activity)
        TeamsActivityChecks.commandText(activity.text ?? "", read: activity.commandText)
        if let text = activity.text {
            TeamsActivityChecks.commandText(text, read: TeamsText.plain(text), trimmed: false)
        }
    }
}

/// The promises of the readers in `Activity+Teams.swift`, shared with the card-action target.
enum TeamsActivityChecks {
    static func readers(of activity: Activity) {
        if let tenant = activity.tenantID { FuzzExpect.that(!tenant.isEmpty, "a tenant id is never empty") }
        if let sender = activity.sender {
            FuzzExpect.that(sender.platform == .teams, "a Teams sender is on Teams")
            FuzzExpect.that(sender.workspace == activity.tenantID, "a sender's workspace is the activity's tenant")
            FuzzExpect.that(!sender.userID.isEmpty, "a sender has an object id")
            FuzzExpect.that(sender.userID == sender.userID.lowercased(), "object ids are kept lower-cased")
        } else {
            FuzzExpect.that(
                activity.tenantID == nil || (activity.from?.aadObjectId ?? "").isEmpty,
                "an activity with a tenant and an object id has a sender")
        }
        if let zone = activity.senderTimeZone {
            FuzzExpect.that(TimeZone(identifier: zone) != nil, "a sender's zone is one the system knows")
            let clientInfo = activity.entities?.compactMap { entity -> String? in
                guard entity["type"]?.stringValue == "clientInfo" else { return nil }
                return entity["timezone"]?.stringValue
            }
            FuzzExpect.that(
                zone == activity.localTimezone || clientInfo?.contains(zone) == true,
                "a sender's zone is one the activity names")
        }
        if let address = activity.senderAddress {
            FuzzExpect.that(activity.sender != nil, "an address belongs to a sender")
            if let conversation = address.conversation {
                FuzzExpect.that(activity.isPersonal, "only a personal chat is kept as where to reach someone")
                FuzzExpect.that(
                    !conversation.serviceURL.isEmpty && !conversation.conversationID.isEmpty,
                    "a kept conversation has a service URL and an id")
            }
        } else {
            FuzzExpect.that(activity.sender == nil, "every sender has an address")
        }
        if let team = activity.teamID { FuzzExpect.that(!team.isEmpty, "a team id is never empty") }
        if let channel = activity.channelDataChannelID {
            FuzzExpect.that(!channel.isEmpty, "a channel id is never empty")
        }
    }

    /// What is read from typed text keeps no markup: every `<` left came from an escaped `&lt;` the person typed
    /// (so no `<at>` mention, tag or `<at>Bot</at>` survives), and the ends are trimmed. Counted in bytes, as HTML
    /// reads markup by code point: a `<` followed by a combining mark is still a tag's start.
    static func commandText(_ raw: String, read: String, trimmed: Bool = true) {
        let escapedBrackets = occurrences(of: Array("&lt;".utf8), in: Array(raw.utf8))
        let brackets = read.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "<") ? 1 : 0) }
        FuzzExpect.that(brackets <= escapedBrackets, "text read from a message keeps no tag or mention markup")
        if escapedBrackets == 0 {
            FuzzExpect.that(
                read.range(of: "<at>", options: .caseInsensitive) == nil, "text read from a message has no <at>")
        }
        FuzzExpect.that(read.utf8.count <= raw.utf8.count, "reading a message's text never makes it longer")
        if trimmed {
            FuzzExpect.that(
                read.trimmingCharacters(in: .whitespacesAndNewlines) == read, "a command's text is trimmed")
        }
        if !raw.utf8.contains(UInt8(ascii: "<")) && !raw.utf8.contains(UInt8(ascii: "&")) && trimmed {
            FuzzExpect.that(
                read == raw.trimmingCharacters(in: .whitespacesAndNewlines), "plain text is read as typed")
        }
    }

    private static func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> Int {
        guard bytes.count >= pattern.count else { return 0 }
        return (0...(bytes.count - pattern.count)).reduce(0) { count, start in
            count + (bytes[start..<(start + pattern.count)].elementsEqual(pattern) ? 1 : 0)
        }
    }
}
