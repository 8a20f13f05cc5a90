"""Reading the entries of an RSS 2.0, RSS 1.0 (RDF) or Atom document with the standard library.

Documents that declare entities are refused outright, so no entity expansion ("billion laughs") can happen.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin

from retrieval.errors import FeedError

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: the article's link and what the feed says about it."""

    link: str
    title: str | None


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
