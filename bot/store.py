"""The bot's own state in SQLite (aiosqlite, WAL): question log, result pages, feedback, audit log,
uploads waiting for an admin's confirmation, and the ids of messages already answered. The schema is
versioned with PRAGMA user_version.

Questions get short random ids (`qid`), the only thing a button's callback_data carries, so the
buttons of an answer keep working after a restart. A result page is stored as what it needs to be
shown again, not as its passages: the passage ids with their scores and highlight offsets, and the
index generation they came from (about 0.3 KB a question rather than 40 KB). The file stays bounded:
everything older than the retention period is deleted at start and then once a day.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

import aiosqlite

from retrieval import Hit

log = logging.getLogger(__name__)

DB_NAME = "bot.sqlite3"
ANSWERED_KEEP_SECONDS = 3 * 24 * 3600  # Telegram allows edits for 48 hours
PENDING_UPLOAD_SECONDS = 24 * 3600  # an upload waiting for "replace?" is forgotten after a day
PRUNE_EVERY_SECONDS = 24 * 3600

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
        hit      TEXT NOT NULL,             -- JSON of retrieval.models.Hit
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


@dataclass(frozen=True)
class HitRef:
    """What a stored page keeps of one hit: the passage, its score, and where its highlight sits in it."""

    passage_id: str
    score: float
    highlight_start: int = -1  # -1: no highlight
    highlight_end: int = -1

    @classmethod
    def of(cls, hit: Hit) -> HitRef:
        """The reference to a hit; its highlight as offsets into the passage text."""
        start = hit.text.find(hit.highlight) if hit.highlight else -1
        return cls(hit.passage_id, round(hit.score, 4), start, start + len(hit.highlight) if start >= 0 else -1)


@dataclass(frozen=True)
class StoredQuestion:
    """A logged question and its hits (as references, best first), the index generation they came from
    (None: unknown, search again), and the chat it was answered in (None: inline, or logged before chats
    were known), so its buttons can refuse to act anywhere else."""

    qid: str
    question: str
    hits: list[HitRef]
    chat_id: int | None = None
    generation: str | None = None


@dataclass(frozen=True)
class PendingUpload:
    """An admin's upload waiting for the confirmation to replace a corpus file."""

    token: str
    at: float
    user_id: int
    chat_id: int
    file_name: str
    replaces_sha256: str
    data: bytes


@dataclass(frozen=True)
class ChatCount:
    """How many questions one chat asked."""

    chat_id: int | None
    chat_type: str | None
    title: str | None
    questions: int


@dataclass(frozen=True)
class Stats:
    """Usage numbers for /stats. Private chats are only counted: their ids are users' ids, and /stats
    may be shown in a group."""

    today: int
    week: int
    week_no_answer: int
    thumbs_up: int
    thumbs_down: int
    busiest: list[ChatCount]  # groups only
    private_chats: int = 0
    private_questions: int = 0


@dataclass(frozen=True)
class AuditRow:
    """One refused or allowed admin action."""

    at: float
    user_id: int | None
    username: str | None
    chat_id: int | None
    action: str
    allowed: bool
    detail: str


@dataclass(frozen=True)
class QuestionRecord:
    """Where a question came from, for the log."""

    question: str
    source: str
    user_id: int | None = None
    chat_id: int | None = None
    chat_type: str | None = None
    chat_title: str | None = None
    message_id: int | None = None
    elapsed_ms: float | None = None


