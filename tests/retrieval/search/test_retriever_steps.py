"""The retriever's steps over a hand-built index: routing, coverage at the threshold, fusion order,
and the no-answer decision from both signals. Pure functions over real indexes; no model needed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from retrieval.index.view import IndexView
from retrieval.search.evidence import PassageStems, QueryTerms, Signals
from retrieval.search.ranking import decide, dense_weight, fuse, similarity_gap
from retrieval.search.retriever import Retriever
from retrieval.search.tuning import RetrievalTuning
from retrieval.text.analyser import normalize
from retrieval.text.query import analyse, is_chatter
from tests.support.tiny_index import TinyIndex, tiny_index

TEXTS = {
    "a#0": "ঢাকায় মেট্রোরেল চালু হয়েছে। যাত্রীরা খুশি।",
    "b#0": "চট্টগ্রামে নতুন সেতু নির্মাণ শুরু হয়েছে।",
    "c#0": "রাজশাহীতে আমের ফলন ভালো হয়েছে।",
    "d#0": "খুলনায় বৃষ্টির কারণে জলাবদ্ধতা দেখা দিয়েছে।",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyIndex:
    return tiny_index(tmp_path_factory.mktemp("tiny"), TEXTS)


def _signals(question: str, tuning: RetrievalTuning, view: IndexView) -> Signals:
    analysed = analyse(question)
    return Signals(QueryTerms(analysed, [[w] for w in analysed.content]), view, PassageStems(view), tuning)


def test_coverage_just_below_and_just_above_the_threshold(tiny: TinyIndex) -> None:
    question = "ঢাকায় মেট্রোরেল কবে আমের বাজারে আসবে?"  # the passage a#0 holds two of its content words
    signals = _signals(question, RetrievalTuning(), tiny.view)
    signals.lexical = ["a#0"]
    share = signals.coverage("a#0")
    assert 0.2 < share < 0.8
    fused = fuse(signals, RetrievalTuning())
    # Without a model the lexical-only threshold applies; with one, the (higher) threshold it can rescue.
    above = replace(RetrievalTuning(), min_coverage_lexical_only=share - 0.01, min_coverage=2.0)
    below = replace(RetrievalTuning(), min_coverage_lexical_only=share + 0.01, min_coverage=0.0)
    assert decide(signals, fused, above) is None
    assert decide(signals, fused, below) == "low_coverage"
    signals.with_model = True
    above = replace(RetrievalTuning(), min_coverage=share - 0.01, min_coverage_lexical_only=2.0)
    below = replace(RetrievalTuning(), min_coverage=share + 0.01, min_dense_similarity=2.0)
    assert decide(signals, fused, above) is None
    assert decide(signals, fused, below) == "low_coverage"


def test_a_close_dense_match_rescues_a_question_lexical_search_barely_covers(tiny: TinyIndex) -> None:
    signals = _signals("শহরে নতুন ট্রেন চলছে?", RetrievalTuning(), tiny.view)
    signals.with_model = True
    signals.lexical = ["b#0"]
    signals.dense = [("a#0", 0.90), ("b#0", 0.70)]
    fused = fuse(signals, RetrievalTuning())
    strict = replace(RetrievalTuning(), min_coverage=0.99, min_dense_similarity=0.95)
    assert decide(signals, fused, strict) == "low_coverage"
    assert decide(signals, fused, replace(strict, min_dense_similarity=0.85)) is None


def test_fusion_order_follows_the_weights(tiny: TinyIndex) -> None:
    tuning = replace(RetrievalTuning(), sentence_weight=0.0, dense_weight_max=1.0, dense_weight_min=1.0)
    signals = _signals("মেট্রোরেল", tuning, tiny.view)
    signals.lexical = ["a#0", "b#0", "c#0"]
    signals.dense = [("c#0", 0.9), ("b#0", 0.8), ("a#0", 0.7)]
    # Equal weights: a#0 and c#0 (first in one list, third in the other) tie just ahead of b#0.
    assert [pid for pid, _ in fuse(signals, tuning)] == ["a#0", "c#0", "b#0"]
    lexical_led = replace(tuning, dense_weight_max=0.2, dense_weight_min=0.2)
    assert [pid for pid, _ in fuse(signals, lexical_led)] == ["a#0", "b#0", "c#0"]
    dense_led = replace(tuning, lexical_weight=0.2)
    assert [pid for pid, _ in fuse(signals, dense_led)] == ["c#0", "b#0", "a#0"]


def test_dense_weight_falls_as_lexical_coverage_rises() -> None:
    tuning = replace(
        RetrievalTuning(),
        dense_weight_max=1.0,
        dense_weight_min=0.1,
        confident_coverage_low=0.4,
        confident_coverage_high=0.8,
    )
    assert dense_weight(0.2, tuning) == pytest.approx(1.0)
    assert dense_weight(0.6, tuning) == pytest.approx(0.55)
    assert dense_weight(0.9, tuning) == pytest.approx(0.1)


def test_routes_by_script(tiny: TinyIndex) -> None:
    view = tiny.view
    retriever = Retriever()
    assert retriever.gather(view, "hello world")[1] == "chatter"
    assert retriever.gather(view, "When does the metro rail open?")[1] == "needs_dense"
    assert retriever.gather(view, "???")[1] == "no_words"
    assert retriever.gather(view, "পদ্মায় ইলিশ ধরা পড়ছে")[1] == "no_match"
    signals, reason = retriever.gather(view, "dhakay metrorail")
    assert reason is None and signals is not None and signals.script == "romanised"
    assert signals.lexical[0] == "a#0"  # Avro's guess, matched by sound


def test_english_questions_are_answered_from_the_dense_ranking_with_their_own_threshold(tiny: TinyIndex) -> None:
    basis = {pid: np.eye(4, dtype=np.float32)[i] for i, pid in enumerate(TEXTS)}
    view = tiny.with_vectors(basis)
    question = _unit(np.array([0.1, 0.9, 0.1, 0.0], dtype=np.float32))
    retriever = Retriever(embed_query=lambda _text: question)
    result = retriever.search(view, "Where is the new bridge being built?", 2)
    assert [h.passage_id for h in result.hits] == ["b#0", "a#0"]
    strict = Retriever(
        embed_query=lambda _text: question, tuning=replace(RetrievalTuning(), min_english_similarity=0.99)
    )
    refused = strict.search(view, "Where is the new bridge being built?", 2)
    assert refused.hits == [] and refused.no_answer_reason == "low_similarity"


def test_an_english_question_is_also_searched_by_its_bengali_words(tiny: TinyIndex) -> None:
    """The model's vector of an English question can sit nearest the wrong passage of a story; the
    question's news words in Bengali (the glossary: construction, bridge, started) find the right one."""
    basis = {pid: np.eye(4, dtype=np.float32)[i] for i, pid in enumerate(TEXTS)}
    view = tiny.with_vectors(basis)
    question = _unit(np.array([0.9, 0.3, 0.0, 0.0], dtype=np.float32))  # nearest the metro passage, a#0
    english = "Has construction of the new bridge started?"
    both = Retriever(embed_query=lambda _text: question)
    assert [h.passage_id for h in both.search(view, english, 2).hits] == ["b#0", "a#0"]
    model_only = Retriever(lambda _text: question, replace(RetrievalTuning(), english_lexical_weight=0.0))
    assert [h.passage_id for h in model_only.search(view, english, 2).hits] == ["a#0", "b#0"]
    # Whether anything answers stays the model's call: far from every passage, nothing is returned.
    far = Retriever(embed_query=lambda _text: _unit(np.ones(4, dtype=np.float32)))
    assert far.search(view, english, 2).no_answer_reason == "low_similarity"


