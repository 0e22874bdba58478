import DebriefCore
import DebriefStore
import Foundation
import GRDB

extension SQLiteStore: QuestionAnswerStore {
    public func recordQuestionAnswer(_ answer: QuestionAnswer) async throws(StoreError) {
        try await perform { db in
            guard try Self.personExists(db, answer.person) else { throw StoreError.personNotFound }
            try db.execute(
                sql: """
                    INSERT INTO question_answers (id, pseudonym, reflection_id, question_id, choice, text, consent,
                        iso_week)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    answer.id, answer.person.value, answer.reflectionID, answer.questionID,
                    StoredText.storable(answer.choice), StoredText.storable(answer.text), answer.consent.rawValue,
                    answer.week,
                ])
        }
    }

    public func lastQuestionAnswered(by person: Pseudonym) async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(
                db, sql: "SELECT question_id FROM question_answers WHERE pseudonym = ? ORDER BY seq DESC LIMIT 1",
                arguments: [person.value])
        }
    }

    public func questionAnswers(week: String) async throws(StoreError) -> [WeeklyQuestionAnswer] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.pseudonym, p.role_level, a.question_id, a.choice, a.text, a.consent
                    FROM question_answers a JOIN people p ON p.pseudonym = a.pseudonym
                    WHERE a.iso_week = ? ORDER BY a.seq
                    """,
                arguments: [week]
            ).map { row in
                let consent: String = row["consent"]
                return WeeklyQuestionAnswer(
                    person: Pseudonym(rawValue: row["pseudonym"]), roleLevel: row["role_level"],
                    questionID: row["question_id"], choice: row["choice"], text: row["text"],
                    consent: Consent(rawValue: consent) ?? .aggregateOnly)
            }
            return WeeklyQuestionAnswer.latest(rows)
        }
    }

    public func questionAnswers(of person: Pseudonym) async throws(StoreError) -> [QuestionAnswer] {
        try await read { db in try Self.questionAnswers(db, of: person) }
    }

    static func questionAnswers(_ db: Database, of person: Pseudonym) throws -> [QuestionAnswer] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM question_answers WHERE pseudonym = ? ORDER BY seq", arguments: [person.value]
        ).map { row in
            let consent: String = row["consent"]
            return QuestionAnswer(
                id: row["id"], person: person, questionID: row["question_id"], choice: row["choice"],
                text: row["text"], consent: Consent(rawValue: consent) ?? .aggregateOnly, week: row["iso_week"],
                reflectionID: row["reflection_id"])
        }
    }
}
