"""`sondhani ask`: one question, or one a line from stdin, answered as text for a reader or as one JSON
object a line for other tools (`result_as_json` is that stable shape)."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable
from typing import TextIO

from bot.cli.index import format_index_report, index_with_progress, no_corpus
from bot.messages.citations import also_reported, article_label, one_line, outlet_and_date
from bot.messages.language import texts_for
from bot.messages.texts import Texts
from bot.question_rules import question_problem
from bot.settings import Settings
from retrieval import Hit, SearchEngine, SearchResult


def _refusal(question: str, limit: int) -> str | None:
    """Why the CLI will not search a question, as the bot would refuse it, or None."""
    problem = question_problem(question, max_chars=limit)
    if problem == "empty":
        return "empty question"
    if problem == "too_long":
        return f"the question is {len(question)} characters long; SONDHANI_MAX_QUESTION_CHARS allows {limit}"
    return None  # a question with no words is searched: the engine says why nothing answers it


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer the given question, or every line of stdin, loading everything once."""
    if args.k < 1:
        print("sondhani: -k must be at least 1", file=sys.stderr)
        return 2
    limit = settings.max_question_chars
    asked = " ".join(args.question) if args.question else None  # unquoted words are one question
    if asked is not None and (problem := _refusal(asked.strip(), limit)):
        print(f"sondhani: {problem}", file=sys.stderr)
        return 2
    if no_corpus(settings):
        return 2
    refused = False
    with SearchEngine.open(settings.engine_config()) as engine:
        if not engine.has_index():
            if not (engine.damage or engine.repairs):  # the engine has said in one line what it set aside
                print("no index yet: indexing the corpus first", file=sys.stderr)
            print(format_index_report(index_with_progress(engine)), file=sys.stderr)
        stale = engine.corpus_changed()
        t = texts_for(settings.language)
        if stale:
            print(f"sondhani: {t.corpus_changed_cli}", file=sys.stderr)  # in the answers' language
        questions: Iterable[str] = [asked] if asked is not None else sys.stdin
        for number, question in enumerate(questions, start=1):
            question = question.strip()
            if not question:  # blank lines separate questions in a file
                continue
            if problem := _refusal(question, limit):
                print(f"sondhani: line {number}: {problem}; skipped", file=sys.stderr)
                refused = True
                continue
            result = engine.search(question, args.k)
            _print_result(result, as_json=args.json, out=sys.stdout, t=t, stale=stale)
    return 2 if refused else 0


def result_as_json(result: SearchResult) -> dict[str, object]:
    """The stable JSON shape of `sondhani ask --json` (other tools depend on it)."""
    return {
        "question": result.question,
        "results": [
            {
                "rank": h.rank,
                "score": h.score,
                "doc_id": h.doc_id,
                "title": h.title,
                "source": h.source,
                "published": h.published,
                "url": h.url,
                "text": h.text,
                "highlight": h.highlight,
            }
            for h in result.hits
        ],
        "elapsed_ms": round(result.elapsed_ms, 2),
        "no_answer_reason": result.no_answer_reason,
    }


def _print_result(result: SearchResult, *, as_json: bool, out: TextIO, t: Texts, stale: bool = False) -> None:
    if as_json:
        out.write(json.dumps(result_as_json(result), ensure_ascii=False) + "\n")
        out.flush()
        return
    out.write(f"\n? {result.question}\n")
    if not result.hits:
        reason = t.no_answer_because.get(result.no_answer_reason or "", "").rstrip("।.")
        out.write(f"  {t.no_answer_short}" + (f": {reason}।\n" if t.lang == "bn" else f": {reason}.\n"))
        if stale:
            out.write(f"  {t.corpus_changed_cli}\n")
    for hit in result.hits:
        out.write(f"\n{hit.rank}. {_heading(hit, t)}\n")
        out.write(textwrap.indent(hit.text.replace(hit.highlight, f"«{hit.highlight}»", 1), "   ", lambda _: True))
        out.write("\n")
        if hit.url:
            out.write(f"   {hit.url}\n")
        if also := also_reported(hit.also, t):
            out.write(f"   {also}\n")
    elapsed = f"{result.elapsed_ms:.1f}"
    out.write(f"\n({t.num(elapsed)} {'মি.সে.' if t.lang == 'bn' else 'ms'})\n")
    out.flush()


def _heading(hit: Hit, t: Texts) -> str:
    """A result's first line: title (outlet · date). An untitled article is headed by its outlet (or
    "untitled report") and date, never by the passage's opening words: they are printed right underneath."""
    label = article_label(hit.title, hit.source, hit.published, t)
    cite = outlet_and_date(hit.source, hit.published, t)
    return f"{label} ({cite})" if one_line(hit.title) and cite else label
