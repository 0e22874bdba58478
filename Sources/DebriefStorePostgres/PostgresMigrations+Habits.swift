extension PostgresMigrations {
    /// v12: the habit after a training, in the shape of its SQLite twin (`SQLiteMigrations+Habits.swift`).
    static let habitsSQL = """
        CREATE TABLE habits (
            pseudonym TEXT PRIMARY KEY NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('offered', 'declined', 'active', 'stopped')),
            interval_days INTEGER NOT NULL CHECK (interval_days > 0),
            since DOUBLE PRECISION NOT NULL,
            leader_asks_stopped BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE TABLE habit_prompts (
            id TEXT PRIMARY KEY NOT NULL,
            pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
            slot TEXT NOT NULL,
            kind TEXT NOT NULL,
            sent_at DOUBLE PRECISION NOT NULL,
            answer TEXT,
            answered_at DOUBLE PRECISION,
            UNIQUE (pseudonym, slot)
        );
        CREATE INDEX habit_prompts_pseudonym ON habit_prompts(pseudonym);
        """
}
