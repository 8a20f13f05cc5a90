"""Bytes the bot's database grows by per answered question, with the bn-news-qa passages indexed.

    python -m benchmarks.store_size [--limit N]

Each question is searched as the bot searches it (10 hits) and saved with the real Store; the file's
used pages are compared before and after (WAL checkpointed). Beside it: the payload the layout before
schema 2 wrote for the same hits (each hit's JSON with its passage text). That layout's file grew by
about three times its payload (one WITHOUT ROWID row of ~1.4 KB a hit): run with the store of commit
8f55e19 on 300 questions it grew 42.72 KB a question, against 0.64 KB now.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sqlite3
from pathlib import Path

from benchmarks.common import BN_NEWS_QA, config_for, temp_corpus
from bot.store import Store
from bot.store.question_log import QuestionRecord
from retrieval import SearchEngine


def used_bytes(path: Path) -> int:
    """Bytes in the file's pages that hold data (free pages left out)."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        (free,) = db.execute("PRAGMA freelist_count").fetchone()
        (size,) = db.execute("PRAGMA page_size").fetchone()
    return int((pages - free) * size)


async def measure(limit: int) -> None:
    corpus = temp_corpus(with_bn_news_qa=True, bundled=False)
    with SearchEngine.open(config_for(corpus, None, "off")) as engine:
        engine.reindex()
        generation = engine.status().generation
        lines = (BN_NEWS_QA / "questions-train.jsonl").read_text(encoding="utf-8").splitlines()[:limit]
        results = [engine.search(json.loads(line)["question"], 10) for line in lines]
    answered = [r for r in results if r.hits]
    path = corpus.parent / "bot.sqlite3"
    store = await Store.open(path)
    start = used_bytes(path)
    for result in answered:
        record = QuestionRecord(result.question, "private", 1, 1, "private", None, 1, result.elapsed_ms)
        await store.save_question(record, result.hits, generation=generation)
    await store.close()
    now = (used_bytes(path) - start) / len(answered)
    before = sum(
        len(json.dumps(dataclasses.asdict(h), ensure_ascii=False).encode()) for r in answered for h in r.hits
    ) / len(answered)
    print(f"{len(answered)} answered questions of {len(results)}")
    print(f"now: {now / 1000:.2f} KB a question (file growth)")
    print(f"before schema 2: {before / 1000:.2f} KB a question of hit JSON alone (payload, not file growth)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="questions to ask (default 300)")
    asyncio.run(measure(parser.parse_args().limit))


if __name__ == "__main__":
    main()
