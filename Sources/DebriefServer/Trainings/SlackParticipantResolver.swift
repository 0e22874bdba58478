import DebriefCore
import DebriefSlack
import Foundation

/// Turns the participants an admin named (user groups, channels, people, e-mails) into Slack accounts
/// with their time zones, and says who could not be reached — never silently dropping anyone.
struct SlackParticipantResolver: Sendable {
    let api: SlackWebAPIClient
    /// Above this many people, the workspace directory is read once (`users.list`, Tier 2, up to 1,000 people
    /// a page) instead of `users.info` per person (Tier 4: about 100 a minute, so 10,000 participants would
    /// take well over an hour to resolve).
    var directoryThreshold = 200

    struct Person: Sendable, Equatable {
        var userID: String
        var timeZone: String?
    }

    struct Resolution: Sendable, Equatable {
        var people: [Person] = []
        /// E-mail addresses with no Slack account (told to the admin, never stored).
        var unknownEmails: [String] = []
        /// Deactivated accounts, as user ids the admin's Slack renders as names.
        var deactivatedUserIDs: [String] = []
        /// User ids the workspace does not know.
        var unknownUserIDs: [String] = []
        /// Sources that could not be read at all (e.g. the bot is not in a private channel).
        var unreadableSources: [String] = []

        var unresolvedCount: Int { unknownEmails.count + deactivatedUserIDs.count + unknownUserIDs.count }
    }

    func resolve(_ sources: [ParticipantSource]) async -> Resolution {
        var resolution = Resolution()
        var userIDs: [String] = []
        func add(_ ids: [String]) {
            for id in ids where !userIDs.contains(id) { userIDs.append(id) }
        }
        for source in sources {
            do {
                switch source {
                case .userGroup(let id):
                    add(try await api.usergroupsUsersList(usergroupID: id))
                case .channel(let id):
                    add(try await api.conversationsMembers(channelID: id))
                case .user(let id):
                    add([id])
                case .email(let email):
                    if let id = try await api.usersLookupByEmail(email) {
                        add([id])
                    } else {
                        resolution.unknownEmails.append(email)
                    }
                }
            } catch {
                resolution.unreadableSources.append("\(Self.describe(source)): \(error)")
            }
        }
        var directory: [String: JSONValue] = [:]
        if userIDs.count > directoryThreshold {
            let wanted = Set(userIDs)
            var listed: [String: JSONValue] = [:]
            do {
                // Only the fields the resolution reads, and only for the people named.
                try await api.usersList(pageSize: 1_000) { members in
                    for member in members {
                        guard let id = member["id"]?.stringValue, wanted.contains(id) else { continue }
                        listed[id] = [
                            "id": .string(id), "tz": member["tz"] ?? .null, "deleted": member["deleted"] ?? false,
                            "is_bot": member["is_bot"] ?? false,
                        ]
                    }
                }
                directory = listed
            } catch {
                // Fall back to users.info per person below.
            }
        }
        for userID in userIDs {
            do {
                // Someone missing from the directory (it changed meanwhile, or could not be read) is asked for.
                let user: JSONValue
                if let listed = directory[userID] {
                    user = listed
                } else {
                    user = try await api.usersInfo(userID: userID)
                }
                if user["is_bot"]?.boolValue == true || userID == "USLACKBOT" { continue }
                if user["deleted"]?.boolValue == true {
                    resolution.deactivatedUserIDs.append(userID)
                    continue
                }
                resolution.people.append(Person(userID: userID, timeZone: user["tz"]?.stringValue))
            } catch .platform(code: "user_not_found", _) {
                // Nobody to nudge: told to the admin instead of failing at every send.
                resolution.unknownUserIDs.append(userID)
            } catch {
                // Still a participant: without users.info the default time zone is used.
                resolution.people.append(Person(userID: userID, timeZone: nil))
            }
        }
        return resolution
    }

    static func describe(_ source: ParticipantSource) -> String {
        switch source {
        case .userGroup(let id): "user group \(id)"
        case .channel(let id): "channel \(id)"
        case .user(let id): "user \(id)"
        case .email: "an e-mail address"
        }
    }
}
