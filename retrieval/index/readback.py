"""The index searches read, and how a generation is read back from disk before it may serve.

A generation is served only after its files and catalog rows match what was recorded when it was written,
and its vectors only when Chroma still holds all of them: damaged or lost state is noticed here and never
served (the engine says so in `damage` and in its status note, and the next reindex rebuilds).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import chromadb

from retrieval.errors import IndexDamaged
from retrieval.index import build as indexer
from retrieval.index.catalog import Catalog, Generation
from retrieval.index.integrity import PASSAGES_ENTRY, passages_entry, verify
from retrieval.index.lexical import LexicalIndex
from retrieval.index.snapshot import Snapshot
from retrieval.index.vector_store import ChromaCollection, ChromaStore
from retrieval.records import ArticleInfo, Passage

log = logging.getLogger(__name__)


@dataclass
class Serving:
    """What searches read: swapped as one reference, never changed in place."""

    snapshot: Snapshot
    generation: Generation
    articles: list[ArticleInfo]


def read_generation(state_dir: Path, catalog: Catalog, generation: Generation) -> tuple[list[Passage], LexicalIndex]:
    """A generation's passages and lexical index, after checking them against the sizes and sha256
    sums recorded when it was written. Raises IndexDamaged saying what differs."""
    directory = indexer.generation_dir(state_dir, generation.id)
    try:
        recorded = catalog.files(generation.id)
        problem = verify(directory, recorded)
        if problem:
            raise IndexDamaged(problem)
        passages = catalog.passages(generation.id)
        expected = next((f for f in recorded if f.name == PASSAGES_ENTRY), None)
        if len(passages) != generation.passages or (expected and passages_entry(passages) != expected):
            raise IndexDamaged("its passage rows in the catalog differ from those written")
        lexical = LexicalIndex.load(directory)
    except IndexDamaged:
        raise
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError, sqlite3.DatabaseError) as exc:
        # a generation written before files were recorded (or one whose rows went) fails here
        raise IndexDamaged(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    if lexical.n_docs != len(passages):
        raise IndexDamaged(f"the lexical index holds {lexical.n_docs} passages, the catalog {len(passages)}")
    return passages, lexical


def stored_vectors(
    chroma: ChromaStore, generation: Generation, model: str | None
) -> tuple[ChromaCollection | None, bool]:
    """(the generation's Chroma collection or None, whether its vectors are lost).

    None when dense search is off (`model` None) or the generation was built without vectors or with
    another model. A collection that is missing or holds another number of vectors than the generation
    has passages (lost Chroma data) is not used, and reported lost: the next reindex re-creates it from
    the embedding cache."""
    if model is None or generation.model != model or not generation.dense:
        return None, False
    try:
        collection = chroma.open(generation.id)
        count = collection.count() if collection is not None else -1
    except chromadb.errors.ChromaError as exc:
        log.warning("the vectors of index %s cannot be read: %s", generation.id, exc)
        collection, count = None, -1
    if collection is None or count != generation.passages:
        found = "missing" if count < 0 else f"{count} of {generation.passages} vectors"
        log.warning("the vectors of index %s are lost (%s): lexical search until re-indexed", generation.id, found)
        return None, True
    return collection, False
