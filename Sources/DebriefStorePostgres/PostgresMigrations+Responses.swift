/// `v9-leader-responses`: the SQLite migration's table in PostgreSQL types (see ``PostgresMigrations``).
enum PostgresResponseMigration {
    static let sql = """
        CREATE TABLE leader_responses (
            id TEXT PRIMARY KEY,
            pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
            week TEXT NOT NULL,
            text TEXT NOT NULL,
            themes TEXT NOT NULL,
            audience_teams TEXT,
            created_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX leader_responses_pseudonym ON leader_responses(pseudonym);
        CREATE INDEX leader_responses_created ON leader_responses(created_at, id);
        CREATE INDEX leader_responses_week ON leader_responses(week);
        """
}
