import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// Weekly releases, stored once per week and never recomputed: the SQLite store's behaviour
/// (`SQLiteStore+Releases.swift`). Weeks (`2026-W47`) are compared byte-wise (`COLLATE "C"`, SQLite's BINARY)
/// whatever the database's collation, so "the latest before" means the same on both stores.
extension PostgresStore: ReleaseStore {
    public func roster() async throws(StoreError) -> WeekRoster {
        try await read { connection in
            let cells = try await connection.rows(
                "SELECT team, role_level, COUNT(*) FROM people GROUP BY team, role_level"
            ).map { row in
                let (team, role, people) = try row.decode((String?, String, Int).self)
                return WeekRoster.Cell(team: team, role: RoleLevel(rawValue: role) ?? .ic, people: people)
            }
            return WeekRoster(cells: cells)
        }
    }

    public func releases(weeks: [String]) async throws(StoreError) -> [String: Data] {
        guard !weeks.isEmpty else { return [:] }
        return try await read { connection in
            var result: [String: Data] = [:]
            for try await (week, release) in try await connection.query(
                "SELECT week, release FROM digest_releases WHERE week = ANY(\(weeks))", logger: Self.quiet
            ).decode((String, Data).self) {
                result[week] = release
            }
            return result
        }
    }

    public func latestRelease(before week: String) async throws(StoreError) -> Data? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT release FROM digest_releases WHERE week COLLATE "C" < \(week) COLLATE "C"
                ORDER BY week COLLATE "C" DESC LIMIT 1
                """
            ).first?.decode(Data.self)
        }
    }

    /// Insert unless present, then read what is stored: a replica that lost the race gets the winner's release
    /// (the insert waits for a concurrent insert of the same week to commit, and the read sees it).
    public func createRelease(week: String, release: Data, at: Date) async throws(StoreError) -> Data {
        try await write { connection in
            try await connection.execute(
                """
                INSERT INTO digest_releases (week, release, created_at)
                VALUES (\(week), \(release), \(at.timeIntervalSince1970))
                ON CONFLICT (week) DO NOTHING
                """)
            guard
                let stored = try await connection.rows(
                    "SELECT release FROM digest_releases WHERE week = \(week)"
                ).first
            else { throw StoreError.unexpected("release vanished") }
            return try stored.decode(Data.self)
        }
    }

    public func weeksWithDigests(_ weeks: [String]) async throws(StoreError) -> Set<String> {
        guard !weeks.isEmpty else { return [] }
        return try await read { connection in
            var found: Set<String> = []
            for try await week in try await connection.query(
                "SELECT DISTINCT week FROM digests WHERE week = ANY(\(weeks))", logger: Self.quiet
            ).decode(String.self) {
                found.insert(week)
            }
            return found
        }
    }
}
