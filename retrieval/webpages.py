"""Add one news article from a link: fetch the page safely, extract the article, save it into the corpus.

Fetching is defensive because admins paste links from anywhere: http/https only; every redirect hop
and every address a host name resolves to is checked (no loopback, private, link-local or metadata
addresses unless the policy allows them); the body is streamed and abandoned past a size limit or a
deadline. Extraction is trafilatura's (main text, title, date, site name, canonical URL), then the
same furniture cleaning as corpus files (`furniture.clean_text`). A page that is not an article is
refused with the reason, and nothing is written unless everything succeeded.

Duplicates are caught twice: by the canonical URL with tracking parameters removed (before fetching
when the pasted link already names a stored article), then by a hash of the cleaned text.
"""

from __future__ import annotations

import codecs
import hashlib
import ipaddress
import logging
import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from retrieval.chunking import chunk_article
from retrieval.corpus import load_corpus, parse_file
from retrieval.errors import CorpusError
from retrieval.furniture import clean_text
from retrieval.models import Article
from retrieval.text import normalize

log = logging.getLogger(__name__)

USER_AGENT = "SondhaniBot/0.1 (Bengali news search bot; adds articles an administrator links to)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MIN_ARTICLE_WORDS = 60  # words in sentence-ending paragraphs; a caption or a teaser has fewer
MAX_REPLACEMENT_SHARE = 0.01  # more U+FFFD than this after decoding: the charset could not be worked out
# Query parameters that only say where a click came from; the same story with or without them is one story.
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref|ref_src|"
    r"cmpid|share|s_cid|spm|ocid)$",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_PASSWORD_FIELD = re.compile(r"""<input[^>]+type\s*=\s*["']?password""", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[।॥?!.]['\"”’)]?$")
_NAME_UNSAFE = re.compile(r"[^a-z0-9.-]+")

_saving = threading.Lock()  # the duplicate checks and the write are one step, even with two adds at once


class PageRefused(CorpusError):
    """The link could not be added; the message says why in one line, for the admin. `transient`: a
    timeout, a dropped connection or a 5xx/429 answer, which may work later (feeds retry those)."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class AlreadyInCorpus(PageRefused):
    """The article (same canonical URL or same text) is already in the corpus."""

    def __init__(self, message: str, existing: str) -> None:
        super().__init__(message)
        self.existing = existing  # the corpus file that holds it


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch. allow_private lets tests (and intranet deployments) reach 127.0.0.1."""

    user_agent: str = USER_AGENT
    timeout: float = 15.0  # seconds to connect, and between two reads
    deadline: float = 30.0  # seconds for the whole fetch, redirects included: a trickling body ends here
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    # Non-public networks allowed even so, e.g. ("10.1.0.0/16",) for an intranet news site; tests use it
    # to reach 127.0.0.1 while still checking that a redirect to 169.254.169.254 is refused.
    allowed_networks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetched:
    """A page as fetched: the URL it was finally served from, its declared type and its text."""

    url: str
    content_type: str
    html: str
    seconds: float


@dataclass(frozen=True)
class Extracted:
    """What trafilatura (plus our fallbacks) found in a page."""

    title: str | None
    outlet: str | None
    published: str | None  # ISO date
    url: str  # canonical when the page names one, else the URL it was served from
    text: str  # the main text, one paragraph a line, before furniture cleaning
    page_type: str | None


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


# --- addresses and URLs ------------------------------------------------------------------------------


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


def check_host(host: str, port: int, policy: FetchPolicy) -> list[str]:
    """The addresses host resolves to, refusing it when any is not on the public internet.

    Every address getaddrinfo returns is checked (a name may resolve to a public and a private one).
    Loopback, private, link-local (169.254.169.254 is the cloud metadata service), shared, reserved and
    multicast addresses all fail; IPv4-mapped IPv6 addresses are checked as IPv4. With allow_private,
    nothing is checked and [host] comes back (the system resolves it when connecting).
    """
    if policy.allow_private:
        return [host]
    allowed = [ipaddress.ip_network(n, strict=False) for n in policy.allowed_networks]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise PageRefused(f"the host {host} could not be found ({exc})") from None
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]
        address = ipaddress.ip_address(text)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        public = address.is_global and not address.is_multicast  # 224.0.0.0/4 counts as global
        if not public and not any(address in network for network in allowed):
            raise PageRefused(f"{host} is a private, local or reserved address ({address}): not fetched")
        addresses.append(text)
    return list(dict.fromkeys(addresses))


class CheckedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses that `check_host` passed, resolved here
    once: a DNS answer that changes between the check and the connection (DNS rebinding) cannot
    send the request to a private address. TLS still verifies the certificate against the host name."""

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self._policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in check_host(host, port, self._policy):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # the next address of the name, as a browser would
                failure = exc
        raise failure or httpcore.ConnectError(f"no address to connect to for {host}")


def make_client(policy: FetchPolicy) -> httpx.Client:
    """An httpx client that follows no redirects itself and connects through CheckedBackend."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):  # httpx/httpcore internals moved
        raise RuntimeError("cannot install the address check into httpx: pin httpx 0.28 / httpcore 1.0")
    pool._network_backend = CheckedBackend(policy)
    return httpx.Client(
        transport=transport,
        follow_redirects=False,
        timeout=httpx.Timeout(policy.timeout),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Language": "bn,en;q=0.5",
        },
        trust_env=False,  # no proxy from the environment: the address we checked is the one we connect to
    )


