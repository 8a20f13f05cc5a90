"""Fixtures every test package shares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUNDLED_ARTICLES = REPO / "data" / "articles"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of data/articles (the five seed articles) that a test may change."""
    target = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, target)
    return target
