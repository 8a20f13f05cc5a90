"""HTTP GET within a FetchPolicy's limits: every redirect hop checked, the body streamed and abandoned past a
size limit or a deadline, failures turned into PageRefused saying why (and whether a retry may help).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from retrieval.errors import PageRefused
from retrieval.web.address_guard import check_host, make_client
from retrieval.web.charset import decode_html
from retrieval.web.fetch_policy import FetchPolicy
from retrieval.web.urls import check_url, normalize_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class Fetched:
    """A page as fetched: the URL it was finally served from, its declared type and its text."""

    url: str
    content_type: str
    html: str
    seconds: float


@dataclass(frozen=True)
class RawResponse:
    """A successful (2xx) or 304 answer, its body read within the limits."""

    url: str  # after redirects
    status: int
    mime: str  # "" when the server sent no Content-Type
    charset: str | None
    headers: dict[str, str]
    body: bytes
    seconds: float


def fetch(url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> Fetched:
    """GET an HTML page within the policy's limits, following redirects ourselves so each hop is checked."""
    raw = fetch_raw(url, policy, HTML_TYPES, client=client)
    if not raw.mime and _looks_binary(raw.body):
        raise PageRefused("the link is not a web page (it has no type and its content is binary)")
    html = decode_html(raw.body, raw.charset)
    return Fetched(raw.url, raw.mime or "text/html", html, raw.seconds)


def fetch_raw(
    url: str,
    policy: FetchPolicy,
    types: frozenset[str],
    *,
    headers: dict[str, str] | None = None,
    client: httpx.Client | None = None,
) -> RawResponse:
    """GET url within the policy, accepting only the given media types (or none stated); a 304 (answer
    to conditional `headers`) comes back with an empty body. Raises PageRefused with the reason."""
    started = time.monotonic()
    own = client is None
    http = client or make_client(policy)
    try:
        return _fetch(http, check_url(url), policy, types, headers or {}, started)
    except httpx.TimeoutException:
        raise PageRefused(f"the site did not answer within {policy.timeout:g} seconds", transient=True) from None
    except httpx.HTTPError as exc:
        raise PageRefused(f"the page could not be fetched ({type(exc).__name__}: {exc})", transient=True) from None
    finally:
        if own:
            http.close()


def _fetch(
    http: httpx.Client, url: str, policy: FetchPolicy, types: frozenset[str], headers: dict[str, str], started: float
) -> RawResponse:
    seen = {normalize_url(url)}
    for _ in range(policy.max_redirects + 1):
        parts = urlsplit(url)
        assert parts.hostname is not None  # check_url made sure
        check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), policy)
        with http.stream("GET", url, headers=headers) as response:
            if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                url = check_url(urljoin(url, response.headers["location"]))
                if normalize_url(url) in seen:
                    raise PageRefused("the site redirects in a loop")
                seen.add(normalize_url(url))
                continue
            status = response.status_code
            answer = dict(response.headers)
            if status == 304:
                return RawResponse(str(response.url), status, "", None, answer, b"", time.monotonic() - started)
            if status >= 400:
                transient = status >= 500 or status == 429
                raise PageRefused(f"the site answered {status} {response.reason_phrase}".rstrip(), transient=transient)
            mime = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if mime and mime not in types:
                raise PageRefused(f"the link is not a web page but {mime}: only news article pages can be added")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise PageRefused(f"the page is larger than the {_mb(policy.max_bytes)} limit ({_mb(int(declared))})")
            body = _read(response, policy, started)
            return RawResponse(
                str(response.url), status, mime, response.charset_encoding, answer, body, time.monotonic() - started
            )
    raise PageRefused(f"more than {policy.max_redirects} redirects")


def _read(response: httpx.Response, policy: FetchPolicy, started: float) -> bytes:
    """The body, abandoned past max_bytes or the deadline (a server that never finishes its body)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise PageRefused(f"the page is larger than the {_mb(policy.max_bytes)} limit")
        if time.monotonic() - started > policy.deadline:
            raise PageRefused(f"the page did not finish arriving within {policy.deadline:g} seconds", transient=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _looks_binary(body: bytes) -> bool:
    head = body[:512]
    return head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04")) or b"\x00" in head