def test_the_model_reads_a_banglish_question_in_the_corpus_spelling(tiny: TinyIndex) -> None:
    """Avro's guess at a romanised word is often no real word; the model reads the corpus word the
    sound-alike search matched it to."""
    read: list[str] = []

    def embed(text: str) -> np.ndarray:
        read.append(text)
        return _unit(np.ones(4, dtype=np.float32))

    view = tiny.with_vectors({pid: np.eye(4, dtype=np.float32)[i] for i, pid in enumerate(TEXTS)})
    always = replace(RetrievalTuning(), skip_model_when_lexical_sure=False)
    Retriever(embed_query=embed, tuning=always).gather(view, "dhakay metrorail")
    assert read[0] == "dhakay metrorail" and normalize("মেট্রোরেল") in read[1].split()
    read.clear()
    Retriever(embed_query=embed, tuning=replace(always, romanised_dense_input="avro")).gather(view, "dhakay metrorail")
    assert len(read) == 1 and normalize("মেট্রোরেল") not in read[0].split()


def test_chatter_is_recognised_in_every_script() -> None:
    for text in ("hi", "ok", "hello world", "aaaa", "Thanks!", "ধন্যবাদ", "dhonnobad"):
        assert is_chatter(analyse(text)), text
    for text in ("When did Putin visit?", "putin kobe uttor korea jan", "মেট্রোরেল কবে চালু হবে?"):
        assert not is_chatter(analyse(text)), text


