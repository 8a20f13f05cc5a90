"""The index catalog in SQLite: what is indexed, what is served, and the embedding cache.

Rows are versioned, so an update never edits what a search may be reading. Every update has a number
(`seq`); an article or passage row is visible at seq S when `added_in <= S` and it was not removed at or
before S. An update writes its new rows with `added_in = S + 1` and marks the rows it replaces
`removed_in = S + 1`, fills the lexical and dense stores, then flips `meta.serving` from S to S + 1 in
one transaction: that flip is the atomic swap. Until it, searches see S; after it, S + 1; never a mix.
A kill before the flip leaves rows above the serving number, which the next open removes; rows removed
at or before it are collected one update later (in-flight searches of the previous view may read them).

Passage keys (`passages.key`) are never reused (AUTOINCREMENT): the lexical and dense stores are
keyed by them, so a store holding keys the catalog does not serve is harmless (searches filter by the
catalog) and its extra keys are deleted by key.

Each file of the corpus is recorded with size, mtime and sha256, so an update reads only what changed.
Each passage row carries the sha256 of its text (also the embedding cache's key) and each article row
a hash of its fields, checked when read: garbled rows are noticed where they are used, without reading
the whole catalog at start. A catalog SQLite cannot open is moved aside and started afresh.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.index.catalog_reads import ARTICLE_BASE, VISIBLE, article_row_hash, chunks, index_text, text_digest
from retrieval.index.change_set import Changes, FileState, StoredArticle
from retrieval.index.integrity import FileEntry, move_aside, sqlite_problem
from retrieval.index.stories import MAX_CANDIDATES, Candidate, Fingerprint
from retrieval.records import Article, Passage, Skipped
from retrieval.web.duplicates import content_hash, url_key

log = logging.getLogger(__name__)

SCHEMA_VERSION = "2"
# Catalogs up to this size get a full `PRAGMA quick_check` at every open (it reads the whole file:
# 33 s at 1M passages); bigger ones check their small tables at open and every row where it is read.
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024
RACY_NS = 3_000_000_000  # a file modified this recently is hashed again at the next update

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS updates (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, seconds REAL,
    added INTEGER, updated INTEGER, removed INTEGER, passages_added INTEGER, passages_removed INTEGER
);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL,
    skipped TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS shadowed (doc_id TEXT NOT NULL, file TEXT NOT NULL, PRIMARY KEY (doc_id, file));
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, file TEXT NOT NULL, article_hash TEXT NOT NULL,
    title TEXT, source TEXT, url TEXT, published TEXT, origin TEXT, passages INTEGER NOT NULL,
    store TEXT NOT NULL, added_in INTEGER NOT NULL, removed_in INTEGER, row_hash TEXT NOT NULL, story INTEGER
);
CREATE INDEX IF NOT EXISTS articles_by_doc ON articles (doc_id);
CREATE TABLE IF NOT EXISTS story_bands (
    band INTEGER NOT NULL, hash INTEGER NOT NULL, day INTEGER, article INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS story_bands_by_key ON story_bands (band, hash, day);
CREATE INDEX IF NOT EXISTS story_bands_by_article ON story_bands (article);
CREATE TABLE IF NOT EXISTS story_signatures (
    article INTEGER PRIMARY KEY, signature BLOB NOT NULL, numbers TEXT NOT NULL, day INTEGER
);
CREATE INDEX IF NOT EXISTS articles_by_file ON articles (file);
CREATE TABLE IF NOT EXISTS identities (
    article INTEGER PRIMARY KEY, url_key TEXT, text_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS identities_by_url ON identities (url_key);
CREATE INDEX IF NOT EXISTS identities_by_text ON identities (text_key);
CREATE TABLE IF NOT EXISTS passages (
    key INTEGER PRIMARY KEY AUTOINCREMENT, article INTEGER NOT NULL, passage_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, text TEXT NOT NULL, text_hash TEXT NOT NULL,
    store TEXT NOT NULL, added_in INTEGER NOT NULL, removed_in INTEGER
);
CREATE INDEX IF NOT EXISTS passages_by_article ON passages (article);
CREATE INDEX IF NOT EXISTS passages_by_id ON passages (passage_id);
CREATE INDEX IF NOT EXISTS passages_added ON passages (added_in);
CREATE INDEX IF NOT EXISTS passages_removed ON passages (removed_in) WHERE removed_in IS NOT NULL;
CREATE INDEX IF NOT EXISTS passages_by_text ON passages (text_hash);
CREATE TABLE IF NOT EXISTS vocabulary (word TEXT PRIMARY KEY, sound TEXT NOT NULL, skeleton TEXT NOT NULL)
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vocabulary_by_skeleton ON vocabulary (skeleton);
CREATE TABLE IF NOT EXISTS lexical_files (
    store TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (store, name)
);
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text_hash)
);
"""


