"""A long-lived index: state size and question latency over many incremental updates (dense on).

    python -m benchmarks.long_run [--updates 1000] [--base 2000] [--work DIR]

A synthetic corpus of --base articles (benchmarks/synthetic_corpus.py vocabulary) is indexed with the
dense store on; then each update adds one new article and edits or removes one earlier one (in turn), and
re-indexes incrementally, in one process, as a bot following feeds does. Every 100 updates it prints the
state directory's size by part (catalog, Chroma's SQLite file and its write-ahead log, Chroma's vector
segments, the lexical index), the share of Chroma's slots holding deleted vectors, and the p50 / p95 of
20 questions. The vectors are SYNTHETIC (benchmarks/scale.py's SyntheticEncoder, so no model time hides
the store's own costs); Chroma, tantivy and SQLite are the real ones.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import time
from pathlib import Path

import numpy as np

from benchmarks.scale import SyntheticEncoder, du_mb, new_article
from benchmarks.synthetic_corpus import Vocabulary
from retrieval import EngineConfig, SearchEngine


def sizes(state: Path) -> str:
    chroma = state / "chroma"
    sqlite_mb = du_mb(chroma) - sum(du_mb(p) for p in chroma.iterdir() if p.is_dir()) if chroma.exists() else 0.0
    wal = chroma / "chroma.sqlite3-wal"
    wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0.0
    segments = sum(du_mb(p) for p in chroma.iterdir() if p.is_dir()) if chroma.exists() else 0.0
    catalog = sum(p.stat().st_size for p in state.glob("catalog.sqlite3*")) / 1e6
    return (
        f"state {du_mb(state):7.1f} MB (catalog {catalog:.1f}, chroma sqlite {sqlite_mb:.1f} of which WAL "
        f"{wal_mb:.1f}, vector segments {segments:.1f}, lexical {du_mb(state / 'lexical'):.1f})"
    )


def latency(engine: SearchEngine, questions: list[str]) -> tuple[float, float]:
    times = []
    for question in questions:
        started = time.perf_counter()
        engine.search(question, 5)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--base", type=int, default=2000, help="articles indexed before the updates")
    parser.add_argument("--every", type=int, default=100, help="print a line every N updates")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sondhani-long-run"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ["PYTHONHASHSEED"] = "0"
    shutil.rmtree(args.work, ignore_errors=True)
    corpus, state = args.work / "corpus", args.work / "state"
    corpus.mkdir(parents=True)
    vocabulary = Vocabulary.from_bn_news_qa()
    rng = np.random.default_rng(3)

    def words() -> list[str]:
        return vocabulary.draw(rng, int(rng.integers(60, 160)))

    for n in range(args.base):
        new_article(corpus, f"base-{n:05}", words())
    questions = [" ".join(vocabulary.draw(rng, 8)) + "?" for _ in range(20)]
    config = EngineConfig(data_dir=corpus, state_dir=state, dense_mode="on")
    with SearchEngine.open(config, encoder=SyntheticEncoder("synthetic-384")) as engine:
        started = time.perf_counter()
        report = engine.reindex()
        seconds = time.perf_counter() - started
        print(f"base: {report.articles:,} articles, {report.passages:,} passages in {seconds:.1f} s")
        p50, p95 = latency(engine, questions)
        print(f"update    0: {sizes(state)}; questions p50 {p50:.1f} / p95 {p95:.1f} ms", flush=True)
        update_times: list[float] = []
        kinds: dict[str, int] = {}
        for n in range(1, args.updates + 1):
            new_article(corpus, f"new-{n:05}", words())
            victim = corpus / f"base-{(n * 7) % args.base:05}.md"
            if victim.exists() and n % 2:
                victim.unlink()
            elif victim.exists():
                new_article(corpus, victim.stem, words())
            started = time.perf_counter()
            report = engine.reindex()
            update_times.append(time.perf_counter() - started)
            kinds[report.kind] = kinds.get(report.kind, 0) + 1
            if n % args.every == 0:
                p50, p95 = latency(engine, questions)
                recent = update_times[-100:]
                print(
                    f"update {n:4}: {report.passages:,} passages, {sizes(state)}; "
                    f"questions p50 {p50:.1f} / p95 {p95:.1f} ms; "
                    f"updates p50 {statistics.median(recent):.2f} s, max {max(recent):.2f} s",
                    flush=True,
                )
        print(f"update kinds: {kinds}")


if __name__ == "__main__":
    main()
