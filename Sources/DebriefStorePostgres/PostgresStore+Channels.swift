import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// Teams and channels the bot was added to: the SQLite store's upsert, which keeps a known name and service URL
/// when a later event carries none. `ON CONFLICT DO UPDATE` is atomic, so two replicas recording the same
/// channel at once both succeed.
extension PostgresStore: ChannelStore {
    public func recordChannel(_ channel: PlatformChannel) async throws(StoreError) {
        try await write { connection in
            let updatedAt = channel.updatedAt.timeIntervalSince1970
            try await connection.execute(
                """
                INSERT INTO platform_channels
                    (platform, workspace, team_id, channel_id, name, service_url, updated_at)
                VALUES (\(channel.platform.rawValue), \(channel.workspace), \(channel.teamID), \(channel.channelID),
                    \(StoredText.storable(channel.name)), \(channel.serviceURL), \(updatedAt))
                ON CONFLICT (platform, channel_id) DO UPDATE SET
                    workspace = excluded.workspace, team_id = excluded.team_id,
                    name = COALESCE(excluded.name, platform_channels.name),
                    service_url = COALESCE(excluded.service_url, platform_channels.service_url),
                    updated_at = excluded.updated_at
                """)
        }
    }

    public func removeChannels(platform: Platform, teamID: String) async throws(StoreError) {
        try await write { connection in
            try await connection.execute(
                "DELETE FROM platform_channels WHERE platform = \(platform.rawValue) AND team_id = \(teamID)")
        }
    }

    public func channels(platform: Platform) async throws(StoreError) -> [PlatformChannel] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT workspace, team_id, channel_id, name, service_url, updated_at FROM platform_channels
                WHERE platform = \(platform.rawValue) ORDER BY team_id, channel_id
                """
            ).map { row in
                let (workspace, teamID, channelID, name, serviceURL, updatedAt) = try row.decode(
                    (String, String, String, String?, String?, Double).self)
                return PlatformChannel(
                    platform: platform, workspace: workspace, teamID: teamID, channelID: channelID, name: name,
                    serviceURL: serviceURL, updatedAt: Date(timeIntervalSince1970: updatedAt))
            }
        }
    }
}
