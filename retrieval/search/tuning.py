"""Every knob of the retriever in one object, with where its value came from.

Values were chosen by benchmarks/fusion_sweep.py on the 17 hand-written dev questions (over
the seed articles alone and with the bn-news-qa passages as distractors) and bn-news-qa's train
split; the trade-off tables are in docs/measurements.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class RetrievalTuning:
    """Knobs of gathering, fusion and the no-answer decision."""

    # Gathering
    candidates: int = 50  # passages each ranking contributes
    sentence_pool: int = 20  # per ranking, the leading candidates re-ranked by their best sentence
    max_sound_expansions: int = 3  # corpus words a Banglish / unknown word may stand for
    sound_key_chars_per_edit: int = 4  # a sound-alike may differ by one edit per this many key letters
    prefix_match_min: int = 4  # code points a stem needs before a longer word built on it counts
    # Latin words (English names, and English words in Banglish) the corpus does not know, matched to corpus
    # words with the same consonants as English names are spelt in Bengali (retrieval.text.query.latin_sound_key)
    max_latin_expansions: int = 2
    latin_min_consonants: int = 2  # a shorter skeleton ("kim": k-m) matches too many words by its vowels alone
    latin_vowel_edits_per_letter: float = 0.3  # half-cost vowel edits allowed per letter of the Latin key
    # Coverage credit of such a match: "metro" also matched মিত্র (ally), and at full credit an off-topic
    # Banglish question about a metro station was answered from the seeds.
    latin_alike_credit: float = 0.5
    # What the model reads of Banglish: the question as typed, averaged with its words as the corpus
    # spells them ("corrected"); written Banglish with the bn-news-qa distractors, hit@1 0.545 -> 0.636
    # (one question of 11), unchanged on the seeds; "both" (typed and Avro's spelling) before.
    romanised_dense_input: Literal["raw", "avro", "both", "corrected"] = "corrected"

    # Fusion (reciprocal rank, k = rrf_k)
    rrf_k: int = 60
    lexical_weight: float = 1.0
    sentence_weight: float = 0.7  # stable from 0.35 to 0.8 on dev and bn-news-qa
    # The dense weight falls from max to min as lexical search covers more of the question. Any fixed
    # weight, even 0.1, cost bn-news-qa Recall@1 (0.887 -> 0.857) and dev hit@1; so the model weighs in
    # only where lexical search is unsure, and a question it covers well keeps its lexical order.
    dense_weight_max: float = 1.5  # lexical coverage at or below confident_coverage_low
    dense_weight_min: float = 0.0  # lexical coverage at or above confident_coverage_high
    confident_coverage_low: float = 0.2
    confident_coverage_high: float = 0.6
    # At or above confident_coverage_high the model has no weight, so the question is not embedded at all
    # (its ranking would still have fed the best-sentence pool and the highlight's fallback).
    skip_model_when_lexical_sure: bool = True

    # Coverage: the leading candidates ordered by the share of the question's words they hold.
    coverage_weight: float = 0.0
    coverage_weight_romanised: float = 0.0
    # Context: the leading candidates by coverage counting their neighbouring passages' words at context_credit.
    context_weight: float = 0.0
    context_credit: float = 0.5
    # Article evidence: the articles ranked as wholes (title and every passage) order the candidates
    # once more, so a short paragraph that does not name its subject still ranks with its article.
    article_candidates: int = 20  # articles ranked per question
    article_weight: float = 0.0
    # Answer types (retrieval.text.answer_types): candidates holding what the question asks for (a date,
    # a number, a name, a place) rank once more, first; the highlight prefers the sentence holding it.
    type_weight: float = 0.0
    type_pool: int = 20  # the leading candidates of each ranking that the answer-type ranking reorders
    highlight_type_bonus: float = 0.5  # share of the best sentence's word weight a typed sentence gains

    # Recency: candidates published in the window a question names ("গত সপ্তাহে", "১৯ জুন"), or, for
    # "সর্বশেষ" / "latest", the relevant ones newest first, rank once more at this weight.
    recency_weight: float = 1.0
    recency_relevant_share: float = 0.8  # of the best candidate's coverage: candidates a time word may reorder

    # No-answer decision
    leaders: int = 3  # fused and lexical leaders whose coverage is checked
    min_coverage: float = 0.5  # share of the question's content (IDF-weighted) a leader must hold...
    min_coverage_lexical_only: float = 0.4  # ...when no model can rescue a paraphrase (dense off)
    min_dense_similarity: float = 0.83  # ...or the best passage's cosine with the question (Bengali)
    min_romanised_similarity: float = 0.86  # the same for Banglish: Latin gibberish reached 0.84
    min_english_similarity: float = 0.81  # English questions, judged by the model alone...
    # ...and only when the best passage stands out from the crowd (ranks gap_crowd) by this much: with the
    # bn-news-qa passages beside the seeds, English questions about other news reached cosine 0.80-0.85
    # (gap 0.018-0.031) and the answerable ones 0.82-0.88 (gap 0.031-0.083); seeds alone: gap >= 0.034.
    min_english_gap: float = 0.032
    gap_crowd: tuple[int, int] = (10, 30)
    # Banglish: two weak signals that agree answer, where either alone would not (Avro's spellings
    # lower coverage; Latin gibberish reached cosine 0.84 but shares no word with the corpus).
    romanised_joint_coverage: float = 0.25
    romanised_joint_similarity: float = 0.82
    # English: the question in Bengali words (retrieval.text.glossary for common news words, names by
    # sound: Putin, Pyongyang), searched lexically and fused with the model's ranking at this weight.
    # English questions first (written, dev, stories; seeds, + bn-news-qa): 18 of 27 at 0, 19 at 1.0,
    # 20 at 1.5 and at 2.0 (2.0 lost a stories question to a look-alike report: one fewer there).
    english_lexical_weight: float = 1.5
    # English: the leading passages reordered by the model's cosine with their closest sentence (plus the
    # passage's own): written and dev English questions with the bn-news-qa distractors, hit@1 0.50 -> 0.67
    # (three passages: 0.58; ten: 0.67 at twice the cost). 0 turns it off.
    english_sentence_rerank: int = 5
    # English: a leading passage holding this share of the question's own words (IDF-weighted) means the corpus
    # has English text on it, and the question is searched like a Bengali one, by its words and the model.
    english_text_coverage: float = 0.6
    sound_alike_credit: float = 0.5  # coverage credit of a sound-alike for a Bengali word
    sound_alike_credit_romanised: float = 1.0  # ... for a romanised word (the transliteration is a guess)

    # Highlights
    model_highlights: int = 3  # hits (a first page) whose sentence the model picks when no question word is in it
