"""The article in a fetched page: trafilatura's main text and metadata, with fallbacks for what it misses
on Bengali news pages (Bengali datelines, an outlet named only in the <title>).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from retrieval.errors import PageRefused
from retrieval.text.furniture import stated_date

_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Extracted:
    """What trafilatura (plus our fallbacks) found in a page."""

    title: str | None
    outlet: str | None
    published: str | None  # ISO date
    url: str  # canonical when the page names one, else the URL it was served from
    text: str  # the main text, one paragraph a line, before furniture cleaning
    page_type: str | None


def extract(html: str, served_url: str) -> Extracted:
    """The article in a page: trafilatura's main text and metadata, with fallbacks measured on Bengali
    pages (trafilatura finds no date in a "প্রকাশ: ১২ জুলাই ২০২৫" dateline, and no outlet when only the
    <title> names it)."""
    import trafilatura  # imported here: it loads lxml and dateparser, which `sondhani ask` never needs

    document = trafilatura.bare_extraction(
        html,
        url=served_url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    found: dict[str, Any] = {} if document is None else document if isinstance(document, dict) else document.as_dict()
    text = str(found.get("text") or "")
    if not text.strip():
        raise PageRefused("no article text was found on the page")
    title = _one_line(found.get("title"))
    raw_title = _page_title(html)
    outlet = _one_line(found.get("sitename"))
    served_host = urlsplit(served_url).netloc
    if not outlet or outlet == served_host:
        outlet = _outlet_from_title(raw_title, title) or outlet or urlsplit(served_url).hostname
    canonical = _canonical(found.get("url"), served_url)
    published = _iso_date(found.get("date")) or _dateline(html)
    page_type = found.get("pagetype")
    return Extracted(title, outlet, published, canonical, text, str(page_type) if page_type else None)


def _one_line(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _page_title(html: str) -> str | None:
    import html as html_lib

    match = _TITLE_TAG.search(html)
    return _one_line(html_lib.unescape(match.group(1))) if match else None


def _outlet_from_title(raw_title: str | None, title: str | None) -> str | None:
    """ "Headline | Outlet" or "Headline - Outlet": what the <title> says besides the headline."""
    if not raw_title or not title or raw_title == title or title not in raw_title:
        return None
    rest = raw_title.replace(title, "", 1).strip(" |-–—:·")
    return rest if 0 < len(rest) <= 60 else None


def _canonical(found: str | None, served_url: str) -> str:
    """The page's canonical URL when it names a usable http(s) one, else the URL it was served from."""
    if found:
        candidate = urljoin(served_url, found.strip())
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.hostname:
            return candidate
    return served_url


def _iso_date(value: str | None) -> str | None:
    try:
        return date.fromisoformat((value or "")[:10]).isoformat() if value else None
    except ValueError:
        return None


def _dateline(html: str) -> str | None:
    """A "প্রকাশ: <date>" / "Published: <date>" line anywhere on the page, read by the corpus's own
    dateline rules (Bengali month names and digits): each text node of the page is one line."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    lines = [" ".join(t.split()) for t in tree.itertext() if t.strip()]
    return stated_date("\n".join(lines[:2000]))
