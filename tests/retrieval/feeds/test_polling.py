"""Polling RSS/Atom feeds from the local news site: new entries only, conditional GET, a per-host budget,
spacing, and one broken feed never stopping the others."""

from __future__ import annotations

import time
from pathlib import Path

from retrieval.corpus.loader import load_corpus
from retrieval.feeds.polling import PollReport, poll_feeds
from retrieval.feeds.state import load_state
from retrieval.web.fetch_policy import FetchPolicy
from tests.support import news_pages as pages
from tests.support.news_site import RSS_ETAG, NewsSite


def _poll(
    site: NewsSite,
    tmp_path: Path,
    paths: list[str],
    policy: FetchPolicy,
    *,
    pages_per_host: int = 10,
    host_delay: float = 0.0,
) -> PollReport:
    return poll_feeds(
        [site.url(p) for p in paths],
        tmp_path / "articles",
        tmp_path / "feeds.json",
        policy,
        pages_per_host=pages_per_host,
        host_delay=host_delay,
    )


def test_a_poll_adds_new_articles_once_and_remembers_them(site: NewsSite, policy: FetchPolicy, tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    first = _poll(site, tmp_path, ["/feeds/rss.xml", "/feeds/atom.xml"], policy)
    rss_result, atom_result = first.feeds
    assert sorted(a.title or "" for a in rss_result.added) == sorted(p.title for p in pages.ARTICLES)
    assert [link for link, _ in rss_result.refused] == [site.url("/section/saradesh")]
    # The Atom feed repeats the turtle story: stored once; its other entry is new.
    assert [a.title for a in atom_result.added] == [pages.generated(0).title]
    assert len(load_corpus(tmp_path / "articles").articles) == 4
    assert rss_result.error is None and atom_result.error is None

    # Second poll: the RSS feed answers 304 to its ETag; nothing new anywhere, nothing fetched again.
    before = len(site.requests)
    second = _poll(site, tmp_path, ["/feeds/rss.xml", "/feeds/atom.xml"], policy)
    assert second.feeds[0].not_modified and not second.added
    assert ("/feeds/rss.xml", RSS_ETAG, "Sat, 28 Nov 2026 06:00:00 GMT") in site.conditional
    assert site.requests[before:] == ["/feeds/rss.xml", "/feeds/atom.xml"]

    # A new entry appears: only it is fetched.
    site.feed_extra.append("/gen/5")
    third = _poll(site, tmp_path, ["/feeds/rss.xml"], policy)
    assert [a.title for a in third.added] == [pages.generated(5).title]
    state = load_state(tmp_path / "feeds.json")[site.url("/feeds/rss.xml")]
    assert state.last_new == 1 and state.total_added == 4 and state.last_error is None


def test_one_broken_feed_never_stops_the_others(site: NewsSite, policy: FetchPolicy, tmp_path: Path) -> None:
    feeds = ["/feeds/broken.xml", "/feeds/missing.xml", "/feeds/page.html", "/feeds/entities.xml", "/feeds/atom.xml"]
    report = _poll(site, tmp_path, feeds, policy)
    errors = [f.error for f in report.feeds]
    assert "not well-formed" in str(errors[0]) and "404" in str(errors[1])
    assert "web page, not an RSS" in str(errors[2]) and "entities" in str(errors[3])
    assert errors[4] is None and len(report.feeds[4].added) == 2
    states = load_state(tmp_path / "feeds.json")
    assert states[site.url("/feeds/broken.xml")].last_error == errors[0]
    assert states[site.url("/feeds/broken.xml")].etag is None


def test_twenty_entries_within_the_per_host_budget_and_spacing(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    started = time.monotonic()
    first = _poll(site, tmp_path, ["/feeds/twenty.xml"], policy, pages_per_host=8, host_delay=0.05)
    elapsed = time.monotonic() - started
    (result,) = first.feeds
    assert len(result.added) == 8 and result.deferred == 12
    assert elapsed >= 7 * 0.05, "pages on one host were not spaced"
    gen = [p for p in site.requests if p.startswith("/gen/")]
    assert gen == [f"/gen/{n}" for n in range(1, 9)]
    # The deferred entries come next time: the feed is fetched in full (no validators kept), not answered 304.
    second = _poll(site, tmp_path, ["/feeds/twenty.xml"], policy, pages_per_host=20)
    assert len(second.added) == 12 and not second.feeds[0].not_modified
    assert len(load_corpus(tmp_path / "articles").articles) == 20
    print(f"\nfeed poll of 20 entries: {elapsed:.2f} s for the first 8, {second.seconds:.2f} s for the other 12")


def test_entries_already_in_the_corpus_are_skipped_without_fetching_or_waiting(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    _poll(site, tmp_path, ["/feeds/twenty.xml"], policy, pages_per_host=20)
    (tmp_path / "feeds.json").unlink()  # forget what was seen: only the corpus knows these articles now
    before = len(site.requests)
    started = time.monotonic()
    again = _poll(site, tmp_path, ["/feeds/twenty.xml"], policy, pages_per_host=20, host_delay=1.0)
    assert not again.added and time.monotonic() - started < 1.0
    assert site.requests[before:] == ["/feeds/twenty.xml"]
