import GRDB

extension SQLiteMigrations {
    /// Leaders' responses to leadership digests (issue #13): keyed by the author's pseudonym and erased with them.
    static func registerResponseMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-leader-responses") { db in
            try db.execute(
                sql: """
                    CREATE TABLE leader_responses (
                        id TEXT PRIMARY KEY NOT NULL,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        week TEXT NOT NULL,
                        text TEXT NOT NULL,
                        themes TEXT NOT NULL,
                        audience_teams TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX leader_responses_pseudonym ON leader_responses(pseudonym);
                    CREATE INDEX leader_responses_created ON leader_responses(created_at, id);
                    CREATE INDEX leader_responses_week ON leader_responses(week);
                    """)
        }
    }
}
