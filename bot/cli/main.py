"""The `sondhani` command: index, ask, eval, add, fetch, run. A thin layer over the retrieval library:
this module reads the arguments and the configuration, and turns errors into exit codes; each command
lives with its own job (bot.cli.index, bot.cli.ask, bot.cli.evaluate, bot.cli.add, bot.server.serve).

Library errors become one plain line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.cli.index import IndexInterrupted, no_corpus
from bot.settings import Settings
from retrieval import SondhaniError, StateLocked

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
    for noisy in ("httpx", "chromadb", "tantivy", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    if problem := unusable_state_dir(settings.state_dir):
        print(f"sondhani: {problem}", file=sys.stderr)
        return 2
    try:
        return int(_handler(args.handler)(settings, args))
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


def _handler(name: str) -> Callable[[Settings, argparse.Namespace], int]:
    """The function "module:function" names, imported now: each command imports only what it uses
    (`sondhani index` never loads the web-page or feed code)."""
    module, _, function = name.partition(":")
    handler: Callable[[Settings, argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return handler


def _parser() -> argparse.ArgumentParser:
    """The command line: one subcommand a job, each naming the function that runs it as `handler`."""
    parser = argparse.ArgumentParser(prog="sondhani", description="Bengali news search with cited passages.")
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", help="index the corpus (incremental; --rebuild re-embeds everything)")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch, ignoring cached embeddings")
    index.set_defaults(handler="bot.cli.index:cmd_index")

    ask = commands.add_parser("ask", help="answer a question (or one question a line from stdin)")
    ask.add_argument("question", nargs="?", help="the question; omit to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object a line per question")
    ask.add_argument("-k", type=int, default=3, help="passages per question (default 3)")
    ask.set_defaults(handler="bot.cli.ask:cmd_ask")

    ev = commands.add_parser("eval", help="score retrieval on a question file (dev.jsonl or bn-news-qa shape)")
    ev.add_argument("file", type=Path)
    ev.add_argument("-k", type=int, default=10, help="passages looked at per question (default 10)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(handler="bot.cli.evaluate:cmd_eval")

    add = commands.add_parser("add", help="add articles from links (fetched, cleaned, saved, indexed)")
    add.add_argument("urls", nargs="+", metavar="URL", help="http(s) links to news articles")
    add.set_defaults(handler="bot.cli.add:cmd_add")

    fetch = commands.add_parser("fetch", help="poll SONDHANI_FEEDS once and add the new articles")
    fetch.set_defaults(handler="bot.cli.add:cmd_fetch")

    run = commands.add_parser("run", help="run the Telegram bot (long polling, or a webhook if configured)")
    run.set_defaults(handler="bot.cli.main:cmd_run")
    return parser


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the Telegram bot until SIGTERM / Ctrl-C."""
    from bot.server.serve import run_bot

    if no_corpus(settings):  # an empty corpus is a folder made on purpose, not a wrong working directory
        return 2
    return run_bot(settings)


def unusable_state_dir(state_dir: Path) -> str | None:
    """Why SONDHANI_STATE_DIR cannot be a state directory (it, or a folder it would be made in, is a
    file), or None: said in one line before anything tries to create it."""
    for path in (state_dir, *state_dir.parents):
        if path.exists():
            if path.is_dir():
                return None
            what = "is a file" if path == state_dir else f"cannot be made: {path} is a file"
            return f"SONDHANI_STATE_DIR {state_dir} {what}, not a directory; point it at a directory"
    return None


def _first_error(exc: ValidationError) -> str:
    """The first configuration problem as "field: message", for the one line on stderr."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid value')}"