class Store:
    """Async access to the bot's SQLite file: one connection, each write its own transaction.

    Every cursor is closed through aiosqlite (in its worker thread): a cursor left to the garbage
    collector is finalised in the event-loop thread, which under load broke a concurrent statement
    with "bad parameter or other API misuse".
    """

    def __init__(self, db: aiosqlite.Connection, history_days: float = 30) -> None:
        self._db = db
        self._write_lock = asyncio.Lock()
        self.history_days = history_days
        self._next_prune = 0.0

    @classmethod
    async def open(cls, path: Path, history_days: float = 30) -> Store:
        """Open (creating if needed) the database at path, in WAL mode, migrated to the latest schema,
        with everything older than history_days deleted."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        store = cls(db, history_days)
        try:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
                await store._execute(f"PRAGMA {pragma}")
            await store._migrate()
            await store.prune()
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        """Close the connection."""
        await self._db.close()

    async def schema_version(self) -> int:
        """The schema version the file is at."""
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def journal_mode(self) -> str:
        """SQLite's journal mode for this file ("wal")."""
        async with self._db.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""

    async def _migrate(self) -> None:
        current = await self.schema_version()
        for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
            async with self._db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"):
                pass
        if current and VACUUM_AFTER & set(range(current + 1, len(MIGRATIONS) + 1)):
            await self._execute("VACUUM")  # give the dropped pages back to the file system, once

    async def _execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement, closing its cursor; returns the row count."""
        async with self._db.execute(sql, params) as cur:
            return cur.rowcount

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        """One write at a time, committed as a whole or rolled back."""
        async with self._write_lock:
            try:
                yield
            except BaseException:
                await self._db.rollback()
                raise
            await self._db.commit()

    async def prune(self, now: float | None = None) -> int:
        """Delete questions (with their votes), audit rows and expired uploads older than the retention
        period, and answered-message ids past Telegram's edit window; returns the questions deleted.
        Freed pages are reused by SQLite, so the file stops growing once a period's worth is stored."""
        now = time.time() if now is None else now
        before = now - self.history_days * 24 * 3600
        async with self._transaction():
            await self._execute("DELETE FROM answered_messages WHERE at < ?", (now - ANSWERED_KEEP_SECONDS,))
            await self._execute("DELETE FROM pending_uploads WHERE at < ?", (now - PENDING_UPLOAD_SECONDS,))
            await self._execute("DELETE FROM audit_log WHERE at < ?", (before,))
            questions = await self._execute("DELETE FROM questions WHERE asked_at < ?", (before,))
        self._next_prune = now + PRUNE_EVERY_SECONDS
        if questions:
            log.info("Deleted %d question(s) older than %g days", questions, self.history_days)
        return questions

    async def _prune_if_due(self) -> None:
        """A prune once a day, driven by the questions themselves (no scheduler needed)."""
        if time.time() >= self._next_prune:
            await self.prune()

    async def claim_message(self, chat_id: int, message_id: int) -> bool:
        """True the first time a message (or any edit of it) is seen; False afterwards."""
        async with self._transaction():
            inserted = await self._execute(
                "INSERT OR IGNORE INTO answered_messages (chat_id, message_id, at) VALUES (?, ?, ?)",
                (chat_id, message_id, time.time()),
            )
        return inserted == 1

    async def save_question(
        self,
        record: QuestionRecord,
        hits: list[Hit],
        hit_count: int | None = None,
        qid: str | None = None,
        *,
        asked_at: float | None = None,
        generation: str | None = None,
    ) -> str:
        """Log a question with references to its hits; returns its id.

        hit_count: when hits were shown but are not kept (inline). qid: keep a known id (an answer
        recovered by another replica, or one the caller signed); an id already stored is left as it is.
        asked_at: a Unix time (UTC) other than now, for imports and tests. generation: the index
        generation the hits came from (a page of another generation is searched again).
        """
        qid = qid or new_qid()
        at = time.time() if asked_at is None else asked_at
        await self._prune_if_due()
        async with self._transaction():
            await self._execute(
                "INSERT OR IGNORE INTO questions (qid, asked_at, user_id, chat_id, chat_type, chat_title, message_id,"
                " source, question, hit_count, elapsed_ms, generation, hits)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    qid,
                    at,
                    record.user_id,
                    record.chat_id,
                    record.chat_type,
                    record.chat_title,
                    record.message_id,
                    record.source,
                    record.question,
                    len(hits) if hit_count is None else hit_count,
                    record.elapsed_ms,
                    generation,
                    _refs_json(hits),
                ),
            )
        return qid

    async def replace_hits(self, qid: str, hits: list[Hit], generation: str | None) -> None:
        """Store the hits a question got when searched again (the index changed since it was answered)."""
        async with self._transaction():
            await self._execute(
                "UPDATE questions SET hits = ?, generation = ? WHERE qid = ?", (_refs_json(hits), generation, qid)
            )

    async def question(self, qid: str) -> StoredQuestion | None:
        """A stored question with its hit references, or None when the id is unknown."""
        async with self._db.execute(
            "SELECT question, chat_id, generation, hits FROM questions WHERE qid = ?", (qid,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        refs = [HitRef(str(r[0]), float(r[1]), int(r[2]), int(r[3])) for r in json.loads(row[3] or "[]")]
        return StoredQuestion(qid=qid, question=row[0], hits=refs, chat_id=row[1], generation=row[2])

    async def record_feedback(self, qid: str, user_id: int, value: int) -> bool:
        """Store (or change) one user's vote on a question; False when the question is unknown."""
        async with self._db.execute("SELECT 1 FROM questions WHERE qid = ?", (qid,)) as cur:
            if await cur.fetchone() is None:
                return False
        async with self._transaction():
            await self._execute(
                "INSERT INTO feedback (qid, user_id, value, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (qid, user_id) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at",
                (qid, user_id, value, time.time()),
            )
        return True

    async def hold_upload(self, user_id: int, chat_id: int, file_name: str, replaces_sha256: str, data: bytes) -> str:
        """Keep an upload until its admin confirms replacing a file; returns the token its buttons carry."""
        token = new_qid()
        async with self._transaction():
            await self._execute(
                "INSERT INTO pending_uploads (token, at, user_id, chat_id, file_name, replaces_sha256, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token, time.time(), user_id, chat_id, file_name, replaces_sha256, data),
            )
        return token

    async def pending_upload(self, token: str) -> PendingUpload | None:
        """The upload held under token, or None when unknown or older than PENDING_UPLOAD_SECONDS."""
        async with self._db.execute(
            "SELECT at, user_id, chat_id, file_name, replaces_sha256, data FROM pending_uploads"
            " WHERE token = ? AND at >= ?",
            (token, time.time() - PENDING_UPLOAD_SECONDS),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else PendingUpload(token, row[0], row[1], row[2], row[3], row[4], bytes(row[5]))

    async def drop_upload(self, token: str) -> bool:
        """Forget a held upload; True for the one caller that removed it (a decision is made once)."""
        async with self._transaction():
            return await self._execute("DELETE FROM pending_uploads WHERE token = ?", (token,)) == 1

    async def audit(
        self,
        *,
        user_id: int | None,
        username: str | None,
        chat_id: int | None,
        action: str,
        allowed: bool,
        detail: str = "",
    ) -> None:
        """Append one row to the audit log."""
        async with self._transaction():
            await self._execute(
                "INSERT INTO audit_log (at, user_id, username, chat_id, action, allowed, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.time(), user_id, username, chat_id, action, int(allowed), detail),
            )

    async def audit_log(self, limit: int = 100) -> list[AuditRow]:
        """The latest audit rows, newest first."""
        async with self._db.execute(
            "SELECT at, user_id, username, chat_id, action, allowed, detail FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        ) as cur:
            rows = await cur.fetchall()
        return [AuditRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]

    async def stats(self, now: float, zone: tzinfo, busiest: int = 5) -> Stats:
        """Question counts for today and the last 7 days as calendar days in zone, votes, busiest chats."""
        day_start, week_start = day_starts(now, zone)
        asked = "source != 'recovered'"  # re-created for a button press, not asked again
        async with self._db.execute(
            f"SELECT COUNT(*) FROM questions WHERE asked_at >= ? AND {asked}", (day_start,)
        ) as cur:
            (today,) = await cur.fetchone() or (0,)
        async with self._db.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE hit_count = 0) FROM questions WHERE asked_at >= ? AND {asked}",
            (week_start,),
        ) as cur:
            week, no_answer = await cur.fetchone() or (0, 0)
        async with self._db.execute(
            "SELECT COUNT(*) FILTER (WHERE value = 1), COUNT(*) FILTER (WHERE value = -1) FROM feedback"
        ) as cur:
            up, down = await cur.fetchone() or (0, 0)
        async with self._db.execute(
            "SELECT chat_id, MAX(chat_type), MAX(chat_title), COUNT(*) AS n FROM questions"
            f" WHERE asked_at >= ? AND chat_id IS NOT NULL AND COALESCE(chat_type, '') != 'private' AND {asked}"
            " GROUP BY chat_id ORDER BY n DESC, chat_id LIMIT ?",
            (week_start, busiest),
        ) as cur:
            chats = [ChatCount(r[0], r[1], r[2], r[3]) for r in await cur.fetchall()]
        async with self._db.execute(
            f"SELECT COUNT(DISTINCT chat_id), COUNT(*) FROM questions WHERE asked_at >= ? AND chat_type = 'private'"
            f" AND {asked}",
            (week_start,),
        ) as cur:
            private_chats, private_questions = await cur.fetchone() or (0, 0)
        return Stats(today, week, no_answer, up or 0, down or 0, chats, private_chats, private_questions)


def new_qid() -> str:
    """A short random id of letters and digits (8 characters)."""
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")


def _refs_json(hits: list[Hit]) -> str:
    """The compact JSON of a page's hit references."""
    refs = [HitRef.of(h) for h in hits]
    return json.dumps(
        [[r.passage_id, r.score, r.highlight_start, r.highlight_end] for r in refs],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def day_starts(now: float, zone: tzinfo, days: int = 7) -> tuple[float, float]:
    """Unix times of the local midnight that began today in zone, and of the one `days - 1` days before
    it (so the second window is `days` calendar days, today included). Stored times stay UTC; only
    these boundaries follow the zone, so they are right across DST changes too.
    """
    today = datetime.fromtimestamp(now, zone).date()
    start = datetime(today.year, today.month, today.day, tzinfo=zone)
    first = today - timedelta(days=days - 1)
    return start.timestamp(), datetime(first.year, first.month, first.day, tzinfo=zone).timestamp()
