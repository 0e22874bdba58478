import GRDB

extension SQLiteMigrations {
    /// v12: the habit after a training (issue 13, "Keep the habit"): one row per person who was offered the
    /// recurring prompt, and the habit messages they were sent. Both cascade from `people`, so `/reflect forget`
    /// erases them; neither holds a platform id or any text.
    static func registerHabitMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12-habits") { db in
            try db.execute(
                sql: """
                    CREATE TABLE habits (
                        pseudonym TEXT PRIMARY KEY NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        status TEXT NOT NULL CHECK (status IN ('offered', 'declined', 'active', 'stopped')),
                        interval_days INTEGER NOT NULL CHECK (interval_days > 0),
                        since REAL NOT NULL,
                        leader_asks_stopped INTEGER NOT NULL DEFAULT 0 CHECK (leader_asks_stopped IN (0, 1))
                    );
                    CREATE TABLE habit_prompts (
                        id TEXT PRIMARY KEY NOT NULL,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        slot TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        sent_at REAL NOT NULL,
                        answer TEXT,
                        answered_at REAL,
                        UNIQUE (pseudonym, slot)
                    );
                    """)
        }
    }
}
