"""`sondhani index`, and the indexing every other command does when there is no index yet: a progress
bar on stderr, SIGINT/SIGTERM stopping the build between batches, and the summary printed after."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator

from bot.settings import Settings
from retrieval import IndexReport, IndexStage, ReindexCancelled, SearchEngine


def no_corpus(settings: Settings) -> bool:
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


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    """Index with a progress bar, then a summary."""
    if no_corpus(settings):
        return 2
    with SearchEngine.open(settings.engine_config()) as engine:
        report = index_with_progress(engine, rebuild=args.rebuild)
    print(format_index_report(report))
    return 0


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


def index_with_progress(engine: SearchEngine, rebuild: bool = False) -> IndexReport:
    """Index with progress on stderr: on a terminal a bar (stage, passages done/total, and while
    embedding the rate and time left, measured as the bot measures them, see bot.jobs.reindex) with log
    lines printed above it; otherwise one plain line every few seconds (bot.progress.PlainProgress).
    SIGINT/SIGTERM stop it between batches: raises IndexInterrupted."""
    with _stop_on_signals() as (cancel, received):
        try:
            if sys.stderr.isatty():
                return _index_with_bar(engine, rebuild, cancel)
            return _index_with_lines(engine, rebuild, cancel)
        except ReindexCancelled:
            raise IndexInterrupted(received[0] if received else signal.SIGINT) from None


def _index_with_lines(engine: SearchEngine, rebuild: bool, cancel: threading.Event) -> IndexReport:
    from bot.progress import PlainProgress

    lines = PlainProgress(lambda line: print(line, file=sys.stderr, flush=True))

    def progress(done: int, total: int, stage: IndexStage) -> None:
        lines.update(done, total, stage, time.monotonic())

    return engine.reindex(rebuild=rebuild, progress=progress, cancel=cancel)


def _index_with_bar(engine: SearchEngine, rebuild: bool, cancel: threading.Event) -> IndexReport:
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    from bot.progress import EmbeddingPace

    pace = EmbeddingPace()
    bar_format = "{desc}: {n_fmt}/{total_fmt} passages |{bar}|{postfix}"
    with (
        logging_redirect_tqdm(),
        tqdm(desc="indexing", total=0, file=sys.stderr, leave=False, bar_format=bar_format) as bar,
    ):

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

        return engine.reindex(rebuild=rebuild, progress=progress, cancel=cancel)


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
