"""Search over a IndexView: gather the rankings, fuse them, decide whether anything answers.

One question goes through named steps:
  route      Bengali, romanised Bengali (Avro transliteration), English, or chatter (no passage);
  gather     the lexical (BM25) ranking, the best-sentence ranking, and the dense ranking;
  fuse       reciprocal-rank fusion, with the dense weight set by how well lexical search covers
             the question: a question whose words the corpus holds keeps its lexical order, one it
             paraphrases lets the model lead;
  decide     answer when a leading passage covers enough of the question's words, or when the model
             finds a passage close enough in meaning (English: meaning alone, its own threshold).
This module routes and gathers; what it gathers is a `Signals` (retrieval.search.evidence), and fusing and
deciding are pure functions of it (retrieval.search.ranking). The retriever never tokenises on its own: every
word comes from retrieval.text.analyser / retrieval.text.query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import numpy as np

from retrieval.index.view import IndexView
from retrieval.records import Citation, Hit, NoAnswerReason, SearchResult
from retrieval.search.evidence import PassageStems, QueryTerms, Signals, sentence_scores
from retrieval.search.ranking import dense_weight, rank
from retrieval.search.tuning import RetrievalTuning
from retrieval.text.analyser import stem
from retrieval.text.answer_types import expected_type, holds
from retrieval.text.query import (
    AnalysedQuery,
    analyse,
    as_english_text,
    consonant_skeleton,
    english_in_bengali,
    is_chatter,
    latin_sound_key,
    sound_key,
)
from retrieval.text.recency import TimeWish, time_wish

EmbedQuery = Callable[[str], np.ndarray]
EmbedPassages = Callable[[list[str]], np.ndarray]


class Retriever:
    """Stateless apart from its encoder: everything about the corpus lives in the index view.

    embed_passages embeds sentences the way passages were embedded: it lets the model choose the
    highlighted sentence of a passage that shares no word with the question (see _highlight)."""

    def __init__(
        self,
        embed_query: EmbedQuery | None = None,
        tuning: RetrievalTuning | None = None,
        embed_passages: EmbedPassages | None = None,
    ) -> None:
        self._embed_query = embed_query
        self._embed_passages = embed_passages
        self.tuning = tuning or RetrievalTuning()

    def search(self, index: IndexView, question: str, k: int = 5, *, today: date | None = None) -> SearchResult:
        """Rank passages for a question; return none, with the reason, when nothing in the corpus answers it."""
        started = time.perf_counter()
        signals, reason = self.gather(index, question, today=today)
        hits: list[Hit] = []
        if signals is not None:
            ranked, reason = rank(signals, self.tuning)
            if signals.script == "english":
                ranked = self._by_best_sentence_meaning(signals, ranked)
            chosen = one_story_once(index, signals, ranked, k)
            hits = [
                _hit(signals, pid, position, score, self._highlight(signals, pid, position), also)
                for position, (pid, score, also) in enumerate(chosen, 1)
            ]
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(
            question=question, hits=hits, elapsed_ms=elapsed, no_answer_reason=reason, generation=index.generation
        )

    # --- route and gather -----------------------------------------------------------------------

    def gather(
        self, index: IndexView, question: str, *, today: date | None = None
    ) -> tuple[Signals | None, NoAnswerReason | None]:
        """Route the question by script and collect its rankings; a reason instead when there is nothing to rank."""
        analysed = analyse(question)
        if is_chatter(analysed):
            return None, "chatter"
        wish = time_wish(analysed.text, today or date.today()) or time_wish(question, today or date.today())
        if wish is not None and wish.words:  # "সর্বশেষ", "আজ": they say when, not what
            analysed = replace(
                analysed, content=[w for w in analysed.content if w not in wish.words] or analysed.content
            )
        if analysed.script == "english":
            signals, reason = self._english(index, analysed, question)
        elif not analysed.content:
            return None, "no_words"
        else:
            signals, reason = self._bengali(index, analysed, question)
        if signals is not None and wish is not None and self.tuning.recency_weight > 0:
            signals.timely = self._timely(signals, wish)
        return signals, reason

    def _timely(self, signals: Signals, wish: TimeWish) -> list[str]:
        """The candidates about as relevant as the best one (recurring reports of one topic) that were
        published in the time the question names, in the order they were found; for "latest", those
        relevant ones newest first. A date names the event as often as the report, so a passage merely
        published then, sharing a word or two with the question, is not pulled up."""
        pool = list(dict.fromkeys(signals.lexical + signals.sentence + [pid for pid, _ in signals.dense]))
        coverages = {pid: signals.coverage(pid) for pid in pool} if signals.query.groups else {}
        best = max(coverages.values(), default=0.0)
        share = self.tuning.recency_relevant_share
        relevant = [pid for pid in pool if not coverages or coverages[pid] >= share * best]
        timely = [pid for pid in relevant if wish.holds(signals.stems.passage(pid).published)]
        if not wish.newest:
            return timely
        newest = sorted(relevant, key=lambda pid: signals.stems.passage(pid).published or "", reverse=True)
        return list(dict.fromkeys(timely + newest))

    def _bengali(
        self, index: IndexView, analysed: AnalysedQuery, question: str
    ) -> tuple[Signals | None, NoAnswerReason | None]:
        """Bengali and romanised Bengali: lexical and sentence rankings, plus the model's when it is on."""
        query = self._expand(index, analysed)
        signals = Signals(query, index, PassageStems(index), self.tuning)
        signals.lexical = signals.stems.remember(index.lexical_search(query.tokens, self.tuning.candidates))
        signals.with_model = self._model_on(index)
        if self._model_weighs_in(signals):
            signals.query_vector = self._query_vector(index, self._dense_inputs(analysed, question, query))
            signals.dense = self._dense(signals, signals.query_vector)
        if not signals.lexical and not signals.dense:
            return None, "no_match"
        if self.tuning.sentence_weight > 0:
            signals.sentence = self._sentence_ranking(signals)
        if self.tuning.article_weight > 0:
            signals.article = self._article_ranking(
                signals, index.article_search(query.tokens, self.tuning.article_candidates)
            )
        if self.tuning.context_weight > 0 and signals.query.groups:
            signals.context = self._context_ranking(signals)
        self._type_ranking(signals, question)
        return signals, None

    def _context_ranking(self, signals: Signals) -> list[str]:
        """The leading candidates by how much of the question they and their neighbouring passages hold."""
        pool_size = self.tuning.sentence_pool
        pool = list(dict.fromkeys(signals.lexical[:pool_size] + [pid for pid, _ in signals.dense[:pool_size]]))
        around = signals.stems.neighbours(pool)
        score = {pid: signals.context_coverage(pid, around[pid]) for pid in pool}
        return sorted(pool, key=lambda pid: -score[pid])

    def _english(
        self, index: IndexView, analysed: AnalysedQuery, question: str
    ) -> tuple[Signals | None, NoAnswerReason | None]:
        """English: searched for its own words when the corpus holds them (an English-language article),
        else by the multilingual model, with the question's Bengali equivalents (glossary words and
        names) searched lexically beside it; whether anything answers is the model's call alone."""
        own_words = as_english_text(analysed)
        if own_words.content and self._corpus_holds(index, own_words):
            return self._bengali(index, own_words, question)
        if not self._model_on(index):
            return None, "needs_dense"
        in_bengali = self._expand(index, english_in_bengali(question))
        signals = Signals(in_bengali, index, PassageStems(index), self.tuning, with_model=True)
        signals.query_vector = self._query_vector(index, [question])
        signals.dense = self._dense(signals, signals.query_vector)
        if in_bengali.groups and self.tuning.english_lexical_weight > 0:
            signals.lexical = signals.stems.remember(index.lexical_search(in_bengali.tokens, self.tuning.candidates))
        self._type_ranking(signals, question)
        return (signals, None) if signals.dense else (None, "no_match")

    def _corpus_holds(self, index: IndexView, analysed: AnalysedQuery) -> bool:
        """Whether a leading lexical match holds enough of these words (IDF-weighted) to be searched by them."""
        query = QueryTerms(analysed=analysed, groups=[[w] for w in analysed.content])
        signals = Signals(query, index, PassageStems(index), self.tuning)
        signals.lexical = signals.stems.remember(index.lexical_search(query.tokens, self.tuning.leaders))
        return signals.lexical_confidence() >= self.tuning.english_text_coverage

    def _article_ranking(self, signals: Signals, ranks: dict[str, int]) -> list[str]:
        """The candidates whose article ranks among the first as a whole, in that article order: a
        passage that does not name its subject ("the treaty signed on Wednesday") is found with it."""
        pool = dict.fromkeys(signals.lexical + [pid for pid, _ in signals.dense])
        ranked = [pid for pid in pool if signals.stems.passage(pid).doc_id in ranks]
        return sorted(ranked, key=lambda pid: ranks[signals.stems.passage(pid).doc_id])

    def _type_ranking(self, signals: Signals, question: str) -> None:
        """The leading candidates that hold the kind of answer the question asks for (a date for কবে,
        a number for কত...), in their best-first order of the rankings they came from."""
        signals.answer_type = expected_type(question)
        if signals.answer_type is None or self.tuning.type_weight <= 0:
            return
        pool_size = self.tuning.type_pool
        candidates = signals.sentence[:pool_size] + signals.lexical[:pool_size]
        pool = dict.fromkeys(candidates + [pid for pid, _ in signals.dense[:pool_size]])
        wanted = signals.answer_type
        signals.typed = [pid for pid in pool if holds(signals.stems.passage(pid).text, wanted)]

    def _model_weighs_in(self, signals: Signals) -> bool:
        """Whether embedding the question can change its answer: not when lexical search already covers
        it so well that the fusion gives the model no weight. Embedding is most of a warm question's
        time (about 28 ms of 44 at the bn-news-qa size); see docs/measurements.md."""
        if not signals.with_model:
            return False
        if not self.tuning.skip_model_when_lexical_sure or not signals.lexical:
            return True
        return dense_weight(signals.lexical_confidence(), self.tuning) > 0

    def _model_on(self, index: IndexView) -> bool:
        """The model can rank this index: a query encoder and the generation's vectors."""
        return index.dense is not None and self._embed_query is not None

    def _dense_inputs(self, analysed: AnalysedQuery, question: str, query: QueryTerms) -> list[str]:
        """What the model reads: the question; a romanised one also (or only) as its Avro transliteration,
        or as the corpus words its transliterated words were matched to ("corrected": সমালছনা read as
        সমালোচনা, a spelling the model knows)."""
        if analysed.script != "romanised":
            return [analysed.text]
        corrected = " ".join(group[1] if len(group) > 1 else group[0] for group in query.groups)
        return {
            "raw": [question],
            "avro": [analysed.text],
            "both": [question, analysed.text],
            "corrected": [question, corrected],
        }[self.tuning.romanised_dense_input]

    def _query_vector(self, index: IndexView, texts: list[str]) -> np.ndarray | None:
        """The question's embedding when the model can rank this index; several phrasings of one
        question are averaged."""
        if not self._model_on(index) or self._embed_query is None:  # spelled out: mypy narrows it
            return None
        vectors = [self._embed_query(t) for t in texts]
        return vectors[0] if len(vectors) == 1 else _unit(np.mean(vectors, axis=0))

    def _dense(self, signals: Signals, vector: np.ndarray | None) -> list[tuple[str, float]]:
        """Nearest passages by cosine."""
        if signals.index.dense is None or vector is None:
            return []
        found = signals.index.dense_search(vector, self.tuning.candidates)
        signals.stems.remember([p for p, _ in found])
        return [(p.passage_id, similarity) for p, similarity in found]

    def _sentence_ranking(self, signals: Signals) -> list[str]:
        """The leading candidates ordered by their best sentence: an answer usually sits in one
        sentence that holds most of the question's words, not spread over a passage."""
        pool_size = self.tuning.sentence_pool
        candidates = signals.lexical[:pool_size] + [pid for pid, _ in signals.dense[:pool_size]]
        pool = list(dict.fromkeys(candidates))
        best = {
            pid: max(
                score
                for _, score in sentence_scores(signals.stems.sentences(pid), signals.query, signals.idf, self.tuning)
            )
            for pid in pool
        }
        return sorted(pool, key=lambda pid: -best[pid])

    def _by_best_sentence_meaning(self, signals: Signals, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """An English question's leading passages reordered by the model's cosine with the passage plus
        with its closest sentence: a whole passage's embedding blurs the one sentence that answers, and no
        word of the question can point at it. Costs an embedding per sentence of `english_sentence_rerank`
        passages (about 300 ms for five); the highlights reuse them."""
        head = ranked[: self.tuning.english_sentence_rerank]
        if len(head) < 2:
            return ranked
        cosine = dict(signals.dense)
        best = {pid: max(self._sentence_similarities(signals, pid), default=0.0) for pid, _ in head}
        if not any(best.values()):  # no sentence embeddings to be had
            return ranked
        reordered = sorted(head, key=lambda pair: -(best[pair[0]] + cosine.get(pair[0], 0.0)))
        return [(pid, score) for (pid, _), (_, score) in zip(reordered, head)] + ranked[len(head) :]

    def _sentence_similarities(self, signals: Signals, pid: str) -> list[float]:
        """Each sentence's cosine with the question, embedded once per question (empty without the model)."""
        if pid not in signals.sentence_similarities:
            sentences = [text for text, _ in signals.stems.sentences(pid)]
            if signals.query_vector is None or self._embed_passages is None or not sentences:
                return []
            vectors = self._embed_passages(sentences)
            signals.sentence_similarities[pid] = [float(s) for s in vectors @ signals.query_vector]
        return signals.sentence_similarities[pid]

    def _highlight(self, signals: Signals, pid: str, position: int) -> str:
        """The sentence that holds most of the question's words (IDF-weighted). When none holds any (an
        English question, a passage found by meaning alone), the model picks the sentence closest in
        meaning, for the first `model_highlights` hits: each sentence costs an embedding (about 25 ms),
        and the first sentence, the fallback, holds the answer half as often (benchmarks/highlight_choice.py)."""
        scored = sentence_scores(signals.stems.sentences(pid), signals.query, signals.idf, signals.tuning)
        wanted = signals.answer_type
        if wanted is not None:  # a sentence holding the date / number asked for beats one that only repeats words
            bonus = self.tuning.highlight_type_bonus * max(weight for _, weight in scored)
            scored = [(text, weight + (bonus if holds(text, wanted) else 0.0)) for text, weight in scored]
        sentence, weight = max(scored, key=lambda pair: pair[1])
        embedded = pid in signals.sentence_similarities  # the English re-ranking paid for them already
        if weight > 0 or len(scored) < 2 or (position > self.tuning.model_highlights and not embedded):
            return sentence
        similarities = self._sentence_similarities(signals, pid)
        return scored[int(np.argmax(similarities))][0] if len(similarities) == len(scored) else sentence

    def topic_articles(self, index: IndexView, topic: str, k: int) -> list[str]:
        """The articles (doc ids, best first) that match a topic as whole articles: for /latest."""
        analysed = analyse(topic)
        if not analysed.content:
            return []
        return list(index.article_search(self._expand(index, analysed).tokens, k))

    def _expand(self, index: IndexView, analysed: AnalysedQuery) -> QueryTerms:
        """Give each word the corpus never uses the sound-alike words it does use."""
        groups = []
        guesses: set[str] = set()
        for word in analysed.content:
            group = [word]
            if word in analysed.alternatives:  # an English word's Bengali equivalents: no guessing
                group += analysed.alternatives[word]
            elif not index.knows(word) and not index.knows("~" + stem(word)):
                group += self._sound_alikes(index, word)
                latin = analysed.latin.get(word)
                if latin is not None and self.tuning.max_latin_expansions > 0:
                    found = [w for w in self._latin_alikes(index, latin) if w not in group]
                    group += found
                    guesses.update(found)
            groups.append(group)
        return QueryTerms(analysed=analysed, groups=groups, latin_guesses=frozenset(guesses))

    def _latin_alikes(self, index: IndexView, latin: str) -> list[str]:
        """Corpus words that sound like a Latin word spelt as English names are spelt in Bengali news
        ("moscow" -> মস্কো, "reuters" -> রয়টার্স), where Avro's Bengali-rules guess finds nothing."""
        key = latin_sound_key(latin)
        skeleton = consonant_skeleton(key)
        if len(skeleton) < self.tuning.latin_min_consonants:
            return []
        starts_with_vowel = key[0] in _VOWEL_KEYS
        scored = sorted(
            (_vowel_tolerant_distance(key, other_key), -df, token)
            for other_key, token in index.sound_alikes(skeleton)
            # a name spelt in Bengali keeps its first vowel (ukraine: ইউক্রেন, not করান)
            if other_key and (other_key[0] in _VOWEL_KEYS) == starts_with_vowel and (df := index.doc_freq(token)) > 0
        )
        limit = self.tuning.latin_vowel_edits_per_letter * len(key)
        return [token for distance, _, token in scored[: self.tuning.max_latin_expansions] if distance <= limit]

    def _sound_alikes(self, index: IndexView, word: str) -> list[str]:
        key = sound_key(word)
        bucket = index.sound_alikes(consonant_skeleton(key))
        scored = sorted(
            (_edit_distance(key, other_key), -df, token)
            for other_key, token in bucket
            if (df := index.doc_freq(token)) > 0
        )
        limit = max(1, len(key) // self.tuning.sound_key_chars_per_edit)
        return [token for distance, _, token in scored[: self.tuning.max_sound_expansions] if distance <= limit]


def one_story_once(
    index: IndexView, signals: Signals, ranked: list[tuple[str, float]], k: int
) -> list[tuple[str, float, tuple[Citation, ...]]]:
    """The first k ranked passages of distinct stories, each with the other outlets' reports of its
    story: the same news from three outlets is one answer "also reported by" two, and the first page
    holds k different answers."""
    window = ranked[: max(k * 4, k + 10)]
    doc_of = {pid: signals.stems.passage(pid).doc_id for pid, _ in window}
    story_of = index.stories(list(dict.fromkeys(doc_of.values())))
    chosen: list[tuple[str, float]] = []
    shown: dict[int, str] = {}  # story -> the article shown for it (its other passages may follow)
    for pid, score in window:
        story = story_of.get(doc_of[pid])
        if story is not None and shown.setdefault(story, doc_of[pid]) != doc_of[pid]:
            continue
        chosen.append((pid, score))
        if len(chosen) == k:
            break
    members = index.story_members(sorted(shown))
    out = []
    for pid, score in chosen:
        doc = doc_of[pid]
        story = story_of.get(doc)
        others = tuple(c for c in members.get(story, []) if c.doc_id != doc) if story is not None else ()
        out.append((pid, score, others))
    return out


def _hit(
    signals: Signals, pid: str, position: int, score: float, highlight: str, also: tuple[Citation, ...] = ()
) -> Hit:
    passage = signals.stems.passage(pid)
    return Hit(
        rank=position,
        score=round(score, 6),
        passage_id=passage.passage_id,
        doc_id=passage.doc_id,
        text=passage.text,
        highlight=highlight,
        title=passage.title,
        source=passage.source,
        url=passage.url,
        published=passage.published,
        also=also,
    )


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


_VOWEL_KEYS = frozenset("aeiouy")


def _vowel_tolerant_distance(a: str, b: str) -> float:
    """Edit distance between sound keys in which vowels (and y) cost half: a Bengali spelling of an
    English name keeps its consonants but writes its vowels its own way (pyongyang, পিয়ংইয়ং)."""

    def cost(letter: str) -> float:
        return 0.5 if letter in _VOWEL_KEYS else 1.0

    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + cost(cb))
    for ca in a:
        current = [previous[0] + cost(ca)]
        for j, cb in enumerate(b, start=1):
            swap = 0.0 if ca == cb else 0.5 if ca in _VOWEL_KEYS and cb in _VOWEL_KEYS else 1.0
            current.append(min(previous[j] + cost(ca), current[j - 1] + cost(cb), previous[j - 1] + swap))
        previous = current
    return previous[-1]


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two short sound keys."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
