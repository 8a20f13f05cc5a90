"""What one question's search gathers before fusion, and the word matching it is judged by.

`Signals` holds a question's rankings (lexical, best-sentence, dense) and works out lazily how much of
the question each passage covers: fusion weighs the model by that coverage, and the no-answer decision
reads it. Matching is by stem, or by a longer word built on a stem (কোরীয় / কোরিয়ানদের), IDF-weighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from retrieval.index.view import IndexView
from retrieval.records import Passage
from retrieval.search.tuning import RetrievalTuning
from retrieval.text.analyser import index_tokens, split_sentences, stem, terms
from retrieval.text.answer_types import AnswerType
from retrieval.text.query import AnalysedQuery


@dataclass(frozen=True)
class QueryTerms:
    """A question's words after expansion: each original word with the corpus words it may mean."""

    analysed: AnalysedQuery
    groups: list[list[str]]  # per content word: itself and its sound-alike corpus words
    latin_guesses: frozenset[str] = frozenset()  # the alikes found by a Latin word's consonants alone

    @property
    def tokens(self) -> list[str]:
        return index_tokens([w for group in self.groups for w in group])


class PassageStems:
    """The passages one question's rankings found, and the stems of their sentences, worked out once
    per question however many steps (sentence ranking, coverage, highlights) look at the same passage."""

    def __init__(self, index: IndexView) -> None:
        self._index = index
        self._passages: dict[str, Passage] = {}
        self._sentences: dict[str, list[tuple[str, set[str]]]] = {}

    def remember(self, passages: list[Passage]) -> list[str]:
        """Keep passages a ranking returned (their text comes from the catalog); returns their ids."""
        for p in passages:
            self._passages[p.passage_id] = p
        return [p.passage_id for p in passages]

    def passage(self, pid: str) -> Passage:
        found = self._passages.get(pid)
        if found is None:  # a ranking set by hand (benchmarks, tests): read it from the index
            found = self._index.passages([pid])[pid]
            self._passages[pid] = found
        return found

    def sentences(self, pid: str) -> list[tuple[str, set[str]]]:
        if pid not in self._sentences:
            text = self.passage(pid).text
            self._sentences[pid] = [(s, {stem(w) for w in terms(s)}) for s in split_sentences(text) or [text]]
        return self._sentences[pid]

    def neighbours(self, pids: list[str]) -> dict[str, list[str]]:
        """The passages before and after each of these in its article (ids "doc#n"), read in one query."""
        wanted = {pid: _adjacent(pid) for pid in pids}
        missing = sorted({n for adjacent in wanted.values() for n in adjacent if n not in self._passages})
        if missing:
            self._passages.update(self._index.passages(missing))
        return {pid: [n for n in adjacent if n in self._passages] for pid, adjacent in wanted.items()}

    def all_stems(self, pid: str) -> set[str]:
        """Every stem of the passage and of its article's title (what the index saw)."""
        title = self.passage(pid).title
        stems = {stem(w) for w in terms(title)} if title else set()
        return stems.union(*(sentence_stems for _, sentence_stems in self.sentences(pid)))


@dataclass
class Signals:
    """Everything gathered for one question, before fusion: benchmarks sweep fusion settings over these."""

    query: QueryTerms
    index: IndexView
    stems: PassageStems
    tuning: RetrievalTuning
    with_model: bool = False  # the model ranked this question (dense search is on)
    lexical: list[str] = field(default_factory=list)  # passage ids, BM25 order
    sentence: list[str] = field(default_factory=list)  # the leading candidates by their best sentence
    dense: list[tuple[str, float]] = field(default_factory=list)  # (passage id, cosine), best first
    article: list[str] = field(default_factory=list)  # candidates ordered by their article's rank
    typed: list[str] = field(default_factory=list)  # leading candidates holding the wanted answer type
    context: list[str] = field(default_factory=list)  # leading candidates by coverage with their neighbours
    answer_type: AnswerType | None = None  # what the question asks for (a date, a number, a name, a place)
    timely: list[str] = field(default_factory=list)  # candidates of the time the question names, or newest
    query_vector: np.ndarray | None = None  # the question's embedding, when the model ranked it
    sentence_similarities: dict[str, list[float]] = field(default_factory=dict)  # pid -> each sentence's cosine
    _coverage: dict[str, float] = field(default_factory=dict)
    _idf: dict[str, float] = field(default_factory=dict)

    @property
    def script(self) -> str:
        return self.query.analysed.script

    @property
    def top_similarity(self) -> float:
        return self.dense[0][1] if self.dense else 0.0

    def idf(self, word: str) -> float:
        """The word's IDF in the index, asked of the lexical engine once per question."""
        if word not in self._idf:
            self._idf[word] = self.index.idf(word)
        return self._idf[word]

    def coverage(self, pid: str) -> float:
        """IDF-weighted share of the question's content words the passage holds (see _coverage)."""
        if pid not in self._coverage:
            self._coverage[pid] = _coverage(self.idf, self.query, self.stems.all_stems(pid), self.tuning)
        return self._coverage[pid]

    def context_coverage(self, pid: str, neighbours: list[str]) -> float:
        """The passage's coverage, plus `context_credit` of what its neighbouring passages add: a short
        paragraph ("the treaty signed on Wednesday") is about what the paragraphs around it name."""
        own = self.coverage(pid)
        if not neighbours:
            return own
        stems = self.stems.all_stems(pid).union(*(self.stems.all_stems(n) for n in neighbours))
        with_context = _coverage(self.idf, self.query, stems, self.tuning)
        return own + self.tuning.context_credit * max(0.0, with_context - own)

    def lexical_confidence(self) -> float:
        """How well the best lexical candidates cover the question: high when its words are in the corpus."""
        return lexical_confidence(self, self.tuning.leaders)


