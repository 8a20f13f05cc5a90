"""Search over a Snapshot: lexical and dense rankings, fusion, no-answer detection, highlights.

The retriever never tokenises on its own: every word comes from retrieval.text / retrieval.query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from retrieval.fusion import reciprocal_rank_fusion
from retrieval.models import Hit, Passage, SearchResult
from retrieval.query import AnalysedQuery, analyse, consonant_skeleton, sound_key
from retrieval.snapshot import Snapshot
from retrieval.text import index_tokens, split_sentences, stem, terms

CANDIDATES = 50
SENTENCE_POOL = 20  # per ranking, the candidates re-ranked by their best sentence
PREFIX_MATCH_MIN = 4  # code points a stem needs before a longer word built on it counts as a match


@dataclass(frozen=True)
class RetrievalTuning:
    """Knobs measured on the dev questions and bn-news-qa (see benchmarks/)."""

    min_coverage: float = 0.4  # share of the question's content (IDF-weighted) a passage must hold
    dense_weight: float = 1.0
    sentence_weight: float = 0.7  # candidates re-ranked by their best single sentence (0.35-0.8 measured)
    lexical_weight: float = 1.0
    min_dense_similarity: float = 0.80  # English questions, answered by dense search alone
    max_sound_expansions: int = 3


@dataclass(frozen=True)
class QueryTerms:
    """A question's words after expansion: each original word with the corpus words it may mean."""

    analysed: AnalysedQuery
    groups: list[list[str]]  # per content word: itself and its sound-alike corpus words

    @property
    def tokens(self) -> list[str]:
        return index_tokens([w for group in self.groups for w in group])


class _PassageStems:
    """The stems of each passage's sentences, worked out once per question however many steps
    (sentence ranking, answerability, highlights) look at the same passage."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._sentences: dict[str, list[tuple[str, set[str]]]] = {}

    def passage(self, pid: str) -> Passage:
        return self._snapshot.passages[self._snapshot.position[pid]]

    def sentences(self, pid: str) -> list[tuple[str, set[str]]]:
        if pid not in self._sentences:
            text = self.passage(pid).text
            self._sentences[pid] = [(s, {stem(w) for w in terms(s)}) for s in split_sentences(text) or [text]]
        return self._sentences[pid]

    def all_stems(self, pid: str) -> set[str]:
        """Every stem of the passage and of its article's title (what the index saw)."""
        title = self.passage(pid).title
        stems = {stem(w) for w in terms(title)} if title else set()
        return stems.union(*(sentence_stems for _, sentence_stems in self.sentences(pid)))


