"""Plain data passed between the library and its callers (CLI, bot, benchmarks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# Why a question got no passage. Callers word these for their users; the library only names them.
NoAnswerReason = Literal[
    "no_words",  # nothing searchable in the question (punctuation, emoji, only function words)
    "chatter",  # a greeting or filler ("hi", "ok", "hello world"), not a question
    "no_match",  # no passage shares a word with the question, and nothing is close in meaning
    "low_coverage",  # the best passages hold too little of what the question asks about
    "low_similarity",  # judged by meaning alone (English), nothing is close enough
    "needs_dense",  # an English question, and dense (cross-lingual) search is off
    "empty_index",  # the index holds no articles (an empty corpus, or every file was skipped)
]
NO_ANSWER_TEXT: dict[str, str] = {
    "no_words": "the question has no searchable words",
    "chatter": "this looks like a greeting or chatter, not a question",
    "no_match": "no passage shares a word with the question or comes close to its meaning",
    "low_coverage": "no passage covers enough of what the question asks about",
    "low_similarity": "no passage is close enough in meaning to the question",
    "needs_dense": "an English question needs the multilingual model, and dense search is off: ask in Bengali",
    "empty_index": "there are no articles in the index yet",
}


@dataclass(frozen=True)
class Article:
    """One cleaned article, ready to chunk. `text` has page furniture removed."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    origin: str = ""  # file the article came from, for reports


@dataclass(frozen=True)
class Passage:
    """A sentence-aligned chunk of one article, carrying its article's citation."""

    passage_id: str  # stable: "<doc_id>#<ordinal>"
    doc_id: str
    ordinal: int
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Citation:
    """Where an article was published: what a reader needs to find it."""

    doc_id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None


@dataclass(frozen=True)
class Hit:
    """One answer passage, ranked, with the sentence that best matches the question."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    text: str
    highlight: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    also: tuple[Citation, ...] = ()  # other outlets' reports of the same story ("also reported by")


@dataclass(frozen=True)
class SearchResult:
    """The answer to one question; `hits` is empty when nothing in the corpus answers it."""

    question: str
    hits: list[Hit]
    elapsed_ms: float
    no_answer_reason: NoAnswerReason | None = None  # set when no passage is returned
    generation: str | None = None  # the index that answered: hits are re-shown from it while it serves


@dataclass(frozen=True)
class Skipped:
    """A file or record the loader could not use, and why."""

    name: str
    reason: str


@dataclass
class IndexReport:
    """What one (re-)index did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    articles: int = 0
    passages: int = 0
    embedded: int = 0  # passages embedded in this run (unchanged ones are reused)
    seconds: float = 0.0
    generation: str = ""
    kind: str = "none"  # none | incremental | full | vectors (retrieval.index.updater)


@dataclass(frozen=True)
class ArticleInfo:
    """An indexed article as listed by /sources."""

    doc_id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    passages: int


@dataclass(frozen=True)
class EngineStatus:
    """Health of the engine, for /status and logs."""

    articles: int
    passages: int
    embedding_model: str | None
    dense_enabled: bool
    dense_note: str  # plain words: why dense search is on or off
    last_indexed_at: datetime | None
    last_index_seconds: float | None
    generation: str | None


# The stages a build reports, in order; callers translate these and only these.
IndexStage = Literal["chunking", "embedding", "saving"]
# (done, total, stage) -> None. "embedding" counts passages that need embedding, a batch at a time.
ProgressCallback = Callable[[int, int, IndexStage], None]
