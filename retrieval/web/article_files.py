"""An article from a link as a corpus file: its stable name, its front matter, and an atomic write that
never replaces a file already there.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from retrieval.corpus import atomic_files
from retrieval.errors import AlreadyInCorpus
from retrieval.web.extraction import Extracted
from retrieval.web.urls import normalize_url

_NAME_UNSAFE = re.compile(r"[^a-z0-9.-]+")


def file_name(url: str) -> str:
    """web_<host>_<hash of the normalised URL>.md: stable for a URL, so the same link maps to one file."""
    parts = urlsplit(url)
    host = _NAME_UNSAFE.sub("-", (parts.hostname or "site").lower()).strip("-.")[:60] or "site"
    digest = hashlib.sha1(normalize_url(url).encode("utf-8")).hexdigest()[:12]
    return f"web_{host}_{digest}.md"


def _quote(value: str) -> str:
    """A front matter value the corpus reads back literally (it has no escapes: pick a free quote)."""
    value = " ".join(value.split())
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "”") + '"'


def render_document(extracted: Extracted, cleaned: str, fetched_at: datetime) -> str:
    """The corpus file: front matter (title, source, url, published; `fetched` is for people, the
    loader ignores it), then the cleaned text."""
    lines = ["---"]
    if extracted.title:
        lines.append(f"title: {_quote(extracted.title)}")
    if extracted.outlet:
        lines.append(f"source: {_quote(extracted.outlet)}")
    lines.append(f"url: {_quote(extracted.url)}")
    if extracted.published:
        lines.append(f"published: {extracted.published}")
    lines.append(f"fetched: {fetched_at:%Y-%m-%dT%H:%M:%SZ}")
    lines.append("---")
    return "\n".join(lines) + "\n" + cleaned + "\n"


def write_new(target: Path, text: str) -> None:
    """Write target atomically and never over an existing file (retrieval.corpus.atomic_files)."""
    try:
        atomic_files.write_new(target, text.encode("utf-8"), prefix=".web-")
    except FileExistsError:
        raise AlreadyInCorpus(f"{target.name} already exists in the corpus", target.name) from None
