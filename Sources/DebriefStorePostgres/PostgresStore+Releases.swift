import DebriefCore
import DebriefStore
import Foundation

// TEMPORARY STUBS on the pg-base branch: the helper that owns this file replaces every body.
extension PostgresStore: ReleaseStore {
    public func roster() async throws(StoreError) -> WeekRoster {
        throw .unexpected("PostgresStore.roster is not written yet")
    }

    public func releases(weeks: [String]) async throws(StoreError) -> [String: Data] {
        throw .unexpected("PostgresStore.releases is not written yet")
    }

    public func latestRelease(before week: String) async throws(StoreError) -> Data? {
        throw .unexpected("PostgresStore.latestRelease is not written yet")
    }

    public func createRelease(week: String, release: Data, at: Date) async throws(StoreError) -> Data {
        throw .unexpected("PostgresStore.createRelease is not written yet")
    }

    public func weeksWithDigests(_ weeks: [String]) async throws(StoreError) -> Set<String> {
        throw .unexpected("PostgresStore.weeksWithDigests is not written yet")
    }

}
