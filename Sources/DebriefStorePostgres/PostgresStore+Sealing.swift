import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// Sealing and opening the platform identifiers the store keeps, and removing an erased person's id from them.
///
/// The SQLite store's sealers and contexts exactly (`SQLiteStore+Sealing.swift`): each sealed value is bound to
/// its row (a pseudonym, a nudge id, a job id, a training id), so a value copied into another row does not open,
/// and a value copied from a SQLite database opens here with the same pseudonym key.
extension PostgresStore {
    static func sealAddress(_ address: DeliveryAddress, of person: Pseudonym, keys: PostgresKeyring.Keys) throws
        -> Data
    {
        try sealed { () throws(SealingError) in try keys.addresses.seal(address, context: person.value) }
    }

    static func openAddress(_ sealed: Data, of person: Pseudonym, keys: PostgresKeyring.Keys) throws
        -> DeliveryAddress
    {
        try opened { () throws(SealingError) in
            try keys.addresses.open(DeliveryAddress.self, from: sealed, context: person.value)
        }
    }

    static func sealChannel(_ channel: String, nudgeID: String, keys: PostgresKeyring.Keys) throws -> Data {
        try sealed { () throws(SealingError) in try keys.nudgeMessages.seal(Data(channel.utf8), context: nudgeID) }
    }

    static func openChannel(_ sealed: Data, nudgeID: String, keys: PostgresKeyring.Keys) throws -> String {
        String(
            decoding: try opened { () throws(SealingError) in try keys.nudgeMessages.open(sealed, context: nudgeID) },
            as: UTF8.self)
    }

    static func sealIdentifiers(_ identifiers: JobIdentifiers, jobID: Int64, keys: PostgresKeyring.Keys) throws
        -> Data?
    {
        guard !identifiers.isEmpty else { return nil }
        return try sealed { () throws(SealingError) in
            try keys.jobIdentifiers.seal(identifiers, context: "job:\(jobID)")
        }
    }

    static func openIdentifiers(_ sealed: Data?, jobID: Int64, keys: PostgresKeyring.Keys) throws -> JobIdentifiers {
        guard let sealed else { return .none }
        return try opened { () throws(SealingError) in
            try keys.jobIdentifiers.open(JobIdentifiers.self, from: sealed, context: "job:\(jobID)")
        }
    }

    static func sealReport(_ report: TrainingResolutionReport, trainingID: String, keys: PostgresKeyring.Keys) throws
        -> Data
    {
        try sealed { () throws(SealingError) in try keys.reports.seal(report, context: trainingID) }
    }

    static func openReport(_ sealed: Data, trainingID: String, keys: PostgresKeyring.Keys) throws
        -> TrainingResolutionReport
    {
        try opened { () throws(SealingError) in
            try keys.reports.open(TrainingResolutionReport.self, from: sealed, context: trainingID)
        }
    }

    /// Removes the user ids from the identifiers of every job that has any, whatever its state.
    ///
    /// Why `FOR UPDATE`: the rows are read, opened, changed and written back; without the lock a job update on
    /// another replica between the read and the write would be overwritten, or would write back the erased id.
    static func removeFromJobIdentifiers(
        _ connection: PostgresConnection, userIDs: Set<String>, keys: PostgresKeyring.Keys
    ) async throws {
        guard !userIDs.isEmpty else { return }
        let rows = try await connection.rows(
            "SELECT id, identifiers FROM jobs WHERE identifiers IS NOT NULL ORDER BY id FOR UPDATE")
        for row in rows {
            let (id, sealed) = try row.decode((Int64, Data).self)
            var identifiers = try openIdentifiers(sealed, jobID: id, keys: keys)
            var changed = false
            for userID in userIDs where identifiers.remove(userID) { changed = true }
            guard changed else { continue }
            let resealed = try sealIdentifiers(identifiers, jobID: id, keys: keys)
            try await connection.execute("UPDATE jobs SET identifiers = \(resealed) WHERE id = \(id)")
        }
    }

    /// Removes the user ids from every training's list of people who could not be reached (and its count), with the
    /// rows locked for the same reason as ``removeFromJobIdentifiers(_:userIDs:keys:)``.
    static func removeFromResolutionReports(
        _ connection: PostgresConnection, userIDs: Set<String>, keys: PostgresKeyring.Keys
    ) async throws {
        guard !userIDs.isEmpty else { return }
        let rows = try await connection.rows(
            "SELECT id, resolution_report FROM trainings WHERE resolution_report IS NOT NULL ORDER BY id FOR UPDATE")
        for row in rows {
            let (id, sealed) = try row.decode((String, Data).self)
            var report = try openReport(sealed, trainingID: id, keys: keys)
            var changed = false
            for userID in userIDs where report.remove(userID: userID) { changed = true }
            guard changed else { continue }
            let resealed = try sealReport(report, trainingID: id, keys: keys)
            let unresolved = report.unresolvedCount
            try await connection.execute(
                """
                UPDATE trainings SET resolution_report = \(resealed), unresolved_count = \(unresolved)
                WHERE id = \(id)
                """)
        }
    }

    private static func sealed(_ work: () throws(SealingError) -> Data) throws(StoreError) -> Data {
        do { return try work() } catch { throw StoreError.unexpected(error.description) }
    }

    private static func opened<Value>(_ work: () throws(SealingError) -> Value) throws(StoreError) -> Value {
        do { return try work() } catch {
            throw StoreError.invalidConfiguration("\(error.description) (was DEBRIEF_PSEUDONYM_KEY changed?)")
        }
    }
}
