"""The index catalog in SQLite: generations, their articles and passages, the serving pointer,
and a cache of passage embeddings keyed by model and text hash (so unchanged text is never
embedded twice).

Flipping the pointer is one UPDATE in one transaction: that is the atomic swap.
Each generation's files (and its passage rows) are recorded with size and sha256 when it is written,
so a damaged one is noticed at load. A catalog SQLite cannot read is moved aside and started afresh.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.index.integrity import FileEntry, move_aside, sqlite_problem
from retrieval.records import Article, ArticleInfo, Passage

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS generations (
    id TEXT PRIMARY KEY, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    seconds REAL, model TEXT, dense INTEGER NOT NULL DEFAULT 0, articles INTEGER, passages INTEGER
);
CREATE TABLE IF NOT EXISTS articles (
    generation TEXT NOT NULL, doc_id TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT, source TEXT,
    url TEXT, published TEXT, origin TEXT, PRIMARY KEY (generation, doc_id)
);
CREATE TABLE IF NOT EXISTS passages (
    generation TEXT NOT NULL, position INTEGER NOT NULL, passage_id TEXT NOT NULL, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (generation, position)
);
CREATE INDEX IF NOT EXISTS passages_by_doc ON passages (generation, doc_id);
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text_hash)
);
CREATE TABLE IF NOT EXISTS generation_files (
    generation TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (generation, name)
);
"""


@dataclass(frozen=True)
class Generation:
    id: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    seconds: float | None
    model: str | None
    dense: bool
    articles: int
    passages: int


