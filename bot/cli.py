"""The `sondhani` command: index, ask, eval, run. A thin layer over the retrieval library.

Library errors become one plain line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from bot.questions import question_problem
from bot.settings import Settings
from retrieval import (
    NO_ANSWER_TEXT,
    Hit,
    IndexReport,
    IndexStage,
    ReindexCancelled,
    SearchEngine,
    SearchResult,
    SondhaniError,
    StateLocked,
    evaluate_questions,
    format_report,
    group_identical,
    load_corpus,
    load_questions,
)

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `cat` or `grep` in the same place
# What to do when another process holds the state directory: the library's message names no command.
LOCKED_HINTS = {
    "index": "stop it first, or send /reindex to the running bot",
    "ask": "if that is the bot, ask it in Telegram, or stop it first",
    "eval": "if that is the bot, stop it first",
    "add": "if that is the bot, send it /add with the link instead",
    "fetch": "the running bot polls the feeds itself (/feeds now)",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and `python -m bot`."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"sondhani: bad configuration: {_first_error(exc)}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for noisy in ("httpx", "chromadb", "bm25s", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        return int(args.handler(settings, args))
    except StateLocked as exc:
        print(f"sondhani: {exc}; {LOCKED_HINTS.get(args.command, 'stop it first')}", file=sys.stderr)
        return 1
    except IndexInterrupted as exc:
        print("sondhani: indexing interrupted; the previous index (if any) keeps serving", file=sys.stderr)
        return 128 + exc.signum
    except SondhaniError as exc:
        print(f"sondhani: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`sondhani ask --json ... | head -1`). The usual recipe: point stdout at
        # /dev/null so the flush at exit cannot fail again, and exit like a process killed by SIGPIPE.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("sondhani: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sondhani", description="Bengali news search with cited passages.")
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", help="index the corpus (incremental; --rebuild re-embeds everything)")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch, ignoring cached embeddings")
    index.set_defaults(handler=cmd_index)

    ask = commands.add_parser("ask", help="answer a question (or one question a line from stdin)")
    ask.add_argument("question", nargs="?", help="the question; omit to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object a line per question")
    ask.add_argument("-k", type=int, default=3, help="passages per question (default 3)")
    ask.set_defaults(handler=cmd_ask)

    ev = commands.add_parser("eval", help="score retrieval on a question file (dev.jsonl or bn-news-qa shape)")
    ev.add_argument("file", type=Path)
    ev.add_argument("-k", type=int, default=10, help="passages looked at per question (default 10)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(handler=cmd_eval)

    from bot.add_cli import cmd_add, cmd_fetch

    add = commands.add_parser("add", help="add articles from links (fetched, cleaned, saved, indexed)")
    add.add_argument("urls", nargs="+", metavar="URL", help="http(s) links to news articles")
    add.set_defaults(handler=cmd_add)

    fetch = commands.add_parser("fetch", help="poll SONDHANI_FEEDS once and add the new articles")
    fetch.set_defaults(handler=cmd_fetch)

    run = commands.add_parser("run", help="run the Telegram bot (long polling, or a webhook if configured)")
    run.set_defaults(handler=cmd_run)
    return parser


# --- commands -----------------------------------------------------------------------------------


def _no_corpus(settings: Settings) -> bool:
    """Say so when the corpus directory is missing (usually: run from another directory), before
    opening the engine, which would create the state directory wherever we are."""
    if settings.data_dir.is_dir():
        return False
    print(
        f"sondhani: no corpus directory at {settings.data_dir.resolve()}: run from the project directory "
        "or set SONDHANI_DATA_DIR",
        file=sys.stderr,
    )
    return True


def _refusal(question: str, limit: int) -> str | None:
    """Why the CLI will not search a question, as the bot would refuse it, or None."""
    problem = question_problem(question, max_chars=limit)
    if problem == "empty":
        return "empty question"
    if problem == "too_long":
        return f"the question is {len(question)} characters long; SONDHANI_MAX_QUESTION_CHARS allows {limit}"
    return None  # a question with no words is searched: the engine says why nothing answers it


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    """Index with a progress bar, then a summary."""
    if _no_corpus(settings):
        return 2
    with SearchEngine.open(settings.engine_config()) as engine:
        report = _index_with_progress(engine, rebuild=args.rebuild)
    print(format_index_report(report))
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer the given question, or every line of stdin, loading everything once."""
    if args.k < 1:
        print("sondhani: -k must be at least 1", file=sys.stderr)
        return 2
    limit = settings.max_question_chars
    if args.question is not None and (problem := _refusal(args.question.strip(), limit)):
        print(f"sondhani: {problem}", file=sys.stderr)
        return 2
    if _no_corpus(settings):
        return 2
    refused = False
    with SearchEngine.open(settings.engine_config()) as engine:
        if not engine.has_index():
            if not (engine.damage or engine.repairs):  # the engine has said in one line what it set aside
                print("no index yet: indexing the corpus first", file=sys.stderr)
            print(format_index_report(_index_with_progress(engine)), file=sys.stderr)
        questions: Iterable[str] = [args.question] if args.question is not None else sys.stdin
        for number, question in enumerate(questions, start=1):
            question = question.strip()
            if not question:  # blank lines separate questions in a file
                continue
            if problem := _refusal(question, limit):
                print(f"sondhani: line {number}: {problem}; skipped", file=sys.stderr)
                refused = True
                continue
            result = engine.search(question, args.k)
            _print_result(result, as_json=args.json, out=sys.stdout)
    return 2 if refused else 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """hit@1/3, MRR@5 overall and per kind, no-answer accuracy, latency."""
    if not args.file.is_file():
        print(f"sondhani: no such file: {args.file}", file=sys.stderr)
        return 2
    if _no_corpus(settings):
        return 2
    questions = load_questions(args.file)
    groups = group_identical({a.doc_id: a.text for a in load_corpus(settings.data_dir).articles})
    with SearchEngine.open(settings.engine_config()) as engine:
        if not engine.has_index():
            print(format_index_report(_index_with_progress(engine)), file=sys.stderr)
        engine.search("warm-up", 1)
        report = evaluate_questions(questions, engine.search, groups, depth=args.k)
        print(json.dumps(report.as_dict(), ensure_ascii=False) if args.json else format_report(report, args.k))
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the Telegram bot until SIGTERM / Ctrl-C."""
    from bot.serve import run_bot

    return run_bot(settings)


# --- output -------------------------------------------------------------------------------------


class IndexInterrupted(Exception):
    """SIGINT or SIGTERM stopped an index build between batches; main() says so in one line."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[tuple[threading.Event, list[int]]]:
    """While indexing, SIGINT and SIGTERM ask the build to stop at the next batch (a KeyboardInterrupt
    or the default SIGTERM would either land inside the model or kill the process without a word).
    Yields the cancel event and the list the signal number lands in."""
    cancel, received = threading.Event(), []

    def stop(signum: int, _frame: object) -> None:
        received.append(signum)
        cancel.set()

    if threading.current_thread() is not threading.main_thread():
        yield cancel, received
        return
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield cancel, received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _index_with_progress(engine: SearchEngine, rebuild: bool = False) -> IndexReport:
    """Index with a bar on stderr (when it is a terminal): stage, passages done/total, and while
    embedding the rate and time left (measured as the bot measures them, see bot.reindex).
    SIGINT/SIGTERM stop it between batches: raises IndexInterrupted."""
    from tqdm import tqdm

    from bot.reindex import EmbeddingPace

    pace = EmbeddingPace()
    bar_format = "{desc}: {n_fmt}/{total_fmt} passages |{bar}|{postfix}"
    with tqdm(desc="indexing", total=0, file=sys.stderr, disable=None, leave=False, bar_format=bar_format) as bar:

        def progress(done: int, total: int, stage: IndexStage) -> None:
            postfix = ""
            if stage == "embedding":
                pace.update(done, total, time.monotonic())
                if pace.rate is not None and pace.left is not None:
                    postfix = f"{pace.rate:.1f} passages/s, {tqdm.format_interval(pace.left)} left"
            bar.set_description_str(stage, refresh=False)
            bar.set_postfix_str(postfix, refresh=False)
            bar.total = total
            bar.n = done
            bar.refresh()

        with _stop_on_signals() as (cancel, received):
            try:
                return engine.reindex(rebuild=rebuild, progress=progress, cancel=cancel)
            except ReindexCancelled:
                raise IndexInterrupted(received[0] if received else signal.SIGINT) from None


