"""Building an index generation beside the serving one.

Every build writes a new generation: passages and articles in the catalog, a bm25s index in
<state>/generations/<id>/, and (with dense search on) a Chroma collection. Embeddings come from the
catalog's cache when the passage text is unchanged, so only new or edited articles are embedded.
Nothing is visible until `Catalog.promote` flips the pointer; a failure cleans up after itself,
and a kill leaves a 'building' generation that the next start removes. A build given a cancel event
stops between stages and between embedding batches once it is set (raising ReindexCancelled).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from retrieval.corpus.loader import LoadResult
from retrieval.encoders.encoder import Encoder
from retrieval.errors import ReindexCancelled
from retrieval.index.catalog import Catalog
from retrieval.index.integrity import manifest, passages_entry
from retrieval.index.lexical import LexicalIndex
from retrieval.index.vector_store import ChromaStore
from retrieval.records import Article, IndexReport, IndexStage, Passage, ProgressCallback
from retrieval.text.analyser import index_tokens, terms
from retrieval.text.chunking import chunk_article

log = logging.getLogger(__name__)
EMBED_BATCH = 32  # on 2 cores one process with batches of 16-64 embedded fastest (a pool of processes gained nothing)


@dataclass
class BuildInputs:
    """Everything a build needs; the engine assembles it."""

    state_dir: Path
    catalog: Catalog
    chroma: ChromaStore | None
    embedder: Encoder | None  # None: lexical-only generation


def new_generation_id() -> str:
    """Sortable and unique: time first, then randomness."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]


def generation_dir(state_dir: Path, generation: str) -> Path:
    return state_dir / "generations" / generation


def article_hash(article: Article) -> str:
    """Changes when anything a passage or its citation shows changes."""
    fields = [article.text, article.title, article.source, article.url, article.published]
    return hashlib.sha256("\x1f".join(f or "" for f in fields).encode()).hexdigest()


def passage_text_for_index(passage: Passage) -> str:
    """What the lexical index and the embedder see: the title gives short passages their topic."""
    return f"{passage.title}\n{passage.text}" if passage.title else passage.text


def compare(previous: dict[str, str], loaded: LoadResult) -> IndexReport:
    """Count added / updated / removed / unchanged articles against the serving generation."""
    report = IndexReport(skipped=list(loaded.skipped), articles=len(loaded.articles))
    current = {a.doc_id: article_hash(a) for a in loaded.articles}
    for doc_id, digest in current.items():
        if doc_id not in previous:
            report.added += 1
        elif previous[doc_id] != digest:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for doc_id in previous if doc_id not in current)
    return report


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise ReindexCancelled when the caller asked the build to stop."""
    if cancel is not None and cancel.is_set():
        raise ReindexCancelled("the re-index was interrupted; the previous index keeps serving")


def build(
    inputs: BuildInputs,
    loaded: LoadResult,
    report: IndexReport,
    rebuild: bool,
    progress: ProgressCallback | None,
    cancel: threading.Event | None = None,
) -> str:
    """Write a complete new generation and promote it; returns its id. Cleans up on any failure,
    cancellation included."""
    started = time.perf_counter()
    generation = new_generation_id()
    embedder = inputs.embedder
    inputs.catalog.begin(generation, embedder.identity if embedder else None, dense=embedder is not None)
    try:
        articles = [(a, article_hash(a)) for a in loaded.articles]
        passages = [p for a in loaded.articles for p in chunk_article(a)]
        _notify(progress, 0, len(passages), "chunking")
        texts = [passage_text_for_index(p) for p in passages]
        directory = generation_dir(inputs.state_dir, generation)
        directory.mkdir(parents=True)
        check_cancel(cancel)
        LexicalIndex.build([index_tokens(terms(t)) for t in texts]).save(directory)
        check_cancel(cancel)
        if embedder is not None and inputs.chroma is not None:
            vectors, report.embedded = _vectors(inputs.catalog, embedder, texts, rebuild, progress, cancel)
            check_cancel(cancel)
            inputs.chroma.create(generation, [p.passage_id for p in passages], vectors)
        check_cancel(cancel)
        _notify(progress, len(passages), len(passages), "saving")
        inputs.catalog.write(generation, articles, passages, [*manifest(directory), passages_entry(passages)])
        report.passages = len(passages)
        report.seconds = time.perf_counter() - started
        inputs.catalog.promote(generation, report.seconds, len(articles), len(passages))
    except BaseException as exc:
        if isinstance(exc, ReindexCancelled):  # asked for: the caller says so in its own words
            log.info("index build %s interrupted; the previous index keeps serving", generation)
        else:
            log.warning("index build %s failed; the previous index keeps serving", generation)
        discard(inputs, generation)
        raise
    report.generation = generation
    return generation


def discard(inputs: BuildInputs, generation: str) -> None:
    """Remove every trace of a generation that is not serving."""
    shutil.rmtree(generation_dir(inputs.state_dir, generation), ignore_errors=True)
    if inputs.chroma is not None:
        inputs.chroma.drop(generation)
    inputs.catalog.forget(generation)


def _vectors(
    catalog: Catalog,
    embedder: Encoder,
    texts: list[str],
    rebuild: bool,
    progress: ProgressCallback | None,
    cancel: threading.Event | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for every passage: cached ones reused (unless rebuilding), the rest embedded."""
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    cached = {} if rebuild else catalog.cached_vectors(embedder.identity, hashes)
    missing = sorted({h: i for i, h in enumerate(hashes) if h not in cached}.values())
    for start in range(0, len(missing), EMBED_BATCH):
        check_cancel(cancel)  # embedded batches stay cached: a cancelled re-index resumes where it stopped
        batch = missing[start : start + EMBED_BATCH]
        vectors = embedder.embed_documents([texts[i] for i in batch])
        catalog.store_vectors(embedder.identity, [(hashes[i], v) for i, v in zip(batch, vectors, strict=True)])
        cached.update((hashes[i], v) for i, v in zip(batch, vectors, strict=True))
        _notify(progress, min(start + EMBED_BATCH, len(missing)), len(missing), "embedding")
    return np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, embedder.dimension), np.float32), len(
        missing
    )


def _notify(progress: ProgressCallback | None, done: int, total: int, stage: IndexStage) -> None:
    if progress is not None:
        progress(done, total, stage)
