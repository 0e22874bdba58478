import DebriefCore
import Foundation

/// The teams and channels the bot was added to on platforms that tell it so (Teams): where digests can be
/// posted, which team rosters make up the directory quotes are scrubbed against, and the regional service URL
/// to reach each. No personal data: team and channel ids and names only.
public protocol ChannelStore: Sendable {
    /// Creates or refreshes a channel (its name, team and service URL as last heard).
    func recordChannel(_ channel: PlatformChannel) async throws(StoreError)

    /// Forgets a channel (deleted, or the bot was removed from its team).
    func removeChannels(platform: Platform, teamID: String) async throws(StoreError)

    /// Every known channel of a platform, by team then channel id.
    func channels(platform: Platform) async throws(StoreError) -> [PlatformChannel]
}

/// A channel of a team the bot is in.
public struct PlatformChannel: Sendable, Equatable, Codable {
    public var platform: Platform
    /// The tenant (Teams) the team belongs to.
    public var workspace: String
    /// The team (Teams: the id of its General channel, `19:…@thread.tacv2`).
    public var teamID: String
    public var channelID: String
    public var name: String?
    /// Where outbound calls about this channel go (Teams' regional `serviceUrl`).
    public var serviceURL: String?
    public var updatedAt: Date

    public init(
        platform: Platform, workspace: String, teamID: String, channelID: String, name: String? = nil,
        serviceURL: String? = nil, updatedAt: Date
    ) {
        self.platform = platform
        self.workspace = workspace
        self.teamID = teamID
        self.channelID = channelID
        self.name = name
        self.serviceURL = serviceURL
        self.updatedAt = updatedAt
    }
}
