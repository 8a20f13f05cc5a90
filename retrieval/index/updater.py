"""One index update from start to flip: decide what kind it is, find the changes, write them, serve them.

Kinds:
  none         nothing changed: files were only stat()ed (touched ones re-hashed)
  incremental  changed files' articles replace theirs in the serving store
  full         everything written again into a new store (`rebuild`, the first build, an untrusted store)
  vectors      nothing changed in the corpus, but the collection is rebuilt (a new model, lost or
               lagging vectors)

Vectors go into the serving collection when it is current (same model, complete up to the serving
update); otherwise into a new collection filled from every visible passage (the embedding cache makes
that cheap for text embedded before), which the flip points at. Every kind but `none` is one numbered
update, visible only at its flip; a failure or a cancel removes what it wrote (`discard`), and the
previous state keeps serving. What the previous update retired is collected when the next one starts.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from retrieval.errors import ReindexCancelled
from retrieval.index.catalog import Catalog, ServingState
from retrieval.index.change_set import Changes
from retrieval.index.changes import find_changes
from retrieval.index.housekeeping import recover
from retrieval.index.lexical import LexicalStore
from retrieval.index.update import (
    Stores,
    Written,
    check_cancel,
    commit_lexical,
    delete_keys,
    lexical_dir,
    new_store_id,
    write_rows,
    write_vectors,
)
from retrieval.index.view import Hidden
from retrieval.records import IndexReport, ProgressCallback

if TYPE_CHECKING:  # chromadb is imported only when dense search is on
    from retrieval.index.vector_store import ChromaCollection

log = logging.getLogger(__name__)
UpdateKind = Literal["none", "incremental", "full", "vectors"]
# Chroma keeps a deleted vector's HNSW slot: past this share of deleted slots the collection is rebuilt
# from the embedding cache (recall held at 43% deleted; memory then is 1.33x a fresh index's).
REBUILD_DELETED_SHARE = 0.25


@dataclass
class Request:
    """What the engine asks of one update."""

    data_dir: Path
    rebuild: bool = False  # everything again (the embedding cache still serves unchanged text)
    store_trusted: bool = True  # False: the serving lexical store failed its check: rebuild it
    vectors_ok: bool = True  # False: the serving collection is missing or incomplete
    reread: frozenset[str] = frozenset()  # files to read again although unchanged (damaged rows in them)


def run_update(
    stores: Stores,
    request: Request,
    hidden: Hidden,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> IndexReport:
    """Bring the index in line with the corpus; the report says what kind of update it was."""
    started = time.perf_counter()
    catalog = stores.catalog
    recover(stores)
    collect_retired(stores, hidden)
    serving = catalog.serving()
    full = request.rebuild or serving is None or not request.store_trusted
    changes = find_changes(
        request.data_dir,
        catalog,
        serving.seq if serving else 0,
        everything=full,
        rewrite=request.reread,
        from_nothing=not request.store_trusted,
    )
    check_cancel(cancel)
    report = _report(catalog, changes, serving, request.store_trusted)
    if full:
        kind: UpdateKind = "full"
    elif not changes.empty:
        kind = "incremental"
    elif not _vectors_current(stores, serving, request):
        kind = "vectors"
    else:
        kind = "none"
    if kind == "none":  # same bytes under new mtimes, or files still unusable: remember their states
        catalog.record_files(changes)
    else:
        report.embedded = _apply(stores, request, changes, serving, kind, hidden, progress, cancel)
    _fill_counts(catalog, report)
    report.kind = kind
    report.seconds = time.perf_counter() - started
    return report


def _vectors_current(stores: Stores, serving: ServingState | None, request: Request) -> bool:
    """The serving collection holds this model's vectors of every visible passage, or no model is wanted."""
    if stores.embedder is None or stores.chroma is None:
        return True
    return (
        serving is not None
        and request.vectors_ok
        and serving.collection is not None
        and serving.model == stores.embedder.identity
        and serving.dense_seq == serving.seq
    )


def _report(catalog: Catalog, changes: Changes, serving: ServingState | None, trusted: bool) -> IndexReport:
    report = IndexReport(added=changes.added, updated=changes.updated, removed=changes.removed)
    before = serving.articles if serving is not None and trusted else 0
    report.unchanged = max(before - changes.updated - changes.removed, 0)
    report.skipped = catalog.skipped(changes)
    return report


def _fill_counts(catalog: Catalog, report: IndexReport) -> None:
    state = catalog.serving()
    report.passages = state.passages if state else 0
    report.articles = state.articles if state else 0
    report.generation = f"{state.store}.{state.seq}" if state else ""


