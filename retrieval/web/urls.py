"""Which links are fetched at all, and a link's identity as a duplicate key.

check_url is the first gate for a pasted or feed link (and for every redirect hop); normalize_url is the
key that says two links name one story, so duplicates are caught before anything is fetched.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from retrieval.errors import PageRefused

# Query parameters that only say where a click came from; the same story with or without them is one story.
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref|ref_src|"
    r"cmpid|share|s_cid|spm|ocid)$",
    re.IGNORECASE,
)


def check_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host and no credentials; else PageRefused."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise PageRefused(f"only http and https links can be added (got {parts.scheme or 'no scheme'!r})")
    if not parts.hostname:
        raise PageRefused("the link has no host name")
    if parts.username or parts.password:
        raise PageRefused("links with a user name or password in them are not fetched")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise PageRefused("the link's port is not a number between 0 and 65535") from None
    return url.strip()


def normalize_url(url: str) -> str:
    """The URL as a duplicate key: scheme and host lower-cased, default port, fragment and tracking
    parameters (utm_*, fbclid, …) dropped, the remaining parameters sorted, an empty path as "/"."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))
