"""`sondhani eval`: retrieval scored on a question file, over the same engine the bot serves."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.index import format_index_report, index_with_progress, no_corpus
from bot.settings import Settings
from retrieval import SearchEngine, evaluate_questions, format_report, group_identical, load_corpus, load_questions


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """hit@1/3, MRR@5 overall and per kind, no-answer accuracy, latency."""
    if not args.file.is_file():
        print(f"sondhani: no such file: {args.file}", file=sys.stderr)
        return 2
    if no_corpus(settings):
        return 2
    questions = load_questions(args.file)
    groups = group_identical({a.doc_id: a.text for a in load_corpus(settings.data_dir).articles})
    with SearchEngine.open(settings.engine_config()) as engine:
        if not engine.has_index():
            print(format_index_report(index_with_progress(engine)), file=sys.stderr)
        engine.search("warm-up", 1)
        report = evaluate_questions(questions, engine.search, groups, depth=args.k)
        print(json.dumps(report.as_dict(), ensure_ascii=False) if args.json else format_report(report, args.k))
    return 0
