"""What an index update changes: the corpus files it read and the articles it adds and retires.

Plain records shared by the change finder (retrieval.index.changes), which fills them, and the catalog,
which records them when the update serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval.records import Article, Skipped


@dataclass(frozen=True)
class FileState:
    """A corpus file as last indexed: its size, mtime and content hash, and what it could not use."""

    name: str
    size: int
    mtime_ns: int  # -1: modified too recently to trust the mtime (the next update hashes it again)
    sha256: str
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True)
class StoredArticle:
    """A visible article row: enough to tell whether a newly loaded article changed."""

    id: int
    doc_id: str
    file: str
    article_hash: str
    passages: int


@dataclass
class Changes:
    """An update's work: what to add, what to retire, and the file states to record when it serves."""

    add: list[tuple[Article, str, str]] = field(default_factory=list)  # (article, article hash, file)
    retire: list[StoredArticle] = field(default_factory=list)
    files: list[FileState] = field(default_factory=list)  # read or touched: recorded at the flip
    gone: list[str] = field(default_factory=list)  # files no longer in the corpus
    shadowed: list[tuple[str, str]] = field(default_factory=list)  # (doc id, file holding a skipped copy)
    reread: list[str] = field(default_factory=list)  # files whose shadowed rows are replaced
    added: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def empty(self) -> bool:
        """No article to add or retire: at most file states to remember (touched, or still unusable)."""
        return not (self.add or self.retire)
