"""A synthetic Bengali news corpus of any size, for measuring how costs grow: never for quality.

Words and their frequencies come from the bn-news-qa passages (Zipf-like, as real news is); every
sentence is drawn afresh, so none repeats (repeated sentences would be removed as page furniture).
Articles are written 250 to a JSON-lines shard; shard i is the same whatever the size asked for, so
a corpus of 200k passages is the one of 50k plus more shards ("nested"), and shards are generated
once into a cache folder and linked into each corpus folder.

    python -m benchmarks.synthetic_corpus OUT --passages 200000
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import read_bn_news_qa

ARTICLES_PER_SHARD = 250
PASSAGES_PER_ARTICLE = 10  # paragraphs of 40-60 words: the chunker makes about one passage of each
OUTLETS = (
    "দৈনিক সকালবেলা",
    "বার্তা২৪ডট",
    "নগর সংবাদ",
    "প্রতিদিনের খবর",
    "সাপ্তাহিক দিগন্ত",
    "জনতার কণ্ঠ",
    "পূর্বাভাস নিউজ",
    "সময়ের আলো",
)
_WORD = re.compile(r"[\u0980-\u09FF]+")


@dataclass(frozen=True)
class Vocabulary:
    """The bn-news-qa passages' Bengali words and the probability of each."""

    words: list[str]
    cumulative: np.ndarray  # the running sum of the probabilities: words are drawn by bisecting it

    @classmethod
    def from_bn_news_qa(cls) -> Vocabulary:
        counts: Counter[str] = Counter()
        for record in read_bn_news_qa("passages"):
            counts.update(_WORD.findall(str(record["text"])))
        words = sorted(counts, key=lambda w: (-counts[w], w))
        frequencies = np.array([counts[w] for w in words], dtype=np.float64)
        return cls(words, np.cumsum(frequencies / frequencies.sum()))

    def draw(self, rng: np.random.Generator, count: int) -> list[str]:
        picks = np.searchsorted(self.cumulative, rng.random(count) * self.cumulative[-1], side="right")
        return [self.words[min(int(i), len(self.words) - 1)] for i in picks]


def shard_name(index: int) -> str:
    return f"shard_{index:05}.jsonl"


def write_shard(vocabulary: Vocabulary, index: int, path: Path) -> None:
    """One shard of ARTICLES_PER_SHARD articles, the same for a given index on every run."""
    rng = np.random.default_rng(1_000_003 + index)
    lines = []
    for n in range(ARTICLES_PER_SHARD):
        doc_id = f"syn-{index:05}-{n:03}"
        paragraphs = [_paragraph(vocabulary, rng) for _ in range(PASSAGES_PER_ARTICLE)]
        outlet = OUTLETS[int(rng.integers(len(OUTLETS)))]
        day = int(rng.integers(0, 6 * 365))
        published = str(np.datetime64("2020-01-01") + np.timedelta64(day, "D"))
        record = {
            "id": doc_id,
            "title": _sentence(vocabulary, rng, 5, 9).rstrip("।"),
            "source": outlet,
            "url": f"https://news.example.invalid/{index}/{n}",
            "published": published,
            "text": "\n\n".join(paragraphs),
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def _sentence(vocabulary: Vocabulary, rng: np.random.Generator, low: int, high: int) -> str:
    return " ".join(vocabulary.draw(rng, int(rng.integers(low, high + 1)))) + "।"


def _paragraph(vocabulary: Vocabulary, rng: np.random.Generator) -> str:
    return " ".join(_sentence(vocabulary, rng, 10, 16) for _ in range(int(rng.integers(3, 5))))


def shards_for(passages: int) -> int:
    return max(1, round(passages / (ARTICLES_PER_SHARD * PASSAGES_PER_ARTICLE)))


def make_corpus(cache: Path, corpus: Path, passages: int, vocabulary: Vocabulary | None = None) -> int:
    """A corpus folder of about `passages` passages: shards generated into `cache` if missing, then
    symlinked into `corpus`. Returns the number of shards."""
    cache.mkdir(parents=True, exist_ok=True)
    corpus.mkdir(parents=True, exist_ok=True)
    count = shards_for(passages)
    for index in range(count):
        source = cache / shard_name(index)
        if not source.exists():
            vocabulary = vocabulary or Vocabulary.from_bn_news_qa()
            write_shard(vocabulary, index, source)
        link = corpus / shard_name(index)
        if not link.exists():
            os.symlink(source, link)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the corpus folder to make (shards are cached beside it)")
    parser.add_argument("--passages", type=int, default=10_000)
    args = parser.parse_args()
    shards = make_corpus(args.out.parent / "shards", args.out, args.passages)
    print(f"{shards} shards of {ARTICLES_PER_SHARD} articles in {args.out}")


if __name__ == "__main__":
    main()
