"""Applying an update: new rows into the catalog, their tokens into the lexical index and their vectors
into the dense store, then the flip that serves them.

An incremental update adds to the serving store (the lexical index folder and Chroma collection the
catalog points at); a full build (`rebuild`, the first build, or a store that cannot be trusted) writes
a new store beside it. Either way nothing is visible until `Catalog.flip`. A failure or a cancel
before it removes what the update wrote (`discard`), and a kill leaves rows above the serving number,
which the next open removes the same way: the previous index keeps serving.

Cost follows the change: only changed files were read (`changes`), only their passages are tokenised
and embedded (vectors of unchanged text come from the embedding cache), and a full build streams file
by file, so memory does not grow with the corpus.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.encoders.encoder import Encoder
from retrieval.errors import ReindexCancelled
from retrieval.index.catalog import Catalog
from retrieval.index.catalog_reads import index_text
from retrieval.index.change_set import Changes
from retrieval.index.integrity import manifest_of
from retrieval.index.lexical import LexicalStore, StoreWriter, padding_for
from retrieval.index.stories import (
    STORY_DAYS,
    Fingerprint,
    Signer,
    band_keys,
    same_story,
    verdict,
)
from retrieval.records import Article, IndexStage, Passage, ProgressCallback
from retrieval.text.analyser import index_tokens, terms
from retrieval.text.chunking import chunk_article
from retrieval.text.query import consonant_skeleton, sound_key

if TYPE_CHECKING:  # chromadb is imported only when dense search is on
    from retrieval.index.vector_store import ChromaCollection, ChromaStore

log = logging.getLogger(__name__)
EMBED_BATCH = 32  # on 2 cores one process with batches of 16-64 embedded fastest (a pool of processes gained nothing)
ROW_BATCH = 2000  # articles written to the catalog (and lexical index) per transaction in a big update
PROGRESS_EVERY = 100  # articles between two progress reports while they are chunked and written


@dataclass
class Stores:
    """Where an update writes: the catalog, the lexical index folder and the collection of one store."""

    state_dir: Path
    catalog: Catalog
    chroma: ChromaStore | None
    embedder: Encoder | None  # None: no vectors (dense off, or no model)


def new_store_id() -> str:
    """Sortable and unique: time first, then randomness."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]


def lexical_dir(state_dir: Path, store: str) -> Path:
    return state_dir / "lexical" / store


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise ReindexCancelled when the caller asked the update to stop."""
    if cancel is not None and cancel.is_set():
        raise ReindexCancelled("the re-index was interrupted; the previous index keeps serving")


@dataclass
class Written:
    """What an update wrote (so far): counted for the report, and undone by `discard` if it fails."""

    seq: int
    store: str
    new_store: bool
    collection: str | None = None  # a new collection this update made (dropped if it fails)
    passages_added: int = 0
    passages_retired: int = 0
    embedded: int = 0


def write_rows(
    stores: Stores,
    changes: Changes,
    written: Written,
    lexical: LexicalStore,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> StoreWriter:
    """Retire the replaced rows, then add the new articles' passages to the catalog and the lexical
    index, a batch of articles per transaction (the lexical index sees them at its commit). Returns
    the writer, to commit. A new store's padding (see retrieval.index.lexical) is set from its first
    batch's average length and kept in the catalog."""
    catalog = stores.catalog
    with catalog.transaction():
        written.passages_retired += catalog.remove_articles(written.seq, [a.id for a in changes.retire])
    total = len(changes.add)
    _notify(progress, 0, total, "chunking")
    padding = catalog.lexical_padding(written.store)
    stories = Signer()
    writer: StoreWriter | None = None
    try:
        for start in range(0, total, ROW_BATCH):
            check_cancel(cancel)
            rows = _chunk_batch(changes.add[start : start + ROW_BATCH])
            if writer is None:
                if padding is None:
                    padding = padding_for(_average_tokens(rows))
                    catalog.set_lexical_padding(written.store, padding)
                writer = lexical.writer(padding)
            _write_batch(catalog, writer, written, rows, start, total, progress, stories)
        if writer is None:
            writer = lexical.writer(padding or 0)
    except BaseException:
        if writer is not None:
            writer.close()
        raise
    return writer


@dataclass(frozen=True)
class Chunked:
    """An article to add, cut into passages, with each passage's surface words (what the index reads)."""

    article: Article
    digest: str
    file: str
    passages: list[Passage]
    words: list[list[str]]


def _chunk_batch(batch: Sequence[tuple[Article, str, str]]) -> list[Chunked]:
    out = []
    for article, digest, file in batch:
        passages = chunk_article(article)
        out.append(Chunked(article, digest, file, passages, [terms(index_text(p.title, p.text)) for p in passages]))
    return out


def _average_tokens(rows: Sequence[Chunked]) -> float:
    lengths = [2 * len(words) for row in rows for words in row.words]  # a surface and a stem token each
    return sum(lengths) / len(lengths) if lengths else 0.0


def assign_story(catalog: Catalog, seq: int, row: int, chunked: Chunked, signer: Signer) -> None:
    """The story an added article belongs to: the first visible article it reports the same story as
    (retrieval.index.stories), or its own."""
    fingerprint = Fingerprint.of_words((w for words in chunked.words for w in words), chunked.article.published)
    signature = signer.signature(fingerprint)
    day = fingerprint.day
    bands = band_keys(signature, dated=day is not None)
    candidates = [c for c in catalog.story_candidates(seq, bands, day, STORY_DAYS) if c.article != row]
    story = None
    unsure = []
    for candidate in candidates:
        decided = verdict(fingerprint, signature, candidate)
        if decided:
            story = candidate.story
            break
        if decided is None:
            unsure.append(candidate)
    if story is None and unsure:
        texts = catalog.article_texts([c.article for c in unsure])
        for candidate in unsure:
            title, published, passages = texts.get(candidate.article, (None, None, []))
            if same_story(fingerprint, Fingerprint.of(title, passages, published)):
                story = candidate.story
                break
    catalog.set_story(row, story, signature, fingerprint, bands)


