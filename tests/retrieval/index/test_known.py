"""Duplicate checks answered from the index: by URL key and text hash, plus files changed since."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine
from retrieval.web.duplicates import CorpusScan, content_hash, find_duplicate, url_key

BODY = "সিলেটের পাহাড়ে নতুন চা বাগান গড়ে উঠেছে। চা শ্রমিকেরা নতুন মজুরি পেয়েছেন।"


def _article(directory: Path, stem: str, url: str, body: str) -> None:
    (directory / f"{stem}.md").write_text(f"---\ntitle: {stem}\nurl: {url}\n---\n{body}\n", "utf-8")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[SearchEngine]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus, "tea", "https://news.example/tea?utm_source=x", BODY)
    config = EngineConfig(data_dir=corpus, state_dir=tmp_path / "state", embedding_model=None, dense_mode="off")
    with SearchEngine.open(config) as opened:
        opened.reindex()
        yield opened


def test_indexed_articles_are_found_by_link_and_by_text(engine: SearchEngine) -> None:
    known = engine.known_articles()
    by_link = find_duplicate(known, url_key("https://news.example/tea") or "", None)
    assert by_link is not None and by_link[0] == "url" and by_link[1].doc_id == "tea"
    by_text = find_duplicate(known, "https://other.example/x", content_hash(f"  {BODY}  "))
    assert by_text is not None and by_text[0] == "text"
    assert find_duplicate(known, "https://other.example/x", content_hash("অন্য খবর")) is None


def test_files_added_since_the_index_are_read_and_nothing_else(engine: SearchEngine) -> None:
    _article(engine.config.data_dir, "rain", "https://news.example/rain", "ঢাকায় আজ ভারী বৃষ্টি হয়েছে।")
    known = engine.known_articles()
    found = known.by_url(url_key("https://news.example/rain") or "")
    assert found is not None and found.doc_id == "rain"
    assert known.by_url(url_key("https://news.example/tea") or "") is not None  # from the catalog


def test_a_catalog_from_before_identities_reads_the_corpus(engine: SearchEngine) -> None:
    with sqlite3.connect(engine.config.state_dir / "catalog.sqlite3") as db:
        db.execute("DELETE FROM identities")
    known = engine.known_articles()
    assert known.by_url(url_key("https://news.example/tea") or "") is not None
    assert not isinstance(known, CorpusScan)  # still the index's view, answering through its fallback
