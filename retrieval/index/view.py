"""What searches read: one served update of the index, as a view over the catalog and the stores.

A view is fixed at one update number (`seq`) and one lexical searcher (a tantivy commit), and is
swapped whole, never changed. It holds no passage text: the lexical and dense stores answer with
passage keys, and the rows of the keys a search ranks are read from the catalog and kept only if the
view's update can see them, so an update being written (or a passage not yet collected) is never shown.
The stores may hold such keys; a search asks them for that many more, so it still gets k it can show.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from retrieval.index.catalog_reads import CatalogReader, PassageRow
from retrieval.index.lexical import LexicalReader
from retrieval.records import Citation, Passage

log = logging.getLogger(__name__)


class DenseSearcher(Protocol):
    """What a view needs of the vector store (a Chroma collection)."""

    def query(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]: ...


@dataclass
class Hidden:
    """How many keys the stores may hold that the serving view must not show: written by an update not
    yet visible, or removed and not yet collected. The updater keeps it; searches ask for that many more."""

    extra: int = 0


@dataclass
class IndexView:
    """One served state of the index (see the module docstring)."""

    seq: int
    store: str
    lexical: LexicalReader
    article_lexical: LexicalReader
    dense: DenseSearcher | None
    catalog: CatalogReader
    hidden: Hidden
    on_damage: Callable[[PassageRow], None]
    article_count: int
    passage_count: int

    @property
    def generation(self) -> str:
        """Names this view: a result page stored against it is re-shown only while it serves."""
        return f"{self.store}.{self.seq}"

    def lexical_search(self, tokens: Sequence[str], k: int) -> list[Passage]:
        """The k passages BM25 ranks first for these tokens, among those this view sees."""
        found = self.lexical.search(tokens, k + self.hidden.extra)
        return [row.passage for row in self._visible([key for key, _ in found])][:k]

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[Passage, float]]:
        """The k passages nearest the vector (cosine), among those this view sees; [] without vectors."""
        if self.dense is None:
            return []
        try:
            found = self.dense.query(vector, k + self.hidden.extra)
        except Exception as exc:  # noqa: BLE001 - chromadb raises its own and Rust errors; lexical still answers
            log.warning("the vector store did not answer (%s): lexical results only", type(exc).__name__)
            return []
        similarity = dict(found)
        return [(row.passage, similarity[row.key]) for row in self._visible([key for key, _ in found])][:k]

    def article_search(self, tokens: Sequence[str], k: int) -> dict[str, int]:
        """The articles (doc id -> rank, 1 first) BM25 ranks first for these tokens as whole articles
        (title and every passage), among those this view sees."""
        found = self.article_lexical.search_articles(tokens, k + self.hidden.extra)
        rows = self.catalog.article_rows([article for article, _ in found])
        ranks: dict[str, int] = {}
        for article, _ in found:
            row = rows.get(article)
            if row is not None and row[1] <= self.seq and (row[2] is None or row[2] > self.seq):
                ranks.setdefault(row[0], len(ranks) + 1)
        return dict(list(ranks.items())[:k])

    def stories(self, doc_ids: Sequence[str]) -> dict[str, int]:
        """Each article's story (articles reporting the same story share one; retrieval.index.stories)."""
        found: dict[str, int] = self.catalog.stories(self.seq, doc_ids)
        return found

    def story_members(self, stories: Sequence[int]) -> dict[int, list[Citation]]:
        found: dict[int, list[Citation]] = self.catalog.story_members(self.seq, stories)
        return found

    def passages(self, passage_ids: Sequence[str]) -> dict[str, Passage]:
        """These passages as this view sees them (ids it does not see are left out)."""
        rows = self.catalog.passages_by_id(self.seq, passage_ids)
        return {pid: row.passage for pid, row in rows.items() if self._usable(row)}

    def _visible(self, keys: Sequence[int]) -> list[PassageRow]:
        """The rows of these keys that this view sees, in the order given."""
        rows = self.catalog.passage_rows(keys)
        return [rows[key] for key in keys if key in rows and self._usable(rows[key])]

    def _usable(self, row: PassageRow) -> bool:
        if not row.visible_at(self.seq):
            return False
        if row.damaged:
            self.on_damage(row)
            return False
        return True

    # --- term statistics, from the lexical engine; sound-alikes from the catalog's vocabulary --------

    def idf(self, token: str) -> float:
        return self.lexical.idf(token)

    def knows(self, token: str) -> bool:
        return self.lexical.knows(token)

    def doc_freq(self, token: str) -> int:
        return self.lexical.doc_freq(token)

    def sound_alikes(self, skeleton: str) -> list[tuple[str, str]]:
        """(sound key, word) of corpus words whose sound key has this consonant skeleton."""
        found: list[tuple[str, str]] = self.catalog.sound_alikes(skeleton)
        return found


class DamageLog:
    """Damaged rows found by searches: each is said once (a warning and the status note), and the next
    update reads their files again (`files`), which replaces the rows."""

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self._lock = threading.Lock()
        self.files: set[str] = set()
        self.note: str | None = None

    def __call__(self, row: PassageRow) -> None:
        with self._lock:
            if row.key in self._seen:
                return
            self._seen.add(row.key)
            self.files.add(row.file)
        self.note = f"{row.damaged} (in {row.file}): it is not shown, and the next index reads {row.file} again"
        log.warning("%s", self.note)

    def take_files(self) -> set[str]:
        """The files to read again, once: the update that reads them clears them."""
        with self._lock:
            files, self.files = self.files, set()
            return files