def _apply(
    stores: Stores,
    request: Request,
    changes: Changes,
    serving: ServingState | None,
    kind: UpdateKind,
    hidden: Hidden,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> int:
    """Write one update and flip to it; returns how many passages were embedded."""
    catalog = stores.catalog
    seq = catalog.next_seq()
    store = new_store_id() if kind == "full" or serving is None else serving.store
    written = Written(seq=seq, store=store, new_store=store != (serving.store if serving else None))
    catalog.begin_update(seq, kind)
    started = time.perf_counter()
    try:
        if kind == "full":
            with catalog.transaction():
                catalog.remove_everything(seq)
        if kind in ("full", "incremental"):
            log.debug("update %d (%s): writing the catalog rows and the lexical index", seq, kind)
            _write_lexical(stores, changes, written, hidden, progress, cancel)
        log.debug("update %d: writing vectors", seq)
        collection, model, dense_seq = _write_dense(
            stores, serving, kind, written, hidden, progress, cancel, request.rebuild
        )
        check_cancel(cancel)
        if progress is not None:
            progress(0, 1, "saving")
        log.debug("update %d: flipping the serving pointer", seq)
        catalog.flip(
            seq,
            store=store,
            collection=collection,
            model=model,
            dense_seq=dense_seq,
            changes=changes,
            passages_added=written.passages_added,
            passages_retired=written.passages_retired,
            seconds=time.perf_counter() - started,
        )
    except BaseException as exc:
        if isinstance(exc, ReindexCancelled):  # asked for: the caller says so in its own words
            log.info("index update %d interrupted; the previous index keeps serving", seq)
        else:
            log.warning("index update %d failed; the previous index keeps serving", seq)
        discard(stores, serving, written)
        base = serving.seq if serving is not None else 0
        hidden.extra = catalog.retired_count(base) + len(catalog.unfinished(base))
        raise
    hidden.extra = written.passages_retired if not written.new_store else 0
    return written.embedded


def _write_lexical(
    stores: Stores,
    changes: Changes,
    written: Written,
    hidden: Hidden,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> None:
    """The changed articles' rows into the catalog and their tokens into the store's lexical index."""
    lexical = LexicalStore(lexical_dir(stores.state_dir, written.store))
    stores.catalog.mark_lexical_dirty(written.store)
    writer = write_rows(stores, changes, written, lexical, progress, cancel)
    try:
        hidden.extra += written.passages_added
        commit_lexical(stores, lexical, writer, written.store)
    finally:
        writer.close()


def _write_dense(
    stores: Stores,
    serving: ServingState | None,
    kind: UpdateKind,
    written: Written,
    hidden: Hidden,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    rebuild: bool,
) -> tuple[str | None, str | None, int]:
    """Vectors for this update; returns (collection, model, the update it is complete for) to serve."""
    keep = (serving.collection, serving.model, serving.dense_seq) if serving is not None else (None, None, 0)
    if stores.embedder is None or stores.chroma is None:
        return keep  # dense off: the collection (if any) lags, and is rebuilt when the model is back
    current = (
        kind == "incremental"
        and serving is not None
        and serving.collection is not None
        and serving.model == stores.embedder.identity
        and serving.dense_seq == serving.seq
    )
    collection: ChromaCollection | None = None
    if current and serving is not None and serving.collection is not None:
        collection = stores.chroma.open(serving.collection)
    if collection is not None and _mostly_deleted(stores, collection):
        collection = None
    if collection is not None:
        name = serving.collection if serving is not None else None
        write_vectors(stores, collection, written.seq, written.seq, written, progress, cancel)
    else:
        name = new_store_id()
        written.collection = name
        collection = stores.chroma.create(name)
        write_vectors(stores, collection, written.seq, None, written, progress, cancel, fresh=rebuild)
    return name, stores.embedder.identity, written.seq


def _mostly_deleted(stores: Stores, collection: ChromaCollection) -> bool:
    """Whether enough of the collection's HNSW slots hold deleted passages to rebuild it: Chroma never
    reuses a slot, so memory and disk grow by 1,676 bytes per vector ever added (384-d, M = 16)."""
    added = stores.catalog.vectors_added(collection.name)
    if added <= 0:
        return False
    deleted = 1 - collection.count() / added
    if deleted < REBUILD_DELETED_SHARE:
        return False
    log.info("rebuilding the vector index: %.0f%% of its slots hold deleted passages", 100 * deleted)
    return True


def discard(stores: Stores, serving: ServingState | None, written: Written) -> None:
    """Put aside an update that will not serve, at once (a SIGTERM waits for this): a new store folder
    or collection it made is deleted with its rows; keys it added to the serving store stay, invisible
    (above the serving update), until the next update or open removes them (`recover`)."""
    catalog = stores.catalog
    if written.collection is not None and stores.chroma is not None:
        stores.chroma.drop(written.collection)
    if written.new_store:
        shutil.rmtree(lexical_dir(stores.state_dir, written.store), ignore_errors=True)
        catalog.forget_lexical_store(written.store)
        catalog.drop_unfinished(serving.seq if serving is not None else 0)


def collect_retired(stores: Stores, hidden: Hidden) -> None:
    """Delete what earlier updates retired (invisible to the serving view) from the stores and the
    catalog; rows of a store no longer served are simply forgotten, with that store's folder."""
    catalog = stores.catalog
    serving = catalog.serving()
    if serving is None:
        return
    retired = catalog.retired(serving.seq)
    keys = [key for key, store in retired if store == serving.store]
    if keys:
        lexical = LexicalStore(lexical_dir(stores.state_dir, serving.store))
        collection = stores.chroma.open(serving.collection) if stores.chroma and serving.collection else None
        delete_keys(stores, lexical, collection, keys)
    if retired:
        catalog.drop_retired(serving.seq)
    hidden.extra = 0
