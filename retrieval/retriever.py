"""Search over a Snapshot: gather the rankings, fuse them, decide whether anything answers.

One question goes through named steps:
  route      Bengali, romanised Bengali (Avro transliteration), English, or chatter (no passage);
  gather     the lexical (BM25) ranking, the best-sentence ranking, and the dense ranking;
  fuse       reciprocal-rank fusion, with the dense weight set by how well lexical search covers
             the question: a question whose words the corpus holds keeps its lexical order, one it
             paraphrases lets the model lead;
  decide     answer when a leading passage covers enough of the question's words, or when the model
             finds a passage close enough in meaning (English: meaning alone, its own threshold).
The retriever never tokenises on its own: every word comes from retrieval.text / retrieval.query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from retrieval.fusion import reciprocal_rank_fusion
from retrieval.models import Hit, NoAnswerReason, Passage, SearchResult
from retrieval.query import AnalysedQuery, analyse, consonant_skeleton, is_chatter, sound_key
from retrieval.snapshot import Snapshot
from retrieval.text import index_tokens, split_sentences, stem, terms
from retrieval.tuning import RetrievalTuning

EmbedQuery = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class QueryTerms:
    """A question's words after expansion: each original word with the corpus words it may mean."""

    analysed: AnalysedQuery
    groups: list[list[str]]  # per content word: itself and its sound-alike corpus words

    @property
    def tokens(self) -> list[str]:
        return index_tokens([w for group in self.groups for w in group])


class PassageStems:
    """The stems of each passage's sentences, worked out once per question however many steps
    (sentence ranking, coverage, highlights) look at the same passage."""

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


@dataclass
class Signals:
    """Everything gathered for one question, before fusion: benchmarks sweep fusion settings over these."""

    query: QueryTerms
    snapshot: Snapshot
    stems: PassageStems
    tuning: RetrievalTuning
    with_model: bool = False  # the model ranked this question (dense search is on)
    lexical: list[str] = field(default_factory=list)  # passage ids, BM25 order
    sentence: list[str] = field(default_factory=list)  # the leading candidates by their best sentence
    dense: list[tuple[str, float]] = field(default_factory=list)  # (passage id, cosine), best first
    _coverage: dict[str, float] = field(default_factory=dict)

    @property
    def script(self) -> str:
        return self.query.analysed.script

    @property
    def top_similarity(self) -> float:
        return self.dense[0][1] if self.dense else 0.0

    def coverage(self, pid: str) -> float:
        """IDF-weighted share of the question's content words the passage holds (see _coverage)."""
        if pid not in self._coverage:
            self._coverage[pid] = _coverage(self.snapshot, self.query, self.stems.all_stems(pid), self.tuning)
        return self._coverage[pid]

    def lexical_confidence(self) -> float:
        """How well the best lexical candidates cover the question: high when its words are in the corpus."""
        return max((self.coverage(pid) for pid in self.lexical[: self.tuning.leaders]), default=0.0)


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
    def top_similarity(self) -> float: ...

    @property
    def with_model(self) -> bool: ...

    def coverage(self, pid: str) -> float: ...

    def lexical_confidence(self) -> float: ...