CHATTER = Path(__file__).resolve().parents[2] / "fixtures" / "chatter.jsonl"


def test_the_chatter_fixture_is_chatter() -> None:
    """Greetings, thanks and filler in every script (tests/fixtures/chatter.jsonl, written apart from the
    word list) stop at the router, whatever the corpus holds: a big corpus knows "ভাই" and "ok" too."""
    texts = [json.loads(line)["text"] for line in CHATTER.read_text("utf-8").splitlines() if line.strip()]
    assert len(texts) >= 30
    # Emoji and punctuation alone have no word to search; a keysmash ("asdfgh") is one Latin word, like a
    # name, and is left to the coverage check (it matches nothing).
    routed = [t for t in texts if not is_chatter(analyse(t)) and analyse(t).content]
    assert routed == ["asdfgh"]


def test_english_answers_must_stand_out_from_the_crowd() -> None:
    tuning = RetrievalTuning()
    flat = [(f"p{i}", 0.85 - i * 0.0005) for i in range(40)]  # an off-topic question in a big corpus
    peaked = [("p0", 0.85)] + [(f"p{i}", 0.80) for i in range(1, 40)]
    assert similarity_gap(flat, tuning) < tuning.min_english_gap <= similarity_gap(peaked, tuning)
    assert similarity_gap(flat[:5], tuning) == 1.0  # a corpus too small for a crowd: the cosine decides


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / float(np.linalg.norm(vector))


def test_the_model_picks_the_highlight_when_no_question_word_is_in_the_passage(tiny: TinyIndex) -> None:
    basis = {pid: np.eye(4, dtype=np.float32)[i] for i, pid in enumerate(TEXTS)}
    view = tiny.with_vectors(basis)
    question = basis["a#0"]  # the model puts a#0 first
    first, second = "ঢাকায় মেট্রোরেল চালু হয়েছে।", "যাত্রীরা খুশি।"
    sentence_vectors = {first: basis["b#0"], second: question}  # ...and its second sentence closest

    def embed_passages(texts: list[str]) -> np.ndarray:
        return np.stack([sentence_vectors.get(t, basis["d#0"]) for t in texts])  # other passages: far off

    english = "Are the passengers happy?"
    with_model = Retriever(embed_query=lambda _text: question, embed_passages=embed_passages)
    assert with_model.search(view, english, 1).hits[0].highlight == second
    # Without sentence embeddings, or past the first `model_highlights` hits, the first sentence stands in...
    assert Retriever(embed_query=lambda _text: question).search(view, english, 1).hits[0].highlight == first
    no_rerank = replace(RetrievalTuning(), model_highlights=0, english_sentence_rerank=0)
    none = Retriever(lambda _text: question, no_rerank, embed_passages)
    assert none.search(view, english, 1).hits[0].highlight == first
    # ...unless the English re-ranking embedded that passage's sentences already: they cost nothing more.
    reranked = Retriever(lambda _text: question, replace(RetrievalTuning(), model_highlights=0), embed_passages)
    assert reranked.search(view, english, 1).hits[0].highlight == second
    # A question whose words the passage holds keeps the sentence holding them.
    assert with_model.search(view, "ঢাকায় মেট্রোরেল?", 1).hits[0].highlight == first


