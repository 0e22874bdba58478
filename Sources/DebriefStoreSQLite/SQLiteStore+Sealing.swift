import DebriefCore
import DebriefStore
import Foundation
import GRDB

/// Sealing and opening the platform identifiers the store keeps, and removing an erased person's id from them.
///
/// Each sealed value is bound to its row (a pseudonym, a nudge id, a job id, a training id), so a value copied
/// into another row does not open.
extension SQLiteStore {
    static func sealAddress(_ address: DeliveryAddress, of person: Pseudonym, keys: SQLiteKeyring.Keys) throws
        -> Data
    {
        try sealed { () throws(SealingError) in try keys.addresses.seal(address, context: person.value) }
    }

    static func openAddress(_ sealed: Data, of person: Pseudonym, keys: SQLiteKeyring.Keys) throws -> DeliveryAddress {
        try opened { () throws(SealingError) in
            try keys.addresses.open(DeliveryAddress.self, from: sealed, context: person.value)
        }
    }

    static func sealChannel(_ channel: String, nudgeID: String, keys: SQLiteKeyring.Keys) throws -> Data {
        try sealed { () throws(SealingError) in try keys.nudgeMessages.seal(Data(channel.utf8), context: nudgeID) }
    }

    static func openChannel(_ sealed: Data, nudgeID: String, keys: SQLiteKeyring.Keys) throws -> String {
        String(
            decoding: try opened { () throws(SealingError) in try keys.nudgeMessages.open(sealed, context: nudgeID) },
            as: UTF8.self)
    }

    static func sealIdentifiers(_ identifiers: JobIdentifiers, jobID: Int64, keys: SQLiteKeyring.Keys) throws -> Data? {
        guard !identifiers.isEmpty else { return nil }
        return try sealed { () throws(SealingError) in
            try keys.jobIdentifiers.seal(identifiers, context: "job:\(jobID)")
        }
    }

    static func openIdentifiers(_ sealed: Data?, jobID: Int64, keys: SQLiteKeyring.Keys) throws -> JobIdentifiers {
        guard let sealed else { return .none }
        return try opened { () throws(SealingError) in
            try keys.jobIdentifiers.open(JobIdentifiers.self, from: sealed, context: "job:\(jobID)")
        }
    }

    static func sealReport(_ report: TrainingResolutionReport, trainingID: String, keys: SQLiteKeyring.Keys) throws
        -> Data
    {
        try sealed { () throws(SealingError) in try keys.reports.seal(report, context: trainingID) }
    }

    static func openReport(_ sealed: Data, trainingID: String, keys: SQLiteKeyring.Keys) throws
        -> TrainingResolutionReport
    {
        try opened { () throws(SealingError) in
            try keys.reports.open(TrainingResolutionReport.self, from: sealed, context: trainingID)
        }
    }

    /// Removes the user ids from the identifiers of every job that has any, whatever its state.
    static func removeFromJobIdentifiers(_ db: Database, userIDs: Set<String>, keys: SQLiteKeyring.Keys) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, identifiers FROM jobs WHERE identifiers IS NOT NULL")
        for row in rows {
            let id: Int64 = row["id"]
            var identifiers = try openIdentifiers(row["identifiers"], jobID: id, keys: keys)
            var changed = false
            for userID in userIDs where identifiers.remove(userID) { changed = true }
            guard changed else { continue }
            try db.execute(
                sql: "UPDATE jobs SET identifiers = ? WHERE id = ?",
                arguments: [try sealIdentifiers(identifiers, jobID: id, keys: keys), id])
        }
    }

    /// Removes the user ids from every training's list of people who could not be reached.
    static func removeFromResolutionReports(_ db: Database, userIDs: Set<String>, keys: SQLiteKeyring.Keys) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, resolution_report FROM trainings WHERE resolution_report IS NOT NULL")
        for row in rows {
            let id: String = row["id"]
            var report = try openReport(row["resolution_report"], trainingID: id, keys: keys)
            var changed = false
            for userID in userIDs where report.remove(userID: userID) { changed = true }
            guard changed else { continue }
            try db.execute(
                sql: "UPDATE trainings SET resolution_report = ?, unresolved_count = ? WHERE id = ?",
                arguments: [try sealReport(report, trainingID: id, keys: keys), report.unresolvedCount, id])
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
