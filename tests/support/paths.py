"""Where the repository and its bundled articles are, for every test and suite (one place, not one per depth)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED_ARTICLES = REPO / "data" / "articles"
FIXTURES = REPO / "tests" / "fixtures"
