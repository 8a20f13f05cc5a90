"""`sondhani run`: one process serving the bot until SIGTERM or SIGINT, with the engine and the store
opened once, and a clean shutdown (a running re-index stops at its next batch)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
from typing import Any

from telegram.ext import BaseRateLimiter

from bot.context import SERVICES_KEY
from bot.server import webhook
from bot.server.application import build_application
from bot.server.running import running
from bot.server.startup import check_token, open_store, rebuild_damaged
from bot.settings import Settings
from bot.store import DB_NAME
from retrieval import SearchEngine, StateLocked

log = logging.getLogger(__name__)


def run_bot(settings: Settings, *, rate_limiter: BaseRateLimiter[Any] | None = None) -> int:
    """`sondhani run`: serve until SIGTERM/SIGINT. Returns the process exit code:
    0 after a clean stop, 1 when Telegram rejects the token, the state directory is taken or the webhook
    server cannot listen,
    2 when no token is configured. rate_limiter: see `build_application` (benchmarks lift it)."""
    if not settings.telegram_bot_token:
        log.error("No bot token: set TELEGRAM_BOT_TOKEN (create a bot with @BotFather to get one)")
        return 2
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token in the URL
    return asyncio.run(_serve(settings, rate_limiter))


async def _serve(settings: Settings, rate_limiter: BaseRateLimiter[Any] | None) -> int:
    """Check the token, open the engine (rebuilding a damaged index) and the store, serve until a stop
    signal; returns run_bot's exit code."""
    started = time.perf_counter()
    stop = _stop_event()
    problem = await check_token(settings)
    if problem:
        log.error("%s", problem)
        return 1
    try:
        engine = await asyncio.to_thread(SearchEngine.open, settings.engine_config())
    except StateLocked as exc:
        log.error("The state directory %s is in use by another process: %s", settings.state_dir, exc)
        return 1
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(asyncio.to_thread, engine.close)
        await asyncio.to_thread(engine.warm_up)  # the first question does not wait for the vectors
        await _log_engine(engine, time.perf_counter() - started)
        store = await open_store(settings.state_dir / DB_NAME, settings.history_days)
        stack.push_async_callback(store.close)
        app = build_application(settings, engine, store, rate_limiter=rate_limiter)
        try:
            async with running(app):
                mode = f"webhook {settings.webhook_url}" if settings.webhook_url else "long polling"
                log.info("Bot @%s is up (%s) %.1f s after start", app.bot.username, mode, time.perf_counter() - started)
                # An unreadable index is rebuilt while the bot runs: questions meanwhile are told to try
                # again a little later and /healthz says 503 "rebuilding", rather than no answer at all
                # for as long as the rebuild takes (hours, for a large archive).
                rebuilding = asyncio.create_task(rebuild_damaged(engine, stop)) if engine.damage else None
                await stop.wait()
                if rebuilding is not None and not await rebuilding:
                    log.info("Stopped before the index was rebuilt; the next start rebuilds it")
                log.info("Stopping: finishing the updates in hand")
                services = app.bot_data[SERVICES_KEY]
                services.shutdown.set()  # every re-index in flight stops at its next batch
                await services.reindexer.wait()  # an admin's /reindex reports "interrupted" first
        except webhook.WebhookUnavailable as exc:
            log.error("The webhook server %s: set SONDHANI_WEBHOOK_LISTEN / SONDHANI_WEBHOOK_PORT", exc)
            return 1
    log.info("Stopped cleanly")
    return 0


async def _log_engine(engine: SearchEngine, seconds: float) -> None:
    """One line on what was loaded, and a warning when there is no index to answer from yet."""
    status = await asyncio.to_thread(engine.status)
    log.info(
        "Search engine loaded in %.1f s: %d articles, %d passages; model %s; dense search %s (%s)",
        seconds,
        status.articles,
        status.passages,
        status.embedding_model or "none",
        "on" if status.dense_enabled else "off",
        status.dense_note,
    )
    if not engine.has_index() and not engine.damage:  # a damaged one is rebuilt next, the engine said why
        log.warning("No index yet: run `sondhani index`, or send /reindex as an admin")


def _stop_event() -> asyncio.Event:
    """An event set on SIGTERM or SIGINT (signals are only available in the main thread)."""
    stop = asyncio.Event()
    if threading.current_thread() is threading.main_thread():
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    return stop
