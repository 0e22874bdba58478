import DebriefCore
import DebriefStore
import Foundation

// TEMPORARY STUBS on the pg-base branch: the helper that owns this file replaces every body.
extension PostgresStore: DigestStore {
    public func assignRoles(_ assignments: [RoleAssignment], at: Date) async throws(StoreError) -> Int {
        throw .unexpected("PostgresStore.assignRoles is not written yet")
    }

    public func replaceRoles(_ assignments: [RoleAssignment], resettingRoleLevels: Bool, resettingTeams: Bool)
        async throws(StoreError) -> Int
    {
        throw .unexpected("PostgresStore.replaceRoles is not written yet")
    }

    public func roleAndTeam(of person: Pseudonym) async throws(StoreError) -> (roleLevel: String, team: String?)? {
        throw .unexpected("PostgresStore.roleAndTeam is not written yet")
    }

    public func weeklyCells(weeks: [String]) async throws(StoreError) -> [WeeklyCellStats] {
        throw .unexpected("PostgresStore.weeklyCells is not written yet")
    }

    public func cohortStats(endedBefore: Date) async throws(StoreError) -> [TrainingCohortStats] {
        throw .unexpected("PostgresStore.cohortStats is not written yet")
    }

    public func quoteCandidates(week: String, limit: Int) async throws(StoreError) -> [QuoteRow] {
        throw .unexpected("PostgresStore.quoteCandidates is not written yet")
    }

    public func digest(target: String, week: String) async throws(StoreError) -> StoredDigest? {
        throw .unexpected("PostgresStore.digest is not written yet")
    }

    public func digest(id: String) async throws(StoreError) -> StoredDigest? {
        throw .unexpected("PostgresStore.digest is not written yet")
    }

    public func createDigest(_ digest: StoredDigest) async throws(StoreError) -> StoredDigest {
        throw .unexpected("PostgresStore.createDigest is not written yet")
    }

    public func markDigestPosting(id: String, startedAt: Date, staleBefore: Date) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.markDigestPosting is not written yet")
    }

    public func markDigestPosted(id: String, channel: String, ts: String, at: Date) async throws(StoreError) {
        throw .unexpected("PostgresStore.markDigestPosted is not written yet")
    }

}