def _write_batch(
    catalog: Catalog,
    writer: StoreWriter,
    written: Written,
    rows: Sequence[Chunked],
    start: int,
    total: int,
    progress: ProgressCallback | None,
    stories: Signer,
) -> None:
    """One transaction: the batch's article and passage rows, their tokens to the writer, new words."""
    words_seen: set[str] = set()
    with catalog.transaction():
        for n, a in enumerate(rows, start + 1):
            row = catalog.add_article(written.seq, written.store, a.article, a.digest, a.file, len(a.passages))
            keys = catalog.add_passages(written.seq, written.store, row, a.passages)
            for key, words in zip(keys, a.words, strict=True):
                writer.add(key, index_tokens(words))
                words_seen.update(words)
            writer.add_article(row, index_tokens([w for words in a.words for w in words]))
            assign_story(catalog, written.seq, row, a, stories)
            written.passages_added += len(a.passages)
            if n % PROGRESS_EVERY == 0:
                _notify(progress, n, total, "chunking")
        catalog.add_words(_new_words(catalog, sorted(words_seen)))
    _notify(progress, start + len(rows), total, "chunking")


def _new_words(catalog: Catalog, words: list[str]) -> list[tuple[str, str, str]]:
    """(word, sound key, skeleton) of corpus words the vocabulary does not hold yet."""
    fresh = set(words) - catalog.known_words(words)
    rows = []
    for word in fresh:
        key = sound_key(word)
        rows.append((word, key, consonant_skeleton(key)))
    return rows


def write_vectors(
    stores: Stores,
    collection: ChromaCollection,
    seq: int,
    only_added_in: int | None,
    written: Written,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    fresh: bool = False,
) -> None:
    """Vectors for the passages visible at `seq` (only those added by update `only_added_in`, when given):
    from the embedding cache (unless `fresh`: a rebuild embeds everything again), or embedded and cached a
    batch at a time (a cancelled update resumes where it stopped), then added to the collection."""
    embedder = stores.embedder
    assert embedder is not None
    catalog = stores.catalog
    missing_total = (
        catalog.count_passages(seq, only_added_in)
        if fresh
        else catalog.count_uncached(embedder.identity, seq, only_added_in)
    )
    done = 0
    for batch in catalog.passages_for_vectors(seq, only_added_in):
        check_cancel(cancel)
        keys = [key for key, _, _ in batch]
        hashes = [digest for _, _, digest in batch]
        cached = {} if fresh else catalog.cached_vectors(embedder.identity, hashes)
        missing = list({digest: i for i, digest in enumerate(hashes) if digest not in cached}.values())
        for start in range(0, len(missing), EMBED_BATCH):
            check_cancel(cancel)
            chunk = missing[start : start + EMBED_BATCH]
            vectors = embedder.embed_documents([batch[i][1] for i in chunk])
            embedded = [(hashes[i], v) for i, v in zip(chunk, vectors, strict=True)]
            catalog.store_vectors(embedder.identity, embedded)
            cached.update(embedded)
            done += len(chunk)
            written.embedded += len(chunk)
            _notify(progress, done, missing_total, "embedding")
        log.debug("adding %d vectors to the collection", len(keys))
        collection.add(keys, np.stack([cached[h] for h in hashes]))
        catalog.count_vectors_added(collection.name, len(keys))


def commit_lexical(stores: Stores, lexical: LexicalStore, writer: StoreWriter, store: str) -> None:
    """Commit the store's indexes, wait for their merges, and record their files in the catalog."""
    log.debug("committing the lexical index %s", store)
    writer.commit()
    writer.close()
    record_lexical_files(stores.catalog, lexical, store)


def record_lexical_files(catalog: Catalog, lexical: LexicalStore, store: str) -> None:
    """The catalog's record of the store's index files (only new or changed ones are hashed); the
    store is clean again (see Catalog.mark_lexical_dirty)."""
    for part, index in lexical.parts():
        name = f"{store}/{part}" if part else store
        recorded = {f.name: f for f in catalog.lexical_files(name)}
        on_disk = index.files()
        entries = manifest_of(index.directory, on_disk, recorded)
        catalog.record_lexical_files(name, entries, set(recorded) - {p.name for p in on_disk})
    catalog.clear_lexical_dirty(store)


def delete_keys(
    stores: Stores, lexical: LexicalStore | None, collection: ChromaCollection | None, keys: Sequence[int]
) -> None:
    """Delete passage and article keys from a store's indexes and collection (keys they lack are ignored)."""
    if not keys:
        return
    if lexical is not None:
        store = lexical.directory.name
        stores.catalog.mark_lexical_dirty(store)
        writer = lexical.writer()
        try:
            writer.delete(keys)
            writer.commit()
        finally:
            writer.close()
        record_lexical_files(stores.catalog, lexical, store)
    if collection is not None:
        collection.delete(keys)


def _notify(progress: ProgressCallback | None, done: int, total: int, stage: IndexStage) -> None:
    if progress is not None:
        progress(done, total, stage)
