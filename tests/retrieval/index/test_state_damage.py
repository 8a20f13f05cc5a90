"""Damaged, lost and orphaned state files: real SQLite, real tantivy files, real Chroma.

A lexical index that differs from what was written is never served, and the next reindex rebuilds it;
a garbled passage row is never shown, and the next reindex reads its file again; a damaged catalog or
vector store is moved aside; folders no serving state owns are removed; an empty corpus is a valid,
empty index; a re-index stops between batches when cancelled."""

from __future__ import annotations

import random
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine
from retrieval.errors import ReindexCancelled
from retrieval.records import IndexStage
from tests.support.damage import DAMAGES, LEXICAL_FILES, halve, lexical_file, lexical_folders

INJURED = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"


def store_of(generation: str) -> str:
    """The lexical folder a generation ("<store>.<update>") is served from."""
    return generation.split(".")[0]


def indexed(config: EngineConfig) -> str:
    with SearchEngine.open(config) as engine:
        report = engine.reindex()
        assert engine.search(INJURED, 3).hits
    return report.generation


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("name", LEXICAL_FILES)
def test_a_damaged_lexical_file_is_never_served_and_indexing_rebuilds_it(
    lexical_config: EngineConfig, name: str, damage: str
) -> None:
    old = indexed(lexical_config)
    target = lexical_file(lexical_config.state_dir, name)
    DAMAGES[damage](target)
    with SearchEngine.open(lexical_config) as engine:  # no traceback at open
        assert not engine.has_index()
        assert engine.damage and old in engine.damage and target.name in engine.damage
        assert "re-index" in engine.status().dense_note
        report = engine.reindex()  # the incremental index rebuilds from the corpus
        assert report.generation != old and report.articles == 5 and report.kind == "full"
        assert engine.search(INJURED, 3).hits and engine.damage is None
    assert lexical_folders(lexical_config.state_dir) == [store_of(report.generation)]


def test_a_garbled_passage_row_is_never_shown_and_indexing_reads_its_file_again(lexical_config: EngineConfig) -> None:
    indexed(lexical_config)
    with SearchEngine.open(lexical_config) as engine:
        answer = engine.search(INJURED, 1).hits[0]
    db = sqlite3.connect(lexical_config.state_dir / "catalog.sqlite3")
    db.execute("UPDATE passages SET text = 'বদলে যাওয়া লেখা' WHERE passage_id = ?", (answer.passage_id,))
    db.commit()
    db.close()
    with SearchEngine.open(lexical_config) as engine:
        hits = engine.search(INJURED, 3).hits  # the others may not answer: never the garbled one
        assert all(h.passage_id != answer.passage_id and "বদলে" not in h.text for h in hits)
        assert "differs from what was written" in engine.status().dense_note
        report = engine.reindex()  # the file that passage came from is read again
        assert report.kind == "incremental" and report.updated == 1
        assert engine.search(INJURED, 1).hits[0].text == answer.text


@pytest.mark.parametrize("damage", ["halve", "garble"])
def test_a_damaged_catalog_is_moved_aside_and_rebuilt(lexical_config: EngineConfig, damage: str) -> None:
    old = indexed(lexical_config)
    catalog = lexical_config.state_dir / "catalog.sqlite3"
    (garble_all if damage == "garble" else halve)(catalog)
    with SearchEngine.open(lexical_config) as engine:
        assert engine.repairs and "catalog.sqlite3 was damaged" in engine.repairs[0]
        assert not engine.has_index() and engine.damage == engine.repairs[0]  # callers rebuild
        assert store_of(old) not in lexical_folders(lexical_config.state_dir)  # orphaned: removed
        engine.reindex()
        assert engine.search(INJURED, 3).hits
    assert [p.name for p in lexical_config.state_dir.glob("catalog.sqlite3.damaged-*")]


def garble_all(path: Path) -> None:
    """Every 997th byte flipped, the header included."""
    data = bytearray(path.read_bytes())
    for i in range(0, len(data), 997):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_lost_catalog_leaves_no_orphaned_generation_folder(lexical_config: EngineConfig) -> None:
    old = indexed(lexical_config)
    (lexical_config.state_dir / "catalog.sqlite3").unlink()
    with SearchEngine.open(lexical_config) as engine:
        assert store_of(old) not in lexical_folders(lexical_config.state_dir)
        assert any("index folder" in note for note in engine.repairs)
        assert not engine.has_index() and engine.damage


@pytest.mark.parametrize("how", ["empty directory", "every file skipped", "every article deleted"])
def test_an_empty_corpus_is_a_valid_empty_index(lexical_config: EngineConfig, how: str) -> None:
    corpus = lexical_config.data_dir
    with SearchEngine.open(lexical_config) as engine:
        if how == "every article deleted":
            engine.reindex()
        for path in corpus.iterdir():
            path.unlink()
        if how == "every file skipped":
            (corpus / "broken.jsonl").write_text("not json\n", "utf-8")
        report = engine.reindex()
        assert report.passages == 0 and report.articles == 0
        result = engine.search(INJURED, 3)
        assert result.hits == [] and result.no_answer_reason == "empty_index"
    with SearchEngine.open(lexical_config) as engine:  # and it loads again
        assert engine.has_index() and engine.search(INJURED, 3).no_answer_reason == "empty_index"


# --- dense: Chroma ------------------------------------------------------------------------------


