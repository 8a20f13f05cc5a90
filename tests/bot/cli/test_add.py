"""`sondhani add URL...` as a real subprocess against the local news site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import news_pages as pages
from tests.support.news_site import NewsSite
from tests.support.paths import REPO


def _run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    corpus = tmp_path / "articles"
    if not corpus.exists():
        shutil.copytree(REPO / "data" / "articles", corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SONDHANI_", "TELEGRAM_"))}
    env.update(
        SONDHANI_DATA_DIR=str(corpus),
        SONDHANI_STATE_DIR=str(tmp_path / "state"),
        SONDHANI_DENSE="off",
        SONDHANI_FETCH_TIMEOUT_SECONDS="2",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_add_saves_indexes_and_the_article_answers(site: NewsSite, tmp_path: Path) -> None:
    done = _run(["add", site.url("/news/flood"), site.url("/login")], tmp_path, SONDHANI_FETCH_ALLOW_PRIVATE="true")
    assert done.returncode == 1, done.stderr  # one of the two links was refused
    (line,) = done.stdout.splitlines()
    assert line.startswith(f"added: {pages.FLOOD.title} | {pages.FLOOD.outlet} | 2025-07-12 | 5 passages")
    assert "not added: " + site.url("/login") + ": the page asks for a login" in done.stderr
    asked = _run(["ask", "--json", "-k", "1", "সুরমা নদীর পানি কানাইঘাট পয়েন্টে বিপৎসীমার কত ওপরে?"], tmp_path)
    (hit,) = json.loads(asked.stdout)["results"]
    assert hit["url"] == site.url("/news/flood") and hit["title"] == pages.FLOOD.title

    again = _run(["add", site.url("/news/flood?utm_campaign=share")], tmp_path, SONDHANI_FETCH_ALLOW_PRIVATE="true")
    assert again.returncode == 1 and "already in the corpus" in again.stderr and not again.stdout


def test_add_refuses_loopback_without_the_setting(site: NewsSite, tmp_path: Path) -> None:
    done = _run(["add", site.url("/news/mango")], tmp_path)
    assert done.returncode == 1 and "private, local or reserved address" in done.stderr
    assert site.requests == [] and not list((tmp_path / "articles").rglob("web_*"))


def test_fetch_polls_the_feeds_once(site: NewsSite, tmp_path: Path) -> None:
    feeds = f"{site.url('/feeds/twenty.xml')},{site.url('/feeds/missing.xml')}"
    done = _run(
        ["fetch"],
        tmp_path,
        SONDHANI_FETCH_ALLOW_PRIVATE="true",
        SONDHANI_FEEDS=feeds,
        SONDHANI_FEED_PAGES_PER_HOST="20",
        SONDHANI_FEED_HOST_DELAY_SECONDS="0",
    )
    assert done.returncode == 1, done.stderr  # the missing feed is an error; the other still worked
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"feed {site.url('/feeds/twenty.xml')}: 20 entries, 20 new, 0 refused")
    assert "error: the site answered 404" in done.stdout and lines[-1].startswith("20 new articles")
    assert "articles: 25 (25 added" in done.stderr  # no index before: the seed articles are indexed too
    none = _run(["fetch"], tmp_path)
    assert none.returncode == 2 and "SONDHANI_FEEDS" in none.stderr
