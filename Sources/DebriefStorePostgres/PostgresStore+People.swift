import DebriefCore
import DebriefStore
import Foundation

// TEMPORARY STUBS on the pg-base branch: the helper that owns this file replaces every body.
extension PostgresStore {
    public func recordInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.recordInboundDelivery is not written yet")
    }

    public func removeInboundDelivery(_ delivery: InboundDelivery) async throws(StoreError) {
        throw .unexpected("PostgresStore.removeInboundDelivery is not written yet")
    }

    public func upsertPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, at now: Date) async throws(StoreError)
        -> PersonPreferences
    {
        throw .unexpected("PostgresStore.upsertPerson is not written yet")
    }

    public func refreshPerson(_ address: DeliveryAddress, pseudonym: Pseudonym, timeZone: String?, at now: Date)
        async throws(StoreError)
    {
        throw .unexpected("PostgresStore.refreshPerson is not written yet")
    }

    public func recordReflection(_ reflection: Reflection, from address: DeliveryAddress) async throws(StoreError) {
        throw .unexpected("PostgresStore.recordReflection is not written yet")
    }

    public func insertReflection(_ reflection: Reflection) async throws(StoreError) {
        throw .unexpected("PostgresStore.insertReflection is not written yet")
    }

    public func replaceReflection(_ reflection: Reflection) async throws(StoreError) -> Bool {
        throw .unexpected("PostgresStore.replaceReflection is not written yet")
    }

    public func reflection(id: String, of person: Pseudonym) async throws(StoreError) -> Reflection? {
        throw .unexpected("PostgresStore.reflection is not written yet")
    }

    public func preferences(of person: Pseudonym) async throws(StoreError) -> PersonPreferences? {
        throw .unexpected("PostgresStore.preferences is not written yet")
    }

    public func setPreferences(_ preferences: PersonPreferences, of person: Pseudonym) async throws(StoreError) {
        throw .unexpected("PostgresStore.setPreferences is not written yet")
    }

    public func exportPerson(_ person: Pseudonym) async throws(StoreError) -> PersonExport? {
        throw .unexpected("PostgresStore.exportPerson is not written yet")
    }

    public func erasePerson(_ person: Pseudonym, address: DeliveryAddress) async throws(StoreError) -> Int {
        throw .unexpected("PostgresStore.erasePerson is not written yet")
    }

    public func recordInstallationEvent(_ event: InstallationEvent) async throws(StoreError) {
        throw .unexpected("PostgresStore.recordInstallationEvent is not written yet")
    }

    public func installationEvents(workspace: String) async throws(StoreError) -> [InstallationEvent] {
        throw .unexpected("PostgresStore.installationEvents is not written yet")
    }

    public func instanceSecret(named name: String, generate: @escaping @Sendable () -> String) async throws(StoreError)
        -> String
    {
        throw .unexpected("PostgresStore.instanceSecret is not written yet")
    }

}
