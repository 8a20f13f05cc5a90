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

if TYPE_CHECKING:  # `name as name`: an explicit re-export for type checkers and linters
    from retrieval.config import DEFAULT_DENSE_MODE as DEFAULT_DENSE_MODE
    from retrieval.config import DEFAULT_EMBEDDING_MODEL as DEFAULT_EMBEDDING_MODEL
    from retrieval.config import EngineConfig as EngineConfig
    from retrieval.corpus.loader import ADDED_FOLDER as ADDED_FOLDER
    from retrieval.corpus.loader import SUPPORTED_SUFFIXES as SUPPORTED_SUFFIXES
    from retrieval.corpus.loader import load_corpus as load_corpus
    from retrieval.corpus.loader import parse_file as parse_file
    from retrieval.corpus.uploads import UploadPlan as UploadPlan
    from retrieval.corpus.uploads import plan_upload as plan_upload
    from retrieval.corpus.uploads import write_upload as write_upload
    from retrieval.encoders.dense_mode import DenseMode as DenseMode
    from retrieval.encoders.encoder import BUNDLED_MODEL as BUNDLED_MODEL
    from retrieval.encoders.encoder import Encoder as Encoder
    from retrieval.encoders.encoder import load_encoder as load_encoder
    from retrieval.engine import SearchEngine as SearchEngine
    from retrieval.errors import CorpusError as CorpusError
    from retrieval.errors import IndexDamaged as IndexDamaged
    from retrieval.errors import IndexMissing as IndexMissing
    from retrieval.errors import ModelUnavailable as ModelUnavailable
    from retrieval.errors import PageRefused as PageRefused
    from retrieval.errors import ReindexCancelled as ReindexCancelled
    from retrieval.errors import ReindexInProgress as ReindexInProgress
    from retrieval.errors import SondhaniError as SondhaniError
    from retrieval.errors import StateLocked as StateLocked
    from retrieval.evaluation import EvalReport as EvalReport
    from retrieval.evaluation import Question as Question
    from retrieval.evaluation import evaluate_questions as evaluate_questions
    from retrieval.evaluation import format_report as format_report
    from retrieval.evaluation import group_identical as group_identical
    from retrieval.evaluation import judge as judge
    from retrieval.evaluation import load_questions as load_questions
    from retrieval.feeds.polling import PollReport as PollReport
    from retrieval.feeds.polling import poll_feeds as poll_feeds
    from retrieval.feeds.state import FeedState as FeedState
    from retrieval.feeds.state import load_state as load_state
    from retrieval.index.catalog_reads import index_text as index_text
    from retrieval.index.integrity import move_aside as move_aside
    from retrieval.index.integrity import sqlite_problem as sqlite_problem
    from retrieval.index.lexical import PAD as PAD
    from retrieval.index.lexical import WANTED_B as WANTED_B
    from retrieval.index.lexical import LexicalIndex as LexicalIndex
    from retrieval.index.lexical import LexicalReader as LexicalReader
    from retrieval.index.lexical import padding_for as padding_for
    from retrieval.records import NO_ANSWER_TEXT as NO_ANSWER_TEXT
    from retrieval.records import Article as Article
    from retrieval.records import ArticleInfo as ArticleInfo
    from retrieval.records import Citation as Citation
    from retrieval.records import EngineStatus as EngineStatus
    from retrieval.records import Hit as Hit
    from retrieval.records import IndexReport as IndexReport
    from retrieval.records import IndexStage as IndexStage
    from retrieval.records import NoAnswerReason as NoAnswerReason
    from retrieval.records import Passage as Passage
    from retrieval.records import SearchResult as SearchResult
    from retrieval.records import Skipped as Skipped
    from retrieval.search.evidence import Signals as Signals
    from retrieval.search.evidence import lexical_confidence as lexical_confidence
    from retrieval.search.ranking import decide as decide
    from retrieval.search.ranking import fuse as fuse
    from retrieval.search.tuning import RetrievalTuning as RetrievalTuning
    from retrieval.text.analyser import index_tokens as index_tokens
    from retrieval.text.analyser import normalize as normalize
    from retrieval.text.analyser import sentence_ends as sentence_ends
    from retrieval.text.analyser import terms as terms
    from retrieval.text.dates import BENGALI_MONTHS as BENGALI_MONTHS
    from retrieval.text.query import analyse as analyse
    from retrieval.web.duplicates import KnownArticles as KnownArticles
    from retrieval.web.extraction import extract as extract
    from retrieval.web.fetch_policy import FetchPolicy as FetchPolicy
    from retrieval.web.fetching import fetch as fetch
    from retrieval.web.from_link import AddedArticle as AddedArticle
    from retrieval.web.from_link import add_from_url as add_from_url

