"""Adding an article from a link, against a real HTTP server on 127.0.0.1 and the real trafilatura:
extraction quality on Bengali pages, refusals of bad pages and unsafe addresses, duplicates."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from retrieval.corpus.loader import corpus_files, load_corpus
from retrieval.errors import AlreadyInCorpus, PageRefused
from retrieval.web.article_files import write_new
from retrieval.web.fetch_policy import FetchPolicy
from retrieval.web.fetching import fetch
from retrieval.web.from_link import add_from_url
from tests.support import news_pages as pages
from tests.support.extraction_measure import measure
from tests.support.news_site import NewsSite


def _files(directory: Path) -> list[str]:
    """The corpus files in directory (its own and its added/ folder's), by corpus name."""
    return sorted(corpus_files(directory)) if directory.exists() else []


@pytest.mark.parametrize("page", [*pages.ARTICLES, pages.HILSA], ids=[p.slug for p in (*pages.ARTICLES, pages.HILSA)])
def test_article_body_kept_furniture_dropped_metadata_found(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path, page: pages.Page
) -> None:
    url = site.url(f"/news/{page.slug}")
    added = add_from_url(tmp_path, url, policy)
    (article,) = load_corpus(tmp_path).articles
    quality = measure(page, article.text)
    assert quality.body_share == 1.0, f"lost body sentences: {quality}"
    assert quality.furniture_through == 0, f"furniture let through: {quality.leaked}"
    assert (added.title, added.outlet, added.published) == (page.title, page.outlet, page.published)
    assert (article.title, article.source, article.published, article.url) == (
        page.title,
        page.outlet,
        page.published,
        url,
    )
    assert added.passages >= 3 and added.path == tmp_path / article.origin
    assert "SondhaniBot" in site.user_agents[-1]


def test_the_file_written_has_front_matter_and_the_cleaned_text(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    added = add_from_url(tmp_path, site.url("/news/mango"), policy)
    text = added.path.read_text("utf-8")
    head, body = text.split("\n---\n", 1)
    assert head.splitlines()[:5] == [
        "---",
        f'title: "{pages.MANGO.title}"',
        f'source: "{pages.MANGO.outlet}"',
        f'url: "{site.url("/news/mango")}"',
        "published: 2025-06-12",
    ]
    assert body.startswith(pages.MANGO.body[0][:40]) and "আরও পড়ুন" not in body and "বিজ্ঞাপন" not in body


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/section/saradesh", "list of stories"),
        ("/login", "login"),
        ("/short", "too little article text"),
        ("/report.pdf", "not a web page but application/pdf"),
        ("/photo.png", "not a web page but image/png"),
        ("/untyped.pdf", "content is binary"),
        ("/missing", "404"),
        ("/broken", "500"),
        ("/loop/a", "redirects in a loop"),
        ("/hop/9", "more than 5 redirects"),
        ("/to-ftp", "only http and https"),
        ("/stall", "did not answer within 1 seconds"),
        ("/trickle", "did not finish arriving within 2 seconds"),
        ("/huge", "larger than the 5.0 MB limit"),
        ("/huge-declared", "(50.0 MB)"),
    ],
)
def test_bad_pages_are_refused_with_the_reason_and_nothing_is_saved(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path, path: str, reason: str
) -> None:
    (tmp_path / "keep.md").write_text("আগে থেকে থাকা একটি খবরের লেখা এখানে আছে এবং এটি বদলাবে না।\n", "utf-8")
    started = time.monotonic()
    with pytest.raises(PageRefused) as refused:
        add_from_url(tmp_path, site.url(path), policy)
    assert reason in str(refused.value)
    assert time.monotonic() - started < 5
    assert _files(tmp_path) == ["keep.md"]


def test_a_50_mb_page_is_abandoned_early(site: NewsSite, policy: FetchPolicy, tmp_path: Path) -> None:
    with pytest.raises(PageRefused):
        add_from_url(tmp_path, site.url("/huge"), policy)
    time.sleep(0.3)
    assert site.huge_bytes_sent < 25_000_000, "the client read on far past its limit"


