import DebriefCore
import DebriefStore
import Foundation

// TEMPORARY STUBS on the pg-base branch: the helper that owns this file replaces every body.
extension PostgresStore: ChannelStore {
    public func recordChannel(_ channel: PlatformChannel) async throws(StoreError) {
        throw .unexpected("PostgresStore.recordChannel is not written yet")
    }

    public func removeChannels(platform: Platform, teamID: String) async throws(StoreError) {
        throw .unexpected("PostgresStore.removeChannels is not written yet")
    }

    public func channels(platform: Platform) async throws(StoreError) -> [PlatformChannel] {
        throw .unexpected("PostgresStore.channels is not written yet")
    }

}
