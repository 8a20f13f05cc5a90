"""A news site on 127.0.0.1 for the tests: the pages of tests/support/news_pages.py and every kind of bad answer
a real site gives (errors, redirects and loops, a body that never ends, 50 MB, wrong charsets, PDFs...).

A real HTTP server in a thread (http.server), so the code under test goes through real sockets, and
it records every request path so a test can tell that something was never fetched.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.support import news_pages as pages

ARTICLE_PATHS = {f"/news/{page.slug}": page for page in pages.ARTICLES}
RSS_ETAG = '"rss-v1"'


class NewsSite:
    """The running server: its root URL and what it was asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []  # request paths with query, in order
        self.user_agents: list[str] = []
        self.huge_bytes_sent = 0
        self.conditional: list[tuple[str, str | None, str | None]] = []  # (path, If-None-Match, If-Modified-Since)
        self.feed_extra: list[str] = []  # paths added to the RSS feed (a new entry appears), changing its ETag
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="news-site", daemon=True)

    def url(self, path: str) -> str:
        return self.root + path

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def news_site() -> Iterator[NewsSite]:
    """A NewsSite serving for the duration of the block."""
    site = NewsSite()
    site.start()
    try:
        yield site
    finally:
        site.stop()


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # a body ends when the connection closes, as a bare server does

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            site.requests.append(self.path)
            site.user_agents.append(self.headers.get("User-Agent", ""))
            path = urlsplit(self.path).path
            try:
                self._route(path)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
            self.send_response(status)
            if content_type is not None:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _html(self, text: str, content_type: str | None = "text/html; charset=utf-8") -> None:
            self._send(200, text.encode("utf-8"), content_type)

        def _redirect(self, location: str, status: int = 302) -> None:
            self._send(status, b"", "text/html", Location=location)

        def _route(self, path: str) -> None:
            root = site.root
            if path.startswith("/feeds/"):
                self._feed(path)
            elif path.startswith("/gen/"):
                page = pages.generated(int(path.rsplit("/", 1)[1]))
                self._html(pages.render(page, root + path))
            elif path == "/news/hilsa":
                self._html(pages.render_wordpress(pages.HILSA, root + path))
            elif path in ARTICLE_PATHS:
                self._html(pages.render(ARTICLE_PATHS[path], root + path))
            elif path == "/news/mango-amp":  # the same story under another canonical URL
                self._html(pages.render(pages.MANGO, root + "/news/mango-amp"))
            elif path == "/plain/flood":  # UTF-8 Bengali, no charset in the header nor in the page
                self._html(pages.render(pages.FLOOD, root + path, charset_meta=False), "text/html")
            elif path == "/latin1/turtle":  # UTF-8 Bengali labelled ISO-8859-1 by the server
                self._html(pages.render(pages.TURTLE, root + path), "text/html; charset=iso-8859-1")
            elif path == "/untyped/mango":  # no Content-Type at all
                self._html(pages.render(pages.MANGO, root + path), None)
            elif path == "/section/saradesh":
                self._html(pages.index_page())
            elif path == "/login":
                self._html(pages.login_page())
            elif path == "/short":
                self._html(pages.short_page())
            elif path == "/report.pdf":
                self._send(200, b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
            elif path == "/photo.png":
                self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "image/png")
            elif path == "/untyped.pdf":
                self._send(200, b"%PDF-1.4\n" + b"0" * 2000, None)
            elif path == "/missing":
                self._send(404, b"<h1>404</h1>", "text/html")
            elif path == "/broken":
                self._send(500, b"<h1>500</h1>", "text/html")
            elif path.startswith("/hop/"):  # /hop/3 -> /hop/2 -> /hop/1 -> /hop/0 -> the mango article
                left = int(path.rsplit("/", 1)[1])
                self._redirect(f"/hop/{left - 1}" if left > 0 else "/news/mango", 301)
            elif path == "/loop/a":
                self._redirect("/loop/b")
            elif path == "/loop/b":
                self._redirect(root + "/loop/a")
            elif path == "/to-metadata":
                self._redirect("http://169.254.169.254/latest/meta-data/")
            elif path == "/to-private":
                self._redirect("http://10.0.0.1/admin")
            elif path == "/to-ftp":
                self._redirect("ftp://127.0.0.1/file")
            elif path == "/stall":  # headers, half a page, then silence with the connection open
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(b"<html><body><p>")
                self.wfile.flush()
                time.sleep(30)
            elif path == "/trickle":  # a body that never ends: a few bytes, forever
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                for _ in range(600):
                    self.wfile.write("<p>খবর</p>".encode())
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path in ("/huge", "/huge-declared"):  # 50 MB of Bengali paragraphs
                total = 50_000_000
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if path == "/huge-declared":
                    self.send_header("Content-Length", str(total))
                self.end_headers()
                chunk = ("<p>" + pages.MANGO.body[0] + "</p>\n").encode() * 200
                while site.huge_bytes_sent < total:
                    self.wfile.write(chunk)
                    site.huge_bytes_sent += len(chunk)
            else:
                self._send(404, b"not found", "text/plain")

        def _feed(self, path: str) -> None:
            site.conditional.append((path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))
            if path == "/feeds/rss.xml":
                etag = RSS_ETAG if not site.feed_extra else f'"rss-v{1 + len(site.feed_extra)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                links = [
                    "/news/mango?utm_source=rss&utm_medium=feed",
                    site.root + "/news/turtle",
                    "/news/flood",
                    "/section/saradesh",
                    *site.feed_extra,
                ]
                self._send(
                    200,
                    rss(links).encode(),
                    "application/rss+xml; charset=utf-8",
                    ETag=etag,
                    Last_Modified="Sat, 28 Nov 2026 06:00:00 GMT",
                )
            elif path == "/feeds/atom.xml":
                self._send(200, atom(["/news/turtle", "/gen/0"]).encode(), "application/atom+xml")
            elif path == "/feeds/twenty.xml":
                self._send(200, rss([f"/gen/{n}" for n in range(1, 21)]).encode(), "application/rss+xml")
            elif path == "/feeds/broken.xml":
                self._send(200, b"<rss><channel><item><link>/news/mango</link></item>", "application/rss+xml")
            elif path == "/feeds/page.html":
                self._html(pages.index_page())
            elif path == "/feeds/entities.xml":
                bomb = (
                    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                    b'<!ENTITY b "&a;&a;&a;&a;">]><rss>&b;</rss>'
                )
                self._send(200, bomb, "application/xml")
            else:
                self._send(404, b"no such feed", "text/plain")

    return Handler


def rss(links: list[str]) -> str:
    """An RSS 2.0 feed of the given article links (relative ones are resolved against the feed's URL)."""
    items = "".join(
        f'<item><title>খবর {i}</title><link>{html.escape(link)}</link><guid isPermaLink="false">id-{i}</guid>'
        f"<pubDate>Sat, 28 Nov 2026 0{i % 10}:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>দৈনিক নতুন আলো</title>'
        f"<link>/</link>{items}</channel></rss>"
    )


def atom(links: list[str]) -> str:
    """An Atom feed of the given article links."""
    entries = "".join(
        f'<entry><title>খবর {i}</title><link rel="alternate" href="{html.escape(link)}"/><id>urn:x:{i}</id></entry>'
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>সাগরবার্তা</title>{entries}</feed>"
    )
