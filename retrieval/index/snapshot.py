"""One serving generation of the index, held in memory; swapped whole, never edited in place."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from retrieval.index.lexical import LexicalIndex
from retrieval.records import Passage
from retrieval.text.query import consonant_skeleton, sound_key


class DenseSearcher(Protocol):
    """What the retriever needs from the vector store."""

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]: ...


@dataclass
class Snapshot:
    """Passages, their lexical index, and (when dense search is on) their vector collection."""

    generation: str
    passages: list[Passage]
    lexical: LexicalIndex
    dense: DenseSearcher | None = None
    position: dict[str, int] = field(init=False)
    sound_buckets: dict[str, list[tuple[str, str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.position = {p.passage_id: i for i, p in enumerate(self.passages)}
        buckets: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for token in self.lexical.doc_freq:
            if token and not token.startswith("~"):
                key = sound_key(token)
                buckets[consonant_skeleton(key)].append((key, token))
        self.sound_buckets = dict(buckets)
