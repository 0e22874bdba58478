import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteMigrations {
    /// Weekly releases: everything a week's digests publish, stored once and never recomputed.
    static func registerReleaseMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-digest-releases") { db in
            try db.execute(
                sql: """
                    CREATE TABLE digest_releases (
                        week TEXT PRIMARY KEY NOT NULL,
                        release BLOB NOT NULL,
                        created_at REAL NOT NULL
                    );
                    """)
        }
    }
}

extension SQLiteStore: ReleaseStore {
    public func roster() async throws(StoreError) -> WeekRoster {
        try await read { db in
            let cells = try Row.fetchAll(
                db, sql: "SELECT team, role_level, COUNT(*) AS people FROM people GROUP BY team, role_level"
            ).map { row in
                let role: String = row["role_level"]
                return WeekRoster.Cell(team: row["team"], role: RoleLevel(rawValue: role) ?? .ic, people: row["people"])
            }
            return WeekRoster(cells: cells)
        }
    }

    public func releases(weeks: [String]) async throws(StoreError) -> [String: Data] {
        guard !weeks.isEmpty else { return [:] }
        let placeholders = weeks.map { _ in "?" }.joined(separator: ", ")
        return try await read { db in
            var result: [String: Data] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT week, release FROM digest_releases WHERE week IN (\(placeholders))",
                arguments: StatementArguments(weeks))
            {
                result[row["week"]] = row["release"]
            }
            return result
        }
    }

    public func latestRelease(before week: String) async throws(StoreError) -> Data? {
        try await read { db in
            try Data.fetchOne(
                db, sql: "SELECT release FROM digest_releases WHERE week < ? ORDER BY week DESC LIMIT 1",
                arguments: [week])
        }
    }

    public func createRelease(week: String, release: Data, at: Date) async throws(StoreError) -> Data {
        try await perform { db in
            try db.execute(
                sql:
                    "INSERT INTO digest_releases (week, release, created_at) VALUES (?, ?, ?) ON CONFLICT (week) DO NOTHING",
                arguments: [week, release, at.timeIntervalSince1970])
            guard
                let stored = try Data.fetchOne(
                    db, sql: "SELECT release FROM digest_releases WHERE week = ?", arguments: [week])
            else { throw StoreError.unexpected("release vanished") }
            return stored
        }
    }

    public func weeksWithDigests(_ weeks: [String]) async throws(StoreError) -> Set<String> {
        guard !weeks.isEmpty else { return [] }
        let placeholders = weeks.map { _ in "?" }.joined(separator: ", ")
        return try await read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT week FROM digests WHERE week IN (\(placeholders))",
                    arguments: StatementArguments(weeks)))
        }
    }
}
