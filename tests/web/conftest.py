"""The local news site and a fetch policy that may reach it (127.0.0.1 only, short limits)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retrieval.fetch_policy import FetchPolicy
from tests.web.server import NewsSite, news_site


@pytest.fixture
def site() -> Iterator[NewsSite]:
    """The news site of tests/web/pages.py on 127.0.0.1, for one test."""
    with news_site() as running:
        yield running


@pytest.fixture
def policy() -> FetchPolicy:
    """Loopback allowed (and nothing else private), short time limits so bad servers fail fast."""
    return FetchPolicy(allowed_networks=("127.0.0.0/8",), timeout=1.0, deadline=2.0)