class Retriever:
    """Stateless apart from its embedder: everything about the corpus lives in the Snapshot."""

    def __init__(
        self,
        embed_query: Callable[[str], np.ndarray] | None = None,
        tuning: RetrievalTuning | None = None,
    ) -> None:
        self._embed_query = embed_query
        self.tuning = tuning or RetrievalTuning()

    def search(self, snapshot: Snapshot, question: str, k: int = 5) -> SearchResult:
        """Rank passages for a question; return none when nothing in the corpus answers it."""
        started = time.perf_counter()
        hits, reason = self._search(snapshot, question, k)
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(question=question, hits=hits, elapsed_ms=elapsed, no_answer_reason=reason)

    def _search(self, snapshot: Snapshot, question: str, k: int) -> tuple[list[Hit], str | None]:
        analysed = analyse(question)
        if not analysed.content and analysed.script != "english":
            return [], "the question has no searchable words"
        query = self._expand(snapshot, analysed)
        rankings, weights = [], []
        dense_scores: dict[str, float] = {}
        if analysed.script != "english":
            lexical = snapshot.lexical.search(query.tokens, CANDIDATES)
            rankings.append([snapshot.passages[i].passage_id for i, _ in lexical])
            weights.append(self.tuning.lexical_weight)
        if snapshot.dense is not None and self._embed_query is not None:
            dense = snapshot.dense.query(self._embed_query(analysed.text), CANDIDATES)
            dense_scores = dict(dense)
            rankings.append([pid for pid, _ in dense])
            weights.append(self.tuning.dense_weight)
        if analysed.script == "english" and not rankings:
            return [], "an English question needs dense search, which is off: ask in Bengali or Banglish"
        if not any(rankings):
            return [], "no passage shares a word with the question"
        stems = _PassageStems(snapshot)
        if analysed.script != "english" and self.tuning.sentence_weight > 0:
            rankings.append(self._sentence_ranking(stems, snapshot, query, rankings))
            weights.append(self.tuning.sentence_weight)
        fused = reciprocal_rank_fusion(rankings, weights)
        leaders = [pid for pid, _ in fused[:3]] + (rankings[0][:3] if analysed.script != "english" else [])
        if not self._answerable(stems, snapshot, query, leaders, dense_scores):
            return [], "no passage covers enough of the question"
        hits = [self._hit(stems, snapshot, pid, rank, score, query) for rank, (pid, score) in enumerate(fused[:k], 1)]
        return hits, None

    def _sentence_ranking(
        self, stems: _PassageStems, snapshot: Snapshot, query: QueryTerms, rankings: list[list[str]]
    ) -> list[str]:
        """The leading candidates ordered by their best sentence: an answer usually sits in one
        sentence that holds most of the question's words, not spread over a passage."""
        pool = list(dict.fromkeys(pid for ranking in rankings for pid in ranking[:SENTENCE_POOL]))
        best = {pid: max(score for _, score in sentence_scores(stems.sentences(pid), query, snapshot)) for pid in pool}
        return sorted(pool, key=lambda pid: -best[pid])

    def _expand(self, snapshot: Snapshot, analysed: AnalysedQuery) -> QueryTerms:
        """Give each word the corpus never uses the sound-alike words it does use."""
        groups = []
        for word in analysed.content:
            group = [word]
            if not snapshot.lexical.knows(word) and not snapshot.lexical.knows("~" + stem(word)):
                group += self._sound_alikes(snapshot, word)
            groups.append(group)
        return QueryTerms(analysed=analysed, groups=groups)

    def _sound_alikes(self, snapshot: Snapshot, word: str) -> list[str]:
        key = sound_key(word)
        bucket = snapshot.sound_buckets.get(consonant_skeleton(key), [])
        scored = sorted(
            ((_edit_distance(key, other_key), -snapshot.lexical.doc_freq[token], token) for other_key, token in bucket),
        )
        limit = max(1, len(key) // 4)
        return [token for distance, _, token in scored[: self.tuning.max_sound_expansions] if distance <= limit]

    def _answerable(
        self,
        stems: _PassageStems,
        snapshot: Snapshot,
        query: QueryTerms,
        leaders: list[str],
        dense_scores: dict[str, float],
    ) -> bool:
        """Does any leading candidate (fused or lexical) hold enough of what the question asks about?"""
        if query.analysed.script == "english":
            return bool(dense_scores) and max(dense_scores.values()) >= self.tuning.min_dense_similarity
        best = max(
            (self._coverage(snapshot, query, stems.all_stems(pid)) for pid in set(leaders)),
            default=0.0,
        )
        return best >= self.tuning.min_coverage

    def _coverage(self, snapshot: Snapshot, query: QueryTerms, stems: set[str]) -> float:
        """IDF-weighted share of the question's content words a passage (its stems) holds, as the
        same word, the same stem, or a longer word built on the stem (কোরীয় / কোরিয়ানদের)."""
        # A sound-alike stands in fully for a romanised word (transliteration is a guess anyway),
        # but only half for a Bengali word the corpus never uses: that word may simply be absent.
        credit = 1.0 if query.analysed.script == "romanised" else 0.5
        total = matched = 0.0
        for word, *alikes in query.groups:
            weight = snapshot.lexical.idf(word)
            total += weight
            if _shares_stem(stem(word), stems):
                matched += weight
            elif any(_shares_stem(stem(w), stems) for w in alikes):
                matched += weight * credit
        return matched / total if total else 0.0

    def _hit(
        self, stems: _PassageStems, snapshot: Snapshot, pid: str, rank: int, score: float, query: QueryTerms
    ) -> Hit:
        passage = stems.passage(pid)
        return Hit(
            rank=rank,
            score=round(score, 6),
            passage_id=passage.passage_id,
            doc_id=passage.doc_id,
            text=passage.text,
            highlight=max(sentence_scores(stems.sentences(pid), query, snapshot), key=lambda pair: pair[1])[0],
            title=passage.title,
            source=passage.source,
            url=passage.url,
            published=passage.published,
        )


def sentence_scores(
    sentences: list[tuple[str, set[str]]], query: QueryTerms, snapshot: Snapshot
) -> list[tuple[str, float]]:
    """Each sentence of a passage with the IDF weight of the question's words it holds (by stem)."""
    return [
        (sentence, sum(snapshot.lexical.idf(word) for word, *_ in query.groups if _shares_stem(stem(word), stems)))
        for sentence, stems in sentences
    ]


def _shares_stem(query_stem: str, passage_stems: set[str]) -> bool:
    if query_stem in passage_stems:
        return True
    if len(query_stem) < PREFIX_MATCH_MIN:
        return False
    return any(
        p.startswith(query_stem) or (len(p) >= PREFIX_MATCH_MIN and query_stem.startswith(p)) for p in passage_stems
    )


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two short sound keys."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
