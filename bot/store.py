"""The bot's own state in SQLite (aiosqlite, WAL): question log, result pages, feedback, audit log,
and the ids of messages already answered. The schema is versioned with PRAGMA user_version.

Questions get short random ids (`qid`), the only thing a button's callback_data carries, so the
buttons of an answer keep working after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

import aiosqlite

from retrieval.models import Hit

DB_NAME = "bot.sqlite3"
ANSWERED_KEEP_SECONDS = 3 * 24 * 3600  # Telegram allows edits for 48 hours

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
)


@dataclass(frozen=True)
class StoredQuestion:
    """A logged question and its hits, best first, and the chat it was answered in (None: inline, or
    logged before chats were known), so its buttons can refuse to act anywhere else."""

    qid: str
    question: str
    hits: list[Hit]
    chat_id: int | None = None


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

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at path, in WAL mode, migrated to the latest schema."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        store = cls(db)
        try:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
                await store._execute(f"PRAGMA {pragma}")
            await store._migrate()
            await store._prune_answered()
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

    async def _execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement, closing its cursor; returns the row count."""
        async with self._db.execute(sql, params) as cur:
            return cur.rowcount

    async def _execute_many(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        async with self._db.executemany(sql, rows):
            pass

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

    async def _prune_answered(self) -> None:
        async with self._transaction():
            await self._execute("DELETE FROM answered_messages WHERE at < ?", (time.time() - ANSWERED_KEEP_SECONDS,))

    async def claim_message(self, chat_id: int, message_id: int) -> bool:
        """True the first time a message (or any edit of it) is seen; False afterwards."""
        async with self._transaction():
            inserted = await self._execute(
                "INSERT OR IGNORE INTO answered_messages (chat_id, message_id, at) VALUES (?, ?, ?)",
                (chat_id, message_id, time.time()),
            )
        return inserted == 1

    async def save_question(
        self, record: QuestionRecord, hits: list[Hit], hit_count: int | None = None, qid: str | None = None,
        *, asked_at: float | None = None,
    ) -> str:
        """Log a question with its hits; returns its id.

        hit_count: when hits were shown but are not kept (inline). qid: keep a known id (an answer
        recovered by another replica); an id already stored is left as it is. asked_at: a Unix time
        (UTC) other than now, for imports and tests.
        """
        qid = qid or secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")
        at = time.time() if asked_at is None else asked_at
        async with self._transaction():
            await self._execute(
                "INSERT OR IGNORE INTO questions (qid, asked_at, user_id, chat_id, chat_type, chat_title, message_id,"
                " source, question, hit_count, elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (qid, at, record.user_id, record.chat_id, record.chat_type, record.chat_title,
                 record.message_id, record.source, record.question,
                 len(hits) if hit_count is None else hit_count, record.elapsed_ms),
            )
            await self._execute_many(
                "INSERT OR IGNORE INTO result_hits (qid, position, hit) VALUES (?, ?, ?)",
                [(qid, i, json.dumps(dataclasses.asdict(h), ensure_ascii=False)) for i, h in enumerate(hits)],
            )
        return qid

    async def question(self, qid: str) -> StoredQuestion | None:
        """A stored question with its hits, or None when the id is unknown."""
        async with self._db.execute("SELECT question, chat_id FROM questions WHERE qid = ?", (qid,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        async with self._db.execute(
            "SELECT hit FROM result_hits WHERE qid = ? ORDER BY position", (qid,)
        ) as cur:
            hits = [Hit(**json.loads(h)) for (h,) in await cur.fetchall()]
        return StoredQuestion(qid=qid, question=row[0], hits=hits, chat_id=row[1])

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

    async def audit(
        self, *, user_id: int | None, username: str | None, chat_id: int | None, action: str,
        allowed: bool, detail: str = "",
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
            "SELECT at, user_id, username, chat_id, action, allowed, detail FROM audit_log"
            " ORDER BY id DESC LIMIT ?", (limit,)
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
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE hit_count = 0) FROM questions"
            f" WHERE asked_at >= ? AND {asked}",
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


def day_starts(now: float, zone: tzinfo, days: int = 7) -> tuple[float, float]:
    """Unix times of the local midnight that began today in zone, and of the one `days - 1` days before
    it (so the second window is `days` calendar days, today included). Stored times stay UTC; only
    these boundaries follow the zone, so they are right across DST changes too.
    """
    today = datetime.fromtimestamp(now, zone).date()
    start = datetime(today.year, today.month, today.day, tzinfo=zone)
    first = today - timedelta(days=days - 1)
    return start.timestamp(), datetime(first.year, first.month, first.day, tzinfo=zone).timestamp()
