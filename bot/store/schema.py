"""The bot database's schema, as the list of upgrades that built it: a file at PRAGMA user_version n has
run the first n scripts, so any older file is brought up to date by running the rest, in order."""

from __future__ import annotations

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE questions (
        qid         TEXT PRIMARY KEY,
        asked_at    REAL NOT NULL,
        user_id     INTEGER,
        chat_id     INTEGER,
        chat_type   TEXT,
        chat_title  TEXT,
        message_id  INTEGER,
        source      TEXT NOT NULL,          -- private | group | inline | recovered
        question    TEXT NOT NULL,
        hit_count   INTEGER NOT NULL,
        elapsed_ms  REAL
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE TABLE result_hits (
        qid      TEXT NOT NULL REFERENCES questions (qid) ON DELETE CASCADE,
        position INTEGER NOT NULL,          -- 0-based, best first
        hit      TEXT NOT NULL,             -- JSON of retrieval.records.Hit
        PRIMARY KEY (qid, position)
    ) WITHOUT ROWID;
    CREATE TABLE feedback (
        qid      TEXT NOT NULL REFERENCES questions (qid) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL,
        value    INTEGER NOT NULL CHECK (value IN (-1, 1)),
        voted_at REAL NOT NULL,
        PRIMARY KEY (qid, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE audit_log (
        id        INTEGER PRIMARY KEY,
        at        REAL NOT NULL,
        user_id   INTEGER,
        username  TEXT,
        chat_id   INTEGER,
        action    TEXT NOT NULL,
        allowed   INTEGER NOT NULL,
        detail    TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE answered_messages (
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        at         REAL NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    ) WITHOUT ROWID;
    """,
    # 2: a page is kept as passage references, not passage texts (result_hits held ~40 KB a question);
    # old answers keep their question, and their buttons search it again. Uploads wait for a "replace?".
    """
    ALTER TABLE questions ADD COLUMN generation TEXT;   -- the index generation the hits came from
    ALTER TABLE questions ADD COLUMN hits TEXT;         -- JSON [[passage_id, score, hl_start, hl_end], ...]
    DROP TABLE result_hits;
    CREATE INDEX feedback_voted_at ON feedback (voted_at);
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE TABLE pending_uploads (
        token      TEXT PRIMARY KEY,
        at         REAL NOT NULL,
        user_id    INTEGER NOT NULL,
        chat_id    INTEGER NOT NULL,
        file_name  TEXT NOT NULL,           -- the corpus file it would replace
        replaces_sha256 TEXT NOT NULL,      -- that file's content when asked: a changed file is not replaced
        data       BLOB NOT NULL
    );
    """,
)
VACUUM_AFTER = frozenset({2})  # versions whose upgrade frees most of the file
