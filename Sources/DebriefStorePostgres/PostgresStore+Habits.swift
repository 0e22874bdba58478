import DebriefCore
import DebriefStore
import Foundation
import PostgresNIO

/// The habit after a training, as the SQLite store keeps it. "First one wins" (a slot's message, a message's
/// answer) rests on `ON CONFLICT DO NOTHING` and `WHERE answer IS NULL` with `RETURNING`, which are atomic, so two
/// replicas handling the same slot or click record it once.
extension PostgresStore: HabitStore {
    public func habit(of person: Pseudonym) async throws(StoreError) -> HabitState? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT status, interval_days, since, leader_asks_stopped FROM habits
                WHERE pseudonym = \(person.value)
                """
            ).first.flatMap { row -> HabitState? in
                let (status, interval, since, stopped) = try row.decode((String, Int, Double, Bool).self)
                return HabitStatus(rawValue: status).map {
                    HabitState(
                        status: $0, intervalDays: interval, since: Date(timeIntervalSince1970: since),
                        leaderAsksStopped: stopped)
                }
            }
        }
    }

    public func setHabit(_ state: HabitState, of person: Pseudonym) async throws(StoreError) {
        try await write { connection in
            let since = state.since.timeIntervalSince1970
            try await connection.execute(
                """
                INSERT INTO habits (pseudonym, status, interval_days, since, leader_asks_stopped)
                SELECT pseudonym, \(state.status.rawValue), \(state.intervalDays), \(since), \(state.leaderAsksStopped)
                FROM people WHERE pseudonym = \(person.value)
                ON CONFLICT (pseudonym) DO UPDATE SET status = excluded.status,
                    interval_days = excluded.interval_days, since = excluded.since,
                    leader_asks_stopped = excluded.leader_asks_stopped
                """)
        }
    }

    public func recordHabitPrompt(_ record: HabitPromptRecord, of person: Pseudonym) async throws(StoreError) -> Bool {
        try await write { connection in
            let sentAt = record.sentAt.timeIntervalSince1970
            let answeredAt = record.answeredAt?.timeIntervalSince1970
            return try await !connection.rows(
                """
                INSERT INTO habit_prompts (id, pseudonym, slot, kind, sent_at, answer, answered_at)
                SELECT \(record.id), pseudonym, \(record.slot), \(record.kind.rawValue), \(sentAt),
                    \(record.answer?.rawValue), \(answeredAt)
                FROM people WHERE pseudonym = \(person.value)
                ON CONFLICT DO NOTHING RETURNING 1
                """
            ).isEmpty
        }
    }

    public func habitPrompt(id: String) async throws(StoreError) -> (person: Pseudonym, record: HabitPromptRecord)? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT id, slot, kind, sent_at, answer, answered_at, pseudonym FROM habit_prompts WHERE id = \(id)
                """
            ).first.flatMap { row in
                let (id, slot, kind, sentAt, answer, answeredAt, person) = try row.decode(
                    (String, String, String, Double, String?, Double?, String).self)
                return Self.promptRecord(id, slot, kind, sentAt, answer, answeredAt).map {
                    (Pseudonym(rawValue: person), $0)
                }
            }
        }
    }

    public func hasHabitPrompt(slot: String, of person: Pseudonym) async throws(StoreError) -> Bool {
        try await read { connection in
            try await !connection.rows(
                "SELECT 1 FROM habit_prompts WHERE pseudonym = \(person.value) AND slot = \(slot)"
            ).isEmpty
        }
    }

    public func answerHabitPrompt(id: String, answer: HabitAnswer, at: Date) async throws(StoreError) -> Bool {
        try await write { connection in
            let answeredAt = at.timeIntervalSince1970
            return try await !connection.rows(
                """
                UPDATE habit_prompts SET answer = \(answer.rawValue), answered_at = \(answeredAt)
                WHERE id = \(id) AND answer IS NULL RETURNING 1
                """
            ).isEmpty
        }
    }

    public func habitPrompts(of person: Pseudonym) async throws(StoreError) -> [HabitPromptRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT id, slot, kind, sent_at, answer, answered_at FROM habit_prompts
                WHERE pseudonym = \(person.value) ORDER BY sent_at, id
                """
            ).compactMap { row in
                let (id, slot, kind, sentAt, answer, answeredAt) = try row.decode(
                    (String, String, String, Double, String?, Double?).self)
                return Self.promptRecord(id, slot, kind, sentAt, answer, answeredAt)
            }
        }
    }

    public func leadersForHabitAsk() async throws(StoreError) -> [Pseudonym] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT p.pseudonym FROM people p LEFT JOIN habits h ON h.pseudonym = p.pseudonym
                WHERE p.role_level = 'leader' AND NOT COALESCE(h.leader_asks_stopped, FALSE)
                  AND (h.status = 'active'
                       OR EXISTS (SELECT 1 FROM training_participants t WHERE t.pseudonym = p.pseudonym))
                ORDER BY p.pseudonym
                """
            ).map { Pseudonym(rawValue: try $0.decode(String.self)) }
        }
    }

    private static func promptRecord(
        _ id: String, _ slot: String, _ kind: String, _ sentAt: Double, _ answer: String?, _ answeredAt: Double?
    ) -> HabitPromptRecord? {
        guard let kind = HabitPromptKind(rawValue: kind) else { return nil }
        return HabitPromptRecord(
            id: id, slot: slot, kind: kind, sentAt: Date(timeIntervalSince1970: sentAt),
            answer: answer.flatMap(HabitAnswer.init(rawValue:)),
            answeredAt: answeredAt.map(Date.init(timeIntervalSince1970:)))
    }
}
