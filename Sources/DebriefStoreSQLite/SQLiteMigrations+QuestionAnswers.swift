import GRDB

extension SQLiteMigrations {
    /// Answers to the rotating questions, by pseudonym, erased with the person (`ON DELETE CASCADE`). Stored to the
    /// ISO week only (no time of day), like reflections; `seq` orders a person's answers.
    static func registerQuestionAnswerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-question-answers") { db in
            try db.execute(
                sql: """
                    CREATE TABLE question_answers (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        reflection_id TEXT,
                        question_id TEXT NOT NULL,
                        choice TEXT,
                        text TEXT,
                        consent TEXT NOT NULL DEFAULT 'aggregate_only'
                            CHECK (consent IN ('aggregate_only', 'anonymous_quote', 'attributed')),
                        iso_week TEXT NOT NULL,
                        CHECK ((choice IS NULL) <> (text IS NULL))
                    );
                    CREATE INDEX question_answers_week ON question_answers(iso_week, question_id);
                    CREATE INDEX question_answers_pseudonym ON question_answers(pseudonym, seq);
                    """)
        }
    }
}
