import ArgumentParser
import DebriefCore
import DebriefFakeTeams
import DebriefServer
import Foundation

/// `debrief demo --platform`: where the synthetic organisation works.
enum DemoPlatformChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    case slack
    case teams
    case both

    var platforms: [Platform] {
        switch self {
        case .slack: [.slack]
        case .teams: [.teams]
        case .both: [.slack, .teams]
        }
    }

    /// How trainings get registered, for the summary.
    var registrationPhrase: String {
        switch self {
        case .slack: "registered with POST /api/v1/trainings"
        case .teams: "registered by the L&D admin typing `debrief training add …` to the bot"
        case .both: "each registered twice: with POST /api/v1/trainings for Slack, typed to the bot in Teams"
        }
    }

    /// What the server runs against, for the opening line.
    var fakesPhrase: String {
        switch self {
        case .slack: "an in-process fake Slack"
        case .teams: "an in-process fake Microsoft Teams (Bot Connector and Bot Framework token issuer)"
        case .both: "an in-process fake Slack and fake Microsoft Teams"
        }
    }
}

/// The loopback fakes of the platforms the demo uses, and the server configuration that points at them.
struct DemoFakes: Sendable {
    let slack: DemoSlack?
    let teams: DemoTeams?

    /// The L&D admin who registers trainings in Teams by typing to the bot (not part of the organisation).
    static let teamsAdmin = DemoTeams.member(
        userID: "U100000", name: "Learning Team", email: "learning@debrief-demo.example",
        timeZone: DemoOrganisation.organisationZone)

    static func start(organisation: DemoOrganisation, platform: DemoPlatformChoice, token: String) async throws
        -> DemoFakes
    {
        var slack: DemoSlack?
        var teams: DemoTeams?
        if platform.platforms.contains(.slack) {
            let usergroups = organisation.usergroups(on: .slack)
            var channels: [String: [String]] = [:]
            for team in organisation.teams {
                channels[team.channel] = (usergroups[team.group] ?? []) + [DemoSlack.botUserID]
            }
            channels[DemoOrganisation.leadershipChannel] =
                (usergroups[DemoOrganisation.leaderGroup] ?? []) + [DemoSlack.botUserID]
            slack = try await DemoSlack.start(
                token: token, users: organisation.slackUsers, usergroups: usergroups, channels: channels)
        }
        if platform.platforms.contains(.teams) {
            teams = try await DemoTeams.start(
                members: organisation.teamsMembers + [teamsAdmin], teams: teamsTeams(organisation))
        }
        return DemoFakes(slack: slack, teams: teams)
    }

    /// The organisation's teams in Microsoft Teams: one per user group (cohorts, role groups, teams), and one
    /// per digest channel (its General channel gets the digest), each with its members who are in Teams.
    static func teamsTeams(_ organisation: DemoOrganisation) -> [String: [String]] {
        let usergroups = organisation.usergroups(on: .teams)
        var teams: [String: [String]] = [:]
        for (group, members) in usergroups { teams[DemoTeams.teamID(group: group)] = members }
        for team in organisation.teams {
            teams[DemoTeams.teamID(group: team.channel)] = usergroups[team.group] ?? []
        }
        teams[DemoTeams.teamID(group: DemoOrganisation.leadershipChannel)] =
            usergroups[DemoOrganisation.leaderGroup] ?? []
        return teams
    }

    /// Points the server at the fakes. Role levels and teams come from one platform's groups: Slack user
    /// groups, or (Teams only) the teams the bot is in. With both platforms they are set through the admin API
    /// instead (`PUT /api/v1/roles`, once per platform: groups reach one platform only), and the org-wide digest
    /// also goes to Teams.
    func configure(
        _ configuration: inout DebriefConfiguration, organisation: DemoOrganisation, signingSecret: String
    ) {
        if let slack {
            configuration.slack = SlackConfiguration(
                credentials: .init(signingSecret: signingSecret, botToken: Demo.botToken), apiURL: slack.baseURL)
            configuration.slack.sendRatePerSecond = 5_000
            configuration.digests.leadershipChannel = DemoOrganisation.leadershipChannel
            configuration.digests.teamChannels = organisation.teams.map { (team: $0.name, channel: $0.channel) }
        }
        if slack != nil, teams == nil {
            configuration.digests.roleGroups = [
                (role: "leader", group: DemoOrganisation.leaderGroup),
                (role: "manager", group: DemoOrganisation.managerGroup),
            ]
            configuration.digests.teamGroups = organisation.teams.map { (team: $0.name, group: $0.group) }
        }
        guard let teams else { return }
        configuration.teams = TeamsConfiguration(
            credentials: .init(
                appID: DemoTeams.appID, password: FakeTeams.defaultPassword, tenantID: DemoTeams.tenantID),
            openIDMetadataURL: teams.connector.tokenBaseURL + FakeBotFrameworkIssuer.metadataPath,
            tokenURL: teams.connector.tokenBaseURL, serviceURL: teams.serviceURL, sendRatePerSecond: 1_000,
            adminUsers: [Self.teamsAdmin.objectID])
        configuration.digests.teamsLeadershipChannel = DemoTeams.teamID(group: DemoOrganisation.leadershipChannel)
        guard slack == nil else { return }
        configuration.digests.roleGroups = [
            (role: "leader", group: DemoTeams.teamID(group: DemoOrganisation.leaderGroup)),
            (role: "manager", group: DemoTeams.teamID(group: DemoOrganisation.managerGroup)),
        ]
        configuration.digests.teamGroups = organisation.teams.map {
            (team: $0.name, group: DemoTeams.teamID(group: $0.group))
        }
        configuration.digests.teamsTeamChannels = organisation.teams.map {
            (team: $0.name, channel: DemoTeams.teamID(group: $0.channel))
        }
    }

    func stop() async {
        await slack?.stop()
        await teams?.stop()
    }
}
