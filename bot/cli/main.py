"""The `sondhani` command and its subcommands (index, ask, eval, articles, latest, status, add, fetch,
run, ...). A thin layer over the retrieval library: this module reads the arguments and the
configuration, and turns errors into exit codes; each command lives with its own job in a module that
is imported only when that command runs ("module:function" names below).

Library errors become one plain line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from pydantic import AliasChoices, ValidationError

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
    "articles": "if that is the bot, send it /sources",
    "latest": "if that is the bot, send it /latest",
    "status": "if that is the bot, send it /status",
    "remove": "if that is the bot, send it /remove with the id",
    "restore": "restore into a state directory no process uses",
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


DEFAULT_EVAL_FILE = Path("data/eval/questions.jsonl")  # the bundled questions about the bundled articles
EVAL_SHAPE = """The file holds one JSON object a line (blank lines are skipped):
  {"id": "q1", "kind": "lexical", "question": "...", "answers": ["..."], "doc": "000"}
question is required. answers: strings one of which a correct passage holds; docs (or doc): article
ids a correct passage may come from; an answerable question needs one of them, a question with neither
("kind": "negative") is correct when nothing is returned. kind groups the scores (default "all");
forbid: strings a correct passage must not hold; as_of: the day "today" is for that question."""


def _parser() -> argparse.ArgumentParser:
    """The command line: one subcommand a job, each naming the function that runs it as `handler`, each
    with a description and an example in its help."""
    parser = argparse.ArgumentParser(
        prog="sondhani",
        description="Bengali news search with cited passages.",
        epilog="Settings come from SONDHANI_* environment variables or .env: see `sondhani run --help`.",
    )
    parser.add_argument("--version", action="version", version=f"sondhani {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, handler: str, examples: str, more: str = "") -> argparse.ArgumentParser:
        epilog = (more + "\n\n" if more else "") + "example:\n" + examples
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=handler)
        return sub

    index = command(
        "index",
        "index the corpus (incremental; --rebuild re-embeds everything)",
        "bot.cli.index:cmd_index",
        "  sondhani index\n  sondhani index --rebuild",
    )
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch, ignoring cached embeddings")

    ask = command(
        "ask",
        "answer a question (or one question a line from stdin)",
        "bot.cli.ask:cmd_ask",
        '  sondhani ask "পুতিন কবে উত্তর কোরিয়া সফর করেন?"\n  sondhani ask --json -k 3 < questions.txt',
        "Words given unquoted are joined into one question.",
    )
    ask.add_argument("question", nargs="*", help="the question; omit to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object a line per question")
    ask.add_argument("-k", type=int, default=3, help="passages per question (default 3)")

    ev = command(
        "eval",
        "score retrieval on a question file (hit@1, hit@3, MRR@5, no-answer accuracy, latency)",
        "bot.cli.evaluate:cmd_eval",
        f"  sondhani eval {DEFAULT_EVAL_FILE}\n  sondhani eval --json my.jsonl",
        EVAL_SHAPE,
    )
    ev.add_argument(
        "file", type=Path, nargs="?", default=DEFAULT_EVAL_FILE, help=f"the question file (default {DEFAULT_EVAL_FILE})"
    )
    ev.add_argument("-k", type=int, default=10, help="passages looked at per question (default 10)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")

    articles = command(
        "articles",
        "list the indexed articles (id, date, outlet, title, passages)",
        "bot.cli.listing:cmd_articles",
        "  sondhani articles --source প্রথম আলো --since 2024-06-01",
    )
    articles.add_argument("--source", metavar="S", help="only this outlet's articles (exact name)")
    articles.add_argument("--since", metavar="DATE", type=iso_date, help="only articles published on or after DATE")

    latest = command(
        "latest",
        "the newest indexed articles, or the newest about a topic",
        "bot.cli.listing:cmd_latest",
        "  sondhani latest\n  sondhani latest উত্তর কোরিয়া --limit 5",
    )
    latest.add_argument("topic", nargs="*", metavar="TOPIC", help="words of the topic; omit for the newest of all")
    latest.add_argument("--limit", type=int, default=10, metavar="N", help="articles listed (1-50, default 10)")

    status = command(
        "status",
        "the serving index, passages, model, last feed poll and last error",
        "bot.cli.status:cmd_status",
        "  sondhani status",
    )
    status.add_argument("--json", action="store_true", help="print the status as one JSON object")

    remove = command(
        "remove",
        "take an article out of the corpus: its file is moved to removed/ in the state directory, then indexed",
        "bot.cli.remove:cmd_remove",
        "  sondhani remove 004_929bea25c59513b1",
        "ID is an article id as `sondhani articles` lists it. A .jsonl file holding other articles too is\n"
        "left alone: remove the article's line from it instead. To undo, move the file back and index.",
    )
    remove.add_argument("id", metavar="ID", help="the article's id")

    backup = command(
        "backup",
        "back the state directory up into DIR (works while the bot runs)",
        "bot.cli.backup:cmd_backup",
        "  sondhani backup /var/backups/sondhani/$(date +%F)",
        "Copies the index catalog (with the embedding cache) and the bot's database with SQLite's online\n"
        "backup API, plus feeds.json and removed/. DIR must be new or empty. The corpus folder is not\n"
        "copied: back it up with your files.",
    )
    backup.add_argument("dir", type=Path, metavar="DIR", help="a new or empty directory")

    restore = command(
        "restore",
        "restore a backup into an empty SONDHANI_STATE_DIR, then rebuild the index from the corpus",
        "bot.cli.backup:cmd_restore",
        "  SONDHANI_STATE_DIR=data/state sondhani restore /var/backups/sondhani/2026-12-01",
        "The lexical index and the vectors are not in a backup: they are rebuilt from the corpus, with\n"
        "the restored embedding cache (nothing is embedded again). Expect one warning that the index named\n"
        "in the catalog is missing before it is rebuilt.",
    )
    restore.add_argument("dir", type=Path, metavar="DIR", help="a directory `sondhani backup` wrote")

    add = command(
        "add",
        "add articles from links (fetched, cleaned, saved, indexed)",
        "bot.cli.add:cmd_add",
        "  sondhani add https://example.com/news/1 https://example.com/news/2",
    )
    add.add_argument("urls", nargs="+", metavar="URL", help="http(s) links to news articles")

    command(
        "fetch",
        "poll SONDHANI_FEEDS once and add the new articles",
        "bot.cli.add:cmd_fetch",
        "  SONDHANI_FEEDS=https://example.com/rss.xml sondhani fetch",
    )

    command(
        "run",
        "run the Telegram bot (long polling, or a webhook if configured)",
        "bot.cli.main:cmd_run",
        "  TELEGRAM_BOT_TOKEN=123:abc SONDHANI_ADMIN_IDS=42 sondhani run",
        settings_help(),
    )
    return parser


def settings_help() -> str:
    """Every setting's environment variable and default, from Settings itself (so the list cannot drift)."""
    lines = ["settings (environment variables or .env; .env.example describes each):"]
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        env = alias.choices[0] if isinstance(alias, AliasChoices) else f"SONDHANI_{name.upper()}"
        default = field.default
        shown = ",".join(sorted(map(str, default))) if isinstance(default, (frozenset, tuple)) else default
        lines.append(f"  {env}={'' if shown is None else shown}")
    return "\n".join(lines)


def iso_date(text: str) -> str:
    """An argparse type: a YYYY-MM-DD date, kept as text (the catalog compares ISO dates as text)."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def version() -> str:
    """The installed package's version."""
    try:
        return importlib.metadata.version("sondhani")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (package not installed)"


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
