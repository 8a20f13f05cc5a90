"""`sondhani eval`: retrieval scored on a question file, over the same engine the bot serves."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.index import format_index_report, index_with_progress, no_corpus
from bot.settings import Settings
from retrieval import SearchEngine, evaluate_questions, format_report, group_identical, load_corpus, load_questions


def question_file_problem(path: Path) -> str | None:
    """The first line of a question file that load_questions could not read (not UTF-8, not a JSON
    object, no "question"), named by path and line number; None when every line is usable."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except UnicodeDecodeError:
        return f"{path}: not UTF-8 text"
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            return f"{path}:{number}: not JSON ({exc.msg}); each line must be one JSON object"
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            return f'{path}:{number}: not a JSON object with a "question" string'
    return None


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """hit@1/3, MRR@5 overall and per kind, no-answer accuracy, latency."""
    if not args.file.is_file():
        print(f"sondhani: no such file: {args.file}", file=sys.stderr)
        return 2
    if problem := question_file_problem(args.file):
        print(f"sondhani: {problem}", file=sys.stderr)
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
