"""Sondhani's retrieval library: the names callers (the bot, the CLI, benchmarks) use, in one place.

Synchronous, and independent of Telegram: it imports neither `telegram` nor `bot`, and reads no
environment; its caller passes an `EngineConfig`. tests/test_boundaries.py enforces both, and that
`bot/` and `benchmarks/` import from here rather than from a submodule.

The names load lazily (PEP 562): `import retrieval` costs nothing, and a name's submodule is imported on
first use, so `sondhani ask` never imports trafilatura, lxml or dateparser (webpages, feeds) or torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retrieval.config import DEFAULT_DENSE_MODE, DEFAULT_EMBEDDING_MODEL, DenseMode, EngineConfig
    from retrieval.corpus import SUPPORTED_SUFFIXES, load_corpus
    from retrieval.encoder import BUNDLED_MODEL, load_encoder
    from retrieval.engine import SearchEngine
    from retrieval.errors import (
        CorpusError,
        IndexDamaged,
        IndexMissing,
        ModelUnavailable,
        PageRefused,
        ReindexCancelled,
        ReindexInProgress,
        SondhaniError,
        StateLocked,
    )
    from retrieval.evaluate import Question, evaluate_questions, format_report, group_identical, load_questions
    from retrieval.extraction import extract
    from retrieval.feed_state import FeedState, load_state
    from retrieval.feeds import PollReport, poll_feeds
    from retrieval.fetch_policy import FetchPolicy
    from retrieval.fetching import fetch
    from retrieval.furniture_phrases import BENGALI_MONTHS
    from retrieval.integrity import move_aside, sqlite_problem
    from retrieval.models import (
        NO_ANSWER_TEXT,
        Article,
        ArticleInfo,
        EngineStatus,
        Hit,
        IndexReport,
        IndexStage,
        NoAnswerReason,
        Passage,
        SearchResult,
        Skipped,
    )
    from retrieval.ranking import decide, fuse
    from retrieval.signals import Signals, lexical_confidence
    from retrieval.text import normalize, sentence_ends
    from retrieval.tuning import RetrievalTuning
    from retrieval.uploads import UploadPlan, plan_upload, write_upload
    from retrieval.webpages import AddedArticle, add_from_url

# Each exported name and the submodule that defines it. No name may equal a submodule's name: importing
# retrieval.x sets the package attribute x to that module (hence evaluate_questions, not evaluate).
_HOMES: dict[str, str] = {
    **dict.fromkeys(["DEFAULT_DENSE_MODE", "DEFAULT_EMBEDDING_MODEL", "DenseMode", "EngineConfig"], "config"),
    **dict.fromkeys(["SUPPORTED_SUFFIXES", "load_corpus"], "corpus"),
    **dict.fromkeys(["BUNDLED_MODEL", "load_encoder"], "encoder"),
    "SearchEngine": "engine",
    "BENGALI_MONTHS": "furniture_phrases",
    **dict.fromkeys(
        [
            "CorpusError",
            "IndexDamaged",
            "IndexMissing",
            "ModelUnavailable",
            "PageRefused",
            "ReindexCancelled",
            "ReindexInProgress",
            "SondhaniError",
            "StateLocked",
        ],
        "errors",
    ),
    **dict.fromkeys(
        ["Question", "evaluate_questions", "format_report", "group_identical", "load_questions"], "evaluate"
    ),
    "extract": "extraction",
    **dict.fromkeys(["FeedState", "load_state"], "feed_state"),
    **dict.fromkeys(["PollReport", "poll_feeds"], "feeds"),
    "FetchPolicy": "fetch_policy",
    "fetch": "fetching",
    **dict.fromkeys(["move_aside", "sqlite_problem"], "integrity"),
    **dict.fromkeys(
        [
            "NO_ANSWER_TEXT",
            "Article",
            "ArticleInfo",
            "EngineStatus",
            "Hit",
            "IndexReport",
            "IndexStage",
            "NoAnswerReason",
            "Passage",
            "SearchResult",
            "Skipped",
        ],
        "models",
    ),
    **dict.fromkeys(["decide", "fuse"], "ranking"),
    **dict.fromkeys(["Signals", "lexical_confidence"], "signals"),
    **dict.fromkeys(["normalize", "sentence_ends"], "text"),
    "RetrievalTuning": "tuning",
    **dict.fromkeys(["UploadPlan", "plan_upload", "write_upload"], "uploads"),
    **dict.fromkeys(["AddedArticle", "add_from_url"], "webpages"),
}

__all__ = [
    "DEFAULT_DENSE_MODE",
    "DEFAULT_EMBEDDING_MODEL",
    "AddedArticle",
    "Article",
    "ArticleInfo",
    "BENGALI_MONTHS",
    "BUNDLED_MODEL",
    "CorpusError",
    "DenseMode",
    "EngineConfig",
    "EngineStatus",
    "FeedState",
    "FetchPolicy",
    "Hit",
    "IndexDamaged",
    "IndexMissing",
    "IndexReport",
    "IndexStage",
    "ModelUnavailable",
    "NO_ANSWER_TEXT",
    "NoAnswerReason",
    "PageRefused",
    "Passage",
    "PollReport",
    "Question",
    "ReindexCancelled",
    "ReindexInProgress",
    "RetrievalTuning",
    "SUPPORTED_SUFFIXES",
    "SearchEngine",
    "SearchResult",
    "Signals",
    "Skipped",
    "SondhaniError",
    "StateLocked",
    "UploadPlan",
    "add_from_url",
    "decide",
    "evaluate_questions",
    "extract",
    "fetch",
    "format_report",
    "fuse",
    "group_identical",
    "lexical_confidence",
    "load_corpus",
    "load_encoder",
    "load_questions",
    "load_state",
    "move_aside",
    "normalize",
    "plan_upload",
    "poll_feeds",
    "sentence_ends",
    "sqlite_problem",
    "write_upload",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines `name` on first use (PEP 562), then remember the name here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
