"""Putting the state directory in order at open and after an update: what a killed update wrote is
removed, what earlier updates retired is collected, and lexical folders and Chroma collections that no
serving state names are deleted, so a kill or a lost catalog never leaves the disk filling up."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.index.catalog import Catalog
from retrieval.index.lexical import LexicalStore
from retrieval.index.update import Stores, delete_keys, lexical_dir

if TYPE_CHECKING:  # chromadb is imported only when dense search is on
    from retrieval.index.vector_store import ChromaStore

log = logging.getLogger(__name__)


def recover(stores: Stores) -> int:
    """Undo every update that never became visible (killed mid-way): its keys leave the serving store,
    its rows and marks leave the catalog. Returns how many passages it had written."""
    catalog = stores.catalog
    serving = catalog.serving()
    base = serving.seq if serving is not None else 0
    unfinished = catalog.unfinished(base)
    if serving is not None:
        keys = [key for key, store in unfinished if store == serving.store]
        if keys:
            lexical = LexicalStore(lexical_dir(stores.state_dir, serving.store))
            collection = stores.chroma.open(serving.collection) if stores.chroma and serving.collection else None
            delete_keys(stores, lexical, collection, keys)
    catalog.drop_unfinished(base)
    if unfinished:
        log.info("removed what an interrupted index update had written (%d passages)", len(unfinished))
    return len(unfinished)


def remove_unused(state_dir: Path, catalog: Catalog, chroma: ChromaStore | None, repairs: list[str]) -> None:
    """Delete lexical folders and Chroma collections the serving state does not name (left by a full
    build that was killed, or by the one before the last), the old layout's generation folders, and
    Chroma's dead segment folders. A lost catalog's folders are noted in `repairs` (a warning unless a
    repair is already noted: the catalog's move-aside says it)."""
    serving = catalog.serving()
    keep_store = serving.store if serving is not None else None
    removed = _remove_folders(state_dir / "lexical", {keep_store} if keep_store else set())
    removed += _remove_folders(state_dir / "generations", set())  # the one-generation-per-build layout
    catalog.forget_lexical_stores_except(keep_store)
    if removed and serving is None and not catalog.outdated:
        note = f"the index catalog knew none of the {len(removed)} index folder(s) on disk: removed them"
        log.log(logging.INFO if repairs else logging.WARNING, "%s", note)
        repairs.append(note)
    if chroma is None:
        return
    keep = {serving.collection} if serving is not None and serving.collection else set()
    catalog.forget_collections_except(serving.collection if serving is not None else None)
    for name in chroma.stores():
        if name not in keep:
            chroma.drop(name)
    _log_orphans(chroma.collect_orphans(keep))


def _log_orphans(dropped: list[str]) -> None:
    """Segment folders Chroma leaves behind after a collection is dropped are routine (DEBUG); a whole
    collection no index of this state directory names (a lost catalog's, another instance's) is not (INFO)."""
    collections = [name for name in dropped if name.startswith("passages_")]
    if collections:
        log.info("removed %d Chroma collection(s) no index of this state directory owns", len(collections))
    if len(dropped) > len(collections):
        log.debug("removed %d Chroma segment folder(s) no live collection uses", len(dropped) - len(collections))


def _remove_folders(parent: Path, keep: set[str]) -> list[str]:
    if not parent.is_dir():
        return []
    removed = []
    for folder in parent.iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
