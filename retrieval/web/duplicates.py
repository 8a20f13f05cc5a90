"""Whether the corpus already holds a story: by its normalised URL (before fetching, when the pasted link
names a stored article) or by a hash of its cleaned text (the same story under another URL).

Who knows the corpus is a `KnownArticles`: the engine's index answers from the catalog, reading only the
files changed since the last update (retrieval.index.known); without an index, `CorpusScan` reads every
file once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from retrieval.corpus.loader import load_corpus
from retrieval.errors import AlreadyInCorpus
from retrieval.records import Article
from retrieval.text.analyser import normalize
from retrieval.web.urls import normalize_url


def content_hash(text: str) -> str:
    """Identity of an article's cleaned text: ignores case, whitespace, digit script and quote style."""
    key = "".join(normalize(text).casefold().split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def url_key(url: str | None) -> str | None:
    """The key two links to one article share (normalize_url), or None without a link."""
    return normalize_url(url) if url else None


class KnownArticles(Protocol):
    """The articles the corpus holds, looked up by url_key() and by content_hash()."""

    def by_url(self, key: str) -> Article | None: ...

    def by_text(self, digest: str) -> Article | None: ...

    def remember(self, article: Article) -> None:
        """An article just saved into the corpus (so a poll adding several sees each)."""


class CorpusScan:
    """Every corpus file read once, on first use: for when no index can answer."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._urls: dict[str, Article] | None = None
        self._texts: dict[str, Article] = {}

    def _load(self) -> dict[str, Article]:
        if self._urls is None:
            self._urls = {}
            if self._data_dir.is_dir():
                for article in load_corpus(self._data_dir).articles:
                    self.remember(article)
        return self._urls

    def by_url(self, key: str) -> Article | None:
        return self._load().get(key)

    def by_text(self, digest: str) -> Article | None:
        self._load()
        return self._texts.get(digest)

    def remember(self, article: Article) -> None:
        urls = self._urls if self._urls is not None else self._load()
        key = url_key(article.url)
        if key is not None:
            urls.setdefault(key, article)
        self._texts.setdefault(content_hash(article.text), article)


def find_duplicate(known: KnownArticles, key: str, digest: str | None) -> tuple[str, Article] | None:
    """("url" or "text", the stored article) when the corpus already has this story."""
    found = known.by_url(key)
    if found is not None:
        return "url", found
    found = known.by_text(digest) if digest is not None else None
    return ("text", found) if found is not None else None


def refuse_duplicate(found: tuple[str, Article] | None) -> None:
    if found is None:
        return
    how, article = found
    what = f"“{article.title}”" if article.title else article.doc_id
    if how == "url":
        raise AlreadyInCorpus(f"this article is already in the corpus: {what} ({article.origin})", article.origin)
    raise AlreadyInCorpus(f"the same text is already in the corpus: {what} ({article.origin})", article.origin)
