import DebriefCore
import Foundation

/// Where a weekly digest goes: the org-wide leadership channel or one team's channel.
struct DigestTarget: Sendable, Equatable, Codable, Hashable {
    enum Scope: Sendable, Equatable, Codable, Hashable {
        case leadership
        case team(String)
    }

    var scope: Scope
    var channel: String
    /// The platform the channel is on.
    var platform: Platform = .slack

    init(scope: Scope, channel: String, platform: Platform = .slack) {
        self.scope = scope
        self.channel = channel
        self.platform = platform
    }

    private enum CodingKeys: String, CodingKey { case scope, channel, platform }

    /// Jobs queued before targets named their platform are Slack's.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scope = try container.decode(Scope.self, forKey: .scope)
        channel = try container.decode(String.self, forKey: .channel)
        platform = try container.decodeIfPresent(Platform.self, forKey: .platform) ?? .slack
    }

    /// Stable key for the unique (target, week) digest row, its job's dedupe key and its own posting time:
    /// `leadership` and `team:<name>` on Slack (as before Teams existed), `teams:leadership` and
    /// `teams:team:<name>` on Teams, so an organisation on both platforms gets each digest posted once on each.
    var key: String { platform == .slack ? scope.key : "\(platform.rawValue):\(scope.key)" }

    static func targets(from configuration: DebriefConfiguration) -> [DigestTarget] {
        var targets: [DigestTarget] = []
        if let channel = configuration.digests.leadershipChannel {
            targets.append(DigestTarget(scope: .leadership, channel: channel))
        }
        for (team, channel) in configuration.digests.teamChannels {
            targets.append(DigestTarget(scope: .team(team), channel: channel))
        }
        if let channel = configuration.digests.teamsLeadershipChannel {
            targets.append(DigestTarget(scope: .leadership, channel: channel, platform: .teams))
        }
        for (team, channel) in configuration.digests.teamsTeamChannels {
            targets.append(DigestTarget(scope: .team(team), channel: channel, platform: .teams))
        }
        return targets
    }
}

extension DigestTarget.Scope {
    /// The scope a target key names (`leadership`, `team:<name>`, either after a platform's `teams:`); nil for
    /// anything else, an empty team too.
    init?(key: String) {
        if let platform = Platform.allCases.first(where: { key.hasPrefix($0.rawValue + ":") }),
            platform != .slack
        {
            self.init(key: String(key.dropFirst(platform.rawValue.count + 1)))
        } else if key == "leadership" {
            self = .leadership
        } else if key.hasPrefix("team:"), key.count > "team:".count {
            self = .team(String(key.dropFirst("team:".count)))
        } else {
            return nil
        }
    }

    /// `leadership` or `team:<name>`: the digest row's target.
    var key: String {
        switch self {
        case .leadership: "leadership"
        case .team(let name): "team:\(name)"
        }
    }

    var audience: DigestAudience {
        switch self {
        case .leadership: .leadership
        case .team(let team): .team(team)
        }
    }
}
