"""The background re-index: one at a time, in a worker thread of the bot's own process (it owns the
state directory), reporting progress by editing one message at most every `progress_interval` seconds.
Questions keep being answered from the serving index meanwhile (the engine swaps atomically).
The bot's shutdown event (Services.shutdown) cancels it between embedding batches: the message then
says it was interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import Any

from telegram import Message
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot.messages.texts import Texts
from bot.progress import EmbeddingPace
from bot.render import esc
from retrieval import CorpusError, IndexReport, IndexStage, ReindexCancelled, ReindexInProgress, SearchEngine

log = logging.getLogger(__name__)
MAX_SKIPPED_LINES = 10


class _Progress:
    """The latest (done, total, stage) reported by the worker thread; only touched on the loop."""

    def __init__(self) -> None:
        self.done, self.total = 0, 0
        self.stage: IndexStage | None = None
        self.pace = EmbeddingPace()
        self.shown = ""  # the progress text the message shows now, if any

    def set(self, done: int, total: int, stage: IndexStage, now: float) -> None:
        if stage == "embedding":
            self.pace.update(done, total, now)
        self.done, self.total, self.stage = done, total, stage


def progress_text(stage: IndexStage, done: int, total: int, pace: EmbeddingPace | None, texts: Texts) -> str:
    """The progress message: stage and count, and while embedding its rate and time left."""
    text = texts.reindex_progress.format(stage=esc(texts.stage(stage)), done=texts.num(done), total=texts.num(total))
    if stage == "embedding" and pace is not None and pace.rate is not None and pace.left is not None:
        rate = f"{pace.rate:.1f}" if pace.rate < 100 else f"{pace.rate:.0f}"
        text += "\n" + texts.reindex_pace.format(rate=texts.num(rate), left=texts.time_left(pace.left))
    return text


PROGRESS_INTERVAL = 3.0  # seconds, at least, between two edits of the progress message


class Reindexer:
    """Runs `engine.reindex` in the background, at most one at a time."""

    def __init__(
        self,
        engine: SearchEngine,
        progress_interval: float = PROGRESS_INTERVAL,
        shutdown: threading.Event | None = None,
    ) -> None:
        """shutdown: set when the bot stops; a running re-index then stops at its next batch."""
        self._engine = engine
        self._interval = progress_interval
        self._task: asyncio.Task[Any] | None = None
        self._shutdown = shutdown or threading.Event()

    @property
    def running(self) -> bool:
        """True while a re-index started here has not finished."""
        return self._task is not None and not self._task.done()

    def start(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        message: Message,
        texts: Texts,
        update: object = None,
        *,
        rebuild: bool = False,
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

        def on_progress(done: int, total: int, stage: IndexStage) -> None:  # called in the worker thread
            loop.call_soon_threadsafe(progress.set, done, total, stage, time.monotonic())

        reporter = asyncio.create_task(self._report(message, progress, texts))
        try:
            report = await asyncio.to_thread(
                self._engine.reindex, rebuild=rebuild, progress=on_progress, cancel=self._shutdown
            )
        except ReindexCancelled:
            log.info("Re-index interrupted: the previous index keeps serving")
            with contextlib.suppress(TelegramError):  # shutting down: a failed edit must not hold it up
                await message.edit_text(texts.reindex_interrupted)
            return None
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
            if progress.stage is None:
                continue
            text = progress_text(progress.stage, progress.done, progress.total, progress.pace, texts)
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
    lines = [
        texts.reindex_summary.format(
            seconds=texts.num(f"{report.seconds:.1f}"),
            added=texts.num(report.added),
            updated=texts.num(report.updated),
            removed=texts.num(report.removed),
            unchanged=texts.num(report.unchanged),
            skipped=texts.num(len(report.skipped)),
            articles=texts.num(report.articles),
            passages=texts.num(report.passages),
        )
    ]
    for skipped in report.skipped[:MAX_SKIPPED_LINES]:
        lines.append(texts.reindex_skipped_line.format(name=esc(skipped.name[:100]), reason=esc(skipped.reason[:300])))
    if len(report.skipped) > MAX_SKIPPED_LINES:
        lines.append("…")
    return "\n".join(lines)
