"""Whether the corpus already holds a story: by its normalised URL (before fetching, when the pasted link
names a stored article) or by a hash of its cleaned text (the same story under another URL).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from retrieval.corpus.loader import load_corpus
from retrieval.errors import AlreadyInCorpus
from retrieval.records import Article
from retrieval.text.analyser import normalize
from retrieval.web.urls import normalize_url


def content_hash(text: str) -> str:
    """Identity of an article's cleaned text: ignores case, whitespace, digit script and quote style."""
    key = "".join(normalize(text).casefold().split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def find_duplicate(data_dir: Path, url_key: str, digest: str | None) -> tuple[str, Article] | None:
    """("url" or "text", the stored article) when the corpus already has this story."""
    if not data_dir.is_dir():
        return None
    for article in load_corpus(data_dir).articles:
        if article.url and normalize_url(article.url) == url_key:
            return "url", article
        if digest is not None and content_hash(article.text) == digest:
            return "text", article
    return None


def corpus_urls(data_dir: Path) -> set[str]:
    """normalize_url() of every corpus article's url: to skip links already stored without fetching."""
    if not data_dir.is_dir():
        return set()
    return {normalize_url(a.url) for a in load_corpus(data_dir).articles if a.url}


def refuse_duplicate(found: tuple[str, Article] | None) -> None:
    if found is None:
        return
    how, article = found
    what = f"“{article.title}”" if article.title else article.doc_id
    if how == "url":
        raise AlreadyInCorpus(f"this article is already in the corpus: {what} ({article.origin})", article.origin)
    raise AlreadyInCorpus(f"the same text is already in the corpus: {what} ({article.origin})", article.origin)
