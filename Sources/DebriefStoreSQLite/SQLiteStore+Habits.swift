import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteStore: HabitStore {
    public func habit(of person: Pseudonym) async throws(StoreError) -> HabitState? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT status, interval_days, since, leader_asks_stopped FROM habits WHERE pseudonym = ?",
                arguments: [person.value]
            ).flatMap(Self.habitState)
        }
    }

    public func setHabit(_ state: HabitState, of person: Pseudonym) async throws(StoreError) {
        try await perform { db in
            // Only for a stored person: a habit must not bring an erased person back.
            try db.execute(
                sql: """
                    INSERT INTO habits (pseudonym, status, interval_days, since, leader_asks_stopped)
                    SELECT pseudonym, ?, ?, ?, ? FROM people WHERE pseudonym = ?
                    ON CONFLICT (pseudonym) DO UPDATE SET status = excluded.status,
                        interval_days = excluded.interval_days, since = excluded.since,
                        leader_asks_stopped = excluded.leader_asks_stopped
                    """,
                arguments: [
                    state.status.rawValue, state.intervalDays, state.since.timeIntervalSince1970,
                    state.leaderAsksStopped, person.value,
                ])
        }
    }

    public func recordHabitPrompt(_ record: HabitPromptRecord, of person: Pseudonym) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.execute(
                sql: """
                    INSERT INTO habit_prompts (id, pseudonym, slot, kind, sent_at, answer, answered_at)
                    SELECT ?, pseudonym, ?, ?, ?, ?, ? FROM people WHERE pseudonym = ?
                    ON CONFLICT DO NOTHING
                    """,
                arguments: [
                    record.id, record.slot, record.kind.rawValue, record.sentAt.timeIntervalSince1970,
                    record.answer?.rawValue, record.answeredAt?.timeIntervalSince1970, person.value,
                ])
            return db.changesCount > 0
        }
    }

    public func habitPrompt(id: String) async throws(StoreError) -> (person: Pseudonym, record: HabitPromptRecord)? {
        let found = try await read { db -> (String, HabitPromptRecord)? in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.promptColumns), pseudonym FROM habit_prompts WHERE id = ?",
                    arguments: [id]),
                let record = Self.promptRecord(row)
            else { return nil }
            let pseudonym: String = row["pseudonym"]
            return (pseudonym, record)
        }
        return found.map { (Pseudonym(rawValue: $0.0), $0.1) }
    }

    public func hasHabitPrompt(slot: String, of person: Pseudonym) async throws(StoreError) -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM habit_prompts WHERE pseudonym = ? AND slot = ?)",
                arguments: [person.value, slot]) ?? false
        }
    }

    public func answerHabitPrompt(id: String, answer: HabitAnswer, at: Date) async throws(StoreError) -> Bool {
        try await perform { db in
            try db.execute(
                sql: "UPDATE habit_prompts SET answer = ?, answered_at = ? WHERE id = ? AND answer IS NULL",
                arguments: [answer.rawValue, at.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    public func habitPrompts(of person: Pseudonym) async throws(StoreError) -> [HabitPromptRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.promptColumns) FROM habit_prompts WHERE pseudonym = ? ORDER BY sent_at, id",
                arguments: [person.value]
            ).compactMap(Self.promptRecord)
        }
    }

    public func leadersForHabitAsk() async throws(StoreError) -> [Pseudonym] {
        try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT p.pseudonym FROM people p LEFT JOIN habits h ON h.pseudonym = p.pseudonym
                    WHERE p.role_level = 'leader' AND COALESCE(h.leader_asks_stopped, 0) = 0
                      AND (h.status = 'active'
                           OR EXISTS (SELECT 1 FROM training_participants t WHERE t.pseudonym = p.pseudonym))
                    ORDER BY p.pseudonym
                    """)
        }.map(Pseudonym.init(rawValue:))
    }

    private static let promptColumns = "id, slot, kind, sent_at, answer, answered_at"

    private static func promptRecord(_ row: Row) -> HabitPromptRecord? {
        guard let kindText: String = row["kind"], let kind = HabitPromptKind(rawValue: kindText) else { return nil }
        let answerText: String? = row["answer"]
        let answeredAt: Double? = row["answered_at"]
        return HabitPromptRecord(
            id: row["id"], slot: row["slot"], kind: kind, sentAt: Date(timeIntervalSince1970: row["sent_at"]),
            answer: answerText.flatMap(HabitAnswer.init(rawValue:)),
            answeredAt: answeredAt.map(Date.init(timeIntervalSince1970:)))
    }

    private static func habitState(_ row: Row) -> HabitState? {
        guard let statusText: String = row["status"], let status = HabitStatus(rawValue: statusText) else {
            return nil
        }
        return HabitState(
            status: status, intervalDays: row["interval_days"], since: Date(timeIntervalSince1970: row["since"]),
            leaderAsksStopped: row["leader_asks_stopped"])
    }
}