@pytest.fixture
def dense_config(tmp_path: Path, corpus_dir: Path, minilm_path: str) -> EngineConfig:
    return EngineConfig(data_dir=corpus_dir, state_dir=tmp_path / "state", embedding_model=minilm_path, dense_mode="on")


def chroma_folders(config: EngineConfig) -> set[str]:
    return {p.name for p in (config.state_dir / "chroma").iterdir() if p.is_dir()}


def live_segments(config: EngineConfig) -> set[str]:
    db = sqlite3.connect(config.state_dir / "chroma" / "chroma.sqlite3")
    try:
        return {row[0] for row in db.execute("SELECT id FROM segments")}
    finally:
        db.close()


def test_lost_chroma_data_is_recreated_from_the_cache_at_open(dense_config: EngineConfig) -> None:
    with SearchEngine.open(dense_config) as engine:
        assert engine.reindex().embedded > 0
        before = [h.text for h in engine.search(INJURED, 3).hits]
    shutil.rmtree(dense_config.state_dir / "chroma")
    with SearchEngine.open(dense_config) as engine:  # every vector is cached: put back before serving
        assert engine.status().dense_enabled
        assert [h.text for h in engine.search(INJURED, 3).hits] == before
        assert engine.reindex().kind == "none"


def test_lost_vectors_not_in_the_cache_wait_for_index(dense_config: EngineConfig) -> None:
    with SearchEngine.open(dense_config) as engine:
        engine.reindex()
    shutil.rmtree(dense_config.state_dir / "chroma")
    with sqlite3.connect(dense_config.state_dir / "catalog.sqlite3") as db:
        db.execute("DELETE FROM embeddings")
    with SearchEngine.open(dense_config) as engine:
        status = engine.status()
        assert not status.dense_enabled and "vectors of the current index are lost" in status.dense_note
        assert engine.search(INJURED, 3).hits  # lexical meanwhile
        report = engine.reindex()  # not "up to date": the vectors are re-created
        assert report.embedded > 0 and report.unchanged == 5
        assert engine.status().dense_enabled


def garble_middle(path: Path) -> None:
    """4 KB of random bytes at 40% of the file, same size: Chroma still opens it and lists its
    collections, then counts wrongly or fails (measured on 1.5.9)."""
    data = bytearray(path.read_bytes())
    start = int(len(data) * 0.4)
    data[start : start + 4096] = random.Random(5).randbytes(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["truncate", "halve", "garble_all", "garble_middle", "delete"])
def test_a_damaged_chroma_database_never_stops_a_start(dense_config: EngineConfig, damage: str) -> None:
    with SearchEngine.open(dense_config) as engine:
        engine.reindex()
    database = dense_config.state_dir / "chroma" / "chroma.sqlite3"
    {"garble_all": garble_all, "garble_middle": garble_middle}.get(damage, DAMAGES.get(damage, halve))(database)
    with SearchEngine.open(dense_config) as engine:  # set aside, vectors put back from the cache
        assert engine.status().dense_enabled and engine.search(INJURED, 3).hits
        assert engine.reindex().embedded == 0
    with SearchEngine.open(dense_config) as engine:
        assert chroma_folders(dense_config) <= live_segments(dense_config)  # old segment folders went


def test_retired_collections_leave_no_segment_folders(dense_config: EngineConfig) -> None:
    with SearchEngine.open(dense_config) as engine:
        engine.reindex()
        for article in sorted(dense_config.data_dir.iterdir())[:2]:  # two more updates, vectors cached
            article.unlink()
            engine.reindex()
    with SearchEngine.open(dense_config):
        folders = chroma_folders(dense_config)
        assert folders and folders <= live_segments(dense_config)
        assert len(folders) == 1  # the serving collection's vector segment only


def test_a_running_engine_leaves_no_dead_segment_folders_between_reindexes(dense_config: EngineConfig) -> None:
    """A bot re-indexes for weeks without restarting: retired folders must go at each swap, not at start."""
    with SearchEngine.open(dense_config) as engine:
        engine.reindex()
        for article in sorted(dense_config.data_dir.iterdir())[:3]:
            article.unlink()
            engine.reindex()
            # the one live collection (and at most one being replaced)
            assert chroma_folders(dense_config) <= live_segments(dense_config)
            assert len(chroma_folders(dense_config)) <= 2


def test_a_cancelled_reindex_stops_between_batches_and_the_old_index_serves(dense_config: EngineConfig) -> None:
    with SearchEngine.open(dense_config) as engine:
        old = engine.reindex().generation
        cancel = threading.Event()
        batches: list[int] = []

        def progress(done: int, total: int, stage: IndexStage) -> None:
            if stage == "embedding":
                batches.append(done)
                cancel.set()  # as SIGTERM would, during the first batch's report

        with pytest.raises(ReindexCancelled):
            engine.reindex(rebuild=True, progress=progress, cancel=cancel)
        assert len(batches) == 1  # stopped before the second batch
        assert engine.status().generation == old and engine.search(INJURED, 3).hits
    assert lexical_folders(dense_config.state_dir) == [store_of(old)]
    db = sqlite3.connect(dense_config.state_dir / "catalog.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM updates WHERE finished_at IS NULL").fetchone() == (0,)
    serving = int(old.split(".")[1])
    assert db.execute("SELECT COUNT(*) FROM passages WHERE added_in > ?", (serving,)).fetchone() == (0,)
    db.close()
