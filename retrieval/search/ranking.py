"""Fuse a question's rankings and decide whether anything answers it.

Pure functions of a question's signals and a tuning: the benchmarks call them with many tunings over
the same signals (benchmarks/fusion_sweep.py), so what they read is the `RankingSignals` protocol.
"""

from __future__ import annotations

from retrieval.records import NoAnswerReason
from retrieval.search.evidence import RankingSignals
from retrieval.search.fusion import reciprocal_rank_fusion
from retrieval.search.tuning import RetrievalTuning


def rank(signals: RankingSignals, tuning: RetrievalTuning) -> tuple[list[tuple[str, float]], NoAnswerReason | None]:
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
        rankings = [dense_ids, signals.lexical, signals.typed, signals.timely]
        weights = [1.0, tuning.english_lexical_weight, tuning.type_weight, tuning.recency_weight]
        return reciprocal_rank_fusion(rankings, weights, k=tuning.rrf_k)
    covering = tuning.coverage_weight_romanised if signals.script == "romanised" else tuning.coverage_weight
    rankings = [signals.lexical, signals.sentence, dense_ids, signals.article, signals.typed, signals.timely]
    weights = [
        tuning.lexical_weight,
        tuning.sentence_weight,
        dense_weight(signals.lexical_confidence(), tuning),
        tuning.article_weight,
        tuning.type_weight,
        tuning.recency_weight,
    ]
    if tuning.context_weight > 0:
        rankings.append(signals.context)
        weights.append(tuning.context_weight)
    if covering > 0:
        rankings.append(coverage_ranking(signals, tuning))
        weights.append(covering)
    return reciprocal_rank_fusion(rankings, weights, k=tuning.rrf_k)


def coverage_ranking(signals: RankingSignals, tuning: RetrievalTuning) -> list[str]:
    """The leading candidates by how much of the question they hold (ties in lexical order): BM25 can
    put a passage holding one rare word, or one wrong guess at a Banglish word, above one holding all
    the question's words."""
    pool_size = tuning.sentence_pool
    pool = dict.fromkeys(signals.lexical[:pool_size] + [pid for pid, _ in signals.dense[:pool_size]])
    return sorted(pool, key=lambda pid: -signals.coverage(pid))


def similarity_gap(dense: list[tuple[str, float]], tuning: RetrievalTuning) -> float:
    """How far the model's best passage stands out from the crowd: its cosine minus the mean of the
    passages ranked `gap_crowd` (11th to 30th). The best cosine alone grows with the corpus (among
    7,000 news passages an English question about the weather reaches 0.85); an answer stands out."""
    start, end = tuning.gap_crowd
    crowd = [score for _, score in dense[start:end]]
    if not dense or not crowd:
        return 1.0  # too few passages to have a crowd: the cosine alone decides
    return dense[0][1] - sum(crowd) / len(crowd)


def decide(signals: RankingSignals, fused: list[tuple[str, float]], tuning: RetrievalTuning) -> NoAnswerReason | None:
    """None when the leading passages answer the question, else why not."""
    if signals.script == "english":
        close = signals.top_similarity >= tuning.min_english_similarity
        return None if close and similarity_gap(signals.dense, tuning) >= tuning.min_english_gap else "low_similarity"
    leaders = [pid for pid, _ in fused[: tuning.leaders]] + signals.lexical[: tuning.leaders]
    needed = tuning.min_coverage if signals.with_model else tuning.min_coverage_lexical_only
    if max((signals.coverage(pid) for pid in set(leaders)), default=0.0) >= needed:
        return None
    rescue = tuning.min_romanised_similarity if signals.script == "romanised" else tuning.min_dense_similarity
    if signals.dense and signals.top_similarity >= rescue:
        return None
    if (
        signals.script == "romanised"
        and signals.top_similarity >= tuning.romanised_joint_similarity
        and max((signals.coverage(pid) for pid in set(leaders)), default=0.0) >= tuning.romanised_joint_coverage
    ):
        return None
    return "low_coverage"