def test_how_many_highlights_the_sentence_holding_the_number(tmp_path: Path) -> None:
    """The sentence that repeats the question's words loses to the one holding the number asked for."""
    repeats = "রাজশাহীতে আমের ফলন নিয়ে কৃষকেরা খুশি।"
    number = "এবার ফলন হয়েছে ২ লাখ টন।"
    view = tiny_index(tmp_path, {"m#0": f"{repeats} {number}"}).view
    question = "রাজশাহীতে আমের ফলন কত টন?"
    assert Retriever().search(view, question, 1).hits[0].highlight == number
    no_bonus = Retriever(tuning=replace(RetrievalTuning(), highlight_type_bonus=0.0))
    assert no_bonus.search(view, question, 1).hits[0].highlight == repeats


def test_a_question_lexical_search_covers_well_is_not_embedded(tiny: TinyIndex) -> None:
    """The fusion gives the model no weight when lexical search covers the question, so embedding it
    (most of a warm question's time) is skipped; a paraphrase is still embedded and ranked by meaning."""
    basis = {pid: np.eye(4, dtype=np.float32)[i] for i, pid in enumerate(TEXTS)}
    view = tiny.with_vectors(basis)
    asked: list[str] = []

    def embed(text: str) -> np.ndarray:
        asked.append(text)
        return _unit(np.array([0.0, 0.0, 1.0, 0.1], dtype=np.float32))

    retriever = Retriever(embed_query=embed)
    covered = retriever.search(view, "ঢাকায় মেট্রোরেল চালু হয়েছে?", 1)
    assert covered.hits[0].passage_id == "a#0" and asked == []
    paraphrase, _ = retriever.gather(view, "রাজশাহীর বাগানে এবার কেমন ফল হলো?")
    assert asked and paraphrase is not None and paraphrase.dense[0][0] == "c#0"
    always = Retriever(embed_query=embed, tuning=replace(RetrievalTuning(), skip_model_when_lexical_sure=False))
    asked.clear()
    assert always.search(view, "ঢাকায় মেট্রোরেল চালু হয়েছে?", 1).hits[0].passage_id == "a#0" and asked


def test_an_english_question_ranks_the_passage_whose_sentence_answers_it_first(tiny: TinyIndex) -> None:
    """A whole passage's embedding blurs its answering sentence: among the leading passages of an English
    question, the one holding the sentence closest in meaning comes first."""
    basis = {pid: np.eye(4, dtype=np.float32)[i] for i, pid in enumerate(TEXTS)}
    view = tiny.with_vectors(basis)
    question = _unit(np.array([0.9, 0.6, 0.0, 0.0], dtype=np.float32))  # a#0 is closest as a whole...
    bridge = "চট্টগ্রামে নতুন সেতু নির্মাণ শুরু হয়েছে।"  # ...but b#0's sentence is the question's meaning

    def embed_passages(texts: list[str]) -> np.ndarray:
        return np.stack([question if t == bridge else basis["d#0"] for t in texts])

    english = "What construction has started in the port city?"
    reranked = Retriever(embed_query=lambda _text: question, embed_passages=embed_passages)
    assert [h.passage_id for h in reranked.search(view, english, 2).hits] == ["b#0", "a#0"]
    plain_tuning = replace(RetrievalTuning(), english_sentence_rerank=0, english_lexical_weight=0.0)
    plain = Retriever(lambda _text: question, plain_tuning, embed_passages)  # the model's passage ranking alone
    assert [h.passage_id for h in plain.search(view, english, 2).hits] == ["a#0", "b#0"]