def format_index_report(report: IndexReport) -> str:
    """The summary printed after indexing."""
    lines = [
        f"articles: {report.articles} ({report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped)",
        f"passages: {report.passages} ({report.embedded} embedded this run)",
        f"seconds: {report.seconds:.2f}",
    ]
    lines += [f"skipped {s.name}: {s.reason}" for s in report.skipped]
    return "\n".join(lines)


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


def _print_result(result: SearchResult, *, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(result_as_json(result), ensure_ascii=False) + "\n")
        out.flush()
        return
    out.write(f"\n? {result.question}\n")
    if not result.hits:
        reason = NO_ANSWER_TEXT.get(result.no_answer_reason or "", "no passage in the corpus answers this question")
        out.write(f"  কোনো উত্তর পাওয়া যায়নি: {reason}.\n")
    for hit in result.hits:
        out.write(f"\n{hit.rank}. {_heading(hit)}\n")
        out.write("   " + hit.text.replace(hit.highlight, f"«{hit.highlight}»", 1) + "\n")
        if hit.url:
            out.write(f"   {hit.url}\n")
    out.write(f"\n({result.elapsed_ms:.1f} ms)\n")
    out.flush()


def _heading(hit: Hit) -> str:
    """A result's first line: title (outlet, date). An untitled article is headed by its outlet (or
    "untitled report") and date, never by the passage's opening words: they are printed right underneath."""
    title = " ".join((hit.title or "").split())
    if title:
        cite = ", ".join(x for x in (hit.source, hit.published) if x)
        return f"{title} ({cite})" if cite else title
    return ", ".join(x for x in (hit.source or "untitled report", hit.published) if x)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid value')}"
