// The ledger's SQLite schema, as versioned migrations: each step is registered once and never edited.
// A new column or table is a new step appended at the end, so old ledgers upgrade in place.
internal import GRDB

/// The migrations that build the ledger schema, oldest first.
enum LedgerSchema {
    /// Identifiers of every step this build knows, in order.
    static var knownMigrations: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: calls and sessions") { db in
            // Times are whole milliseconds since 1970 (UTC), compute time whole microseconds, money whole
            // nanodollars: integers, so SUM() is exact and rows read back equal to what was written.
            // parent_id has no foreign key: a parent (an agent turn) ends, and is written, after its children.
            try db.execute(sql: """
                CREATE TABLE calls (
                    id                 TEXT PRIMARY KEY NOT NULL,
                    parent_id          TEXT,
                    run_id             TEXT NOT NULL,
                    session_id         TEXT,
                    kind               TEXT NOT NULL,
                    agent              TEXT,
                    model              TEXT,
                    tool               TEXT,
                    started_ms         INTEGER NOT NULL,
                    ended_ms           INTEGER NOT NULL,
                    prompt_tokens      INTEGER NOT NULL DEFAULT 0,
                    cached_tokens      INTEGER NOT NULL DEFAULT 0,
                    generated_tokens   INTEGER NOT NULL DEFAULT 0,
                    drafted_tokens     INTEGER NOT NULL DEFAULT 0,
                    accepted_tokens    INTEGER NOT NULL DEFAULT 0,
                    rejected_tokens    INTEGER NOT NULL DEFAULT 0,
                    mean_batch_size    REAL NOT NULL DEFAULT 1,
                    compute_share      REAL NOT NULL DEFAULT 1,
                    ttft_seconds       REAL,
                    tokens_per_second  REAL,
                    compute_us         INTEGER NOT NULL DEFAULT 0,
                    local_cost_nusd    INTEGER NOT NULL DEFAULT 0,
                    cloud_cost_nusd    INTEGER,
                    cloud_model        TEXT,
                    outcome            TEXT NOT NULL,
                    error_text         TEXT,
                    details            TEXT
                );
                CREATE INDEX calls_by_run ON calls(run_id, started_ms);
                CREATE INDEX calls_by_session ON calls(session_id, started_ms);
                CREATE INDEX calls_by_time ON calls(started_ms);
                CREATE INDEX calls_by_model ON calls(model, started_ms);
                CREATE TABLE sessions (
                    id          TEXT PRIMARY KEY NOT NULL,
                    title       TEXT NOT NULL DEFAULT '',
                    created_ms  INTEGER NOT NULL,
                    model       TEXT
                );
                """)
        }
        return migrator
    }
}
