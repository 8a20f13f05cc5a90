"""SearchEngine: the one object callers (CLI, bot, benchmarks) use.

It owns the state directory (a lock file), the embedding model, and the serving view of the index.
`search()` is synchronous and thread-safe: async callers run it through `asyncio.to_thread`.
`reindex()` applies an update beside what serves (only what changed, unless asked to rebuild) and
swaps the view in one assignment; searches keep using the old view until the swap.

Damaged state is never served and never crashes a start: a lexical index whose files differ from what
was recorded is not served (`damage` says why, and the next reindex rebuilds it from the corpus), a
damaged catalog or vector store is moved aside, a damaged row is skipped and its file read again, and
lost vectors are noticed and re-created.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.config import EngineConfig
from retrieval.corpus import uploads
from retrieval.corpus.loader import corpus_files
from retrieval.encoders.dense_mode import decide_dense, load_model, sample_words
from retrieval.encoders.encoder import Encoder
from retrieval.errors import CorpusError, IndexDamaged, IndexMissing, ReindexInProgress
from retrieval.index.catalog import Catalog
from retrieval.index.catalog_reads import CatalogReader
from retrieval.index.housekeeping import recover, remove_unused
from retrieval.index.integrity import file_sha256
from retrieval.index.known import IndexedArticles
from retrieval.index.readback import open_view
from retrieval.index.state_lock import StateLock
from retrieval.index.update import Stores
from retrieval.index.updater import Request, run_update
from retrieval.index.view import DamageLog, Hidden, IndexView
from retrieval.records import (
    ArticleInfo,
    EngineStatus,
    IndexReport,
    NoAnswerReason,
    Passage,
    ProgressCallback,
    SearchResult,
)
from retrieval.search.evidence import Signals
from retrieval.search.retriever import Retriever
from retrieval.web.duplicates import CorpusScan, KnownArticles

if TYPE_CHECKING:  # chromadb is imported only when dense search may be on: `sondhani ask` starts faster
    from retrieval.index.vector_store import ChromaStore

log = logging.getLogger(__name__)

# Passages whose lost vectors are re-created from the embedding cache when the engine opens (Chroma adds
# about 800 cached vectors a second on 2 cores: seconds at this size); a larger index waits for `index`.
RESTORE_AT_OPEN_MAX = 10_000


class SearchEngine:
    """Facade over corpus loading, indexing, and retrieval."""

    def __init__(self, config: EngineConfig, lock: StateLock, catalog: Catalog, chroma: ChromaStore | None) -> None:
        self.config = config
        self._lock = lock
        self._catalog = catalog
        self._reader = CatalogReader(catalog.path)
        self._chroma = chroma
        self._embedder: Encoder | None = None
        self._dense_on = False
        self._dense_note = "dense search is off (dense mode off)"
        self._view: IndexView | None = None
        self._hidden = Hidden()
        self._damaged_rows = DamageLog()
        self._reindexing = threading.Lock()
        self._retriever = Retriever()
        self.damage: str | None = None  # why the index is not served, until a reindex replaces it
        self.repairs: list[str] = [note for note in (catalog.recovered, chroma and chroma.recovered) if note]
        self._vectors_lost = False  # the serving collection is gone or incomplete

    @classmethod
    def open(cls, config: EngineConfig, encoder: Encoder | None = None) -> "SearchEngine":
        """Lock the state directory (raises StateLocked), load the model, open the serving index.

        encoder: use this instead of loading `config.embedding_model` (benchmarks that fill the
        embedding cache with synthetic vectors; dense search is then on). Never fails on damaged
        state: see `damage` and `repairs` for what was found and set aside."""
        lock = StateLock(config.state_dir)
        try:
            catalog = Catalog(config.state_dir / "catalog.sqlite3")
            chroma = _vector_store(config, catalog, wanted=encoder is not None)
            engine = cls(config, lock, catalog, chroma)
            engine._put_in_order()
            engine._load_model(encoder)
            engine._load_serving()
            engine._restore_lost_vectors()
            if engine._view is None and engine.damage is None and engine.repairs:
                engine.damage = engine.repairs[0]  # the index was lost with the catalog: callers rebuild it
        except BaseException:
            lock.release()
            raise
        return engine

    # --- start-up -------------------------------------------------------------------------------

    def _stores(self, with_model: bool = True) -> Stores:
        embedder = self._embedder if with_model and self._dense_on else None
        return Stores(self.config.state_dir, self._catalog, self._chroma, embedder)

    def _put_in_order(self) -> None:
        """Undo an update a kill interrupted, then remove what no serving state owns (`housekeeping`)."""
        try:
            recover(self._stores(with_model=False))
        except (IndexDamaged, ValueError, OSError) as exc:
            log.warning("could not remove what an interrupted update wrote (%s): the next index rebuilds", exc)
        remove_unused(self.config.state_dir, self._catalog, self._chroma, self.repairs)

    def _load_model(self, encoder: Encoder | None = None) -> None:
        """Load the embedding model once; on failure say so plainly and serve lexical-only."""
        c = self.config
        if encoder is not None:
            self._embedder, self._dense_on = encoder, True
            self._dense_note = f"dense search on with {encoder.identity} (given by the caller)"
            self._retriever = Retriever(encoder.embed_query, embed_passages=encoder.embed_documents)
            return
        self._embedder, failure = load_model(
            c.embedding_model,
            c.dense_mode,
            threads=c.embedding_threads,
            device=c.embedding_device,
            hub_offline=c.hub_offline,
        )
        if failure is not None:
            self._dense_note = failure
        if self._embedder is not None:
            self._dense_on, self._dense_note = decide_dense(self._embedder, c.dense_mode, self._sample_words)
            if self._dense_on:
                embedder = self._embedder
                self._retriever = Retriever(embedder.embed_query, embed_passages=embedder.embed_documents)

    def _sample_words(self) -> list[str]:
        """The Bengali words the coverage check reads: drawn only when the check runs."""
        serving = self._catalog.serving()
        texts = self._reader.sample_texts(serving.seq, 500) if serving is not None else None
        return sample_words(texts, self.config.data_dir)

    def _load_serving(self) -> None:
        """Open the serving state, checked (see readback), and swap it in with one assignment: a search
        sees the old view or the new one, never half of one. A state that fails the check is not served."""
        model = self._embedder.identity if self._dense_on and self._embedder is not None else None
        try:
            opened = open_view(
                self.config.state_dir,
                self._catalog,
                self._reader,
                self._chroma,
                model,
                self._hidden,
                self._damaged_rows,
            )
        except IndexDamaged as exc:
            self._view = None
            serving = self._catalog.serving()
            name = f" {serving.store}.{serving.seq}" if serving is not None else ""
            self.damage = f"the serving index{name} is unreadable ({exc})"
            log.warning("%s: it is not served; indexing rebuilds it from the corpus", self.damage)
            return
        if opened is None:
            return
        self._view, self._vectors_lost = opened.view, opened.vectors_lost
        self.damage = None
        log.info(
            "serving index %s: %d articles, %d passages",
            opened.view.generation,
            opened.view.article_count,
            opened.view.passage_count,
        )

    def _restore_lost_vectors(self) -> None:
        """Vectors lost with a damaged or deleted Chroma store are put back from the embedding cache before
        anything is served, so answers do not change while the model's ranking is missing. Only when the
        cache holds every one (nothing to embed) and the index is small enough for that to take seconds;
        otherwise `status` says so and the next `index` re-creates them."""
        view, embedder = self._view, self._embedder
        if view is None or embedder is None or not self._dense_on or not self._vectors_lost:
            return
        if view.passage_count > RESTORE_AT_OPEN_MAX or view.catalog.uncached_passages(view.seq, embedder.identity):
            return
        log.info("re-creating the vectors of %d passages from the embedding cache", view.passage_count)
        try:
            self.reindex()
        except (IndexDamaged, CorpusError, OSError) as exc:
            log.warning("could not re-create the vectors (%s): the next index does", exc)

    # --- serving --------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the serving vectors now rather than at the first question (a server calls this once at
        start; a one-off command does not: Chroma is opened only when it is used)."""
        from retrieval.index.vector_store import LazyCollection

        view = self._view
        if view is not None and isinstance(view.dense, LazyCollection):
            try:
                view.dense.load()
            except Exception as exc:  # noqa: BLE001 - chromadb's and Rust errors; searches then answer lexically
                log.warning("the vectors of the index could not be loaded (%s): lexical results only", exc)

    def has_index(self) -> bool:
        """True when a built index is serving."""
        return self._view is not None

    def search(self, question: str, k: int = 5, *, today: date | None = None) -> SearchResult:
        """Answer one question with up to k hits, best first; raises IndexMissing before any index.
        today: the day "today", "yesterday" and "latest" are counted from (default: the current date)."""
        view = self._view
        if view is None:
            raise IndexMissing("no index has been built yet")
        if not view.passage_count:  # an empty corpus is valid; its questions are told so
            return SearchResult(question, [], 0.0, no_answer_reason="empty_index", generation=view.generation)
        return self._retriever.search(view, question, k, today=today)

    def gather(self, question: str) -> tuple[Signals | None, NoAnswerReason | None]:
        """The rankings a search would fuse, before fusion: for benchmarks that compare tunings."""
        view = self._view
        if view is None:
            raise IndexMissing("no index yet")
        return self._retriever.gather(view, question)

    def passages_by_id(self, ids: list[str], generation: str | None = None) -> list[Passage]:
        """The serving passages with these ids, in the order asked; unknown ids are left out. With a
        generation, [] unless it is the one serving: the bot re-shows a stored page from passage ids
        only while the index it was found in still serves (checked on the same view, no race)."""
        view = self._view
        if view is None or (generation is not None and view.generation != generation):
            return []
        found = view.passages(ids)
        return [found[i] for i in ids if i in found]

    # --- indexing -------------------------------------------------------------------------------

    def reindex(
        self,
        *,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> IndexReport:
        """Bring the index in line with data_dir, applying only what changed (everything with `rebuild`).
        Raises ReindexInProgress if one is running, and ReindexCancelled (the previous index still
        serving) when `cancel` is set before it finishes."""
        if not self._reindexing.acquire(blocking=False):
            raise ReindexInProgress("a re-index is already running")
        try:
            request = Request(
                data_dir=self.config.data_dir,
                rebuild=rebuild,
                store_trusted=self.damage is None,
                vectors_ok=not self._vectors_lost,
                reread=frozenset(self._damaged_rows.take_files()),
            )
            report = run_update(self._stores(), request, self._hidden, progress, cancel)
            if report.kind != "none" or self._view is None:
                self._load_serving()
                remove_unused(self.config.state_dir, self._catalog, self._chroma, [])
            return report
        finally:
            self._reindexing.release()

    # --- information ----------------------------------------------------------------------------

    def status(self) -> EngineStatus:
        """Counts, model, dense on/off and why, last index time."""
        view = self._view
        serving = self._catalog.serving() if view is not None else None
        return EngineStatus(
            articles=view.article_count if view else 0,
            passages=view.passage_count if view else 0,
            embedding_model=self._model_name(),
            dense_enabled=bool(view and view.dense is not None and self._dense_on),
            dense_note=self._dense_note + self._missing_vectors_note(),
            last_indexed_at=serving.finished_at if serving else None,
            last_index_seconds=serving.seconds if serving else None,
            generation=view.generation if view else None,
        )

    def _model_name(self) -> str | None:
        """The loaded model's full identity, or the configured name when it did not load."""
        if self._embedder is not None:
            return self._embedder.identity
        return self.config.embedding_model if self.config.dense_mode != "off" else None

    def _missing_vectors_note(self) -> str:
        view = self._view
        if self.damage:
            return f"; {self.damage}: re-index to rebuild it from the corpus"
        if self._damaged_rows.note:
            return f"; {self._damaged_rows.note}"
        if self._dense_on and view is not None and view.dense is None and self._vectors_lost:
            return "; the vectors of the current index are lost (Chroma data missing): re-index to re-create them"
        if self._dense_on and view is not None and view.dense is None:
            return "; the current index has no vectors for this model yet: re-index to use them"
        return ""

    def articles(
        self, *, source: str | None = None, since: str | None = None, offset: int = 0, limit: int | None = None
    ) -> list[ArticleInfo]:
        """The indexed articles in doc_id order, read from the catalog (of one outlet, published since)."""
        view = self._view
        if view is None:
            return []
        found: list[ArticleInfo] = view.catalog.articles(
            view.seq, source=source, since=since, offset=offset, limit=limit or -1
        )
        return found

    def article_file(self, doc_id: str) -> str | None:
        """The corpus file the serving index read an article from, by corpus name; None when not served."""
        view = self._view
        return view.catalog.article_file(view.seq, doc_id) if view is not None else None

    def latest(self, topic: str | None = None, limit: int = 10) -> list[ArticleInfo]:
        """The newest indexed articles, or the newest of those that match a topic (its best 50 articles
        by BM25 over whole articles, then by date): what /latest lists."""
        view = self._view
        if view is None:
            return []
        if topic is None or not topic.strip():
            newest: list[ArticleInfo] = view.catalog.newest_articles(view.seq, limit)
            return newest
        matching = self._retriever.topic_articles(view, topic, 50)
        found: list[ArticleInfo] = view.catalog.newest_articles(view.seq, limit, matching)
        return found

    def known_articles(self) -> KnownArticles:
        """What the corpus holds, for the duplicate checks of add_from_url and poll_feeds: from the serving
        index (two indexed lookups a check, plus the files changed since), else every file read once."""
        view = self._view
        if view is None:
            return CorpusScan(self.config.data_dir)
        return IndexedArticles(view.catalog, view.seq, self.config.data_dir)

    def passage_counts(self, doc_ids: list[str]) -> dict[str, int]:
        """Passages per indexed article, for these doc ids (ones not indexed are left out)."""
        view = self._view
        return view.catalog.passage_counts(view.seq, doc_ids) if view is not None else {}

    def stories(self, doc_ids: list[str]) -> dict[str, int]:
        """The story each of these indexed articles belongs to: articles reporting the same story (other
        outlets, the same event) share one id."""
        view = self._view
        return view.stories(doc_ids) if view is not None else {}

    def passages(self) -> Iterator[Passage]:
        """Every serving passage in index order, read from the catalog a batch at a time."""
        view = self._view
        if view is not None:
            yield from view.catalog.all_passages(view.seq)

    def article_count(self, *, source: str | None = None, since: str | None = None) -> int:
        view = self._view
        return view.catalog.article_count(view.seq, source=source, since=since) if view else 0

    def corpus_changed(self) -> bool:
        """Whether the corpus folder differs from what the serving index read (files added, removed or
        touched since): cheap, a stat of each file. False when no index serves."""
        if self._view is None:
            return False
        recorded = self._catalog.file_states()
        present = corpus_files(self.config.data_dir)
        if set(present) != set(recorded):
            return True
        for name, (size, mtime_ns) in present.items():
            known = recorded[name]
            if known.size != size:
                return True
            if known.mtime_ns != mtime_ns and not (known.mtime_ns == -1 and self._same_bytes(name, known.sha256)):
                return True  # -1: written just before the index (git's racy rule), so compared by content
        return False

    def _same_bytes(self, name: str, sha256: str) -> bool:
        try:
            return file_sha256(self.config.data_dir / name) == sha256
        except OSError:
            return False

    def add_upload(self, filename: str, data: bytes) -> Path:
        """Validate an uploaded .md/.txt/.jsonl file and save it into data_dir; does not re-index.

        Raises CorpusError with a reason when the file cannot be used; nothing is written then.
        """
        return uploads.save_upload(self.config.data_dir, filename, data)

    def close(self) -> None:
        """Release the state-directory lock, the vector store and the catalog."""
        if self._chroma is not None:
            self._chroma.close()
        self._reader.close()
        self._catalog.close()
        self._lock.release()

    def __enter__(self) -> "SearchEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _vector_store(config: EngineConfig, catalog: Catalog, wanted: bool) -> ChromaStore | None:
    """The vector store, when dense search may be on (a model configured, or one given); otherwise None,
    and chromadb is never imported."""
    if not wanted and (config.dense_mode == "off" or not config.embedding_model):
        return None
    from retrieval.index.vector_store import ChromaStore

    return ChromaStore(config.state_dir, catalog.instance_id(), config.chroma_url)
