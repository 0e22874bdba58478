import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteMigrations {
    /// Teams and channels the bot was added to (Teams): digest destinations and the rosters of the directory.
    static func registerChannelMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-platform-channels") { db in
            try db.execute(
                sql: """
                    CREATE TABLE platform_channels (
                        platform TEXT NOT NULL,
                        workspace TEXT NOT NULL,
                        team_id TEXT NOT NULL,
                        channel_id TEXT NOT NULL,
                        name TEXT,
                        service_url TEXT,
                        updated_at REAL NOT NULL,
                        PRIMARY KEY (platform, channel_id)
                    );
                    CREATE INDEX platform_channels_team ON platform_channels(platform, team_id);
                    """)
        }
    }
}

extension SQLiteStore: ChannelStore {
    public func recordChannel(_ channel: PlatformChannel) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: """
                    INSERT INTO platform_channels
                        (platform, workspace, team_id, channel_id, name, service_url, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (platform, channel_id) DO UPDATE SET
                        workspace = excluded.workspace, team_id = excluded.team_id,
                        name = COALESCE(excluded.name, platform_channels.name),
                        service_url = COALESCE(excluded.service_url, platform_channels.service_url),
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    channel.platform.rawValue, channel.workspace, channel.teamID, channel.channelID,
                    StoredText.storable(channel.name),
                    channel.serviceURL, channel.updatedAt.timeIntervalSince1970,
                ])
        }
    }

    public func removeChannels(platform: Platform, teamID: String) async throws(StoreError) {
        try await perform { db in
            try db.execute(
                sql: "DELETE FROM platform_channels WHERE platform = ? AND team_id = ?",
                arguments: [platform.rawValue, teamID])
        }
    }

    public func channels(platform: Platform) async throws(StoreError) -> [PlatformChannel] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT workspace, team_id, channel_id, name, service_url, updated_at FROM platform_channels
                    WHERE platform = ? ORDER BY team_id, channel_id
                    """,
                arguments: [platform.rawValue]
            ).map { row in
                PlatformChannel(
                    platform: platform, workspace: row["workspace"], teamID: row["team_id"],
                    channelID: row["channel_id"], name: row["name"], serviceURL: row["service_url"],
                    updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            }
        }
    }
}
