"""One story once: articles that report the same story (several outlets, one event) share a story id.

Computed when an article is indexed, so it costs what changed. The article's content words get a
MinHash signature (datasketch); candidates are the articles sharing a band of it (LSH for pairs of
Jaccard 0.2 and up) published within STORY_DAYS days, or, for an article without a date, sharing a
band of a stricter LSH among undated articles. Each candidate is judged by the rule measured on the
hand-written fixture of rewritten stories (tests/fixtures/stories):

  published within STORY_DAYS days of each other, content words Jaccard >= STORY_CONTENT, and the
  numbers they state Jaccard >= STORY_NUMBERS (dates, counts, amounts are what rewrites keep);
  without dates (or without numbers), the words must overlap STORY_CONTENT_UNDATED: near copies only.

The Jaccard of content words is estimated from the two signatures, and worked out exactly from the
texts only near the threshold. On the fixture (36 same-story pairs among 64 articles, 2,016 pairs in
all, recurring reports of one topic months apart and other stories on the same subjects included)
the rule grouped 36 of 36 and merged 0 of 1,980 other pairs (benchmarks/story_groups.py). The story is
the first article of the group (its row id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from retrieval.text.analyser import STOPWORDS, stem, terms

NUM_PERM = 128
DATED_BANDS = (28, 2)  # (bands, rows): datasketch's MinHashLSH(threshold=0.2, num_perm=128) choice
UNDATED_BANDS = (16, 4)  # pairs of Jaccard 0.7 found 98% of the time, 0.2 almost never
STORY_DAYS = 3
STORY_CONTENT = 0.25
STORY_NUMBERS = 0.3
STORY_CONTENT_UNDATED = 0.7
EXACT_MARGIN = 0.12  # estimates this close to a threshold are worked out exactly from the texts
MAX_CANDIDATES = 50
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Fingerprint:
    """What two reports of one story share: content words (stemmed) and the numbers they state."""

    content: frozenset[str]
    numbers: frozenset[str]
    published: str | None

    @classmethod
    def of(cls, title: str | None, texts: Iterable[str], published: str | None) -> Fingerprint:
        return cls.of_words(terms(" ".join([title or "", *texts])), published)

    @classmethod
    def of_words(cls, words: Iterable[str], published: str | None) -> Fingerprint:
        """From the analyser's words (an update has them already: no second analysis)."""
        unique = set(words)
        content = frozenset(stem(w) for w in unique if w not in STOPWORDS and len(w) > 1)
        numbers = frozenset(w for w in unique if any(c.isdigit() for c in w))
        return cls(content, numbers, published)

    @property
    def day(self) -> int | None:
        """Days since 1970 of the publication date, or None."""
        return (date.fromisoformat(self.published) - EPOCH).days if self.published else None


@dataclass(frozen=True)
class Candidate:
    """An indexed article that may report the same story: its row, story, signature and numbers."""

    article: int
    story: int
    signature: np.ndarray
    numbers: frozenset[str]
    day: int | None


class Signer:
    """MinHash signatures and band keys; the permutations are made once (they cost more than hashing)."""

    def __init__(self) -> None:
        self._base: Any = None  # datasketch.MinHash, made at the first signature

    def signature(self, fingerprint: Fingerprint) -> np.ndarray:
        # Imported here, when an article is signed: datasketch imports scipy (0.5 s), which a process
        # that only answers, or an update that adds nothing, never needs.
        from datasketch import MinHash

        if self._base is None:
            self._base = MinHash(num_perm=NUM_PERM, seed=1)
        base = self._base
        minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=base.permutations, scheme=base.scheme)
        minhash.update_batch([w.encode() for w in sorted(fingerprint.content)])
        values: np.ndarray = minhash.hashvalues.astype(np.uint32)
        return values


def band_keys(signature: np.ndarray, dated: bool) -> list[tuple[int, int]]:
    """(band, 63-bit key) of each band: dated and undated articles use different bands (see the module)."""
    bands, rows = DATED_BANDS if dated else UNDATED_BANDS
    offset = 0 if dated else 100  # the two kinds' band numbers never meet
    keys = []
    for band in range(bands):
        chunk = signature[band * rows : (band + 1) * rows].tobytes()
        keys.append((offset + band, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big") >> 1))
    return keys


def estimate(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard of two articles' content words, from their signatures."""
    return float(np.mean(a == b))


def verdict(fingerprint: Fingerprint, signature: np.ndarray, other: Candidate) -> bool | None:
    """True / False when the signatures decide; None when the content estimate is too close to its
    threshold to decide without the texts."""
    dated = fingerprint.day is not None and other.day is not None
    if dated and abs(fingerprint.day - other.day) > STORY_DAYS:  # type: ignore[operator]
        return False
    threshold = STORY_CONTENT if dated and (fingerprint.numbers or other.numbers) else STORY_CONTENT_UNDATED
    if dated and threshold == STORY_CONTENT and _jaccard(fingerprint.numbers, other.numbers) < STORY_NUMBERS:
        return False
    content = estimate(signature, other.signature)
    if abs(content - threshold) < EXACT_MARGIN:
        return None
    return content >= threshold


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """The measured rule on exact sets (see the module docstring)."""
    content = _jaccard(a.content, b.content)
    if a.day is None or b.day is None:
        return content >= STORY_CONTENT_UNDATED
    if abs(a.day - b.day) > STORY_DAYS or content < STORY_CONTENT:
        return False
    if not a.numbers and not b.numbers:
        return content >= STORY_CONTENT_UNDATED
    return _jaccard(a.numbers, b.numbers) >= STORY_NUMBERS


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
