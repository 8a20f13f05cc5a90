"""Opening the serving state for searches, after checking it: nothing damaged is ever served.

The lexical index's live files must match the sizes and sha256 sums recorded after its last commit
(unless a kill interrupted the record: then they are trusted and recorded again), and tantivy must open
them. The collection is used only when it holds this model's vectors of every visible passage; lost
vectors are noticed (a missing collection, a count that differs: read from chroma.sqlite3, so opening
needs neither chromadb nor the HNSW index, which the view loads at its first dense search) and reported,
and the next update re-creates them from the embedding cache. Passage text is not read here: that is
per search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.errors import IndexDamaged
from retrieval.index.catalog import Catalog, ServingState
from retrieval.index.catalog_reads import CatalogReader, PassageRow
from retrieval.index.integrity import verify
from retrieval.index.lexical import LexicalStore
from retrieval.index.update import lexical_dir, record_lexical_files
from retrieval.index.view import Hidden, IndexView

if TYPE_CHECKING:  # chromadb is imported only when dense search is on
    from retrieval.index.vector_store import ChromaStore, LazyCollection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    """The view to serve, and what was found about the vectors."""

    view: IndexView
    vectors_lost: bool


def open_view(
    state_dir: Path,
    catalog: Catalog,
    reader: CatalogReader,
    chroma: ChromaStore | None,
    model: str | None,
    hidden: Hidden,
    on_damage: Callable[[PassageRow], None],
) -> Opened | None:
    """The serving state as a view, or None before any update. `model`: the identity of the model whose
    vectors searches may use (None: lexical only). Raises IndexDamaged saying what differs."""
    serving = catalog.serving()
    if serving is None:
        return None
    lexical = _checked_lexical(state_dir, catalog, serving)
    try:
        searcher = lexical.passages.reader(serving.passages)
        article_searcher = lexical.articles.reader(serving.articles)
    except (ValueError, OSError, BaseException) as exc:  # tantivy raises ValueError, or panics on bad bytes
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise IndexDamaged(f"the lexical index cannot be read ({type(exc).__name__})") from exc
    collection, lost = _vectors(chroma, catalog, serving, model, hidden)
    view = IndexView(
        seq=serving.seq,
        store=serving.store,
        lexical=searcher,
        article_lexical=article_searcher,
        dense=collection,
        catalog=reader,
        hidden=hidden,
        on_damage=on_damage,
        article_count=serving.articles,
        passage_count=serving.passages,
    )
    return Opened(view, lost)


def _checked_lexical(state_dir: Path, catalog: Catalog, serving: ServingState) -> LexicalStore:
    directory = lexical_dir(state_dir, serving.store)
    dirty = catalog.lexical_dirty() == serving.store
    for part in ("", "articles"):
        folder = directory / part if part else directory
        if not (folder / "meta.json").is_file():
            raise IndexDamaged(f"its lexical index is missing ({part + '/' if part else ''}meta.json)")
        if not dirty:
            problem = verify(folder, catalog.lexical_files(f"{serving.store}/{part}" if part else serving.store))
            if problem:
                raise IndexDamaged(f"{part}/{problem}" if part else problem)
    if dirty:
        log.info("the lexical index was being written when the last process stopped: its files are recorded again")
    try:
        lexical = LexicalStore(directory)
    except (ValueError, OSError) as exc:
        raise IndexDamaged(f"the lexical index cannot be opened ({exc})") from exc
    if dirty:
        record_lexical_files(catalog, lexical, serving.store)
    return lexical


def _vectors(
    chroma: ChromaStore | None, catalog: Catalog, serving: ServingState, model: str | None, hidden: Hidden
) -> tuple[LazyCollection | None, bool]:
    """(the collection to search or None, whether vectors this model should have are lost)."""
    if chroma is None or model is None or serving.model != model or serving.collection is None:
        return None, False
    if serving.dense_seq != serving.seq:
        return None, False  # updated while dense search was off: the next update rebuilds the collection
    expected = serving.passages + catalog.retired_count(serving.seq)
    count = chroma.vector_count(serving.collection)
    if count < serving.passages or count > expected + hidden.extra:
        found = "missing" if count < 0 else f"{count} of {serving.passages} vectors"
        log.warning(
            "the vectors of the index are lost (%s): re-created from the embedding cache where it holds them, "
            "else lexical search until re-indexed",
            found,
        )
        return None, True
    return chroma.searcher(serving.collection), False
