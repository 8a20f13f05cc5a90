"""Chroma as the dense vector store: one live collection per state directory and model, our own embeddings.

A collection is created by a full build (or a model change) and then updated in place: vectors are
added and deleted by passage key (Chroma ids are the catalog's keys as strings). Searches filter what it
returns by the catalog, so a vector the catalog does not serve (an update not yet visible, a passage
not yet collected) is never shown. Collections are created with `embedding_function=None` so Chroma
never downloads its default model, and named `passages_<instance>_<store>`; the instance id (one per
state directory) keeps replicas that share a Chroma server apart.

The local engine's files are ours alone: a chroma.sqlite3 it cannot open is moved aside (the vectors
are re-created from the embedding cache), and folders no live collection owns are removed at open
(chromadb's delete_collection leaves a collection's segment folder behind: chroma-core/chroma#5259).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from retrieval.index import chroma_files
from retrieval.index.integrity import move_aside, sqlite_problem

if TYPE_CHECKING:  # chromadb is imported when the client is first needed (see ChromaStore)
    import chromadb
    from chromadb.api import ClientAPI
    from chromadb.config import Settings as ChromaSettings

log = logging.getLogger(__name__)
# HNSW settings of a new collection (python -m benchmarks.hnsw_recall: the bundled model's vectors of the
# bn-news-qa passages). With Chroma's defaults (ef_construction = ef_search = 100) 71-77% of questions got
# a dense top-50 that differs from exact cosine ranking, so answers moved with the insertion order (a
# rebuild, an update resumed after a kill); with these 0.7-1.3%, for 2-3 ms more a question.
HNSW_CONSTRUCTION_EF = 200  # fixed when a collection is created
HNSW_SEARCH_EF = 500  # mutable: a collection made with less is raised to it when opened
# Records Chroma applies to HNSW in memory before it writes the index to disk (default 1,000). A new
# process replays the records not yet written into HNSW before its first operation, about 1 ms each at
# ef_construction 200 (measured at 50k vectors: 0.1 s with none to replay, 1.3 s with 890), so a
# `sondhani index` or `ask` after a full build paid up to a second for that; with 100 it pays at most
# 0.1 s, and the writes in between cost 0.02-0.06 s. Mutable: older collections are lowered when opened.
HNSW_SYNC_THRESHOLD = 100
SEGMENT_DIR = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class ChromaCollection:
    """One store's vectors, by passage key; answers nearest-neighbour queries as (key, cosine similarity)."""

    def __init__(self, name: str, collection: chromadb.Collection, max_batch: int) -> None:
        self.name = name  # the store part of the collection's name, as the catalog points at it
        self._collection = collection
        self._max_batch = max_batch

    def count(self) -> int:
        """How many vectors the collection holds."""
        return int(self._collection.count())

    def add(self, keys: Sequence[int], vectors: np.ndarray) -> None:
        """Add the vectors of new keys (keys are never reused), in batches Chroma accepts; `add`, not
        `upsert`: replacing an existing id repairs its HNSW neighbours and cost ten times as much."""
        for start in range(0, len(keys), self._max_batch):
            self._collection.add(
                ids=[str(k) for k in keys[start : start + self._max_batch]],
                embeddings=vectors[start : start + self._max_batch].tolist(),
            )

    def delete(self, keys: Sequence[int]) -> None:
        """Delete the vectors of these keys (keys it does not hold are ignored)."""
        for start in range(0, len(keys), self._max_batch):
            self._collection.delete(ids=[str(k) for k in keys[start : start + self._max_batch]])

    def query(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest vectors, best first, as (key, cosine similarity). Chroma returns fewer when it
        holds fewer (none from an empty collection), so its count is not asked first: counting costs a
        scan that grows with the collection (benchmarks in docs/measurements.md)."""
        if k <= 0:
            return []
        found = self._collection.query(query_embeddings=[vector.tolist()], n_results=k, include=["distances"])
        distances = found["distances"]
        assert distances is not None  # asked for with include=["distances"]
        return [(int(key), 1.0 - float(dist)) for key, dist in zip(found["ids"][0], distances[0], strict=True)]


class ChromaStore:
    """The embedded PersistentClient under the state directory, or a Chroma server (HttpClient).

    The local engine's client is made when something first needs it (an update that writes vectors, a
    search, a collection to drop): importing chromadb and loading a collection's HNSW index cost about
    a second at 200k passages, which a no-op `index` never needs. What an open must know before that
    (the damage check, how many vectors a collection holds, which collections exist) is read from
    chroma.sqlite3 directly (chroma_files); where that layout is not the one known, the client answers."""

    def __init__(self, state_dir: Path, instance: str, url: str | None = None) -> None:
        self._prefix = f"passages_{instance}_"
        self.recovered: str | None = None  # one line, when damaged local files were moved aside at open
        self._path: Path | None = None if url else state_dir / "chroma"
        self._url = url
        self._opened: ClientAPI | None = None
        self._opening = threading.Lock()
        if self._path is not None:
            problem = sqlite_problem(self._path / "chroma.sqlite3")
            if problem is not None:
                self._client_now(problem)  # moved aside at once, so `recovered` tells the caller
            else:
                _purge_automatically(self._path / "chroma.sqlite3")
        else:
            self._client_now()

    @property
    def _client(self) -> ClientAPI:
        return self._opened if self._opened is not None else self._client_now()

    def _client_now(self, problem: str | None = None) -> ClientAPI:
        """Make the client (once; searches may ask from several threads)."""
        with self._opening:
            if self._opened is None:
                self._opened = self._make_client(problem)
            return self._opened

    def _make_client(self, problem: str | None) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False)
        if self._path is None:
            parsed = urlparse(self._url or "")
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        return self._open_local(self._path, settings, problem)

    def _open_local(self, path: Path, settings: ChromaSettings, problem: str | None) -> ClientAPI:
        """The PersistentClient, after moving a directory it cannot read aside (once).

        A chroma.sqlite3 garbled in its middle still opens and lists its collections, then answers
        count() wrongly or fails later (measured on Chroma 1.5.9), so its pages are checked first, at
        construction (`PRAGMA quick_check`: 0.4 s at 1M vectors, page cache warm). Its write-ahead log
        is pruned only when the directory's one `automatically_purge` switch is on: it is turned on there."""
        import chromadb

        client: ClientAPI | None = None
        if problem is None:
            try:
                client = chromadb.PersistentClient(path=str(path), settings=settings)
                client.list_collections()
                return client
            except chromadb.errors.ChromaError as exc:
                problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                _forget_engine(path, client)
        aside = move_aside(path)
        self.recovered = f"the vector store {path.name}/ was damaged ({problem}): moved to {aside.name}, started afresh"
        log.warning("%s", self.recovered)
        return chromadb.PersistentClient(path=str(path), settings=settings)

    def create(self, store: str) -> ChromaCollection:
        """A new, empty collection for a store (an old one of that name is replaced)."""
        from chromadb.api.collection_configuration import CreateCollectionConfiguration, CreateHNSWConfiguration

        self.drop(store)
        hnsw = CreateHNSWConfiguration(
            space="cosine",
            ef_construction=HNSW_CONSTRUCTION_EF,
            ef_search=HNSW_SEARCH_EF,
            sync_threshold=HNSW_SYNC_THRESHOLD,
        )
        collection = self._client.create_collection(
            self._prefix + store, embedding_function=None, configuration=CreateCollectionConfiguration(hnsw=hnsw)
        )
        return ChromaCollection(store, collection, self._client.get_max_batch_size())

    def open(self, store: str) -> ChromaCollection | None:
        """The collection of a store, or None when it does not exist."""
        import chromadb

        try:
            collection = self._client.get_collection(self._prefix + store, embedding_function=None)
        except (ValueError, chromadb.errors.NotFoundError):
            return None
        _configured(collection)
        return ChromaCollection(store, collection, self._client.get_max_batch_size())

    def searcher(self, store: str) -> LazyCollection:
        """A store's collection for a view to search, opened at its first query."""
        return LazyCollection(self, store)

    def vector_count(self, store: str) -> int:
        """How many vectors a store's collection holds; -1 when it does not exist. The local engine's
        count is read from chroma.sqlite3 while no client is open (Chroma's own count() loads the HNSW
        index first: 0.5 s at 50k vectors)."""
        database = self._unopened_database()
        if database is not None:
            counted = chroma_files.vector_count(database, self._prefix + store)
            if counted is not None:
                return counted
        import chromadb

        try:
            collection = self.open(store)
            return collection.count() if collection is not None else -1
        except chromadb.errors.ChromaError as exc:
            log.warning("the vectors of the index cannot be read: %s", exc)
            return -1

    def drop(self, store: str) -> None:
        """Delete a store's collection if it exists."""
        import chromadb

        if self._opened is None and self._prefix + store not in self._collection_names():
            return  # nothing to drop, and no client made to learn that
        try:
            self._client.delete_collection(self._prefix + store)
        except (ValueError, chromadb.errors.NotFoundError):
            pass

    def close(self) -> None:
        """Release the client: chromadb keeps one engine per path in a process, and the next owner of the
        state directory (this process or another) must read the files afresh."""
        if self._opened is None:
            return
        from chromadb.api.client import Client

        if isinstance(self._opened, Client):
            self._opened.close()

    def collect_orphans(self, keep: set[str]) -> list[str]:
        """Local engine only: drop every collection but the stores in `keep` (whatever instance made it:
        a lost catalog gets a new instance id) and delete the segment folders no live collection owns.
        Returns what was removed. A shared server is left alone: other replicas' collections live there."""
        if self._path is None:
            return []
        removed = []
        for name in self._collection_names():
            if name not in {self._prefix + k for k in keep} and name.startswith("passages_"):
                self._client.delete_collection(name)
                removed.append(name)
        return removed + self.remove_dead_segment_folders()

    def remove_dead_segment_folders(self) -> list[str]:
        """Local engine only: delete the vector-index folders that no live collection references
        (Chroma's delete_collection leaves them behind, chroma-core/chroma#5259). Safe while other
        collections are being read: a live collection's segment is always in the `segments` table."""
        if self._path is None:
            return []
        database = self._path / "chroma.sqlite3"
        if not database.exists():
            return []
        try:
            live = chroma_files.live_segments(database)
        except sqlite3.Error as exc:  # unsure which folders are live: delete none
            log.warning("Not collecting Chroma's segment folders: cannot read its segments table (%s)", exc)
            return []
        removed = []
        for folder in self._path.iterdir():
            if folder.is_dir() and SEGMENT_DIR.fullmatch(folder.name) and folder.name not in live:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        return removed

    def stores(self) -> list[str]:
        """Stores of this state directory that have a collection here."""
        return [name[len(self._prefix) :] for name in self._collection_names() if name.startswith(self._prefix)]

    def _collection_names(self) -> list[str]:
        database = self._unopened_database()
        names = chroma_files.collection_names(database) if database is not None else None
        return names if names is not None else [c.name for c in self._client.list_collections()]

    def _unopened_database(self) -> Path | None:
        """The local engine's chroma.sqlite3 while no client is made (it is then read directly), else None."""
        return self._path / "chroma.sqlite3" if self._path is not None and self._opened is None else None


