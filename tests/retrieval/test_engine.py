"""The engine end to end with real SQLite, real tantivy and (where dense matters) real Chroma."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine
from retrieval.errors import CorpusError, IndexMissing, ReindexInProgress, StateLocked
from retrieval.text.analyser import normalize
from tests.support.damage import lexical_folders

CASUALTIES = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"


def _new_article(directory: Path, stem: str, body: str, title: str = "নতুন খবর") -> None:
    (directory / f"{stem}.md").write_text(
        f"---\ntitle: {title}\nsource: পরীক্ষা ডেস্ক\npublished: 2025-01-02\nurl: https://example.org/{stem}\n---\n{body}\n",
        "utf-8",
    )


def test_answers_with_citation_and_highlight(engine: SearchEngine) -> None:
    result = engine.search(CASUALTIES, 3)
    top = result.hits[0]
    assert top.doc_id.startswith("003")
    assert normalize("২১ হাজার ৮৬৩") in normalize(top.text)
    assert top.highlight in top.text and normalize("আহত") in normalize(top.highlight)
    assert top.source == "আল জাজিরা, রয়টার্স, নিউইয়র্ক টাইমস" and top.published == "2024-06-19"
    assert [h.rank for h in result.hits] == list(range(1, len(result.hits) + 1))


def test_questions_the_corpus_cannot_answer_get_nothing(engine: SearchEngine) -> None:
    unanswerable = (
        "আগামীকাল ঢাকার আবহাওয়া কেমন থাকবে?",
        "বিশ্বকাপ ক্রিকেটের ফাইনালে কোন দল জিতেছে?",
        "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?",  # উপর sounds like ওপর/পর: half credit only
        "😀😀",
        "   ",
        "???",
    )
    for question in unanswerable:
        assert engine.search(question, 3).hits == [], question


def test_sidebar_headlines_are_not_answers(engine: SearchEngine) -> None:
    hits = engine.search("লক্ষ্মীপুরে নারীকে জবাই করে হত্যার ঘটনায় কে আটক হয়েছে?", 3).hits
    assert not any(normalize("লক্ষ্মীপুর") in normalize(h.text) for h in hits)


def test_romanised_bengali_is_understood(engine: SearchEngine) -> None:
    hits = engine.search("kim er kache putin er chithi", 3).hits
    assert any(h.doc_id.startswith("004") for h in hits)


def test_ascii_digits_find_bengali_digits(engine: SearchEngine) -> None:
    hits = engine.search("21 হাজার 863 জন আহত", 3).hits
    assert hits and hits[0].doc_id.startswith("003")


def test_search_before_any_index_is_a_clear_error(lexical_config: EngineConfig) -> None:
    with SearchEngine.open(lexical_config) as engine:
        assert not engine.has_index()
        with pytest.raises(IndexMissing):
            engine.search(CASUALTIES)


def test_incremental_reindex_counts_and_removal(engine: SearchEngine, corpus_dir: Path) -> None:
    _new_article(corpus_dir, "zz_new", "ঢাকায় নতুন মেট্রোরেল লাইনের উদ্বোধন হয়েছে। যাত্রীরা খুশি।")
    (corpus_dir / "001_754700fe34abee96.md").unlink()
    changed = corpus_dir / "004_929bea25c59513b1.md"
    text = changed.read_text("utf-8")
    changed.write_text(text.replace("সম্পর্ক জোরদার", "সম্পর্ক আরও জোরদার", 1), "utf-8")
    (corpus_dir / "broken.jsonl").write_text("{not json\n", "utf-8")
    report = engine.reindex()
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 3)
    assert [s.name for s in report.skipped] == ["broken.jsonl:1"]
    assert engine.search("মেট্রোরেল লাইনের উদ্বোধন", 3).hits[0].doc_id == "zz_new"
    assert not any(h.doc_id.startswith("001") for h in engine.search("ওনসানের বৈঠককে কৌশলগত সংলাপ", 5).hits)
    again = engine.reindex()
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 5)
    assert again.generation == report.generation  # nothing changed: no new generation


def test_failed_build_leaves_the_old_index_serving(engine: SearchEngine, corpus_dir: Path) -> None:
    before = engine.status().generation
    _new_article(corpus_dir, "zz_new", "ঢাকায় নতুন মেট্রোরেল লাইনের উদ্বোধন হয়েছে।")

    def explode(done: int, total: int, stage: str) -> None:
        if stage == "saving":
            raise RuntimeError("disk full (simulated by the progress callback)")

    with pytest.raises(RuntimeError):
        engine.reindex(progress=explode)
    assert engine.status().generation == before
    assert engine.search(CASUALTIES, 3).hits[0].doc_id.startswith("003")
    assert engine.search("মেট্রোরেল লাইনের উদ্বোধন", 3).hits == []
    assert lexical_folders(engine.config.state_dir) == [(before or "").split(".")[0]]  # nothing half-written beside it
    assert engine.reindex().added == 1  # and the next build works


def test_one_reindex_at_a_time(engine: SearchEngine, corpus_dir: Path) -> None:
    _new_article(corpus_dir, "zz_new", "ঢাকায় নতুন মেট্রোরেল লাইনের উদ্বোধন হয়েছে।")
    seen: list[str] = []

    def nested(done: int, total: int, stage: str) -> None:
        if not seen:
            seen.append(stage)
            with pytest.raises(ReindexInProgress):
                engine.reindex()

    engine.reindex(progress=nested)
    assert seen


def test_second_process_on_the_state_dir_is_refused(engine: SearchEngine, lexical_config: EngineConfig) -> None:
    with pytest.raises(StateLocked, match=str(os.getpid())):
        SearchEngine.open(lexical_config)


def test_reopen_serves_the_saved_index(lexical_config: EngineConfig) -> None:
    with SearchEngine.open(lexical_config) as first:
        generation = first.reindex().generation
    with SearchEngine.open(lexical_config) as second:
        assert second.status().generation == generation
        assert second.search(CASUALTIES, 1).hits
        assert lexical_folders(lexical_config.state_dir) == [generation.split(".")[0]]


def test_status_and_articles(engine: SearchEngine) -> None:
    status = engine.status()
    assert status.articles == 5 and status.passages > 20
    assert status.last_indexed_at is not None and status.last_index_seconds is not None
    assert not status.dense_enabled and "off" in status.dense_note
    titles = {a.doc_id[:3]: a.title for a in engine.articles()}
    assert titles["004"] == "কিমকে পুতিনের চিঠি" and titles["001"] is None


def test_latest_lists_newest_articles_and_newest_on_a_topic(engine: SearchEngine, corpus_dir: Path) -> None:
    (corpus_dir / "900-tea.md").write_text(
        "---\ntitle: চা বাগান\nsource: পরীক্ষা ডেস্ক\npublished: 2026-11-30\n---\n"
        "সিলেটের পাহাড়ে নতুন চা বাগান গড়ে উঠেছে। চা শ্রমিকেরা নতুন মজুরি পেয়েছেন।\n",
        "utf-8",
    )
    engine.reindex()
    newest = engine.latest(limit=3)
    dates = [a.published for a in newest]
    assert newest[0].doc_id.startswith("900") and dates == sorted(dates, key=lambda d: d or "", reverse=True)
    on_topic = engine.latest("চা বাগান", limit=5)
    assert [a.doc_id[:3] for a in on_topic][:1] == ["900"]
    assert all(a.doc_id[:3] != "003" for a in on_topic)  # the war article does not speak of tea gardens
    assert engine.latest("🙂🙂") == []  # a topic without a word matches nothing


def test_a_file_in_the_added_folder_is_indexed_once_edited_and_removed_by_its_corpus_name(
    engine: SearchEngine, corpus_dir: Path
) -> None:
    saved = engine.add_upload("hills.md", "---\ntitle: চা\n---\nপাহাড়ে নতুন চা বাগান গড়ে উঠেছে।\n".encode())
    assert saved == corpus_dir / "added" / "hills.md"
    assert engine.reindex().added == 1 and not engine.corpus_changed()
    again = engine.reindex()  # recorded under "added/hills.md": nothing to read again
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 6)
    saved.write_text("---\ntitle: চা\n---\nপাহাড়ে নতুন চা বাগানে শ্রমিকেরা খুশি।\n", "utf-8")
    assert engine.corpus_changed() and engine.reindex().updated == 1
    assert "শ্রমিকেরা" in engine.search("চা বাগানে শ্রমিকেরা", 1).hits[0].text
    saved.unlink()
    assert engine.reindex().removed == 1 and not engine.corpus_changed()
    assert all(a.doc_id != "hills" for a in engine.articles())


def test_upload_good_file_then_bad_file(engine: SearchEngine, corpus_dir: Path) -> None:
    record = {"id": "up-1", "title": "আপলোড", "text": "পাহাড়ে নতুন চা বাগান গড়ে উঠেছে। শ্রমিকেরা খুশি।"}
    saved = engine.add_upload("new.jsonl", (json.dumps(record, ensure_ascii=False) + "\n").encode())
    assert saved.parent == corpus_dir / "added"  # apart from the operator's files
    assert engine.reindex().added == 1
    assert engine.search("পাহাড়ে চা বাগান", 1).hits[0].doc_id == "up-1"
    before = sorted(str(p.relative_to(corpus_dir)) for p in corpus_dir.rglob("*"))
    for name, data in [
        ("bad.jsonl", b'{"id": "x"}\n'),
        ("bad.pdf", b"%PDF"),
        ("latin1.txt", "caf\xe9".encode("latin-1")),
        ("dup.jsonl", (json.dumps(record, ensure_ascii=False) + "\n").encode()),
        ("empty.md", b""),
    ]:
        with pytest.raises(CorpusError):
            engine.add_upload(name, data)
    assert sorted(str(p.relative_to(corpus_dir)) for p in corpus_dir.rglob("*")) == before
