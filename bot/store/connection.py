"""The one connection to the bot's SQLite file and what every part of the store shares through it:
opening (WAL, migrated), one write at a time, and the retention that keeps the file bounded."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Self

import aiosqlite

from bot.store.schema import MIGRATIONS, VACUUM_AFTER

log = logging.getLogger(__name__)

ANSWERED_KEEP_SECONDS = 3 * 24 * 3600  # Telegram allows edits for 48 hours
PENDING_UPLOAD_SECONDS = 24 * 3600  # an upload waiting for "replace?" is forgotten after a day
PRUNE_EVERY_SECONDS = 24 * 3600


class Connection:
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
    async def open(cls, path: Path, history_days: float = 30) -> Self:
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
            log.debug("Deleted %d question(s) older than %g days", questions, self.history_days)  # retention, as set
        return questions

    async def _prune_if_due(self) -> None:
        """A prune once a day, driven by the questions themselves (no scheduler needed)."""
        if time.time() >= self._next_prune:
            await self.prune()
