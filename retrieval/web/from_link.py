"""Add one news article from a link: fetch the page safely, extract the article, save it into the corpus.

The steps, each in its own module: `urls` and `address_guard` decide what may be fetched (http/https
only; every redirect hop and every address a host name resolves to is checked: no loopback, private,
link-local or metadata addresses unless the policy allows them); `fetching` streams the body within a
size limit and a deadline; `extraction` is trafilatura's (main text, title, date, site name, canonical
URL), then the same furniture cleaning as corpus files (`furniture.clean_text`); `article_check`
refuses a page that is not an article, with the reason; `duplicates` and `article_files` save it.
Nothing is written unless everything succeeded.

Duplicates are caught twice: by the canonical URL with tracking parameters removed (before fetching
when the pasted link already names a stored article), then by a hash of the cleaned text.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from retrieval.corpus.loader import added_name, parse_file
from retrieval.errors import PageRefused
from retrieval.text.chunking import chunk_article
from retrieval.text.furniture import clean_text
from retrieval.web.article_check import refuse_non_article
from retrieval.web.article_files import file_name, render_document, write_new
from retrieval.web.duplicates import CorpusScan, KnownArticles, content_hash, find_duplicate, refuse_duplicate
from retrieval.web.extraction import extract
from retrieval.web.fetch_policy import FetchPolicy
from retrieval.web.fetching import fetch
from retrieval.web.urls import check_url, normalize_url

log = logging.getLogger(__name__)

_saving = threading.Lock()  # the duplicate checks and the write are one step, even with two adds at once


@dataclass(frozen=True)
class AddedArticle:
    """An article saved into the corpus from a link (not yet indexed)."""

    path: Path
    doc_id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str
    passages: int
    words: int
    seconds: float  # fetching, extracting and saving


def add_from_url(
    data_dir: Path,
    url: str,
    policy: FetchPolicy,
    client: httpx.Client | None = None,
    known: KnownArticles | None = None,
) -> AddedArticle:
    """Fetch, extract, clean, check for duplicates and save one article as a .md file; does not re-index.

    known: what the corpus holds (SearchEngine.known_articles() answers from the index; by default
    every corpus file is read). Raises PageRefused (AlreadyInCorpus for a duplicate) with a one-line
    reason; nothing is written then.
    """
    started = time.monotonic()
    url = check_url(url)
    known = known if known is not None else CorpusScan(data_dir)
    refuse_duplicate(find_duplicate(known, normalize_url(url), None))  # the same link: no fetch at all
    page = fetch(url, policy, client)
    extracted = extract(page.html, page.url)
    cleaned = clean_text(extracted.text, extracted.title)
    refuse_non_article(extracted, cleaned, page.html)
    name = added_name(file_name(extracted.url))
    document = render_document(extracted, cleaned, datetime.now(UTC))
    parsed = parse_file(name, document.encode("utf-8"))
    if parsed.skipped or not parsed.articles:
        reason = parsed.skipped[0].reason if parsed.skipped else "no article"
        raise PageRefused(f"the article could not be stored: {reason}")
    article = parsed.articles[0]
    with _saving:
        refuse_duplicate(find_duplicate(known, normalize_url(extracted.url), content_hash(article.text)))
        write_new(data_dir / name, document)
        known.remember(article)
    log.info("added %s from %s (%s)", name, extracted.url, extracted.title)
    return AddedArticle(
        path=data_dir / name,
        doc_id=article.doc_id,
        title=article.title,
        outlet=article.source,
        published=article.published,
        url=extracted.url,
        passages=len(chunk_article(article)),
        words=len(article.text.split()),
        seconds=time.monotonic() - started,
    )
