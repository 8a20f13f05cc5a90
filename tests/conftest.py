"""Fixtures every test package shares."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.web.fetch_policy import FetchPolicy
from tests.support.news_site import NewsSite, news_site
from tests.support.paths import BUNDLED_ARTICLES


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of data/articles (the five seed articles) that a test may change."""
    target = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, target)
    return target


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """The news site of tests/support/news_pages.py on 127.0.0.1, for one test."""
    with news_site() as running:
        yield running


@pytest.fixture
def policy() -> FetchPolicy:
    """Loopback allowed (and nothing else private), short time limits so bad servers fail fast."""
    return FetchPolicy(allowed_networks=("127.0.0.0/8",), timeout=1.0, deadline=2.0)
