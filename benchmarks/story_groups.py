"""One story once: how well articles reporting the same story are grouped, on the stories fixture.

    python -m benchmarks.story_groups [--with-bn-news-qa]

The fixture (tests/fixtures/stories) holds 12 stories each rewritten by three outlets, 12 articles on
the same subjects but other events, and 4 topics reported again months apart; groups.json says which
files report the same story. Every pair of articles is judged: same-story pairs should share a story
id (grouped), all others should not (merged). With --with-bn-news-qa, the 1,675 bn-news-qa passages
are indexed beside them, and any of them merged with a fixture article or with each other counts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, bn_news_qa_file
from retrieval import EngineConfig, SearchEngine, load_corpus

STORIES = REPO / "tests" / "fixtures" / "stories"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--with-bn-news-qa", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    groups = json.loads((STORIES / "groups.json").read_text("utf-8"))["groups"]
    truth = {name.removesuffix(".md"): i for i, group in enumerate(groups) for name in group}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for path in STORIES.glob("*.md"):
            (corpus / path.name).symlink_to(path)
        if args.with_bn_news_qa:
            (corpus / "bn-news-qa.jsonl").symlink_to(bn_news_qa_file("passages"))
        docs = [a.doc_id for a in load_corpus(corpus).articles]
        config = EngineConfig(data_dir=corpus, state_dir=Path(tmp) / "state", embedding_model=None, dense_mode="off")
        with SearchEngine.open(config) as engine:
            started = time.perf_counter()
            engine.reindex()
            seconds = time.perf_counter() - started
            story = engine.stories(docs)
    same = [(a, b) for a, b in itertools.combinations(docs, 2) if a in truth and truth.get(a) == truth.get(b)]
    other = [(a, b) for a, b in itertools.combinations(docs, 2) if not (a in truth and truth.get(a) == truth.get(b))]
    grouped = sum(story[a] == story[b] for a, b in same)
    merged = [(a, b) for a, b in other if story[a] == story[b]]
    print(f"{len(docs)} articles indexed in {seconds:.1f} s (story detection included)")
    print(f"same-story pairs grouped: {grouped}/{len(same)} ({grouped / len(same):.1%})")
    print(f"other pairs merged: {len(merged)}/{len(other)} ({len(merged) / len(other):.2%})")
    for a, b in merged[:10]:
        print(f"   merged: {a} + {b}")


if __name__ == "__main__":
    main()
