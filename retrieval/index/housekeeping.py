"""Removing what no serving index owns, at start-up: a kill mid-build or a lost catalog must not leave
generations, folders or Chroma collections behind to fill the disk."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from retrieval.index import build as indexer
from retrieval.index.catalog import Catalog
from retrieval.index.vector_store import ChromaStore

log = logging.getLogger(__name__)


def collect_garbage(
    state_dir: Path, catalog: Catalog, chroma: ChromaStore, inputs: indexer.BuildInputs, repairs: list[str]
) -> None:
    """Remove everything no serving generation owns: generations left half-built by a kill or retired,
    generation folders the catalog does not know (it was lost), Chroma collections and, in the local
    engine, segment folders that no live collection references. A lost catalog's folders are noted in
    `repairs` (logged as a warning unless a repair is already noted: the catalog's move-aside says it)."""
    for generation in catalog.stale():
        indexer.discard(inputs, generation)
    current = catalog.current()
    keep = current.id if current else None
    folders = state_dir / "generations"
    orphans = [d for d in folders.iterdir() if d.name != keep] if folders.is_dir() else []
    for folder in orphans:
        shutil.rmtree(folder, ignore_errors=True)
    if orphans and current is None:  # the catalog was lost: say so, unless its move-aside just did
        note = f"the index catalog knew none of the {len(orphans)} index folder(s) on disk: removed them"
        log.log(logging.INFO if repairs else logging.WARNING, "%s", note)
        repairs.append(note)
    for generation in chroma.generations():
        if generation != keep:
            chroma.drop(generation)
    removed = chroma.collect_orphans(keep)
    if removed:
        log.info("removed %d Chroma collection(s)/folder(s) no serving index owns", len(removed))
