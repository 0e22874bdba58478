import DebriefCore
import DebriefPlatform
import DebriefStore

/// Turns the participants an admin named in Teams into people: Entra object ids as given, e-mail addresses
/// through the rosters of the bot's teams, and teams or channels (`19:…@thread.tacv2`) through their rosters.
/// Time zones are not in rosters: people get the organisation's zone until their first message to the bot
/// brings their own (`localTimezone`).
struct TeamsParticipantResolver {
    let platform: TeamsChatPlatform
    let limit: Int

    func resolve(_ sources: [ParticipantSource]) async throws -> ParticipantResolution {
        var resolution = ParticipantResolution()
        var people: [String] = []
        var seen: Set<String> = []
        func add(_ id: String) -> Bool {
            let id = id.lowercased()
            if seen.insert(id).inserted { people.append(id) }
            return people.count <= limit
        }
        var emails: Set<String> = []
        for source in sources {
            try Task.checkCancellation()
            switch source {
            case .user(let id):
                guard AdminCommand.isObjectID(id) else {
                    resolution.unknownUserIDs.append(id)
                    continue
                }
                guard add(id) else { return overLimit(resolution, source: "the named people") }
            case .email(let address):
                emails.insert(address.lowercased())
            case .userGroup(let id), .channel(let id):
                do {
                    for member in try await platform.groupMembers(id) {
                        guard add(member) else { return overLimit(resolution, source: "team \(id)") }
                    }
                } catch .cancelled {
                    throw CancellationError()
                } catch {
                    resolution.unreadableSources.append("team \(id)")
                }
            }
        }
        if !emails.isEmpty {
            let found: [String: String]
            do {
                found = try await platform.userIDs(forEmails: emails)
            } catch .cancelled {
                throw CancellationError()
            } catch {
                throw ParticipantDirectoryUnavailable(method: "pagedmembers", code: error.code)
            }
            for email in emails.sorted() {
                guard let id = found[email] else {
                    resolution.unknownEmails.append(email)
                    continue
                }
                guard add(id) else { return overLimit(resolution, source: "the e-mail addresses") }
            }
        }
        resolution.people = people.map { ResolvedParticipant(userID: $0, timeZone: nil) }
        return resolution
    }

    func overLimit(_ resolution: ParticipantResolution, source: String) -> ParticipantResolution {
        var resolution = resolution
        resolution.people = []
        resolution.overLimit = ParticipantLimitExceeded(source: source, limit: limit)
        return resolution
    }
}

/// What the admin who registered a training in Teams is told once its participants are resolved.
enum TeamsResolutionText {
    static let maximumListed = 50

    static func text(_ notice: TrainingResolutionNotice) -> String {
        let (training, report, nudges) = (notice.training, notice.report, notice.nudges)
        let title = "**\(TeamsMarkup.escape(training.title))**"
        if let overLimit = report.overLimit {
            return "\(title) was not scheduled: with \(TeamsMarkup.escape(overLimit.source)) it has more than"
                + " \(overLimit.limit) participants, the most one training can have (DEBRIEF_MAX_PARTICIPANTS)."
                + " Nobody was nudged. Register it as several smaller trainings."
        }
        var lines = ["\(title): \(report.resolved) participants will get \(nudges) nudges in their own working hours."]
        if !report.unknownEmails.isEmpty {
            lines.append(
                "Not found in the rosters of the teams Debrief is in: "
                    + "\(listed(report.unknownEmails.map(TeamsMarkup.escape))). Add Debrief to their team, or name "
                    + "them by Entra object id.")
        }
        if !report.unknownUserIDs.isEmpty {
            lines.append(
                "Not Entra object ids, so skipped: \(listed(report.unknownUserIDs.map(TeamsMarkup.escape))).")
        }
        for source in report.unreadableSources.prefix(maximumListed) {
            lines.append("Could not read the roster of \(TeamsMarkup.escape(source)) (is Debrief added to it?).")
        }
        return lines.joined(separator: "\n\n")
    }

    static func listed(_ items: [String]) -> String {
        let shown = items.prefix(maximumListed).joined(separator: ", ")
        let more = items.count - maximumListed
        return more > 0 ? "\(shown) and \(more) more" : shown
    }
}
