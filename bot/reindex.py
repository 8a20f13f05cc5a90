"""The background re-index: one at a time, in a worker thread of the bot's own process (it owns the
state directory), reporting progress by editing one message at most every `progress_interval` seconds.
Questions keep being answered from the serving index meanwhile (the engine swaps atomically).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import Application

from bot.messages import Texts
from bot.render import esc
from retrieval.engine import SearchEngine
from retrieval.errors import CorpusError, ReindexInProgress
from retrieval.models import IndexReport

log = logging.getLogger(__name__)
MAX_SKIPPED_LINES = 10


class _Progress:
    """The latest (done, total, stage) reported by the worker thread; only touched on the loop."""

    def __init__(self) -> None:
        self.done, self.total, self.stage = 0, 0, ""
        self.shown = ""  # the progress text the message shows now, if any

    def set(self, done: int, total: int, stage: str) -> None:
        self.done, self.total, self.stage = done, total, stage


class Reindexer:
    """Runs `engine.reindex` in the background, at most one at a time."""

    def __init__(self, engine: SearchEngine, progress_interval: float = 3.0) -> None:
        self._engine = engine
        self._interval = progress_interval
        self._task: asyncio.Task[Any] | None = None

    @property
    def running(self) -> bool:
        """True while a re-index started here has not finished."""
        return self._task is not None and not self._task.done()

    def start(
        self, application: Application[Any, Any, Any, Any, Any, Any], message: Message, texts: Texts,
        update: object = None, *, rebuild: bool = False,
    ) -> bool:
        """Start a re-index reporting into `message` (a message of the bot); False if one is running.

        Errors other than the library's named ones reach the application's error handler with `update`.
        """
        if self.running:
            return False
        self._task = application.create_task(self._run(message, texts, rebuild), update=update, name="reindex")
        return True

    async def wait(self) -> None:
        """Wait for the current re-index, if any, to finish (its errors go to the error handler)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self, message: Message, texts: Texts, rebuild: bool) -> IndexReport | None:
        loop = asyncio.get_running_loop()
        progress = _Progress()

        def on_progress(done: int, total: int, stage: str) -> None:  # called in the worker thread
            loop.call_soon_threadsafe(progress.set, done, total, stage)

        reporter = asyncio.create_task(self._report(message, progress, texts))
        try:
            report = await asyncio.to_thread(self._engine.reindex, rebuild=rebuild, progress=on_progress)
        except ReindexInProgress:
            await message.edit_text(texts.reindex_running)
            return None
        except CorpusError as exc:
            await message.edit_text(texts.reindex_failed.format(reason=esc(exc)))
            return None
        finally:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
        log.info("Re-index done: %s", report)
        if progress.shown:  # no stale "⏳ 40/52" left behind
            await message.edit_text(texts.reindex_done)
        await message.reply_text(summary(report, texts), do_quote=True)
        return report

    async def _report(self, message: Message, progress: _Progress, texts: Texts) -> None:
        """Edit the progress message when the progress changed, at most once per interval."""
        while True:
            await asyncio.sleep(self._interval)
            if not progress.stage:
                continue
            text = texts.reindex_progress.format(
                stage=esc(texts.stage(progress.stage)), done=texts.num(progress.done), total=texts.num(progress.total)
            )
            if text == progress.shown:
                continue
            try:
                await message.edit_text(text)
            except BadRequest as exc:  # the message was deleted or cannot be edited any more
                log.warning("Stopped reporting re-index progress: %s", exc.message)
                return
            progress.shown = text


def summary(report: IndexReport, texts: Texts) -> str:
    """The closing message of a re-index: counts, skipped files with reasons, seconds."""
    lines = [texts.reindex_summary.format(
        seconds=texts.num(f"{report.seconds:.1f}"),
        added=texts.num(report.added), updated=texts.num(report.updated), removed=texts.num(report.removed),
        unchanged=texts.num(report.unchanged), skipped=texts.num(len(report.skipped)),
        articles=texts.num(report.articles), passages=texts.num(report.passages),
    )]
    for skipped in report.skipped[:MAX_SKIPPED_LINES]:
        lines.append(texts.reindex_skipped_line.format(name=esc(skipped.name[:100]), reason=esc(skipped.reason[:300])))
    if len(report.skipped) > MAX_SKIPPED_LINES:
        lines.append("…")
    return "\n".join(lines)
