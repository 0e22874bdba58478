import GRDB

/// Versioned schema. A shipped migration is never edited: add a new one.
enum SQLiteMigrations {
    /// - Parameter keyring: the pseudonym key, for migrations that seal rows already stored.
    static func migrator(keyring: SQLiteKeyring) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-people-reflections") { db in
            try db.execute(
                sql: """
                    CREATE TABLE people (
                        pseudonym TEXT PRIMARY KEY NOT NULL,
                        platform TEXT NOT NULL,
                        first_seen_on TEXT NOT NULL,
                        paused_until REAL,
                        stopped INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1))
                    );
                    CREATE TABLE delivery_addresses (
                        platform TEXT NOT NULL,
                        workspace TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        updated_at REAL NOT NULL,
                        PRIMARY KEY (platform, workspace, user_id)
                    );
                    CREATE INDEX delivery_addresses_pseudonym ON delivery_addresses(pseudonym);
                    CREATE TABLE reflections (
                        id TEXT PRIMARY KEY NOT NULL,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        created_on TEXT NOT NULL,
                        source TEXT NOT NULL,
                        text TEXT NOT NULL,
                        task_category TEXT,
                        tool TEXT,
                        outcome TEXT,
                        minutes_saved TEXT,
                        confidence INTEGER CHECK (confidence BETWEEN 1 AND 5),
                        blockers TEXT NOT NULL DEFAULT '',
                        consent TEXT NOT NULL DEFAULT 'aggregate_only'
                            CHECK (consent IN ('aggregate_only', 'anonymous_quote', 'attributed')),
                        training_id TEXT
                    );
                    CREATE INDEX reflections_pseudonym ON reflections(pseudonym);
                    CREATE INDEX reflections_created_on ON reflections(created_on);
                    CREATE TABLE inbound_deliveries (
                        platform TEXT NOT NULL,
                        workspace TEXT NOT NULL,
                        delivery_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        received_at REAL NOT NULL,
                        PRIMARY KEY (platform, workspace, delivery_id)
                    );
                    CREATE TABLE instance_secrets (
                        name TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE installation_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        platform TEXT NOT NULL,
                        workspace TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        occurred_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2-jobs") { db in
            // The durable job queue (see `JobQueue`). Times are seconds since 1970 like the rest of the schema.
            // `dedupe_key` is UNIQUE while the row exists; NULLs never collide.
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        parameters BLOB NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'done', 'dead')),
                        run_at REAL NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
                        dedupe_key TEXT UNIQUE,
                        bucket TEXT,
                        claimed_by TEXT,
                        claimed_until REAL,
                        last_error TEXT,
                        CHECK ((state = 'running') = (claimed_by IS NOT NULL AND claimed_until IS NOT NULL))
                    );
                    CREATE INDEX jobs_state_run_at ON jobs(state, run_at);
                    CREATE INDEX jobs_running_claimed_until ON jobs(claimed_until) WHERE state = 'running';
                    """)
        }
        registerTrainingMigrations(&migrator)
        registerDigestMigrations(&migrator)
        registerDigestIndexMigrations(&migrator)
        registerSealingMigrations(&migrator, keyring: keyring)
        registerReleaseMigrations(&migrator)
        registerChannelMigrations(&migrator)
        registerResponseMigrations(&migrator)
        registerQuestionAnswerMigrations(&migrator)
        registerIdeaMigrations(&migrator)
        registerHabitMigrations(&migrator)
        registerConsentedIndexMigration(&migrator)
        registerContributorIndexMigration(&migrator)
        return migrator
    }
}
