"""SearchEngine: the one object callers (CLI, bot, benchmarks) use.

It owns the state directory (a lock file), the embedding model, and the serving index
snapshot. `search()` is synchronous and thread-safe: async callers run it through
`asyncio.to_thread`. `reindex()` builds a new generation beside the serving one and swaps it in
atomically; searches keep using the old snapshot until the swap.
"""

from __future__ import annotations

from pathlib import Path

from retrieval.config import EngineConfig
from retrieval.models import ArticleInfo, EngineStatus, IndexReport, ProgressCallback, SearchResult


class SearchEngine:
    """Facade over corpus loading, indexing, and retrieval."""

    @classmethod
    def open(cls, config: EngineConfig) -> "SearchEngine":
        """Lock the state directory (raises StateLocked), load the model, load the current index."""
        raise NotImplementedError

    def has_index(self) -> bool:
        """True when a built index is serving."""
        raise NotImplementedError

    def search(self, question: str, k: int = 5) -> SearchResult:
        """Answer one question with up to k hits, best first; raises IndexMissing before any index."""
        raise NotImplementedError

    def reindex(self, *, rebuild: bool = False, progress: ProgressCallback | None = None) -> IndexReport:
        """Bring the index in line with data_dir. Raises ReindexInProgress if one is running."""
        raise NotImplementedError

    def status(self) -> EngineStatus:
        """Counts, model, dense on/off and why, last index time."""
        raise NotImplementedError

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles, in doc_id order."""
        raise NotImplementedError

    def add_upload(self, filename: str, data: bytes) -> Path:
        """Validate an uploaded .md/.txt/.jsonl file and save it into data_dir; does not re-index.

        Raises CorpusError with a reason when the file cannot be used; nothing is written then.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the state-directory lock and the Chroma client."""
        raise NotImplementedError

    def __enter__(self) -> "SearchEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
