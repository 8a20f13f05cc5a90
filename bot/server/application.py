"""Building the bot's Application: python-telegram-bot configured for the Bot API in settings, the
shared services every handler reaches through context, the handlers, and the scheduled jobs.
Starting it is bot.server.running; `sondhani run` is bot.server.serve."""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseRateLimiter, ContextTypes, Defaults

from bot.context import SEARCH_K, SERVICES_KEY, BotApplication, BotContext, Services
from bot.handlers import error_reply
from bot.handlers.routing import update_handlers
from bot.jobs import feed_poller as feed_polling
from bot.jobs.reindex import PROGRESS_INTERVAL, Reindexer
from bot.qids import signing_key
from bot.ratelimit import UserRateLimiter
from bot.settings import Settings
from bot.store import Store
from bot.store.connection import PRUNE_EVERY_SECONDS
from retrieval import SearchEngine


def build_application(
    settings: Settings,
    engine: SearchEngine,
    store: Store,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    progress_interval: float = PROGRESS_INTERVAL,
    search_k: int = SEARCH_K,
) -> BotApplication:
    """The bot's Application, every handler registered, talking to settings.telegram_api_url.

    rate_limiter defaults to AIORateLimiter(max_retries=3) (Telegram's 429 retry_after honoured);
    progress_interval is the least time between two edits of a re-index progress message.
    """
    if not settings.telegram_bot_token:
        raise ValueError("settings.telegram_bot_token is not set")
    app = _telegram_application(settings, settings.telegram_bot_token, rate_limiter or AIORateLimiter(max_retries=3))
    shutdown = threading.Event()
    app.bot_data[SERVICES_KEY] = services = Services(
        settings=settings,
        engine=engine,
        store=store,
        user_limiter=UserRateLimiter(settings.user_questions_per_minute),
        reindexer=Reindexer(engine, progress_interval, shutdown),
        shutdown=shutdown,
        search_k=search_k,
        qid_key=signing_key(settings.telegram_bot_token),
    )
    if importlib.util.find_spec("apscheduler") and app.job_queue:  # the [job-queue] extra: daily even when idle
        app.job_queue.run_repeating(_prune, interval=PRUNE_EVERY_SECONDS, first=PRUNE_EVERY_SECONDS)
    app.add_handlers(update_handlers(settings))
    app.add_error_handler(error_reply.on_error)
    app.bot_data[feed_polling.FEEDS_KEY] = poller = feed_polling.FeedPoller(settings, engine, services.shutdown)
    feed_polling.schedule(app, poller)
    return app


def _telegram_application(settings: Settings, token: str, rate_limiter: BaseRateLimiter[Any]) -> BotApplication:
    """python-telegram-bot's Application for the token and settings' Bot API, with nothing registered yet:
    HTML messages without link previews, updates handled concurrently."""
    app: BotApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .http_version("1.1")
        .get_updates_http_version("1.1")
        .rate_limiter(rate_limiter)
        .concurrent_updates(True)
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,  # the asker may delete the question before the answer
            )
        )
        .build()
    )
    return app


async def _prune(context: BotContext) -> None:
    """The daily JobQueue prune (without the extra, the store prunes itself as questions arrive)."""
    await context.bot_data[SERVICES_KEY].store.prune()
