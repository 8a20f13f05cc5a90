"""A real index over a handful of hand-written passages, for unit tests of the search steps.

Each text becomes one article (its doc id is the part of the passage id before '#') in a JSON-lines
corpus, indexed by the real update code into a real catalog and tantivy index; the view it returns is
what the engine would serve. Vectors, when a test needs them, come from a brute-force table keyed like
Chroma (by passage key), so a test can choose exactly which passage the "model" finds closest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retrieval.index.catalog import Catalog
from retrieval.index.catalog_reads import CatalogReader
from retrieval.index.readback import open_view
from retrieval.index.update import Stores
from retrieval.index.updater import Request, run_update
from retrieval.index.view import Hidden, IndexView


class VectorTable:
    """Brute-force cosine search over given unit vectors, by passage key: what Chroma answers."""

    def __init__(self, vectors: Mapping[int, np.ndarray]) -> None:
        self._keys = list(vectors)
        self._matrix = np.stack([vectors[k] for k in self._keys])

    def query(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        scores = self._matrix @ vector
        order = np.argsort(-scores)[:k]
        return [(self._keys[i], float(scores[i])) for i in order]


@dataclass
class TinyIndex:
    """The view over the passages, and each passage id's key (to build a VectorTable)."""

    view: IndexView
    keys: dict[str, int]

    def with_vectors(self, vectors: Mapping[str, np.ndarray]) -> IndexView:
        """The same view with a dense store answering from these vectors (by passage id)."""
        return replace(self.view, dense=VectorTable({self.keys[pid]: v for pid, v in vectors.items()}))


def tiny_index(root: Path, texts: Mapping[str, str]) -> TinyIndex:
    """Index `texts` ({passage id "doc#0": text}) under `root` and return the serving view."""
    corpus, state = root / "corpus", root / "state"
    corpus.mkdir(parents=True)
    state.mkdir()
    lines = [json.dumps({"id": pid.split("#")[0], "text": text}, ensure_ascii=False) for pid, text in texts.items()]
    (corpus / "passages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog = Catalog(state / "catalog.sqlite3")
    hidden = Hidden()
    run_update(Stores(state, catalog, None, None), Request(data_dir=corpus), hidden, None, None)
    opened = open_view(state, catalog, CatalogReader(catalog.path), None, None, hidden, lambda row: None)
    assert opened is not None
    found = opened.view.passages(list(texts))
    keys = {pid: catalog.key_of(pid) for pid in found}
    return TinyIndex(opened.view, keys)