# Each exported name and the submodule that defines it (the imports above say the same for type checkers).
# No name may equal a top-level submodule's name: importing retrieval.x sets the package attribute x to
# that module (hence evaluate_questions, not evaluate).
_HOMES: dict[str, str] = {
    "DEFAULT_DENSE_MODE": "config",
    "DEFAULT_EMBEDDING_MODEL": "config",
    "DenseMode": "encoders.dense_mode",
    "EngineConfig": "config",
    "ADDED_FOLDER": "corpus.loader",
    "SUPPORTED_SUFFIXES": "corpus.loader",
    "load_corpus": "corpus.loader",
    "parse_file": "corpus.loader",
    "UploadPlan": "corpus.uploads",
    "plan_upload": "corpus.uploads",
    "write_upload": "corpus.uploads",
    "BUNDLED_MODEL": "encoders.encoder",
    "Encoder": "encoders.encoder",
    "load_encoder": "encoders.encoder",
    "SearchEngine": "engine",
    "CorpusError": "errors",
    "IndexDamaged": "errors",
    "IndexMissing": "errors",
    "ModelUnavailable": "errors",
    "PageRefused": "errors",
    "ReindexCancelled": "errors",
    "ReindexInProgress": "errors",
    "SondhaniError": "errors",
    "StateLocked": "errors",
    "Question": "evaluation",
    "EvalReport": "evaluation",
    "judge": "evaluation",
    "evaluate_questions": "evaluation",
    "format_report": "evaluation",
    "group_identical": "evaluation",
    "load_questions": "evaluation",
    "PollReport": "feeds.polling",
    "poll_feeds": "feeds.polling",
    "FeedState": "feeds.state",
    "load_state": "feeds.state",
    "move_aside": "index.integrity",
    "sqlite_problem": "index.integrity",
    "NO_ANSWER_TEXT": "records",
    "Article": "records",
    "ArticleInfo": "records",
    "Citation": "records",
    "EngineStatus": "records",
    "Hit": "records",
    "IndexReport": "records",
    "IndexStage": "records",
    "NoAnswerReason": "records",
    "Passage": "records",
    "SearchResult": "records",
    "Skipped": "records",
    "Signals": "search.evidence",
    "lexical_confidence": "search.evidence",
    "decide": "search.ranking",
    "fuse": "search.ranking",
    "RetrievalTuning": "search.tuning",
    "normalize": "text.analyser",
    "sentence_ends": "text.analyser",
    "BENGALI_MONTHS": "text.dates",
    "extract": "web.extraction",
    "FetchPolicy": "web.fetch_policy",
    "fetch": "web.fetching",
    "AddedArticle": "web.from_link",
    "add_from_url": "web.from_link",
    "KnownArticles": "web.duplicates",
    # The lexical index and the analyser's tokens, for benchmarks/lexical_engines.py
    "index_text": "index.catalog_reads",
    "PAD": "index.lexical",
    "WANTED_B": "index.lexical",
    "LexicalIndex": "index.lexical",
    "LexicalReader": "index.lexical",
    "padding_for": "index.lexical",
    "index_tokens": "text.analyser",
    "terms": "text.analyser",
    "analyse": "text.query",
}

__all__ = sorted(_HOMES)


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
