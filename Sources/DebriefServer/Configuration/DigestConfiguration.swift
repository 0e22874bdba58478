import DebriefCore
import Foundation

/// Weekly digests: who is in which role and team, where each digest goes and when, and the links to the
/// digest pages.
public struct DigestConfiguration: Sendable {
    public static let defaultLinkDays = 30

    /// `DEBRIEF_ROLE_GROUPS`: Slack user groups whose members have a role level (`leader`, `manager`);
    /// everyone else is `ic`.
    public var roleGroups: [(role: String, group: String)]
    /// `DEBRIEF_TEAM_GROUPS`: Slack user groups that are teams: team name → group id.
    public var teamGroups: [(team: String, group: String)]
    /// `DEBRIEF_LEADERSHIP_CHANNEL`: where the org-wide digest goes (a channel id); nil means none.
    public var leadershipChannel: String?
    /// `DEBRIEF_TEAM_CHANNELS`: team digests, team name → channel id.
    public var teamChannels: [(team: String, channel: String)]
    /// `DEBRIEF_TEAMS_LEADERSHIP_CHANNEL`: a Teams channel that also gets the org-wide digest; nil means none.
    public var teamsLeadershipChannel: String?
    /// `DEBRIEF_TEAMS_TEAM_CHANNELS`: team digests in Teams channels, team name → channel id.
    public var teamsTeamChannels: [(team: String, channel: String)] = []
    /// `DEBRIEF_DIGEST_TIME`: when digests are posted unless a target has its own time: ISO weekday
    /// (1 = Monday) and time, in the organisation's zone unless it names one.
    public var schedule: DigestSchedule
    /// Targets' own posting times (written after `@` in the channel keys), by target key (`leadership`,
    /// `team:Sales`).
    public var schedules: [String: DigestSchedule]
    /// `DEBRIEF_PUBLIC_URL`: base URL for links in Slack messages (digest pages), without a trailing `/`;
    /// nil means `http://<host>:<port>`.
    public var publicURL: String?
    /// `DEBRIEF_DIGEST_LINK_SECRET`: signs digest page links; nil means one derived from the pseudonym key.
    public var linkSecret: String?
    /// `DEBRIEF_DIGEST_LINK_DAYS`: how long a signed digest page link works.
    public var linkLifetime: TimeInterval

    public init(
        roleGroups: [(role: String, group: String)] = [], teamGroups: [(team: String, group: String)] = [],
        leadershipChannel: String? = nil, teamChannels: [(team: String, channel: String)] = [],
        schedule: DigestSchedule = .standard, schedules: [String: DigestSchedule] = [:], publicURL: String? = nil,
        linkSecret: String? = nil, linkLifetime: TimeInterval = DigestLink.defaultLifetime
    ) {
        self.roleGroups = roleGroups
        self.teamGroups = teamGroups
        self.leadershipChannel = leadershipChannel
        self.teamsLeadershipChannel = nil
        self.teamChannels = teamChannels
        self.schedule = schedule
        self.schedules = schedules
        self.publicURL = publicURL
        self.linkSecret = linkSecret
        self.linkLifetime = linkLifetime
    }

    init(reading source: ConfigurationSource) throws(ConfigurationError) {
        self.init()
        roleGroups = try source.readList(.roleGroups, as: NamedID.self).map {
            (role: $0.name.lowercased(), group: $0.id)
        }
        for entry in roleGroups where !["leader", "manager", "ic"].contains(entry.role) {
            throw .invalid(
                key: ConfigurationKey.roleGroups.environmentName,
                reason: "role '\(entry.role)' must be leader, manager or ic")
        }
        teamGroups = try source.readList(.teamGroups, as: NamedID.self).map { (team: $0.name, group: $0.id) }
        // Every entry must be `name=…` before any channel is read, so a malformed entry is reported first.
        let teamEntries = try source.readList(.teamChannels, as: NamedID.self)
        for entry in teamEntries {
            let target = try source.convert(entry.id, for: .teamChannels, as: ScheduledChannel.self)
            teamChannels.append((team: entry.name, channel: target.channel))
            if let own = target.schedule { schedules["team:\(entry.name)"] = own }
        }
        if let target = try source.read(.leadershipChannel, as: ScheduledChannel.self) {
            leadershipChannel = target.channel
            if let own = target.schedule { schedules["leadership"] = own }
        }
        for entry in try source.readList(.teamsTeamChannels, as: NamedID.self) {
            let target = try source.convert(entry.id, for: .teamsTeamChannels, as: TeamsScheduledChannel.self)
            teamsTeamChannels.append((team: entry.name, channel: target.channel))
            if let own = target.schedule { schedules["teams:team:\(entry.name)"] = own }
        }
        if let target = try source.read(.teamsLeadershipChannel, as: TeamsScheduledChannel.self) {
            teamsLeadershipChannel = target.channel
            if let own = target.schedule { schedules["teams:leadership"] = own }
        }
        schedule = try source.read(.digestTime, as: DigestSchedule.self) ?? schedule
        publicURL = source.text(.publicURL).map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        linkSecret = source.text(.digestLinkSecret)
        if let days = try source.read(
            .digestLinkDays,
            { text throws(InvalidConfigurationValue) in
                try ConfigurationText.wholeNumber(
                    text, in: 1...365, otherwise: "must be a whole number of days from 1 to 365")
            })
        {
            linkLifetime = TimeInterval(days) * 86_400
        }
    }
}
