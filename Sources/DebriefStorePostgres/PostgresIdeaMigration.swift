/// v11 on PostgreSQL: the use-case library's full-text search and "Useful" marks (the SQLite twin is
/// `SQLiteMigrations.registerIdeaMigrations`).
///
/// - The text search configuration `debrief_ideas` is `simple` (no stemming, no stop words: reflections mix German
///   and English) plus the `unaccent` dictionary when the extension can be created (it ships with Debian's
///   `postgresql` package and is a trusted extension, so a database owner may create it); without it,
///   `simple` alone (then "Überprüfung" still finds "überprüfung", not "uberprufung").
/// - `reflections.search_vector` is generated from the text, so it is filled for the rows already stored, follows
///   every update and goes with the row when a reflection is erased; a GIN index serves `@@`.
/// - `idea_marks` as in SQLite: one mark per person and reflection, the week only, removed with either.
enum PostgresIdeaMigration {
    static let sql = """
        DO $$
        BEGIN
            BEGIN
                CREATE EXTENSION IF NOT EXISTS unaccent;
            EXCEPTION WHEN OTHERS THEN
                NULL;
            END;
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'debrief_ideas') THEN
                CREATE TEXT SEARCH CONFIGURATION debrief_ideas (COPY = simple);
                IF EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent') THEN
                    ALTER TEXT SEARCH CONFIGURATION debrief_ideas
                        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
                END IF;
            END IF;
        END
        $$;
        ALTER TABLE reflections ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('debrief_ideas'::regconfig, text)) STORED;
        CREATE INDEX reflections_search_vector ON reflections USING GIN (search_vector);
        CREATE TABLE idea_marks (
            reflection_id TEXT NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
            pseudonym TEXT NOT NULL REFERENCES people(pseudonym) ON DELETE CASCADE,
            marked_week TEXT NOT NULL,
            PRIMARY KEY (reflection_id, pseudonym)
        );
        CREATE INDEX idea_marks_pseudonym ON idea_marks(pseudonym);
        """

    /// v13: only reflections whose authors consented to be quoted get a search vector (the SQLite twin is
    /// `SQLiteMigrations.registerConsentedIndexMigration`): the others can never be shown by `/reflect ideas`, so
    /// their words stay out of the index, and a `/reflect` no longer pays for `to_tsvector` and a GIN update.
    /// A generated column's expression cannot be altered, so the column is dropped and added again (a rewrite of
    /// `reflections`, once).
    static let consentedIndexSQL = """
        DROP INDEX IF EXISTS reflections_search_vector;
        ALTER TABLE reflections DROP COLUMN search_vector;
        ALTER TABLE reflections ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS (
                CASE WHEN consent IN ('anonymous_quote', 'attributed')
                    THEN to_tsvector('debrief_ideas'::regconfig, text) END
            ) STORED;
        CREATE INDEX reflections_search_vector ON reflections USING GIN (search_vector);
        """

    /// v14: consented reflections by person, so `ideaContributorCount(upTo:)` stops at its limit after reading
    /// only consented rows (the SQLite twin is `SQLiteMigrations.registerContributorIndexMigration`).
    static let contributorIndexSQL = """
        CREATE INDEX reflections_consented_pseudonym ON reflections(pseudonym)
            WHERE consent IN ('anonymous_quote', 'attributed');
        """
}
