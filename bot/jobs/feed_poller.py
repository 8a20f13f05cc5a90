"""News feeds in the running bot: SONDHANI_FEEDS polled every SONDHANI_FEED_INTERVAL_MINUTES by PTB's
JobQueue, one incremental re-index per poll that added something (`/feeds` is bot.handlers.feed_status).

A poll runs in a worker thread (fetching is blocking I/O) and never overlaps another. When a re-index
is already running, the articles are saved but indexed at the next poll (or /reindex): never lost.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any, cast

from telegram.ext import Application, CallbackContext

from bot.settings import Settings
from retrieval import (
    CorpusError,
    FeedState,
    PollReport,
    ReindexCancelled,
    ReindexInProgress,
    SearchEngine,
    load_state,
    poll_feeds,
)

log = logging.getLogger(__name__)
FEEDS_KEY = "feeds"
STATE_NAME = "feeds.json"
FIRST_POLL_SECONDS = 30.0  # after start: let the bot come up and answer first


class FeedPoller:
    """Polls the configured feeds, one poll at a time, and re-indexes after a poll that added articles."""

    def __init__(self, settings: Settings, engine: SearchEngine, shutdown: threading.Event | None = None) -> None:
        """shutdown: set when the bot stops; a re-index after a poll then stops at its next batch."""
        self.settings = settings
        self._engine = engine
        self._shutdown = shutdown or threading.Event()
        self._lock = asyncio.Lock()
        # Articles saved but not yet indexed: while another re-index ran, or by a run stopped mid-index.
        # True at start, so the first poll also indexes what an interrupted run left saved.
        self._index_pending = True

    @property
    def state_path(self) -> Path:
        """Where what was seen and each feed's last poll are kept (beside the index, one file)."""
        return self.settings.state_dir / STATE_NAME

    def states(self) -> list[FeedState]:
        """Each configured feed's state, in configuration order (a feed never polled has an empty one)."""
        known = load_state(self.state_path)
        return [known.get(url) or FeedState(url=url) for url in self.settings.feeds]

    async def poll(self) -> PollReport | None:
        """Poll every feed once; None when a poll is already running."""
        if self._lock.locked():
            return None
        async with self._lock:
            s = self.settings

            def poll_once() -> PollReport:  # in a worker thread: the duplicate checks read the catalog
                return poll_feeds(
                    list(s.feeds),
                    s.data_dir,
                    self.state_path,
                    s.fetch_policy(),
                    pages_per_host=s.feed_pages_per_host,
                    host_delay=s.feed_host_delay_seconds,
                    known=self._engine.known_articles(),
                )

            report = await asyncio.to_thread(poll_once)
            if report.added or self._index_pending:
                await self._index()
            errors = sum(1 for feed in report.feeds if feed.error)
            log.info(
                "Feed poll: %d feeds, %d new articles, %d feeds with errors, %.1f s",
                len(report.feeds),
                len(report.added),
                errors,
                report.seconds,
            )
            return report

    async def _index(self) -> None:
        """One incremental re-index for what the polls saved; articles it could not index stay pending."""
        self._index_pending = True  # until a re-index has served them
        try:
            await asyncio.to_thread(self._engine.reindex, cancel=self._shutdown)
            self._index_pending = False
        except ReindexCancelled:
            log.info("Feed articles saved; the bot is stopping, so the first poll after the next start indexes them")
        except ReindexInProgress:
            log.info("Feed articles saved; a re-index is running, they are indexed at the next poll")
        except CorpusError as exc:
            log.error("Re-index after a feed poll failed: %s", exc)


def schedule(app: Application[Any, Any, Any, Any, Any, Any], poller: FeedPoller) -> bool:
    """Poll every SONDHANI_FEED_INTERVAL_MINUTES while the application runs; False when not scheduled."""
    if not poller.settings.feeds:
        return False
    if app.job_queue is None:
        log.warning(
            "SONDHANI_FEEDS is set but PTB's job queue is missing: pip install 'python-telegram-bot[job-queue]'"
        )
        return False
    app.job_queue.run_repeating(
        _poll_job,
        interval=60 * poller.settings.feed_interval_minutes,
        first=FIRST_POLL_SECONDS,
        name="feeds",
        data=poller,
    )
    return True


async def _poll_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    job = context.job
    if job is not None:
        await cast(FeedPoller, job.data).poll()
