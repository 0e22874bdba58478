import DebriefCore
import DebriefPlatform
import DebriefStore
import Foundation

/// Turns the participants an admin named (user groups, channels, people, e-mails) into Slack accounts
/// with their time zones, and says who could not be reached — never silently dropping anyone.
///
/// Large lists: the work is linear in the ids read (a ``ParticipantRoster`` and dictionaries, no searches
/// in arrays), loops pause every few hundred people (``CooperativePace``) so requests keep being answered,
/// cancelling the task stops the resolution (it throws `CancellationError`), and a training that comes to
/// more than `limit` people stops with ``ParticipantResolution/overLimit`` instead of being cut short.
package struct SlackParticipantResolver: Sendable {
    let api: SlackWebAPIClient
    /// The most people one training may have (`DEBRIEF_MAX_PARTICIPANTS`).
    var limit: Int
    /// Above this many people, the workspace directory is read once (`users.list`, Tier 2, up to 1,000 people
    /// a page) instead of `users.info` per person (Tier 4: about 100 a minute, so 10,000 participants would
    /// take well over an hour to resolve).
    var directoryThreshold = 200
    /// Pauses in the loops over people (see ``CooperativePace``).
    var pace = CooperativePace(every: 512)

    /// Largest page asked of `conversations.members` and `users.list` (Slack's maximum).
    static let pageSize = 1_000

    /// What the resolution keeps of a directory entry.
    private struct DirectoryEntry {
        var timeZone: String?
        var deleted: Bool
        var isBot: Bool

        init(_ user: JSONValue) {
            timeZone = user["tz"]?.stringValue
            deleted = user["deleted"]?.boolValue == true
            isBot = user["is_bot"]?.boolValue == true
        }

        init(_ user: SlackUserSummary) {
            timeZone = user.timeZone
            deleted = user.deleted
            isBot = user.isBot
        }
    }

    package init(api: SlackWebAPIClient, limit: Int, pace: CooperativePace = CooperativePace(every: 512)) {
        self.api = api
        self.limit = limit
        self.pace = pace
    }

    /// - Throws: `CancellationError` when the task is cancelled; ``ParticipantDirectoryUnavailable`` when a
    ///   large cohort's directory cannot be read.
    package func resolve(_ sources: [ParticipantSource]) async throws -> ParticipantResolution {
        var pace = self.pace
        var resolution = ParticipantResolution()
        var roster = ParticipantRoster<String>(limit: limit)
        for source in sources {
            try await pace.step()
            do {
                switch source {
                case .userGroup(let id):
                    // One answer with every member: added in slices so a huge group still pauses.
                    let members = try await api.usergroupsUsersList(usergroupID: id)
                    var start = 0
                    while start < members.count, !roster.isOverLimit {
                        let end = min(members.count, start + pace.interval)
                        roster.add(contentsOf: members[start..<end])
                        start = end
                        try await pace.pauseNow()
                    }
                case .channel(let id):
                    // Page by page, so a channel far over the limit is not read to its end. Slack may answer
                    // with short (even empty) pages, hence the generous page bound.
                    try await api.conversationsMembers(
                        channelID: id, pageSize: Self.pageSize, maximumPages: max(500, limit / 50)
                    ) { roster.add(contentsOf: $0) }
                case .user(let id):
                    roster.add(id)
                case .email(let email):
                    if let id = try await api.usersLookupByEmail(email) {
                        roster.add(id)
                    } else {
                        resolution.unknownEmails.append(email)
                    }
                }
            } catch let error as SlackAPIError {
                if error == .cancelled { throw CancellationError() }
                resolution.unreadableSources.append("\(Self.describe(source)): \(error)")
            }
            if roster.isOverLimit {
                resolution.overLimit = ParticipantLimitExceeded(source: Self.describe(source), limit: limit)
                return resolution
            }
        }
        let directory = try await readDirectory(for: roster, pace: &pace)
        // Someone missing from the directory (it changed meanwhile) is asked for, unless that would be
        // thousands of single calls: then the workspace simply does not know them.
        var missing = 0
        if let directory {
            for id in roster.ids where directory[id] == nil { missing += 1 }
        }
        let askMissing = directory == nil || missing <= directoryThreshold
        resolution.people.reserveCapacity(roster.count)
        for userID in roster.ids {
            try await pace.step()
            let entry: DirectoryEntry
            if let listed = directory?[userID] {
                entry = listed
            } else if !askMissing {
                resolution.unknownUserIDs.append(userID)
                continue
            } else {
                do {
                    entry = DirectoryEntry(try await api.usersInfo(userID: userID))
                } catch .platform(code: "user_not_found", _) {
                    // Nobody to nudge: told to the admin instead of failing at every send.
                    resolution.unknownUserIDs.append(userID)
                    continue
                } catch .cancelled {
                    throw CancellationError()
                } catch {
                    // Still a participant: without users.info the default time zone is used.
                    resolution.people.append(ResolvedParticipant(userID: userID, timeZone: nil))
                    continue
                }
            }
            if entry.isBot || userID == "USLACKBOT" { continue }
            if entry.deleted {
                resolution.deactivatedUserIDs.append(userID)
                continue
            }
            resolution.people.append(ResolvedParticipant(userID: userID, timeZone: entry.timeZone))
        }
        return resolution
    }

    /// The directory entries of the people named, read once for a large cohort; nil for a small one.
    private func readDirectory(for roster: ParticipantRoster<String>, pace: inout CooperativePace)
        async throws -> [String: DirectoryEntry]?
    {
        guard roster.count > directoryThreshold else { return nil }
        var listed: [String: DirectoryEntry] = [:]
        listed.reserveCapacity(roster.count)
        do {
            // Only the fields the resolution reads, and only for the people named.
            try await api.usersDirectory(pageSize: Self.pageSize) { members in
                for member in members {
                    guard let id = member.id, roster.contains(id) else { continue }
                    listed[id] = DirectoryEntry(member)
                }
            }
        } catch .cancelled {
            throw CancellationError()
        } catch {
            throw ParticipantDirectoryUnavailable(method: "users.list", code: error.code ?? "error")
        }
        try await pace.pauseNow()
        return listed
    }

    package static func describe(_ source: ParticipantSource) -> String {
        switch source {
        case .userGroup(let id): "user group \(id)"
        case .channel(let id): "channel \(id)"
        case .user(let id): "user \(id)"
        case .email: "an e-mail address"
        }
    }
}