def normalize_url(url: str) -> str:
    """The URL as a duplicate key: scheme and host lower-cased, default port, fragment and tracking
    parameters (utm_*, fbclid, …) dropped, the remaining parameters sorted, an empty path as "/"."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


# --- fetching ----------------------------------------------------------------------------------------


def fetch(url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> Fetched:
    """GET an HTML page within the policy's limits, following redirects ourselves so each hop is checked."""
    raw = fetch_raw(url, policy, HTML_TYPES, client=client)
    if not raw.mime and _looks_binary(raw.body):
        raise PageRefused("the link is not a web page (it has no type and its content is binary)")
    html = decode_html(raw.body, raw.charset)
    return Fetched(raw.url, raw.mime or "text/html", html, raw.seconds)


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


def decode_html(body: bytes, declared: str | None) -> str:
    """The page's text, whatever its charset header says.

    Bengali sites often send UTF-8 with no charset, or with a wrong one (ISO-8859-1 from a default
    server configuration). Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the label:
    text in a single-byte charset almost never forms valid multi-byte sequences. Otherwise the header's
    charset, then a <meta charset>, then UTF-8 with replacement characters, which are counted: too many
    means the page cannot be read.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(body[:4096])
    for name in (declared, meta.group(1).decode("ascii") if meta else None):
        if name and _known_codec(name):
            text = body.decode(name, errors="replace")
            break
    else:
        text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1):
        raise PageRefused("the page's text could not be decoded (unknown or wrong character set)")
    return text


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


# --- extraction --------------------------------------------------------------------------------------


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
    draft = "---\n---\n" + "\n".join(lines[:2000])
    loaded = parse_file("dateline.md", draft.encode("utf-8"))
    return loaded.articles[0].published if loaded.articles else None


def article_words(text: str) -> int:
    """Words in paragraphs that read as article prose: ten words or more, ending a sentence."""
    total = 0
    for paragraph in text.split("\n\n"):
        count = len(paragraph.split())
        if count >= 10 and _SENTENCE_END.search(paragraph.strip()):
            total += count
    return total


def refuse_non_article(extracted: Extracted, cleaned: str, html: str) -> None:
    """PageRefused with the reason when the page is not one article worth indexing."""
    lines = [line for line in extracted.text.splitlines() if line.strip()]
    listed = sum(1 for line in lines if line.lstrip().startswith(("- ", "* ", "• ")))
    words = article_words(cleaned)
    if words >= MIN_ARTICLE_WORDS and not (lines and listed / len(lines) > 0.5):
        return
    if _PASSWORD_FIELD.search(html):
        raise PageRefused("the page asks for a login (a paywall or login wall): its article text is not readable")
    if lines and listed / len(lines) > 0.5 or (extracted.page_type or "").lower() in ("website", "webpage"):
        raise PageRefused("the page is a list of stories (an index or section page), not one article")
    raise PageRefused(
        f"too little article text on the page ({words} words in full sentences; "
        f"at least {MIN_ARTICLE_WORDS} are needed)"
    )


# --- saving ------------------------------------------------------------------------------------------


def content_hash(text: str) -> str:
    """Identity of an article's cleaned text: ignores case, whitespace, digit script and quote style."""
    key = "".join(normalize(text).casefold().split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


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


def _find_duplicate(data_dir: Path, url_key: str, digest: str | None) -> tuple[str, Article] | None:
    """("url" or "text", the stored article) when the corpus already has this story."""
    if not data_dir.is_dir():
        return None
    for article in load_corpus(data_dir).articles:
        if article.url and normalize_url(article.url) == url_key:
            return "url", article
        if digest is not None and content_hash(article.text) == digest:
            return "text", article
    return None


def corpus_urls(data_dir: Path) -> set[str]:
    """normalize_url() of every corpus article's url: to skip links already stored without fetching."""
    if not data_dir.is_dir():
        return set()
    return {normalize_url(a.url) for a in load_corpus(data_dir).articles if a.url}


def _refuse_duplicate(found: tuple[str, Article] | None) -> None:
    if found is None:
        return
    how, article = found
    what = f"“{article.title}”" if article.title else article.doc_id
    if how == "url":
        raise AlreadyInCorpus(f"this article is already in the corpus: {what} ({article.origin})", article.origin)
    raise AlreadyInCorpus(f"the same text is already in the corpus: {what} ({article.origin})", article.origin)


def _write_new(target: Path, text: str) -> None:
    """Write target atomically and never over an existing file (os.link fails when it exists)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=".web-", delete=False) as tmp:
        tmp.write(text)
    try:
        os.link(tmp.name, target)
    except FileExistsError:
        raise AlreadyInCorpus(f"{target.name} already exists in the corpus", target.name) from None
    finally:
        os.unlink(tmp.name)


def add_from_url(data_dir: Path, url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> AddedArticle:
    """Fetch, extract, clean, check for duplicates and save one article as a .md file; does not re-index.

    Raises PageRefused (AlreadyInCorpus for a duplicate) with a one-line reason; nothing is written then.
    """
    started = time.monotonic()
    url = check_url(url)
    _refuse_duplicate(_find_duplicate(data_dir, normalize_url(url), None))  # the same link: no fetch at all
    page = fetch(url, policy, client)
    extracted = extract(page.html, page.url)
    cleaned = clean_text(extracted.text, extracted.title)
    refuse_non_article(extracted, cleaned, page.html)
    name = file_name(extracted.url)
    document = render_document(extracted, cleaned, datetime.now(UTC))
    parsed = parse_file(name, document.encode("utf-8"))
    if parsed.skipped or not parsed.articles:
        reason = parsed.skipped[0].reason if parsed.skipped else "no article"
        raise PageRefused(f"the article could not be stored: {reason}")
    article = parsed.articles[0]
    with _saving:
        _refuse_duplicate(_find_duplicate(data_dir, normalize_url(extracted.url), content_hash(article.text)))
        _write_new(data_dir / name, document)
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