class RankingSignals(Protocol):
    """What fusion and the no-answer decision read of a question's Signals."""

    @property
    def script(self) -> str: ...

    @property
    def lexical(self) -> list[str]: ...

    @property
    def sentence(self) -> list[str]: ...

    @property
    def dense(self) -> list[tuple[str, float]]: ...

    @property
    def article(self) -> list[str]: ...

    @property
    def typed(self) -> list[str]: ...

    @property
    def context(self) -> list[str]: ...

    @property
    def timely(self) -> list[str]: ...

    @property
    def top_similarity(self) -> float: ...

    @property
    def with_model(self) -> bool: ...

    def coverage(self, pid: str) -> float: ...

    def lexical_confidence(self) -> float: ...


def lexical_confidence(signals: RankingSignals, leaders: int) -> float:
    """The best coverage among the first `leaders` lexical candidates (what the dense weight falls with)."""
    return max((signals.coverage(pid) for pid in signals.lexical[:leaders]), default=0.0)


def sentence_scores(
    sentences: list[tuple[str, set[str]]], query: QueryTerms, idf: Callable[[str], float], tuning: RetrievalTuning
) -> list[tuple[str, float]]:
    """Each sentence of a passage with the IDF weight of the question's words it holds (by stem)."""
    minimum = tuning.prefix_match_min
    return [
        (sentence, sum(idf(word) for word, *_ in query.groups if _shares_stem(stem(word), stems, minimum)))
        for sentence, stems in sentences
    ]


def _adjacent(pid: str) -> list[str]:
    doc, _, number = pid.rpartition("#")
    if not doc or not number.isdigit():
        return []
    n = int(number)
    return [f"{doc}#{i}" for i in (n - 1, n + 1) if i >= 0]


def _coverage(idf: Callable[[str], float], query: QueryTerms, stems: set[str], tuning: RetrievalTuning) -> float:
    """IDF-weighted share of the question's content words a passage (its stems) holds, as the
    same word, the same stem, or a longer word built on the stem (কোরীয় / কোরিয়ানদের)."""
    # A sound-alike stands in fully for a romanised word (transliteration is a guess anyway), but
    # only partly for a Bengali word the corpus never uses: that word may simply be absent.
    romanised = query.analysed.script == "romanised"
    credit = tuning.sound_alike_credit_romanised if romanised else tuning.sound_alike_credit
    total = matched = 0.0
    for word, *alikes in query.groups:
        weight = idf(word)
        total += weight
        if _shares_stem(stem(word), stems, tuning.prefix_match_min):
            matched += weight
        else:
            held = [w for w in alikes if _shares_stem(stem(w), stems, tuning.prefix_match_min)]
            if held:  # a consonants-only guess ("metro" -> মিত্র) is surer to be wrong than Avro's
                sure = any(w not in query.latin_guesses for w in held)
                matched += weight * (credit if sure else tuning.latin_alike_credit)
    return matched / total if total else 0.0


def _shares_stem(query_stem: str, passage_stems: set[str], min_prefix: int) -> bool:
    """The same stem, or (stems of at least min_prefix code points) one built on the other."""
    if query_stem in passage_stems:
        return True
    if len(query_stem) < min_prefix:
        return False
    return any(p.startswith(query_stem) or (len(p) >= min_prefix and query_stem.startswith(p)) for p in passage_stems)
