"""One story once: other outlets' reports of a story grouped at index time, and kept so as the index changes."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine

STORIES = Path(__file__).resolve().parents[2] / "fixtures" / "stories"


@pytest.fixture
def stories_engine(tmp_path: Path) -> Iterator[tuple[SearchEngine, Path]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(STORIES, corpus, ignore=shutil.ignore_patterns("*.json", "*.jsonl"))
    config = EngineConfig(data_dir=corpus, state_dir=tmp_path / "state", embedding_model=None, dense_mode="off")
    with SearchEngine.open(config) as engine:
        engine.reindex()
        yield engine, corpus


def _truth() -> dict[str, int]:
    groups = json.loads((STORIES / "groups.json").read_text("utf-8"))["groups"]
    return {name.removesuffix(".md"): i for i, group in enumerate(groups) for name in group}


def test_same_story_grouped_and_different_stories_apart(stories_engine: tuple[SearchEngine, Path]) -> None:
    engine, _ = stories_engine
    truth = _truth()
    docs = [a.doc_id for a in engine.articles()]
    story = engine.stories(docs)
    pairs = list(itertools.combinations(docs, 2))
    same = [(a, b) for a, b in pairs if a in truth and truth.get(a) == truth.get(b)]
    other = [(a, b) for a, b in pairs if (a, b) not in set(same)]
    grouped = sum(story[a] == story[b] for a, b in same)
    merged = sum(story[a] == story[b] for a, b in other)
    assert same and grouped / len(same) >= 0.95
    assert merged / len(other) <= 0.01


def test_a_story_is_answered_once_with_the_other_outlets(stories_engine: tuple[SearchEngine, Path]) -> None:
    engine, _ = stories_engine
    result = engine.search("বেতাগী সেতুর উদ্বোধন করেন কে?", 5)
    story = engine.stories([h.doc_id for h in result.hits])
    top = result.hits[0]
    assert top.also, "other outlets' reports of the story are named"
    assert all(c.source and c.source != top.source for c in top.also)
    reports_shown = {h.doc_id for h in result.hits if story[h.doc_id] == story[top.doc_id]}
    assert reports_shown == {top.doc_id}  # other outlets' reports are named, not shown again


def test_grouping_follows_incremental_updates(stories_engine: tuple[SearchEngine, Path]) -> None:
    engine, corpus = stories_engine
    truth = _truth()
    first, second, third = sorted(name for name, group in truth.items() if group == truth[sorted(truth)[0]])
    (corpus / f"{first}.md").rename(corpus / "aside.txt")
    report = engine.reindex()
    assert report.kind == "incremental"
    story = engine.stories([second, third])
    assert story[second] == story[third]
    (corpus / "aside.txt").rename(corpus / f"{first}.md")
    engine.reindex()
    story = engine.stories([first, second, third])
    assert story[first] == story[second] == story[third]