@dataclass(frozen=True)
class ServingState:
    """What the catalog serves: the update number, and the stores that hold it."""

    seq: int
    store: str  # the lexical index folder, named by the full build that made it
    collection: str | None  # the Chroma collection with the vectors; None: none yet
    model: str | None  # the model of those vectors
    dense_seq: int  # the update the collection is complete for (< seq: it lags, and is rebuilt)
    finished_at: datetime | None
    seconds: float | None
    articles: int
    passages: int


class Catalog:
    """The catalog's one writing connection, used by the update in progress under the engine's lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered: str | None = None  # one line, when a damaged file was moved aside at open
        self.outdated = False  # an older layout was found: the index is rebuilt (the embedding cache is kept)
        problem = sqlite_problem(path, full=_small(path))
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

    def _connect(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self.outdated = _upgrade(db)
            _add_missing_columns(db)
            db.executescript(SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            if not _small(path):  # the big tables are checked row by row where they are read
                for table in ("meta", "updates", "files", "lexical_files"):
                    rows = db.execute(f"PRAGMA quick_check({table})").fetchall()
                    if [tuple(r) for r in rows] != [("ok",)]:
                        raise sqlite3.DatabaseError(f"{table}: {rows[0][0]}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    def full_check(self) -> str | None:
        """`PRAGMA quick_check` of the whole catalog (it reads every page): why it fails, or None."""
        rows = self._db.execute("PRAGMA quick_check").fetchall()
        return None if [tuple(r) for r in rows] == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error (the connection runs in autocommit mode)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- identity and the serving pointer -------------------------------------------------------

    def instance_id(self) -> str:
        """A random id for this state directory, created on first use."""
        value = self._meta("instance")
        if value is None:
            value = uuid.uuid4().hex[:12]
            self._db.execute("INSERT INTO meta VALUES ('instance', ?)", (value,))
        return value

    def serving(self) -> ServingState | None:
        """The serving state, or None before the first complete update."""
        raw = self._meta("serving")
        if raw is None:
            return None
        data = json.loads(raw)
        finished = data.get("finished_at")
        return ServingState(
            seq=int(data["seq"]),
            store=str(data["store"]),
            collection=data.get("collection"),
            model=data.get("model"),
            dense_seq=int(data.get("dense_seq", 0)),
            finished_at=datetime.fromisoformat(finished) if finished else None,
            seconds=data.get("seconds"),
            articles=int(data.get("articles", 0)),
            passages=int(data.get("passages", 0)),
        )

    def next_seq(self) -> int:
        """The number the next update gets: above every update begun, finished or not."""
        row = self._db.execute("SELECT MAX(seq) FROM updates").fetchone()
        return int(row[0] or 0) + 1

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self._db.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- writing an update ----------------------------------------------------------------------

    def begin_update(self, seq: int, kind: str) -> None:
        self._db.execute("INSERT INTO updates (seq, kind, started_at) VALUES (?, ?, ?)", (seq, kind, _now()))

    def add_article(self, seq: int, store: str, article: Article, article_hash: str, file: str, passages: int) -> int:
        """Insert an article row that becomes visible at `seq`; returns its row id."""
        a = article
        cursor = self._db.execute(
            "INSERT INTO articles (doc_id, file, article_hash, title, source, url, published, origin, passages, "
            "store, added_in, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.doc_id,
                file,
                article_hash,
                a.title,
                a.source,
                a.url,
                a.published,
                a.origin,
                passages,
                store,
                seq,
                article_row_hash(a.doc_id, a.title, a.source, a.url, a.published),
            ),
        )
        assert cursor.lastrowid is not None
        self.add_identity(cursor.lastrowid, a)
        return cursor.lastrowid

    def add_identity(self, article_row: int, article: Article) -> None:
        """Remember how a new link or page would name this article: by URL key and by text hash."""
        self._db.execute(
            "INSERT OR REPLACE INTO identities VALUES (?, ?, ?)",
            (article_row, url_key(article.url), content_hash(article.text)),
        )

    def add_passages(self, seq: int, store: str, article: int, passages: Sequence[Passage]) -> list[int]:
        """Insert an article's passages, visible from `seq`; returns their new keys."""
        keys = []
        for p in passages:
            cursor = self._db.execute(
                "INSERT INTO passages (article, passage_id, ordinal, text, text_hash, store, added_in) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (article, p.passage_id, p.ordinal, p.text, text_digest(p.title, p.text), store, seq),
            )
            assert cursor.lastrowid is not None
            keys.append(cursor.lastrowid)
        return keys

    def story_candidates(
        self, seq: int, bands: Sequence[tuple[int, int]], day: int | None, days: int
    ) -> list[Candidate]:
        """Visible articles sharing a MinHash band (published within `days` of `day`, or undated when
        `day` is None), most shared bands first, with their signatures."""
        if not bands:
            return []
        keys = " OR ".join("(b.band=? AND b.hash=?)" for _ in bands)
        when = "b.day BETWEEN ? AND ?" if day is not None else "b.day IS NULL"
        around = (day - days, day + days) if day is not None else ()
        rows = self._db.execute(
            f"SELECT a.id, COALESCE(a.story, a.id), s.signature, s.numbers, s.day, COUNT(*) AS shared "
            f"FROM story_bands b JOIN articles a ON a.id = b.article JOIN story_signatures s ON s.article = a.id "
            f"WHERE ({keys}) AND {when} AND {VISIBLE.format(t='a')} GROUP BY a.id ORDER BY shared DESC, a.id LIMIT ?",
            (*[x for pair in bands for x in pair], *around, seq, seq, MAX_CANDIDATES),
        )
        return [
            Candidate(r[0], r[1], np.frombuffer(r[2], dtype=np.uint32), frozenset(r[3].split()), r[4]) for r in rows
        ]

    def article_texts(self, ids: Sequence[int]) -> dict[int, tuple[str | None, str | None, list[str]]]:
        """(title, published, passage texts) of these article rows."""
        found: dict[int, tuple[str | None, str | None, list[str]]] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT a.id, a.title, a.published, p.text FROM articles a JOIN passages p ON p.article = a.id "
                f"WHERE a.id IN ({marks}) ORDER BY a.id, p.ordinal",
                tuple(chunk),
            )
            for article, title, published, text in rows:
                found.setdefault(article, (title, published, []))[2].append(text)
        return found

    def set_story(
        self,
        article_id: int,
        story: int | None,
        signature: np.ndarray,
        fingerprint: Fingerprint,
        bands: Sequence[tuple[int, int]],
    ) -> None:
        """Record an article's story (None: its own), signature and bands, for later articles to match."""
        if story is not None:
            self._db.execute("UPDATE articles SET story=? WHERE id=?", (story, article_id))
        day = fingerprint.day
        self._db.execute(
            "INSERT OR REPLACE INTO story_signatures VALUES (?, ?, ?, ?)",
            (article_id, signature.tobytes(), " ".join(sorted(fingerprint.numbers)), day),
        )
        self._db.executemany("INSERT INTO story_bands VALUES (?, ?, ?, ?)", [(b, h, day, article_id) for b, h in bands])

    def remove_articles(self, seq: int, article_ids: Sequence[int]) -> int:
        """Mark articles (and their passages) removed as of `seq`; returns how many passages that retires."""
        retired = 0
        for chunk in chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"UPDATE articles SET removed_in=? WHERE id IN ({marks})", (seq, *chunk))
            retired += self._db.execute(
                f"UPDATE passages SET removed_in=? WHERE article IN ({marks})", (seq, *chunk)
            ).rowcount
        return retired

    def remove_everything(self, seq: int) -> int:
        """Mark every visible row removed as of `seq` (a full rebuild writes them all again)."""
        self._db.execute("UPDATE articles SET removed_in=? WHERE removed_in IS NULL AND added_in < ?", (seq, seq))
        return self._db.execute(
            "UPDATE passages SET removed_in=? WHERE removed_in IS NULL AND added_in < ?", (seq, seq)
        ).rowcount

    def add_words(self, words: Iterable[tuple[str, str, str]]) -> None:
        """Remember corpus words with their sound key and its consonant skeleton (for sound-alike lookup)."""
        self._db.executemany("INSERT OR IGNORE INTO vocabulary VALUES (?, ?, ?)", words)

    def known_words(self, words: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(words):
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._db.execute(f"SELECT word FROM vocabulary WHERE word IN ({marks})", chunk))
        return found

    def flip(
        self,
        seq: int,
        *,
        store: str,
        collection: str | None,
        model: str | None,
        dense_seq: int,
        changes: Changes,
        passages_added: int,
        passages_retired: int,
        seconds: float,
    ) -> None:
        """Serve update `seq`: the file states it read recorded and the pointer moved, in one transaction."""
        with self.transaction():
            self._record_changes(changes)
            articles, passages = self._visible_counts(seq)
            self._db.execute(
                "UPDATE updates SET finished_at=?, seconds=?, added=?, updated=?, removed=?, passages_added=?, "
                "passages_removed=? WHERE seq=?",
                (
                    _now(),
                    seconds,
                    changes.added,
                    changes.updated,
                    changes.removed,
                    passages_added,
                    passages_retired,
                    seq,
                ),
            )
            state = {
                "seq": seq,
                "store": store,
                "collection": collection,
                "model": model,
                "dense_seq": dense_seq,
                "finished_at": _now(),
                "seconds": seconds,
                "articles": articles,
                "passages": passages,
            }
            self._set_meta("serving", json.dumps(state))

    def _visible_counts(self, seq: int) -> tuple[int, int]:
        where = VISIBLE.format(t="a")
        row = self._db.execute(f"SELECT COUNT(*), COALESCE(SUM(passages), 0) FROM articles a WHERE {where}", (seq, seq))
        articles, passages = row.fetchone()
        return int(articles), int(passages)

    # --- corpus files -----------------------------------------------------------------------------

    def file_states(self) -> dict[str, FileState]:
        rows = self._db.execute("SELECT name, size, mtime_ns, sha256, skipped FROM files")
        return {r[0]: FileState(r[0], r[1], r[2], r[3], _skipped_of(r[4])) for r in rows}

    def record_files(self, changes: Changes) -> None:
        """Remember the file states of changes that add or retire no article (no update needed)."""
        if changes.files or changes.gone or changes.reread:
            with self.transaction():
                self._record_changes(changes)

    def _record_changes(self, changes: Changes) -> None:
        self._record_files(changes.files)
        for name in changes.gone:
            self._db.execute("DELETE FROM files WHERE name=?", (name,))
        for name in changes.reread:
            self._db.execute("DELETE FROM shadowed WHERE file=?", (name,))
        self._db.executemany("INSERT OR IGNORE INTO shadowed VALUES (?, ?)", changes.shadowed)

    def _record_files(self, files: Sequence[FileState]) -> None:
        # A file modified in the last seconds may change again within the same mtime tick: keep -1 for its
        # mtime, so the next update hashes it rather than trusting size and mtime (git's "racy" rule).
        racy_after = time.time_ns() - RACY_NS
        self._db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            [
                (f.name, f.size, -1 if f.mtime_ns >= racy_after else f.mtime_ns, f.sha256, _skipped_json(f.skipped))
                for f in files
            ],
        )

    def forget_file(self, name: str) -> None:
        """Drop a file's recorded state: the next update reads it again (a damaged row of it was found)."""
        self._db.execute("DELETE FROM files WHERE name=?", (name,))

    def skipped(self, changes: Changes) -> list[Skipped]:
        """Everything the corpus could not use: the files this update read, and the others as recorded."""
        read = {f.name: f for f in changes.files}
        states = {**self.file_states(), **read}
        for name in changes.gone:
            states.pop(name, None)
        return [s for name in sorted(states) for s in states[name].skipped]

    def articles_of_files(self, seq: int, files: Iterable[str]) -> list[StoredArticle]:
        found: list[StoredArticle] = []
        for chunk in chunks(sorted(files)):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id, doc_id, file, article_hash, passages FROM articles a WHERE file IN ({marks}) "
                f"AND {VISIBLE.format(t='a')}",
                (*chunk, seq, seq),
            )
            found += [StoredArticle(*r) for r in rows]
        return found

    def doc_ids_of_files(self, seq: int, files: Iterable[str]) -> set[str]:
        return {a.doc_id for a in self.articles_of_files(seq, files)}

    def owners(self, seq: int, doc_ids: Iterable[str]) -> dict[str, str]:
        """The file each of these doc ids is served from (ids not served are left out)."""
        found: dict[str, str] = {}
        for chunk in chunks(sorted(doc_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT doc_id, file FROM articles a WHERE doc_id IN ({marks}) AND {VISIBLE.format(t='a')}",
                (*chunk, seq, seq),
            )
            found.update(rows.fetchall())
        return found

    def shadowing(self, doc_ids: Iterable[str]) -> set[str]:
        """Files holding a skipped copy of one of these doc ids (another file owned it)."""
        found: set[str] = set()
        for chunk in chunks(sorted(doc_ids)):
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._db.execute(f"SELECT file FROM shadowed WHERE doc_id IN ({marks})", chunk))
        return found

    # --- the lexical index's files ------------------------------------------------------------------

    def mark_lexical_dirty(self, store: str) -> None:
        """Say a store's lexical index is being written: until its files are recorded again, an open
        trusts them as they are (a kill between tantivy's commit and the record is not damage)."""
        self._set_meta("lexical_dirty", store)

    def lexical_padding(self, store: str) -> int | None:
        """The PAD tokens per document of a store's lexical index (None: not set yet, a new store)."""
        value = self._meta(f"padding:{store}")
        return int(value) if value is not None else None

    def set_lexical_padding(self, store: str, padding: int) -> None:
        self._set_meta(f"padding:{store}", str(padding))

    def vectors_added(self, collection: str) -> int:
        """Vectors ever added to a collection: with its count, how many of its HNSW slots are deleted
        passages (Chroma never reuses a deleted slot)."""
        return int(self._meta(f"vectors_added:{collection}") or 0)

    def forget_collections_except(self, keep: str | None) -> None:
        self._db.execute("DELETE FROM meta WHERE key LIKE 'vectors_added:%' AND key != ?", (f"vectors_added:{keep}",))

    def count_vectors_added(self, collection: str, count: int) -> None:
        self._set_meta(f"vectors_added:{collection}", str(self.vectors_added(collection) + count))

    def lexical_dirty(self) -> str | None:
        return self._meta("lexical_dirty")

    def record_lexical_files(self, store: str, files: Sequence[FileEntry], gone: Iterable[str]) -> None:
        """An index's files after a commit (`store`, or `store/articles`): new ones recorded, deleted ones
        forgotten."""
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO lexical_files VALUES (?, ?, ?, ?)",
                [(store, f.name, f.size, f.sha256) for f in files],
            )
            self._db.executemany("DELETE FROM lexical_files WHERE store=? AND name=?", [(store, n) for n in gone])

    def clear_lexical_dirty(self, store: str) -> None:
        """Every index of the store is recorded: opens verify its files again."""
        if self._meta("lexical_dirty") == store:
            self._set_meta("lexical_dirty", None)

    def lexical_files(self, store: str) -> list[FileEntry]:
        rows = self._db.execute("SELECT name, size, sha256 FROM lexical_files WHERE store=? ORDER BY name", (store,))
        return [FileEntry(*row) for row in rows]

    def forget_lexical_stores_except(self, keep: str | None) -> None:
        """Forget the recorded files (and padding) of every lexical store but `keep` (their folders are gone)."""
        self._db.execute(
            "DELETE FROM lexical_files WHERE store != ? AND store NOT LIKE ?", (keep or "", f"{keep or ''}/%")
        )
        self._db.execute("DELETE FROM meta WHERE key LIKE 'padding:%' AND key != ?", (f"padding:{keep}",))

    def forget_lexical_store(self, store: str) -> None:
        self._db.execute("DELETE FROM lexical_files WHERE store=? OR store LIKE ?", (store, f"{store}/%"))
        self._set_meta(f"padding:{store}", None)
        if self._meta("lexical_dirty") == store:
            self._set_meta("lexical_dirty", None)

    # --- recovery and collection ----------------------------------------------------------------

    def key_of(self, passage_id: str) -> int:
        """The key of the newest row of a passage id (for tests that key vectors by hand)."""
        return int(self._db.execute("SELECT MAX(key) FROM passages WHERE passage_id=?", (passage_id,)).fetchone()[0])

    def unfinished(self, seq: int) -> list[tuple[int, str]]:
        """(key, store) of what updates that never became visible (above `seq`) wrote to the stores:
        passages, and article documents (keyed ARTICLE_BASE + row id in the lexical index)."""
        passages = self._db.execute("SELECT key, store FROM passages WHERE added_in > ?", (seq,)).fetchall()
        articles = self._db.execute("SELECT id, store FROM articles WHERE added_in > ?", (seq,)).fetchall()
        return [(r[0], r[1]) for r in passages] + [(ARTICLE_BASE + r[0], r[1]) for r in articles]

    def drop_unfinished(self, seq: int) -> None:
        """Forget what updates above `seq` wrote or marked: a killed or cancelled update leaves no trace."""
        with self.transaction():
            self._db.execute("DELETE FROM passages WHERE added_in > ?", (seq,))
            self._db.execute(
                "DELETE FROM story_bands WHERE article IN (SELECT id FROM articles WHERE added_in > ?)", (seq,)
            )
            self._db.execute(
                "DELETE FROM story_signatures WHERE article IN (SELECT id FROM articles WHERE added_in > ?)", (seq,)
            )
            self._db.execute(
                "DELETE FROM identities WHERE article IN (SELECT id FROM articles WHERE added_in > ?)", (seq,)
            )
            self._db.execute("DELETE FROM articles WHERE added_in > ?", (seq,))
            self._db.execute("UPDATE passages SET removed_in=NULL WHERE removed_in > ?", (seq,))
            self._db.execute("UPDATE articles SET removed_in=NULL WHERE removed_in > ?", (seq,))
            self._db.execute("DELETE FROM updates WHERE seq > ? AND finished_at IS NULL", (seq,))

    def retired(self, seq: int) -> list[tuple[int, str]]:
        """(key, store) of passages and article documents removed at or before update `seq`: the view
        of `seq` does not see them."""
        passages = self._db.execute("SELECT key, store FROM passages WHERE removed_in <= ?", (seq,)).fetchall()
        articles = self._db.execute("SELECT id, store FROM articles WHERE removed_in <= ?", (seq,)).fetchall()
        return [(r[0], r[1]) for r in passages] + [(ARTICLE_BASE + r[0], r[1]) for r in articles]

    def retired_count(self, seq: int) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM passages WHERE removed_in <= ?", (seq,)).fetchone()[0])

    def drop_retired(self, seq: int) -> None:
        """Delete the rows updates up to `seq` retired, and the cached vectors of texts no passage holds any
        more (an edited or removed passage's): the cache then grows with the corpus, not with its history.
        Costs what was retired: only the retired texts are looked up (passages_by_text)."""
        with self.transaction():
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS retired_texts (text_hash TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM retired_texts")
            self._db.execute(
                "INSERT OR IGNORE INTO retired_texts SELECT text_hash FROM passages WHERE removed_in <= ?", (seq,)
            )
            self._db.execute("DELETE FROM passages WHERE removed_in <= ?", (seq,))
            self._db.execute(  # texts another passage still holds keep their vectors
                "DELETE FROM retired_texts WHERE EXISTS "
                "(SELECT 1 FROM passages p WHERE p.text_hash = retired_texts.text_hash)"
            )
            for model in self._cached_models():
                self._db.execute(
                    "DELETE FROM embeddings WHERE model = ? AND text_hash IN (SELECT text_hash FROM retired_texts)",
                    (model,),
                )
            self._db.execute(
                "DELETE FROM story_bands WHERE article IN (SELECT id FROM articles WHERE removed_in <= ?)", (seq,)
            )
            self._db.execute(
                "DELETE FROM story_signatures WHERE article IN (SELECT id FROM articles WHERE removed_in <= ?)", (seq,)
            )
            self._db.execute(
                "DELETE FROM identities WHERE article IN (SELECT id FROM articles WHERE removed_in <= ?)", (seq,)
            )
            self._db.execute("DELETE FROM articles WHERE removed_in <= ?", (seq,))

    def _cached_models(self) -> list[str]:
        """The models the embedding cache holds vectors of: one index seek a model (a skip scan), where
        SELECT DISTINCT would read the whole cache."""
        rows = self._db.execute(
            "WITH RECURSIVE m(model) AS (SELECT MIN(model) FROM embeddings UNION ALL "
            "SELECT (SELECT MIN(model) FROM embeddings WHERE model > m.model) FROM m WHERE m.model IS NOT NULL) "
            "SELECT model FROM m WHERE model IS NOT NULL"
        )
        return [str(row[0]) for row in rows]

    def last_update(self) -> tuple[int, str, datetime | None, float | None] | None:
        row = self._db.execute(
            "SELECT seq, kind, finished_at, seconds FROM updates WHERE finished_at IS NOT NULL ORDER BY seq DESC"
        ).fetchone()
        if row is None:
            return None
        return int(row[0]), str(row[1]), datetime.fromisoformat(row[2]) if row[2] else None, row[3]

    # --- vectors ----------------------------------------------------------------------------------

    def passages_for_vectors(
        self, seq: int, added_in: int | None, batch: int = 2000
    ) -> Iterator[list[tuple[int, str, str]]]:
        """(key, text for the index, text hash) of the passages visible at `seq` (only those added by update
        `added_in`, when given), in key order, a batch at a time: what gets vectors."""
        last = 0
        extra = " AND p.added_in = ?" if added_in is not None else ""
        while True:
            params: tuple[Any, ...] = (last, seq, seq, *((added_in,) if added_in is not None else ()), batch)
            rows = self._db.execute(
                "SELECT p.key, a.title, p.text, p.text_hash FROM passages p JOIN articles a ON a.id = p.article "
                f"WHERE p.key > ? AND {VISIBLE.format(t='p')}{extra} ORDER BY p.key LIMIT ?",
                params,
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(key, index_text(title, text), digest) for key, title, text, digest in rows]

    def count_passages(self, seq: int, added_in: int | None) -> int:
        """How many distinct passage texts are visible at `seq` (added by update `added_in`, when given)."""
        extra = " AND p.added_in = ?" if added_in is not None else ""
        params: tuple[Any, ...] = (seq, seq, *((added_in,) if added_in is not None else ()))
        row = self._db.execute(
            f"SELECT COUNT(DISTINCT p.text_hash) FROM passages p WHERE {VISIBLE.format(t='p')}{extra}", params
        )
        return int(row.fetchone()[0])

    def count_uncached(self, model: str, seq: int, added_in: int | None) -> int:
        """How many of those passages have no cached vector for `model`: what must be embedded."""
        extra = " AND p.added_in = ?" if added_in is not None else ""
        params: tuple[Any, ...] = (model, seq, seq, *((added_in,) if added_in is not None else ()))
        row = self._db.execute(
            "SELECT COUNT(DISTINCT p.text_hash) FROM passages p LEFT JOIN embeddings e "
            "ON e.model = ? AND e.text_hash = p.text_hash "
            f"WHERE e.text_hash IS NULL AND {VISIBLE.format(t='p')}{extra}",
            params,
        ).fetchone()
        return int(row[0])

    def cached_vectors(self, model: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for chunk in chunks(text_hashes):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model=? AND text_hash IN ({marks})", (model, *chunk)
            )
            found.update((h, np.frombuffer(v, dtype=np.float32)) for h, v in rows)
        return found

    def store_vectors(self, model: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
            )


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Columns added to a table after catalogs of this layout were first written (NULL until set)."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "articles" in tables and "story" not in {r[1] for r in db.execute("PRAGMA table_info(articles)")}:
        db.execute("ALTER TABLE articles ADD COLUMN story INTEGER")


def _small(path: Path) -> bool:
    try:
        return path.stat().st_size <= FULL_CHECK_MAX_BYTES
    except OSError:
        return True


def _upgrade(db: sqlite3.Connection) -> bool:
    """Bring a catalog of an older layout (one generation per build) to this one: its index tables are
    dropped (the next update rebuilds from the corpus) and its embedding cache kept. True when it did."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "generations" not in tables:
        return False
    with _immediate(db):
        for table in ("generations", "articles", "passages", "generation_files"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute("DELETE FROM meta WHERE key IN ('current', 'schema')")
    log.info("the index catalog has an older layout: the index is rebuilt from the corpus, the embeddings kept")
    return True


@contextmanager
def _immediate(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _skipped_json(skipped: Sequence[Skipped]) -> str:
    return json.dumps([[s.name, s.reason] for s in skipped], ensure_ascii=False)


def _skipped_of(raw: str) -> tuple[Skipped, ...]:
    try:
        return tuple(Skipped(name, reason) for name, reason in json.loads(raw))
    except (ValueError, TypeError):
        return ()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