def test_redirects_are_followed_and_the_canonical_url_stored(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    added = add_from_url(tmp_path, site.url("/hop/3"), policy)
    assert added.url == site.url("/news/mango")
    assert site.requests == ["/hop/3", "/hop/2", "/hop/1", "/hop/0", "/news/mango"]


@pytest.mark.parametrize(
    ("path", "charset"),
    [("/plain/flood", "no charset anywhere"), ("/latin1/turtle", "labelled ISO-8859-1"), ("/untyped/mango", "no type")],
)
def test_bengali_utf8_is_read_whatever_the_charset_label(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path, path: str, charset: str
) -> None:
    added = add_from_url(tmp_path, site.url(path), policy)
    slug = path.rsplit("/", 1)[1]
    page = next(p for p in pages.ARTICLES if p.slug == slug)
    assert added.title == page.title, charset
    assert measure(page, load_corpus(tmp_path).articles[0].text).body_share == 1.0


# --- safety ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/to-metadata", "/to-private"])
def test_a_redirect_to_a_private_or_metadata_address_is_refused_before_connecting(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path, path: str
) -> None:
    with pytest.raises(PageRefused, match="private, local or reserved address"):
        add_from_url(tmp_path, site.url(path), policy)
    assert site.requests == [path] and _files(tmp_path) == []


def test_loopback_is_refused_by_its_resolved_address_not_only_its_text(site: NewsSite, tmp_path: Path) -> None:
    strict = FetchPolicy(timeout=1.0)
    port = site.root.rsplit(":", 1)[1]
    for url in (
        site.url("/news/mango"),
        f"http://localhost:{port}/news/mango",
        f"http://[::1]:{port}/x",
        f"http://2130706433:{port}/news/mango",
    ):  # 2130706433 is 127.0.0.1 written as one number
        with pytest.raises(PageRefused, match="private, local or reserved"):
            add_from_url(tmp_path, url, strict)
    assert site.requests == [] and _files(tmp_path) == []


def test_allow_private_lets_the_tests_in(site: NewsSite, tmp_path: Path) -> None:
    fetched = fetch(site.url("/news/turtle"), FetchPolicy(allow_private=True, timeout=2.0))
    assert pages.TURTLE.title in fetched.html


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "javascript:alert(1)", "http://", "http://user:pw@example.com/", "gopher://example.com/"],
)
def test_unfetchable_links_are_refused_before_any_lookup(url: str, tmp_path: Path) -> None:
    with pytest.raises(PageRefused):
        add_from_url(tmp_path, url, FetchPolicy())


# --- duplicates ------------------------------------------------------------------------------------------


def test_an_article_from_a_link_is_saved_apart_from_the_operators_files(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    (tmp_path / "bundled.md").write_text("---\ntitle: আগের\n---\nআগে থেকে রাখা একটি লেখা, যা বদলায় না।\n", "utf-8")
    added = add_from_url(tmp_path, site.url("/news/mango"), policy)
    assert added.path.parent == tmp_path / "added"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["added", "bundled.md"]
    assert {a.origin for a in load_corpus(tmp_path).articles} == {"bundled.md", f"added/{added.path.name}"}


def test_the_same_link_twice_is_stored_once_and_not_fetched_again(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    add_from_url(tmp_path, site.url("/news/mango"), policy)
    fetched = len(site.requests)
    for again in ("/news/mango", "/news/mango?utm_source=facebook&utm_medium=social&fbclid=IwAR0x", "/news/mango#c"):
        with pytest.raises(AlreadyInCorpus, match="already in the corpus"):
            add_from_url(tmp_path, site.url(again), policy)
    assert len(site.requests) == fetched, "a link already in the corpus was fetched again"
    assert len(_files(tmp_path)) == 1


def test_the_same_story_under_another_url_is_caught_by_its_text(
    site: NewsSite, policy: FetchPolicy, tmp_path: Path
) -> None:
    first = add_from_url(tmp_path, site.url("/news/mango"), policy)
    with pytest.raises(AlreadyInCorpus, match="same text") as caught:
        add_from_url(tmp_path, site.url("/news/mango-amp"), policy)
    assert caught.value.existing == f"added/{first.path.name}" and len(_files(tmp_path)) == 1


def test_an_existing_file_is_never_overwritten(site: NewsSite, policy: FetchPolicy, tmp_path: Path) -> None:
    first = add_from_url(tmp_path, site.url("/news/turtle"), policy)
    text = "---\ntitle: অন্য\n---\nঅন্য একটি লেখা যা এই ফাইলের নামে আগে থেকেই রাখা ছিল এবং থাকবে।\n"
    first.path.write_text(text, "utf-8")  # same name, different article and no url: only the name clashes
    with pytest.raises(AlreadyInCorpus, match="already exists"):
        add_from_url(tmp_path, site.url("/news/turtle"), policy)
    assert first.path.read_text("utf-8") == text and _files(tmp_path) == [f"added/{first.path.name}"]


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "web_example.com_0123456789ab.md"
    with pytest.raises(UnicodeEncodeError):
        write_new(target, "খবর \ud800")  # a lone surrogate cannot be written as UTF-8
    assert _files(tmp_path) == []
    write_new(target, "খবর")
    assert _files(tmp_path) == [target.name] and target.read_text("utf-8") == "খবর"
