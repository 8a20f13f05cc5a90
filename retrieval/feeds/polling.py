"""Keep the corpus current from RSS/Atom feeds: poll each feed, add the articles of entries not seen before.

A poll asks each feed conditionally (ETag / Last-Modified, so an unchanged feed costs a 304), adds new
entries' articles through `webpages.add_from_url` (the same safety checks, extraction and duplicate
checks as a pasted link), fetches at most `pages_per_host` pages from any one site per poll, spaced
`host_delay` seconds apart (`host_pacing`), and never lets one broken feed stop the others. What was
seen, and each feed's last poll, count and error, is kept in one JSON file (`feed_state`). The caller
re-indexes once for the whole batch. Feeds are parsed by `feed_parsing`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from retrieval.errors import AlreadyInCorpus, FeedError, PageRefused
from retrieval.feeds.pacing import HostPacer
from retrieval.feeds.parsing import FeedEntry, parse_feed
from retrieval.feeds.state import SEEN_PER_FEED, FeedState, load_state, save_state
from retrieval.web.duplicates import CorpusScan, KnownArticles
from retrieval.web.fetch_policy import FetchPolicy
from retrieval.web.fetching import RawResponse, fetch_raw
from retrieval.web.from_link import AddedArticle, add_from_url
from retrieval.web.urls import normalize_url

log = logging.getLogger(__name__)

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "text/rss+xml",
    }
)


@dataclass
class FeedResult:
    """One feed's part of a poll."""

    url: str
    entries: int = 0
    not_modified: bool = False
    added: list[AddedArticle] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (link, reason)
    deferred: int = 0  # new entries left for the next poll (per-host budget, or a transient failure)
    error: str | None = None


@dataclass
class PollReport:
    """Every feed's result, in the order the feeds were given."""

    feeds: list[FeedResult]
    seconds: float = 0.0

    @property
    def added(self) -> list[AddedArticle]:
        return [article for feed in self.feeds for article in feed.added]


@dataclass
class _PollRun:
    """What every feed of one poll shares: where articles go, how pages are fetched, the per-host pacing,
    and what the corpus already holds (told of each article added)."""

    data_dir: Path
    policy: FetchPolicy
    client: httpx.Client | None
    pacer: HostPacer
    known: KnownArticles


def poll_feeds(
    feeds: list[str],
    data_dir: Path,
    state_path: Path,
    policy: FetchPolicy,
    *,
    pages_per_host: int = 10,
    host_delay: float = 2.0,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    known: KnownArticles | None = None,
) -> PollReport:
    """Poll every feed once and add its new entries' articles (no re-index). Never raises for one feed.
    known: what the corpus holds (SearchEngine.known_articles(); by default every file is read once)."""
    started = time.monotonic()
    states = load_state(state_path)
    pacer = HostPacer(pages_per_host, host_delay, sleep)
    # links already in the corpus are skipped without a fetch (or a wait)
    run = _PollRun(data_dir, policy, client, pacer, known if known is not None else CorpusScan(data_dir))
    results: list[FeedResult] = []
    for url in feeds:
        state = states.setdefault(url, FeedState(url=url))
        results.append(_poll_and_record(url, state, run))
        save_state(state_path, states)  # after each feed: a crash later loses nothing already added
    return PollReport(results, time.monotonic() - started)


def _poll_and_record(url: str, state: FeedState, run: _PollRun) -> FeedResult:
    """Poll one feed, turning any failure into its result's error, and record the outcome in its state."""
    result = FeedResult(url=url)
    try:
        _poll_one(state, result, run)
        state.last_error = None
    except PageRefused as exc:  # FeedError included: this feed only
        result.error = str(exc)
        state.last_error = str(exc)
        log.warning("Feed %s: %s", url, exc)
    except Exception as exc:  # noqa: BLE001 - one broken feed must never stop the others
        result.error = f"{type(exc).__name__}: {exc}"
        state.last_error = result.error
        log.exception("Feed %s failed", url)
    state.last_poll = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    state.last_new = len(result.added)
    state.total_added += len(result.added)
    return result


def _poll_one(state: FeedState, result: FeedResult, run: _PollRun) -> None:
    """Fetch one feed (conditionally), add its new entries, then keep its validators if nothing was left."""
    raw = _fetch_feed(state, run)
    if raw.status == 304:
        result.not_modified = True
        return
    entries = _read_entries(raw)
    result.entries = len(entries)
    _add_new_entries(entries, state, result, run)
    del state.seen[:-SEEN_PER_FEED]
    _remember_validators(state, raw, complete=result.deferred == 0)


def _fetch_feed(state: FeedState, run: _PollRun) -> RawResponse:
    """GET the feed, asking for it only if it changed since the validators the last poll kept."""
    conditional = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"}
    if state.etag:
        conditional["If-None-Match"] = state.etag
    if state.last_modified:
        conditional["If-Modified-Since"] = state.last_modified
    return fetch_raw(state.url, run.policy, FEED_TYPES | {"text/html"}, headers=conditional, client=run.client)


def _read_entries(raw: RawResponse) -> list[FeedEntry]:
    """The feed's entries; a web page where the feed should be is refused with a clear reason."""
    if raw.mime == "text/html":
        raise FeedError("the feed URL serves a web page, not an RSS or Atom feed")
    return parse_feed(raw.body, raw.url)


def _add_new_entries(entries: list[FeedEntry], state: FeedState, result: FeedResult, run: _PollRun) -> None:
    """Add the article of each entry not seen before, within the per-host budget; remember each entry
    handled (added, already stored or refused for good), but not one deferred to the next poll."""
    seen = set(state.seen)
    for entry in entries:
        key = normalize_url(entry.link)
        if key in seen:
            continue
        if run.known.by_url(key) is None:
            if not run.pacer.take(entry.link):
                result.deferred += 1
                continue
            if not _add_entry(entry, result, run):
                continue
        seen.add(key)
        state.seen.append(key)


def _add_entry(entry: FeedEntry, result: FeedResult, run: _PollRun) -> bool:
    """Add one entry's article into the result; False when it failed for now (may work next time)."""
    try:
        result.added.append(add_from_url(run.data_dir, entry.link, run.policy, run.client, run.known))
    except AlreadyInCorpus:
        pass
    except PageRefused as exc:
        result.refused.append((entry.link, str(exc)))
        if exc.transient:  # may work next time: not remembered as seen
            result.deferred += 1
            return False
    return True


def _remember_validators(state: FeedState, raw: RawResponse, *, complete: bool) -> None:
    """Keep the feed's ETag / Last-Modified for the next conditional GET.

    Only once every entry was handled: with entries left over (a host's budget, a site that was down)
    an unchanged feed must still be fetched in full next time, not answered with a 304."""
    state.etag = raw.headers.get("etag") if complete else None
    state.last_modified = raw.headers.get("last-modified") if complete else None
