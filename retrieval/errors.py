"""Every error the retrieval library raises on purpose.

    SondhaniError
     ├── StateLocked          another process owns the state directory
     ├── CorpusError          an uploaded or loaded file cannot be used (message says why)
     │    └── PageRefused     a link could not be added (`transient`: a retry may work)
     │         ├── AlreadyInCorpus   the linked article is already in the corpus
     │         └── FeedError         a feed could not be read
     ├── ReindexInProgress    a re-index is already running in this process
     ├── IndexMissing         a search was asked for before any index was built
     ├── ModelUnavailable     the embedding model cannot be loaded (the engine then serves lexical-only)
     ├── IndexDamaged         a generation's files or rows fail their recorded sizes/checksums (never served)
     └── ReindexCancelled     a re-index was asked to stop (SIGTERM, Ctrl-C); the previous index keeps serving

Callers turn these into user-facing messages; anything else is a bug and carries a traceback.
"""

from __future__ import annotations


class SondhaniError(Exception):
    """Base class for the errors the library raises on purpose."""


class StateLocked(SondhaniError):
    """Another process holds the state directory (Chroma's local engine is not process-safe)."""


class CorpusError(SondhaniError):
    """A corpus file or record cannot be used; the message names it and says why."""


class PageRefused(CorpusError):
    """The link could not be added; the message says why in one line, for the admin. `transient`: a
    timeout, a dropped connection or a 5xx/429 answer, which may work later (feeds retry those)."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class AlreadyInCorpus(PageRefused):
    """The article (same canonical URL or same text) is already in the corpus."""

    def __init__(self, message: str, existing: str) -> None:
        super().__init__(message)
        self.existing = existing  # the corpus file that holds it


class FeedError(PageRefused):
    """The feed could not be read; the message says why in one line."""


class ReindexInProgress(SondhaniError):
    """A re-index is already running; only one runs at a time."""


class IndexMissing(SondhaniError):
    """No index has been built yet."""


class ModelUnavailable(SondhaniError):
    """The embedding model cannot be loaded (offline, wrong name, broken files); serve lexical-only."""


class IndexDamaged(SondhaniError):
    """A generation's files or catalog rows differ from what was recorded when it was written."""


class ReindexCancelled(SondhaniError):
    """A re-index stopped between batches because it was asked to; its half-built generation is gone."""
