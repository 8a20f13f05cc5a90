"""Keep the corpus current from RSS/Atom feeds: poll each feed, add the articles of entries not seen before.

A poll asks each feed conditionally (ETag / Last-Modified, so an unchanged feed costs a 304), adds new
entries' articles through `webpages.add_from_url` (the same safety checks, extraction and duplicate
checks as a pasted link), fetches at most `pages_per_host` pages from any one site per poll, spaced
`host_delay` seconds apart, and never lets one broken feed stop the others. What was seen, and each
feed's last poll, count and error, is kept in one JSON file (written atomically). The caller re-indexes
once for the whole batch.

Feeds are parsed with the standard library; documents that declare entities are refused outright, so no
entity expansion ("billion laughs") can happen.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from retrieval.duplicates import corpus_urls
from retrieval.errors import AlreadyInCorpus, PageRefused
from retrieval.fetch_policy import FetchPolicy
from retrieval.fetching import fetch_raw
from retrieval.urls import normalize_url
from retrieval.webpages import AddedArticle, add_from_url

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
SEEN_PER_FEED = 5000  # remembered entry links per feed; feeds list far fewer at a time
_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"


class FeedError(PageRefused):
    """The feed could not be read; the message says why in one line."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: the article's link and what the feed says about it."""

    link: str
    title: str | None


@dataclass
class FeedState:
    """What is remembered about one feed between polls."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll: str | None = None  # ISO time (UTC) of the last poll
    last_new: int = 0  # articles added by the last poll
    total_added: int = 0
    last_error: str | None = None
    seen: list[str] = field(default_factory=list)  # normalised entry links, oldest first


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


# --- parsing -----------------------------------------------------------------------------------------


def parse_feed(data: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom document, in document order; links made absolute."""
    if b"<!ENTITY" in data[:10_000].upper():
        raise FeedError("the feed declares XML entities; refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"the feed is not well-formed XML ({exc})") from None
    entries: list[FeedEntry] = []
    if root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            link = _atom_link(entry)
            if link:
                entries.append(FeedEntry(urljoin(base_url, link), _text(entry.find(f"{_ATOM}title"))))
    elif root.tag == "rss" or root.tag.endswith("RDF"):
        for item in [*root.iter("item"), *root.iter(f"{_RSS1}item")]:
            link = _text(item.find("link")) or _text(item.find(f"{_RSS1}link")) or _permalink_guid(item)
            if link:
                title = _text(item.find("title")) or _text(item.find(f"{_RSS1}title"))
                entries.append(FeedEntry(urljoin(base_url, link), title))
    else:
        raise FeedError(f"not an RSS or Atom feed (the document is <{root.tag.rsplit('}', 1)[-1]}>)")
    return entries


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return " ".join(element.text.split()) or None


def _atom_link(entry: ET.Element) -> str | None:
    links = entry.findall(f"{_ATOM}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _permalink_guid(item: ET.Element) -> str | None:
    guid = item.find("guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false":
        text = _text(guid)
        return text if text and text.startswith(("http://", "https://")) else None
    return None


# --- state -------------------------------------------------------------------------------------------


def load_state(path: Path) -> dict[str, FeedState]:
    """Feed states by URL; a missing or unreadable file is an empty state (logged)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
        return {item["url"]: FeedState(**item) for item in raw["feeds"]}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("Feed state %s could not be read (%s): starting afresh", path, exc)
        return {}


def save_state(path: Path, states: dict[str, FeedState]) -> None:
    """Write all feed states atomically (a temp file, then os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"feeds": [asdict(state) for state in states.values()]}
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".feeds-", delete=False) as tmp:
        json.dump(payload, tmp, ensure_ascii=False)
    os.replace(tmp.name, path)


# --- polling -----------------------------------------------------------------------------------------


class _HostPacer:
    """At most `budget` pages per host per poll, `delay` seconds apart on the same host."""

    def __init__(self, budget: int, delay: float, sleep: Callable[[float], None]) -> None:
        self._budget, self._delay, self._sleep = budget, delay, sleep
        self._used: dict[str, int] = {}
        self._last: dict[str, float] = {}

    def take(self, url: str) -> bool:
        """False when the host's budget is spent; otherwise wait for its turn and count the page."""
        host = (urlsplit(url).hostname or "").lower()
        if self._used.get(host, 0) >= self._budget:
            return False
        if host in self._last:
            wait = self._last[host] + self._delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._used[host] = self._used.get(host, 0) + 1
        self._last[host] = time.monotonic()
        return True


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
) -> PollReport:
    """Poll every feed once and add its new entries' articles (no re-index). Never raises for one feed."""
    started = time.monotonic()
    states = load_state(state_path)
    pacer = _HostPacer(pages_per_host, host_delay, sleep)
    stored = corpus_urls(data_dir)  # links already in the corpus are skipped without a fetch (or a wait)
    results: list[FeedResult] = []
    for url in feeds:
        state = states.setdefault(url, FeedState(url=url))
        result = FeedResult(url=url)
        try:
            _poll_one(state, result, data_dir, policy, pacer, stored, client)
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
        results.append(result)
        save_state(state_path, states)  # after each feed: a crash later loses nothing already added
    return PollReport(results, time.monotonic() - started)


def _poll_one(
    state: FeedState,
    result: FeedResult,
    data_dir: Path,
    policy: FetchPolicy,
    pacer: _HostPacer,
    stored: set[str],
    client: httpx.Client | None,
) -> None:
    conditional = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"}
    if state.etag:
        conditional["If-None-Match"] = state.etag
    if state.last_modified:
        conditional["If-Modified-Since"] = state.last_modified
    raw = fetch_raw(state.url, policy, FEED_TYPES | {"text/html"}, headers=conditional, client=client)
    if raw.status == 304:
        result.not_modified = True
        return
    if raw.mime == "text/html":
        raise FeedError("the feed URL serves a web page, not an RSS or Atom feed")
    entries = parse_feed(raw.body, raw.url)
    result.entries = len(entries)
    seen = set(state.seen)
    for entry in entries:
        key = normalize_url(entry.link)
        if key in seen:
            continue
        if key in stored:
            seen.add(key)
            state.seen.append(key)
            continue
        if not pacer.take(entry.link):
            result.deferred += 1
            continue
        try:
            added = add_from_url(data_dir, entry.link, policy, client)
            result.added.append(added)
            stored.add(normalize_url(added.url))
        except AlreadyInCorpus:
            pass
        except PageRefused as exc:
            if exc.transient:  # may work next time: not remembered as seen
                result.deferred += 1
                result.refused.append((entry.link, str(exc)))
                continue
            result.refused.append((entry.link, str(exc)))
        seen.add(key)
        state.seen.append(key)
    del state.seen[:-SEEN_PER_FEED]
    # Validators only once every entry was handled: with entries left over (a host's budget, a site that
    # was down) an unchanged feed must still be fetched in full next time, not answered with a 304.
    complete = result.deferred == 0
    state.etag = raw.headers.get("etag") if complete else None
    state.last_modified = raw.headers.get("last-modified") if complete else None