class Retriever:
    """Stateless apart from its query encoder: everything about the corpus lives in the Snapshot."""

    def __init__(self, embed_query: EmbedQuery | None = None, tuning: RetrievalTuning | None = None) -> None:
        self._embed_query = embed_query
        self.tuning = tuning or RetrievalTuning()

    def search(self, snapshot: Snapshot, question: str, k: int = 5) -> SearchResult:
        """Rank passages for a question; return none, with the reason, when nothing in the corpus answers it."""
        started = time.perf_counter()
        signals, reason = self.gather(snapshot, question)
        hits: list[Hit] = []
        if signals is not None:
            ranked, reason = rank(signals, self.tuning)
            hits = [_hit(signals, pid, position, score) for position, (pid, score) in enumerate(ranked[:k], 1)]
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(question=question, hits=hits, elapsed_ms=elapsed, no_answer_reason=reason)

    # --- route and gather -----------------------------------------------------------------------

    def gather(self, snapshot: Snapshot, question: str) -> tuple[Signals | None, NoAnswerReason | None]:
        """Route the question by script and collect its rankings; a reason instead when there is nothing to rank."""
        analysed = analyse(question)
        if is_chatter(analysed):
            return None, "chatter"
        if analysed.script == "english":
            return self._english(snapshot, analysed, question)
        if not analysed.content:
            return None, "no_words"
        return self._bengali(snapshot, analysed, question)

    def _bengali(
        self, snapshot: Snapshot, analysed: AnalysedQuery, question: str
    ) -> tuple[Signals | None, NoAnswerReason | None]:
        """Bengali and romanised Bengali: lexical and sentence rankings, plus the model's when it is on."""
        query = self._expand(snapshot, analysed)
        signals = Signals(query, snapshot, PassageStems(snapshot), self.tuning)
        signals.lexical = [
            snapshot.passages[i].passage_id for i, _ in snapshot.lexical.search(query.tokens, self.tuning.candidates)
        ]
        signals.with_model = self._model_on(snapshot)
        signals.dense = self._dense(snapshot, self._dense_inputs(analysed, question))
        if not signals.lexical and not signals.dense:
            return None, "no_match"
        if self.tuning.sentence_weight > 0:
            signals.sentence = self._sentence_ranking(signals)
        return signals, None

    def _english(
        self, snapshot: Snapshot, analysed: AnalysedQuery, question: str
    ) -> tuple[Signals | None, NoAnswerReason | None]:
        """English: the corpus is Bengali, so only the multilingual model can match it."""
        if not self._model_on(snapshot):
            return None, "needs_dense"
        signals = Signals(QueryTerms(analysed, []), snapshot, PassageStems(snapshot), self.tuning, with_model=True)
        signals.dense = self._dense(snapshot, [question])
        return (signals, None) if signals.dense else (None, "no_match")

    def _model_on(self, snapshot: Snapshot) -> bool:
        """The model can rank this snapshot: a query encoder and the generation's vectors."""
        return snapshot.dense is not None and self._embed_query is not None

    def _dense_inputs(self, analysed: AnalysedQuery, question: str) -> list[str]:
        """What the model reads: the question; a romanised one also (or only) as its Avro transliteration."""
        if analysed.script != "romanised":
            return [analysed.text]
        return {"raw": [question], "avro": [analysed.text], "both": [question, analysed.text]}[
            self.tuning.romanised_dense_input
        ]

    def _dense(self, snapshot: Snapshot, texts: list[str]) -> list[tuple[str, float]]:
        """Nearest passages by cosine; several phrasings of one question are averaged first."""
        if snapshot.dense is None or self._embed_query is None:  # spelled out: mypy narrows both
            return []
        vectors = [self._embed_query(t) for t in texts]
        vector = vectors[0] if len(vectors) == 1 else _unit(np.mean(vectors, axis=0))
        return snapshot.dense.query(vector, self.tuning.candidates)

    def _sentence_ranking(self, signals: Signals) -> list[str]:
        """The leading candidates ordered by their best sentence: an answer usually sits in one
        sentence that holds most of the question's words, not spread over a passage."""
        pool_size = self.tuning.sentence_pool
        candidates = signals.lexical[:pool_size] + [pid for pid, _ in signals.dense[:pool_size]]
        pool = list(dict.fromkeys(candidates))
        best = {
            pid: max(
                score
                for _, score in sentence_scores(
                    signals.stems.sentences(pid), signals.query, signals.snapshot, self.tuning
                )
            )
            for pid in pool
        }
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
        limit = max(1, len(key) // self.tuning.sound_key_chars_per_edit)
        return [token for distance, _, token in scored[: self.tuning.max_sound_expansions] if distance <= limit]


# --- fuse and decide (pure: the benchmarks call them with many tunings over the same Signals) ------


def rank(signals: Signals, tuning: RetrievalTuning) -> tuple[list[tuple[str, float]], NoAnswerReason | None]:
    """The fused ranking, or nothing and the reason when no leading passage answers the question."""
    fused = fuse(signals, tuning)
    reason = decide(signals, fused, tuning)
    return ([], reason) if reason else (fused, None)


def dense_weight(confidence: float, tuning: RetrievalTuning) -> float:
    """The model's weight in the fusion, falling linearly from `dense_weight_max` (lexical search
    covers little of the question) to `dense_weight_min` (it covers it well)."""
    low, high = tuning.confident_coverage_low, tuning.confident_coverage_high
    share = 1.0 if confidence <= low else 0.0 if confidence >= high else (high - confidence) / (high - low)
    return tuning.dense_weight_min + share * (tuning.dense_weight_max - tuning.dense_weight_min)


def fuse(signals: RankingSignals, tuning: RetrievalTuning) -> list[tuple[str, float]]:
    """One ranking from the lexical, best-sentence and dense rankings (reciprocal-rank fusion)."""
    dense_ids = [pid for pid, _ in signals.dense]
    if signals.script == "english":
        return reciprocal_rank_fusion([dense_ids], [1.0], k=tuning.rrf_k)
    weights = [tuning.lexical_weight, tuning.sentence_weight, dense_weight(signals.lexical_confidence(), tuning)]
    return reciprocal_rank_fusion([signals.lexical, signals.sentence, dense_ids], weights, k=tuning.rrf_k)


def decide(signals: RankingSignals, fused: list[tuple[str, float]], tuning: RetrievalTuning) -> NoAnswerReason | None:
    """None when the leading passages answer the question, else why not."""
    if signals.script == "english":
        return None if signals.top_similarity >= tuning.min_english_similarity else "low_similarity"
    leaders = [pid for pid, _ in fused[: tuning.leaders]] + signals.lexical[: tuning.leaders]
    needed = tuning.min_coverage if signals.with_model else tuning.min_coverage_lexical_only
    if max((signals.coverage(pid) for pid in set(leaders)), default=0.0) >= needed:
        return None
    rescue = tuning.min_romanised_similarity if signals.script == "romanised" else tuning.min_dense_similarity
    if signals.dense and signals.top_similarity >= rescue:
        return None
    return "low_coverage"


def _hit(signals: Signals, pid: str, position: int, score: float) -> Hit:
    passage = signals.stems.passage(pid)
    return Hit(
        rank=position,
        score=round(score, 6),
        passage_id=passage.passage_id,
        doc_id=passage.doc_id,
        text=passage.text,
        highlight=_highlight(signals, pid),
        title=passage.title,
        source=passage.source,
        url=passage.url,
        published=passage.published,
    )


def _highlight(signals: Signals, pid: str) -> str:
    """The sentence that holds most of the question's words (IDF-weighted). A question matched by
    meaning alone (English) shares no words: its passage's first sentence stands in (embedding every
    sentence of every hit would cost more than the whole search)."""
    scored = sentence_scores(signals.stems.sentences(pid), signals.query, signals.snapshot, signals.tuning)
    return max(scored, key=lambda pair: pair[1])[0]


def sentence_scores(
    sentences: list[tuple[str, set[str]]], query: QueryTerms, snapshot: Snapshot, tuning: RetrievalTuning
) -> list[tuple[str, float]]:
    """Each sentence of a passage with the IDF weight of the question's words it holds (by stem)."""
    minimum = tuning.prefix_match_min
    return [
        (
            sentence,
            sum(snapshot.lexical.idf(word) for word, *_ in query.groups if _shares_stem(stem(word), stems, minimum)),
        )
        for sentence, stems in sentences
    ]


def _coverage(snapshot: Snapshot, query: QueryTerms, stems: set[str], tuning: RetrievalTuning) -> float:
    """IDF-weighted share of the question's content words a passage (its stems) holds, as the
    same word, the same stem, or a longer word built on the stem (কোরীয় / কোরিয়ানদের)."""
    # A sound-alike stands in fully for a romanised word (transliteration is a guess anyway), but
    # only partly for a Bengali word the corpus never uses: that word may simply be absent.
    romanised = query.analysed.script == "romanised"
    credit = tuning.sound_alike_credit_romanised if romanised else tuning.sound_alike_credit
    total = matched = 0.0
    for word, *alikes in query.groups:
        weight = snapshot.lexical.idf(word)
        total += weight
        if _shares_stem(stem(word), stems, tuning.prefix_match_min):
            matched += weight
        elif any(_shares_stem(stem(w), stems, tuning.prefix_match_min) for w in alikes):
            matched += weight * credit
    return matched / total if total else 0.0


def _shares_stem(query_stem: str, passage_stems: set[str], min_prefix: int) -> bool:
    """The same stem, or (stems of at least min_prefix code points) one built on the other."""
    if query_stem in passage_stems:
        return True
    if len(query_stem) < min_prefix:
        return False
    return any(p.startswith(query_stem) or (len(p) >= min_prefix and query_stem.startswith(p)) for p in passage_stems)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two short sound keys."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