def test_latin_names_find_their_bengali_spelling(tmp_path: Path) -> None:
    """Avro spells "reuters" রেউতেরস and "moscow" মসচো, words no article uses; their consonants, as English
    names are written in Bengali, find রয়টার্স and মস্কো."""
    texts = {"r#0": "মস্কো থেকে রয়টার্স জানিয়েছে, আলোচনা চলছে।", "o#0": "ঢাকায় আজ বৃষ্টি হয়েছে।"}
    view = tiny_index(tmp_path, texts).view
    signals, reason = Retriever().gather(view, "reuters moscow niye ki bollo")
    assert reason is None and signals is not None and signals.lexical[:1] == ["r#0"]
    # Both words held, each by a consonants-only guess: half credit (latin_alike_credit).
    assert signals.query.latin_guesses == {"রয়টার্স", "মস্কো"}
    assert signals.coverage("r#0") == pytest.approx(RetrievalTuning().latin_alike_credit)
    off = Retriever(tuning=replace(RetrievalTuning(), max_latin_expansions=0))
    assert off.gather(view, "reuters moscow niye ki bollo")[1] == "no_match"


def test_an_english_question_finds_an_english_article_by_its_words(tmp_path: Path) -> None:
    """Some outlets publish in English: an English question whose words an article holds is searched by
    them (no model needed), not left to the cross-language model alone."""
    texts = {**TEXTS, "t#0": "New tea gardens are growing on the hills of Sylhet this year."}
    view = tiny_index(tmp_path, texts).view
    result = Retriever().search(view, "Where are new tea gardens growing?", 3)
    assert [h.passage_id for h in result.hits][:1] == ["t#0"]
    assert "tea gardens" in result.hits[0].highlight
    # Words the corpus does not hold still need the model.
    assert Retriever().gather(view, "When does the metro rail open?")[1] == "needs_dense"


def test_a_paragraph_ranks_with_the_words_of_the_paragraphs_around_it(tmp_path: Path) -> None:
    """Context ranking (off by default: it cost dev hit@1, docs/measurements.md): a paragraph that does
    not name its subject is credited with what its neighbours in the article name."""
    visit = "রাশিয়ার প্রেসিডেন্ট পুতিন দুই দিনের রাষ্ট্রীয় সফরে আজ পিয়ংইয়ং পৌঁছেছেন বলে সরকারি সংবাদ সংস্থা জানিয়েছে।"
    treaty = "বুধবার সেখানে দুই দেশের মধ্যে একটি কৌশলগত অংশীদারিত্ব চুক্তি স্বাক্ষরিত হয়েছে বলে কর্মকর্তারা নিশ্চিত করেছেন।"
    other = "ঢাকায় বুধবার বাণিজ্য চুক্তি নিয়ে দুই দেশের কর্মকর্তাদের মধ্যে দীর্ঘ আলোচনা হয়েছে বলে মন্ত্রণালয় জানিয়েছে আজ।"
    view = tiny_index(tmp_path, {"v#0": f"{visit}\n\n{treaty}", "o#0": other}).view
    assert set(view.passages(["v#0", "v#1"])) == {"v#0", "v#1"}
    question = "পুতিনের সফরে বুধবার কোন চুক্তি স্বাক্ষরিত হয়েছে?"
    signals, _ = Retriever(tuning=replace(RetrievalTuning(), context_weight=1.0)).gather(view, question)
    assert signals is not None
    assert signals.stems.neighbours(["v#1", "o#0"]) == {"v#1": ["v#0"], "o#0": []}
    assert signals.context_coverage("v#1", ["v#0"]) > signals.coverage("v#1")
    assert signals.context.index("v#1") < signals.context.index("o#0")
    plain, _ = Retriever().gather(view, question)
    assert plain is not None and plain.context == []