class Catalog:
    """Synchronous SQLite access; one connection, used under the engine's locks."""

    def __init__(self, path: Path) -> None:
        self.recovered: str | None = None  # one line, when a damaged file was moved aside at open
        problem = sqlite_problem(path)
        if problem is None:
            try:
                self._db = self._connect(path)
                return
            except sqlite3.DatabaseError as exc:
                problem = str(exc)
        aside = move_aside(path)
        self.recovered = f"the index catalog {path.name} was damaged ({problem}): moved to {aside.name}, started afresh"
        log.warning("%s", self.recovered)
        self._db = self._connect(path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            db.execute("SELECT COUNT(*) FROM generations").fetchone()
            db.execute("SELECT COUNT(*) FROM meta").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    # --- identity and pointer -------------------------------------------------------------------

    def instance_id(self) -> str:
        """A random id for this state directory, created on first use."""
        row = self._db.execute("SELECT value FROM meta WHERE key='instance'").fetchone()
        if row:
            return str(row[0])
        value = uuid.uuid4().hex[:12]
        self._db.execute("INSERT INTO meta VALUES ('instance', ?)", (value,))
        return value

    def current(self) -> Generation | None:
        row = self._db.execute(
            "SELECT g.* FROM generations g JOIN meta m ON m.key='current' AND m.value=g.id"
        ).fetchone()
        return _generation(row) if row else None

    def stale(self) -> list[str]:
        """Generations that are not serving (finished earlier, or abandoned half-way)."""
        current = self.current()
        rows = self._db.execute("SELECT id FROM generations WHERE id != ?", (current.id if current else "",))
        return [r[0] for r in rows]

    # --- building a generation ------------------------------------------------------------------

    def begin(self, generation: str, model: str | None, dense: bool) -> None:
        self._db.execute(
            "INSERT INTO generations (id, status, started_at, model, dense) VALUES (?, 'building', ?, ?, ?)",
            (generation, _now(), model, int(dense)),
        )

    def write(
        self, generation: str, articles: list[tuple[Article, str]], passages: list[Passage], files: list[FileEntry]
    ) -> None:
        """Store a generation's articles (with content hashes), passages, and its files' sizes and sha256
        sums (checked at every load) in one transaction."""
        with _transaction(self._db):
            self._db.executemany(
                "INSERT INTO generation_files VALUES (?, ?, ?, ?)",
                [(generation, f.name, f.size, f.sha256) for f in files],
            )
            self._db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(generation, a.doc_id, h, a.title, a.source, a.url, a.published, a.origin) for a, h in articles],
            )
            self._db.executemany(
                "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?)",
                [(generation, i, p.passage_id, p.doc_id, p.ordinal, p.text) for i, p in enumerate(passages)],
            )

    def promote(self, generation: str, seconds: float, articles: int, passages: int) -> None:
        """Mark a generation ready and make it the serving one, atomically."""
        with _transaction(self._db):
            self._db.execute(
                "UPDATE generations SET status='ready', finished_at=?, seconds=?, articles=?, passages=? WHERE id=?",
                (_now(), seconds, articles, passages, generation),
            )
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('current', ?)", (generation,))

    def forget(self, generation: str) -> None:
        """Delete a generation's rows (never the serving one)."""
        current = self.current()
        if current and current.id == generation:
            raise ValueError("refusing to delete the serving generation")
        with _transaction(self._db):
            for table, column in (
                ("articles", "generation"),
                ("passages", "generation"),
                ("generation_files", "generation"),
                ("generations", "id"),
            ):
                self._db.execute(f"DELETE FROM {table} WHERE {column}=?", (generation,))

    # --- reading a generation -------------------------------------------------------------------

    def files(self, generation: str) -> list[FileEntry]:
        """The files recorded for a generation (empty for one written before they were recorded)."""
        rows = self._db.execute(
            "SELECT name, size, sha256 FROM generation_files WHERE generation=? ORDER BY name", (generation,)
        )
        return [FileEntry(*row) for row in rows]

    def ids(self) -> list[str]:
        """Every generation the catalog knows, in any state."""
        return [r[0] for r in self._db.execute("SELECT id FROM generations")]

    def article_hashes(self, generation: str) -> dict[str, str]:
        rows = self._db.execute("SELECT doc_id, content_hash FROM articles WHERE generation=?", (generation,))
        return dict(rows.fetchall())

    def passages(self, generation: str) -> list[Passage]:
        rows = self._db.execute(
            "SELECT p.passage_id, p.doc_id, p.ordinal, p.text, a.title, a.source, a.url, a.published "
            "FROM passages p JOIN articles a ON a.generation=p.generation AND a.doc_id=p.doc_id "
            "WHERE p.generation=? ORDER BY p.position",
            (generation,),
        )
        return [Passage(*row) for row in rows]

    def article_infos(self, generation: str) -> list[ArticleInfo]:
        rows = self._db.execute(
            "SELECT a.doc_id, a.title, a.source, a.published, a.url, COUNT(p.passage_id) "
            "FROM articles a LEFT JOIN passages p ON p.generation=a.generation AND p.doc_id=a.doc_id "
            "WHERE a.generation=? GROUP BY a.doc_id ORDER BY a.doc_id",
            (generation,),
        )
        return [ArticleInfo(*row) for row in rows]

    # --- embedding cache ------------------------------------------------------------------------

    def cached_vectors(self, model: str, text_hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(text_hashes), 500):
            chunk = text_hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model=? AND text_hash IN ({marks})", (model, *chunk)
            )
            found.update((h, np.frombuffer(v, dtype=np.float32)) for h, v in rows)
        return found

    def store_vectors(self, model: str, items: list[tuple[str, np.ndarray]]) -> None:
        with _transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
            )


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error (the connection runs in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _generation(row: tuple[Any, ...]) -> Generation:
    gid, status, started, finished, seconds, model, dense, articles, passages = row
    return Generation(
        id=gid,
        status=status,
        started_at=datetime.fromisoformat(started),
        finished_at=datetime.fromisoformat(finished) if finished else None,
        seconds=seconds,
        model=model,
        dense=bool(dense),
        articles=articles or 0,
        passages=passages or 0,
    )
