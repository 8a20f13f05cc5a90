"""How many threads should one embedding call use? Measured per setting in a fresh process (the
bundled engine reads its OpenMP thread count once, at load).

    python -m benchmarks.embedding_threads [--threads 1 2] [--passages 256]

For each setting it prints: indexing throughput (passages/s, batches of 32 bn-news-qa passages), one
question's latency alone, with 4 questions at once from worker threads (as the bot's asyncio.to_thread
does under load), and alone again while another process keeps one core busy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from benchmarks.common import read_bn_news_qa

QUESTIONS = [
    "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?",
    "পুতিন কবে উত্তর কোরিয়া সফর করেন?",
    "পদ্মা সেতুর দৈর্ঘ্য কত কিলোমিটার?",
    "এবারের এসএসসি পরীক্ষার ফল কবে প্রকাশ হবে?",
]


def measure(threads: int, passages: int) -> dict[str, float]:
    """Run inside the child process: load the encoder with `threads`, then time it."""
    from retrieval import BUNDLED_MODEL, load_encoder

    texts = [p["text"] for p in read_bn_news_qa("passages")]
    texts = [t[:600] for t in texts[:passages]]
    encoder = load_encoder(BUNDLED_MODEL, threads=threads)
    encoder.embed_query("উষ্ণ")
    started = time.perf_counter()
    for start in range(0, len(texts), 32):
        encoder.embed_documents(texts[start : start + 32])
    throughput = len(texts) / (time.perf_counter() - started)
    alone = _latencies(lambda q: encoder.embed_query(q), QUESTIONS * 10)
    with ThreadPoolExecutor(max_workers=4) as pool:
        started = time.perf_counter()
        timings = list(pool.map(lambda q: _timed(encoder.embed_query, q), QUESTIONS * 10))
        wall = time.perf_counter() - started
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        loaded = _latencies(lambda q: encoder.embed_query(q), QUESTIONS * 10)
    finally:
        burner.kill()
    return {
        "passages_per_s": throughput,
        "alone_p50": statistics.median(alone),
        "alone_p95": _p95(alone),
        "concurrent4_p50": statistics.median(timings),
        "concurrent4_p95": _p95(timings),
        "concurrent4_questions_per_s": len(timings) / wall,
        "busy_core_p50": statistics.median(loaded),
        "busy_core_p95": _p95(loaded),
    }


def _timed(call: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    call(question)
    return (time.perf_counter() - started) * 1000


def _latencies(call: Callable[[str], object], questions: list[str]) -> list[float]:
    return [_timed(call, q) for q in questions]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.passages)))
        return
    print(
        f"{'threads':>7} {'passages/s':>10} {'alone p50/p95 ms':>17} {'4 at once p50/p95 ms':>21} "
        f"{'q/s':>6} {'busy core p50/p95 ms':>21}"
    )
    for threads in args.threads:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.embedding_threads",
                "--child",
                str(threads),
                "--passages",
                str(args.passages),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{threads:>7} {r['passages_per_s']:>10.1f} {r['alone_p50']:>8.1f}/{r['alone_p95']:<8.1f} "
            f"{r['concurrent4_p50']:>11.1f}/{r['concurrent4_p95']:<9.1f} {r['concurrent4_questions_per_s']:>6.1f} "
            f"{r['busy_core_p50']:>11.1f}/{r['busy_core_p95']:<9.1f}"
        )


if __name__ == "__main__":
    main()
