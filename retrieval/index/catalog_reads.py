"""Reading the catalog for searches and listings: passage rows by key or id, sound-alike words, articles.

Searches run in several threads at once, each with its own read-only SQLite connection (WAL lets them
read while an update writes), so they see committed rows only; which of those a search may show is
its view's business (`PassageRow.visible_at`). A row whose stored hashes do not match its text is
returned marked `damaged`, never silently.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.records import Article, ArticleInfo, Citation, Passage

ARTICLE_BASE = 1 << 40  # article documents' keys in the lexical index (retrieval.index.lexical)
VISIBLE = "{t}.added_in <= ? AND ({t}.removed_in IS NULL OR {t}.removed_in > ?)"
_PASSAGE_COLUMNS = (
    "p.key, p.passage_id, p.ordinal, p.text, p.text_hash, p.added_in, p.removed_in, "
    "a.doc_id, a.title, a.source, a.url, a.published, a.row_hash, a.file"
)
_PASSAGES_OF = f"SELECT {_PASSAGE_COLUMNS} FROM passages p JOIN articles a ON a.id = p.article"


@dataclass(frozen=True)
class PassageRow:
    """A passage row with its article's citation; `damaged` says why when its hashes do not match."""

    key: int
    passage: Passage
    added_in: int
    removed_in: int | None
    damaged: str | None
    file: str

    def visible_at(self, seq: int) -> bool:
        return self.added_in <= seq and (self.removed_in is None or self.removed_in > seq)


def index_text(title: str | None, text: str) -> str:
    """What the lexical index and the embedder see of a passage: the title gives short passages their topic."""
    return f"{title}\n{text}" if title else text


def text_digest(title: str | None, text: str) -> str:
    """sha256 of index_text(): the embedding cache's key, and the check of a passage row when read."""
    return hashlib.sha256(index_text(title, text).encode()).hexdigest()


def article_row_hash(*fields: str | None) -> str:
    """The check of an article row's citation fields (doc id, title, source, url, published)."""
    return hashlib.sha256("\x1f".join(f or "" for f in fields).encode()).hexdigest()[:16]


def chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """Slices of at most `size`: SQLite caps the number of parameters of one statement."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def passage_rows(db: sqlite3.Connection, keys: Sequence[int]) -> dict[int, PassageRow]:
    """The rows of these passage keys, visible or not."""
    found: dict[int, PassageRow] = {}
    for chunk in chunks(keys):
        rows = db.execute(f"{_PASSAGES_OF} WHERE p.key IN ({','.join('?' * len(chunk))})", tuple(chunk))
        found.update((row[0], _passage_row(row)) for row in rows)
    return found


def passages_by_id(db: sqlite3.Connection, seq: int, passage_ids: Sequence[str]) -> dict[str, PassageRow]:
    """The rows visible at `seq` with these passage ids."""
    found: dict[str, PassageRow] = {}
    for chunk in chunks(passage_ids):
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"{_PASSAGES_OF} WHERE p.passage_id IN ({marks}) AND {VISIBLE.format(t='p')}", (*chunk, seq, seq)
        )
        found.update((row[1], _passage_row(row)) for row in rows)
    return found


def _passage_row(row: tuple[Any, ...]) -> PassageRow:
    key, passage_id, ordinal, text, text_hash, added_in, removed_in = row[:7]
    doc_id, title, source, url, published, row_hash, file = row[7:]
    damaged = None
    if text_hash != text_digest(title, text):
        damaged = f"the text of passage {passage_id} differs from what was written"
    elif row_hash != article_row_hash(doc_id, title, source, url, published):
        damaged = f"the citation of article {doc_id} differs from what was written"
    passage = Passage(passage_id, doc_id, ordinal, text, title, source, url, published)
    return PassageRow(key, passage, added_in, removed_in, damaged, file)


def article_filter(seq: int, source: str | None, since: str | None) -> tuple[str, tuple[Any, ...]]:
    """WHERE clause and parameters for visible articles, of one outlet and/or published since a date."""
    where = [VISIBLE.format(t="a")]
    params: list[Any] = [seq, seq]
    if source:
        where.append("instr(lower(COALESCE(a.source, '')), lower(?)) > 0")
        params.append(source)
    if since:
        where.append("a.published >= ?")
        params.append(since)
    return " AND ".join(where), tuple(params)


class CatalogReader:
    """Read-only access for searches: one SQLite connection per thread, opened on first use."""

    def __init__(self, path: Path) -> None:
        self._uri = f"file:{path}?mode=ro"
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def passage_rows(self, keys: Sequence[int]) -> dict[int, PassageRow]:
        return passage_rows(self._db(), keys)

    def passages_by_id(self, seq: int, passage_ids: Sequence[str]) -> dict[str, PassageRow]:
        return passages_by_id(self._db(), seq, passage_ids)

    def sound_alikes(self, skeleton: str) -> list[tuple[str, str]]:
        """(sound key, word) of the corpus words whose sound key has this consonant skeleton."""
        rows = self._db().execute("SELECT sound, word FROM vocabulary WHERE skeleton=?", (skeleton,))
        return [(sound, word) for sound, word in rows]

    def passage_counts(self, seq: int, doc_ids: Sequence[str]) -> dict[str, int]:
        """How many passages each of these articles has (articles not served are left out)."""
        found: dict[str, int] = {}
        for chunk in chunks(doc_ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db().execute(
                f"SELECT doc_id, passages FROM articles a WHERE doc_id IN ({marks}) AND {VISIBLE.format(t='a')}",
                (*chunk, seq, seq),
            )
            found.update(rows.fetchall())
        return found

    def all_passages(self, seq: int, batch: int = 2000) -> Iterator[Passage]:
        """Every passage visible at `seq`, in index order, read a batch at a time (for benchmarks and
        exports: nothing in serving needs them all)."""
        last = 0
        while True:
            rows = (
                self._db()
                .execute(
                    f"{_PASSAGES_OF} WHERE p.key > ? AND {VISIBLE.format(t='p')} ORDER BY p.key LIMIT ?",
                    (last, seq, seq, batch),
                )
                .fetchall()
            )
            if not rows:
                return
            last = rows[-1][0]
            yield from (_passage_row(row).passage for row in rows)

    def article_rows(self, ids: Sequence[int]) -> dict[int, tuple[str, int, int | None]]:
        """(doc id, added_in, removed_in) of these article rows, visible or not."""
        found: dict[int, tuple[str, int, int | None]] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db().execute(
                f"SELECT id, doc_id, added_in, removed_in FROM articles WHERE id IN ({marks})", tuple(chunk)
            )
            found.update((r[0], (r[1], r[2], r[3])) for r in rows)
        return found

    def stories(self, seq: int, doc_ids: Sequence[str]) -> dict[str, int]:
        """The story id of each of these visible articles (its own row id when it stands alone)."""
        found: dict[str, int] = {}
        for chunk in chunks(doc_ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db().execute(
                f"SELECT doc_id, COALESCE(story, id) FROM articles a "
                f"WHERE doc_id IN ({marks}) AND {VISIBLE.format(t='a')}",
                (*chunk, seq, seq),
            )
            found.update(rows.fetchall())
        return found

    def story_members(self, seq: int, stories: Sequence[int]) -> dict[int, list[Citation]]:
        """The visible articles of each story, oldest row first."""
        found: dict[int, list[Citation]] = {}
        for chunk in chunks(stories):
            marks = ",".join("?" * len(chunk))
            rows = self._db().execute(
                f"SELECT COALESCE(story, id), doc_id, title, source, url, published FROM articles a "
                f"WHERE (story IN ({marks}) OR id IN ({marks})) AND {VISIBLE.format(t='a')} ORDER BY id",
                (*chunk, *chunk, seq, seq),
            )
            for story, *citation in rows:
                found.setdefault(story, []).append(Citation(*citation))
        return found

    def sample_texts(self, seq: int, count: int) -> list[str]:
        """The texts of the first `count` visible passages: a sample of the corpus's words."""
        rows = self._db().execute(
            f"SELECT p.text FROM passages p WHERE {VISIBLE.format(t='p')} ORDER BY p.key LIMIT ?", (seq, seq, count)
        )
        return [r[0] for r in rows]

    def articles(
        self, seq: int, *, source: str | None = None, since: str | None = None, offset: int = 0, limit: int = -1
    ) -> list[ArticleInfo]:
        """Visible articles in doc-id order, optionally of one outlet (a case-insensitive part of its name)
        or published on or after an ISO date."""
        where, params = article_filter(seq, source, since)
        rows = self._db().execute(
            f"SELECT doc_id, title, source, published, url, passages FROM articles a WHERE {where} "
            "ORDER BY doc_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [ArticleInfo(*row) for row in rows]

    def article_file(self, seq: int, doc_id: str) -> str | None:
        """The corpus file a visible article was read from ("x.md", "added/x.md", "feed.jsonl"), or None."""
        where, params = article_filter(seq, None, None)
        row = (
            self._db()
            .execute(f"SELECT file FROM articles a WHERE doc_id = ? AND {where} LIMIT 1", (doc_id, *params))
            .fetchone()
        )
        return str(row[0]) if row else None

    def newest_articles(self, seq: int, limit: int, doc_ids: Sequence[str] | None = None) -> list[ArticleInfo]:
        """Visible articles newest first (undated ones last), optionally only these doc ids."""
        where, params = article_filter(seq, None, None)
        if doc_ids is not None:
            if not doc_ids:
                return []
            where += f" AND a.doc_id IN ({','.join('?' * len(doc_ids))})"
            params = (*params, *doc_ids)
        rows = self._db().execute(
            f"SELECT doc_id, title, source, published, url, passages FROM articles a WHERE {where} "
            "ORDER BY a.published IS NULL, a.published DESC, doc_id LIMIT ?",
            (*params, limit),
        )
        return [ArticleInfo(*row) for row in rows]

    def article_by_identity(self, seq: int, column: str, value: str) -> Article | None:
        """A visible article whose URL key (column "url_key") or text hash ("text_key") is this value."""
        if column not in ("url_key", "text_key"):
            raise ValueError(column)
        row = (
            self._db()
            .execute(
                f"SELECT a.doc_id, a.title, a.source, a.url, a.published, a.origin FROM identities i "
                f"JOIN articles a ON a.id = i.article WHERE i.{column} = ? AND {VISIBLE.format(t='a')} LIMIT 1",
                (value, seq, seq),
            )
            .fetchone()
        )
        if row is None:
            return None
        doc_id, title, source, url, published, origin = row
        return Article(doc_id, "", title=title, source=source, url=url, published=published, origin=origin or "")

    def lacking_identity(self, seq: int) -> int:
        """Visible articles written before identities were recorded (a catalog from an older version)."""
        where = VISIBLE.format(t="a")
        return self._count(
            f"FROM articles a LEFT JOIN identities i ON i.article = a.id WHERE {where} AND i.article IS NULL",
            (seq, seq),
        )

    def uncached_passages(self, seq: int, model: str) -> int:
        """Visible passages whose vector for this model is not in the embedding cache."""
        where = VISIBLE.format(t="p")
        return self._count(
            f"FROM passages p WHERE {where} AND NOT EXISTS "
            "(SELECT 1 FROM embeddings e WHERE e.model = ? AND e.text_hash = p.text_hash)",
            (seq, seq, model),
        )

    def recorded_files(self) -> dict[str, tuple[int, int]]:
        """(size, mtime in ns) of every corpus file as the last update recorded it."""
        return {r[0]: (r[1], r[2]) for r in self._db().execute("SELECT name, size, mtime_ns FROM files")}

    def article_count(self, seq: int, *, source: str | None = None, since: str | None = None) -> int:
        where, params = article_filter(seq, source, since)
        return self._count(f"FROM articles a WHERE {where}", params)

    def _count(self, rest: str, params: tuple[Any, ...]) -> int:
        """SELECT COUNT(*) with this FROM ... WHERE ... part."""
        return int(self._db().execute(f"SELECT COUNT(*) {rest}", params).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                db.close()
            self._all.clear()
