"""SearchEngine: the one object callers (CLI, bot, benchmarks) use.

It owns the state directory (a lock file), the embedding model, and the serving index
snapshot. `search()` is synchronous and thread-safe: async callers run it through
`asyncio.to_thread`. `reindex()` builds a new generation beside the serving one and swaps it in
atomically; searches keep using the old snapshot until the swap.

Damaged state is never served and never crashes a start: a generation whose files or rows differ from
what was recorded is set aside (`damage` says why, and the next reindex rebuilds from the corpus), a
damaged catalog or vector store is moved aside, and lost vectors are noticed and re-created.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from pathlib import Path

from retrieval.config import EngineConfig
from retrieval.corpus import loader as corpus
from retrieval.corpus import uploads
from retrieval.encoders.dense_mode import decide_dense, load_model, sample_words
from retrieval.encoders.encoder import Encoder
from retrieval.errors import IndexDamaged, IndexMissing, ReindexInProgress
from retrieval.index import build as indexer
from retrieval.index.catalog import Catalog, Generation
from retrieval.index.housekeeping import collect_garbage
from retrieval.index.readback import Serving, read_generation, stored_vectors
from retrieval.index.snapshot import Snapshot
from retrieval.index.state_lock import StateLock
from retrieval.index.vector_store import ChromaCollection, ChromaStore
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

log = logging.getLogger(__name__)


class SearchEngine:
    """Facade over corpus loading, indexing, and retrieval."""

    def __init__(self, config: EngineConfig, lock: StateLock, catalog: Catalog, chroma: ChromaStore) -> None:
        self.config = config
        self._lock = lock
        self._catalog = catalog
        self._chroma = chroma
        self._embedder: Encoder | None = None
        self._dense_on = False
        self._dense_note = "dense search is off (dense mode off)"
        self._serving: Serving | None = None
        self._reindexing = threading.Lock()
        self._retriever = Retriever()
        self.damage: str | None = None  # why the serving generation was not loaded, until a reindex replaces it
        self.repairs: list[str] = [note for note in (catalog.recovered, chroma.recovered) if note]
        self._vectors_lost = False  # the serving generation's Chroma collection is gone or incomplete

    @classmethod
    def open(cls, config: EngineConfig) -> "SearchEngine":
        """Lock the state directory (raises StateLocked), load the model, load the current index.

        Never fails on damaged state: see `damage` and `repairs` for what was found and set aside."""
        lock = StateLock(config.state_dir)
        try:
            catalog = Catalog(config.state_dir / "catalog.sqlite3")
            chroma = ChromaStore(config.state_dir, catalog.instance_id(), config.chroma_url)
            engine = cls(config, lock, catalog, chroma)
            engine._collect_garbage()
            engine._load_serving()
            if engine._serving is None and engine.damage is None and engine.repairs:
                engine.damage = engine.repairs[0]  # the index was lost with the catalog: callers rebuild it
            engine._load_model()
        except BaseException:
            lock.release()
            raise
        return engine

    # --- start-up -------------------------------------------------------------------------------

    def _load_model(self) -> None:
        """Load the embedding model once; on failure say so plainly and serve lexical-only."""
        c = self.config
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
            self._decide_dense()

    def _decide_dense(self) -> None:
        """Use the model only if it reads Bengali (or the operator forced it on)."""
        assert self._embedder is not None
        self._dense_on, self._dense_note = decide_dense(self._embedder, self.config.dense_mode, self._sample_words)
        if not self._dense_on:
            return
        self._retriever = Retriever(self._embedder.embed_query, embed_passages=self._embedder.embed_documents)
        if self._serving is not None:
            self._serving = replace(
                self._serving,
                snapshot=replace(self._serving.snapshot, dense=self._vectors_for(self._serving.generation)),
            )

    def _sample_words(self) -> list[str]:
        """The Bengali words the coverage check reads: drawn only when the check runs."""
        serving = self._serving
        return sample_words(serving.snapshot.passages if serving is not None else None, self.config.data_dir)

    def _load_serving(self) -> None:
        """Load the generation the catalog points at, checked against its recorded files and complete
        with its vectors, then swap it in with one assignment: a search sees the old snapshot or the new
        one, never half of one. A generation that fails the check is not served (see `damage`)."""
        generation = self._catalog.current()
        if generation is None:
            return
        try:
            passages, lexical = read_generation(self.config.state_dir, self._catalog, generation)
        except IndexDamaged as exc:
            self._serving = None
            self.damage = f"the serving index {generation.id} is unreadable ({exc})"
            log.warning("%s: it is not served; indexing rebuilds it from the corpus", self.damage)
            return
        snapshot = Snapshot(
            generation=generation.id, passages=passages, lexical=lexical, dense=self._vectors_for(generation)
        )
        self._serving = Serving(snapshot, generation, self._catalog.article_infos(generation.id))
        self.damage = None
        log.info("serving index %s: %d articles, %d passages", generation.id, generation.articles, len(passages))

    def _vectors_for(self, generation: Generation) -> ChromaCollection | None:
        """The generation's Chroma collection when dense search is on and it was built with this model;
        lost vectors are remembered (`_vectors_lost`) for the status note."""
        model = self._embedder.identity if self._dense_on and self._embedder is not None else None
        collection, self._vectors_lost = stored_vectors(self._chroma, generation, model)
        return collection

    def _collect_garbage(self) -> None:
        """Remove what no serving generation owns (`housekeeping`); a lost catalog is noted in `repairs`."""
        inputs = self._build_inputs(with_model=False)
        collect_garbage(self.config.state_dir, self._catalog, self._chroma, inputs, self.repairs)

    def _build_inputs(self, with_model: bool = True) -> indexer.BuildInputs:
        embedder = self._embedder if with_model and self._dense_on else None
        return indexer.BuildInputs(self.config.state_dir, self._catalog, self._chroma, embedder)

    # --- serving --------------------------------------------------------------------------------

    def has_index(self) -> bool:
        """True when a built index is serving."""
        return self._serving is not None

    def search(self, question: str, k: int = 5) -> SearchResult:
        """Answer one question with up to k hits, best first; raises IndexMissing before any index."""
        serving = self._serving
        if serving is None:
            raise IndexMissing("no index has been built yet")
        if not serving.snapshot.passages:  # an empty corpus is valid; its questions are told so
            return SearchResult(
                question=question,
                hits=[],
                elapsed_ms=0.0,
                no_answer_reason="empty_index",
                generation=serving.snapshot.generation,
            )
        return self._retriever.search(serving.snapshot, question, k)

    def gather(self, question: str) -> tuple[Signals | None, NoAnswerReason | None]:
        """The rankings a search would fuse, before fusion: for benchmarks that compare tunings."""
        serving = self._serving
        if serving is None:
            raise IndexMissing("no index yet")
        return self._retriever.gather(serving.snapshot, question)

    def passages_by_id(self, ids: list[str], generation: str | None = None) -> list[Passage]:
        """The serving passages with these ids, in the order asked; unknown ids are left out. With a
        generation, [] unless it is the one serving: the bot re-shows a stored page from passage ids
        only while the index it was found in still serves (checked on the same snapshot, no race)."""
        serving = self._serving
        if serving is None or (generation is not None and serving.snapshot.generation != generation):
            return []
        snapshot = serving.snapshot
        return [snapshot.passages[snapshot.position[i]] for i in ids if i in snapshot.position]

    # --- indexing -------------------------------------------------------------------------------

    def reindex(
        self,
        *,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> IndexReport:
        """Bring the index in line with data_dir. Raises ReindexInProgress if one is running, and
        ReindexCancelled (the previous index still serving) when `cancel` is set before it finishes."""
        if not self._reindexing.acquire(blocking=False):
            raise ReindexInProgress("a re-index is already running")
        try:
            return self._reindex(rebuild, progress, cancel)
        finally:
            self._reindexing.release()

    def _reindex(self, rebuild: bool, progress: ProgressCallback | None, cancel: threading.Event | None) -> IndexReport:
        started = time.perf_counter()
        loaded = corpus.load_corpus(self.config.data_dir)
        indexer.check_cancel(cancel)
        for skipped in loaded.skipped:
            log.warning("skipped %s: %s", skipped.name, skipped.reason)
        previous = self._serving
        report = indexer.compare(self._catalog.article_hashes(previous.generation.id) if previous else {}, loaded)
        wants_dense = self._dense_on and self._embedder is not None
        up_to_date = (
            previous is not None
            and not rebuild
            and report.added == report.updated == report.removed == 0
            and previous.generation.dense == wants_dense
            and (not wants_dense or previous.generation.model == self._embedder.identity)  # type: ignore[union-attr]
            and (not wants_dense or previous.snapshot.dense is not None)  # lost vectors are re-created
        )
        if up_to_date:
            assert previous is not None
            report.passages, report.generation = len(previous.snapshot.passages), previous.generation.id
        else:
            indexer.build(self._build_inputs(), loaded, report, rebuild, progress, cancel)
            self._swap(previous)
        report.seconds = time.perf_counter() - started
        return report

    def _swap(self, previous: Serving | None) -> None:
        """Serve the newly promoted generation; retire the one before the previous (in-flight
        searches may still be reading `previous`)."""
        retired = [g for g in self._catalog.stale() if previous is None or g != previous.generation.id]
        self._load_serving()
        inputs = self._build_inputs(with_model=False)
        for generation in retired:
            indexer.discard(inputs, generation)
        self._chroma.remove_dead_segment_folders()  # a long-running bot re-indexes without restarting

    # --- information ----------------------------------------------------------------------------

    def status(self) -> EngineStatus:
        """Counts, model, dense on/off and why, last index time."""
        serving = self._serving
        generation = serving.generation if serving else None
        return EngineStatus(
            articles=len(serving.articles) if serving else 0,
            passages=len(serving.snapshot.passages) if serving else 0,
            embedding_model=self._model_name(),
            dense_enabled=bool(serving and serving.snapshot.dense is not None and self._dense_on),
            dense_note=self._dense_note + self._missing_vectors_note(),
            last_indexed_at=generation.finished_at if generation else None,
            last_index_seconds=generation.seconds if generation else None,
            generation=generation.id if generation else None,
        )

    def _model_name(self) -> str | None:
        """The loaded model's full identity, or the configured name when it did not load."""
        if self._embedder is not None:
            return self._embedder.identity
        return self.config.embedding_model if self.config.dense_mode != "off" else None

    def _missing_vectors_note(self) -> str:
        serving = self._serving
        if self.damage:
            return f"; {self.damage}: re-index to rebuild it from the corpus"
        if self._dense_on and serving is not None and serving.snapshot.dense is None and self._vectors_lost:
            return "; the vectors of the current index are lost (Chroma data missing): re-index to re-create them"
        if self._dense_on and serving is not None and serving.snapshot.dense is None:
            return "; the current index has no vectors for this model yet: re-index to use them"
        return ""

    def passages(self) -> list[Passage]:
        """The serving passages, in index order."""
        return list(self._serving.snapshot.passages) if self._serving else []

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles, in doc_id order."""
        return list(self._serving.articles) if self._serving else []

    def add_upload(self, filename: str, data: bytes) -> Path:
        """Validate an uploaded .md/.txt/.jsonl file and save it into data_dir; does not re-index.

        Raises CorpusError with a reason when the file cannot be used; nothing is written then.
        """
        return uploads.save_upload(self.config.data_dir, filename, data)

    def close(self) -> None:
        """Release the state-directory lock, the vector store and the catalog."""
        self._chroma.close()
        self._catalog.close()
        self._lock.release()

    def __enter__(self) -> "SearchEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
