import GRDB

extension SQLiteMigrations {
    /// v11: the use-case library (`/reflect ideas`).
    ///
    /// - `reflections_fts`: an FTS5 index of `reflections.text` with external content (the text is not stored a
    ///   second time), kept in step by triggers on insert, update of the text and delete, and filled for the rows
    ///   already stored. `unicode61 remove_diacritics 2` folds case and accents, so "Überprüfung" and
    ///   "uberprufung" match. Erasing a reflection deletes its words from the index (the delete trigger); the
    ///   store then merges the index (`optimize`) so no segment keeps them.
    ///   The index is keyed by the reflections' implicit `rowid`, which Debrief never changes; a manual `VACUUM`
    ///   may renumber it (the table has a text primary key), after which the index must be rebuilt with
    ///   `INSERT INTO reflections_fts (reflections_fts) VALUES ('rebuild')`.
    /// - `idea_marks`: one "Useful" mark per person and reflection, the week it was given (nothing finer);
    ///   removed with the marker (`people`) and with the reflection.
    static func registerIdeaMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-ideas") { db in
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE reflections_fts USING fts5(
                        text, content = 'reflections', content_rowid = 'rowid',
                        tokenize = 'unicode61 remove_diacritics 2'
                    );
                    CREATE TRIGGER reflections_fts_insert AFTER INSERT ON reflections BEGIN
                        INSERT INTO reflections_fts (rowid, text) VALUES (new.rowid, new.text);
                    END;
                    CREATE TRIGGER reflections_fts_delete AFTER DELETE ON reflections BEGIN
                        INSERT INTO reflections_fts (reflections_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
                    END;
                    CREATE TRIGGER reflections_fts_update AFTER UPDATE OF text ON reflections BEGIN
                        INSERT INTO reflections_fts (reflections_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
                        INSERT INTO reflections_fts (rowid, text) VALUES (new.rowid, new.text);
                    END;
                    INSERT INTO reflections_fts (reflections_fts) VALUES ('rebuild');
                    CREATE TABLE idea_marks (
                        reflection_id TEXT NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
                        pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
                        marked_week TEXT NOT NULL,
                        PRIMARY KEY (reflection_id, pseudonym)
                    );
                    CREATE INDEX idea_marks_pseudonym ON idea_marks(pseudonym);
                    """)
        }
    }

    /// v13: the full-text index holds only the reflections whose authors consented to be quoted, the only ones
    /// `/reflect ideas` can ever show.
    ///
    /// Indexing every reflection (v11) copied the words of people who asked for "aggregate only" into a second
    /// structure, and cost each `/reflect` an FTS5 insert and its segment pages in the commit, most of the
    /// storage work of a quick reflection. The triggers now act only when the consent (before or after the
    /// change) is a quoting one, and the index is refilled from those rows. With external content, a row's words
    /// must be deleted with exactly the text they were indexed with, which the update trigger does before a text
    /// or consent change. After a manual `VACUUM` (which may renumber rowids) rebuild it with
    /// `INSERT INTO reflections_fts (reflections_fts) VALUES ('delete-all')` followed by
    /// `INSERT INTO reflections_fts (rowid, text) SELECT rowid, text FROM reflections
    /// WHERE consent IN ('anonymous_quote', 'attributed')`, not with `'rebuild'`, which would index every row.
    static func registerConsentedIndexMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13-ideas-consented-index") { db in
            let quoting = "('anonymous_quote', 'attributed')"
            try db.execute(
                sql: """
                    DROP TRIGGER reflections_fts_insert;
                    DROP TRIGGER reflections_fts_delete;
                    DROP TRIGGER reflections_fts_update;
                    INSERT INTO reflections_fts (reflections_fts) VALUES ('delete-all');
                    CREATE TRIGGER reflections_fts_insert AFTER INSERT ON reflections
                    WHEN new.consent IN \(quoting) BEGIN
                        INSERT INTO reflections_fts (rowid, text) VALUES (new.rowid, new.text);
                    END;
                    CREATE TRIGGER reflections_fts_delete AFTER DELETE ON reflections
                    WHEN old.consent IN \(quoting) BEGIN
                        INSERT INTO reflections_fts (reflections_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
                    END;
                    CREATE TRIGGER reflections_fts_update AFTER UPDATE OF text, consent ON reflections BEGIN
                        INSERT INTO reflections_fts (reflections_fts, rowid, text)
                            SELECT 'delete', old.rowid, old.text WHERE old.consent IN \(quoting);
                        INSERT INTO reflections_fts (rowid, text)
                            SELECT new.rowid, new.text WHERE new.consent IN \(quoting);
                    END;
                    INSERT INTO reflections_fts (rowid, text)
                        SELECT rowid, text FROM reflections WHERE consent IN \(quoting);
                    INSERT INTO reflections_fts (reflections_fts) VALUES ('optimize');
                    """)
        }
    }

    /// v14: consented reflections by person (a partial index), so `ideaContributorCount(upTo:)` reads only
    /// consented rows, in person order, and stops at its limit, instead of scanning every reflection (0.3 s at two
    /// million). The PostgreSQL twin is `PostgresIdeaMigration.contributorIndexSQL`.
    static func registerContributorIndexMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14-idea-contributors-index") { db in
            try db.execute(
                sql: """
                    CREATE INDEX reflections_consented_pseudonym ON reflections(pseudonym)
                        WHERE consent IN ('anonymous_quote', 'attributed')
                    """)
        }
    }
}