class LazyCollection:
    """A view's collection, opened at its first query (see ChromaStore); a store gone by then raises,
    and the view answers lexically."""

    def __init__(self, chroma: ChromaStore, store: str) -> None:
        self._chroma = chroma
        self._store = store
        self._collection: ChromaCollection | None = None
        self._opening = threading.Lock()

    def load(self) -> None:
        """Open the collection and load its index now (a server warms up before its first question)."""
        self._opened().count()

    def query(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self._opened().query(vector, k)

    def _opened(self) -> ChromaCollection:
        with self._opening:
            if self._collection is None:
                self._collection = self._chroma.open(self._store)
                if self._collection is None:
                    raise LookupError(f"the vector collection of store {self._store} is gone")
            return self._collection


def _configured(collection: chromadb.Collection) -> None:
    """Bring an older collection's mutable HNSW settings to ours: ef_search up to HNSW_SEARCH_EF (Chroma's
    default is 100), sync_threshold down to HNSW_SYNC_THRESHOLD (default 1,000)."""
    from chromadb.api.collection_configuration import UpdateHNSWConfiguration

    hnsw = (collection.configuration or {}).get("hnsw") or {}
    change = UpdateHNSWConfiguration()
    if int(hnsw.get("ef_search") or 0) < HNSW_SEARCH_EF:
        change["ef_search"] = HNSW_SEARCH_EF
    if int(hnsw.get("sync_threshold") or 1000) > HNSW_SYNC_THRESHOLD:
        change["sync_threshold"] = HNSW_SYNC_THRESHOLD
    if change:
        collection.modify(configuration={"hnsw": change})
        log.info("set the vector index's %s", ", ".join(f"{k} to {v}" for k, v in change.items()))


def _forget_engine(path: Path, client: ClientAPI | None) -> None:
    """Drop chromadb's cached engine for `path` after it failed to read the files: chromadb shares one
    engine per path in a process, and a later client must not get the broken one back. Its own release
    (Client.close) can fail on a half-started engine, so the cache entry is removed directly."""
    from chromadb.api.client import Client
    from chromadb.api.shared_system_client import SharedSystemClient

    if isinstance(client, Client):
        try:
            client.close()
        except Exception as exc:  # noqa: BLE001 - chromadb's stop() of a half-started engine; nothing to keep
            log.debug("closing the damaged Chroma client failed: %s", exc)
    SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)


def _purge_automatically(database: Path) -> None:
    """Turn on Chroma's pruning of its write-ahead log (`embeddings_queue`): off, the log grows by every
    record ever written (measured: +25 rows an update, without bound). It is off only in directories
    made by Chroma before 0.5.6; `chroma vacuum --path DIR --force` does the same and compacts."""
    if not database.exists():
        return
    try:
        db = sqlite3.connect(database)
        try:
            rows = db.execute("SELECT rowid, config_json_str FROM embeddings_queue_config").fetchall()
            for rowid, raw in rows:
                config = json.loads(raw)
                if config.get("automatically_purge") is not True:
                    config["automatically_purge"] = True
                    db.execute(
                        "UPDATE embeddings_queue_config SET config_json_str=? WHERE rowid=?",
                        (json.dumps(config), rowid),
                    )
                    log.debug("turned on the pruning of Chroma's write-ahead log")  # routine, at first start
            db.commit()
        finally:
            db.close()
    except (sqlite3.Error, ValueError) as exc:  # an older or newer layout: Chroma's own default applies
        log.debug("left Chroma's write-ahead log settings as they are (%s)", exc)
