"""Wiring: `build_application` registers every handler; `running` starts and stops it; `run_bot` is
`sondhani run` (engine and state opened once, polling or webhook, clean shutdown on SIGTERM).

Damaged state never crash-loops a start: a bot.sqlite3 SQLite cannot read is moved aside, an unreadable
index is rebuilt from the corpus before serving, and SIGTERM interrupts a running re-index."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import signal
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode, UpdateType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    BaseHandler,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import feeds as feed_polling
from bot import render, webhook
from bot.context import SEARCH_K, SERVICES_KEY, BotApplication, BotContext, Services
from bot.handlers import admin, buttons, errors, general, groups, inline, links, private
from bot.messages.commands import ADMIN_COMMANDS, PUBLIC_COMMANDS
from bot.qids import signing_key
from bot.ratelimit import UserRateLimiter
from bot.reindex import PROGRESS_INTERVAL, Reindexer
from bot.settings import Settings
from bot.store import DB_NAME, Store
from bot.store.connection import PRUNE_EVERY_SECONDS
from retrieval import ReindexCancelled, SearchEngine, SondhaniError, StateLocked, move_aside, sqlite_problem

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    UpdateType.MESSAGE,
    UpdateType.EDITED_MESSAGE,
    UpdateType.CALLBACK_QUERY,
    UpdateType.INLINE_QUERY,
    UpdateType.CHOSEN_INLINE_RESULT,
]


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
    app: BotApplication = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .http_version("1.1")
        .get_updates_http_version("1.1")
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
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
    app.bot_data[SERVICES_KEY] = Services(
        settings=settings,
        engine=engine,
        store=store,
        user_limiter=UserRateLimiter(settings.user_questions_per_minute),
        reindexer=Reindexer(engine, progress_interval),
        search_k=search_k,
        qid_key=signing_key(settings.telegram_bot_token),
    )
    if importlib.util.find_spec("apscheduler") and app.job_queue:  # the [job-queue] extra: daily even when idle
        app.job_queue.run_repeating(_prune, interval=PRUNE_EVERY_SECONDS, first=PRUNE_EVERY_SECONDS)
    app.add_handlers(_handlers(settings))
    app.add_error_handler(errors.on_error)
    app.bot_data[feed_polling.FEEDS_KEY] = poller = feed_polling.FeedPoller(settings, engine)
    feed_polling.schedule(app, poller)
    return app


def _handlers(settings: Settings) -> list[BaseHandler[Any, BotContext, Any]]:
    """Every update handler, in the order they are tried: the first whose filter matches answers."""
    new = filters.UpdateType.MESSAGE  # commands other than /ask ignore edits
    private_chat, group_chat = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    admins = filters.User(user_id=settings.admin_ids, allow_empty=False)
    not_text = (
        filters.Sticker.ALL
        | filters.PHOTO
        | filters.VOICE
        | filters.VIDEO
        | filters.AUDIO
        | filters.VIDEO_NOTE
        | filters.ANIMATION
        | filters.LOCATION
        | filters.CONTACT
    )
    return [
        CommandHandler("start", general.start, filters=new),
        CommandHandler("help", general.help_command, filters=new),
        CommandHandler("sources", general.sources, filters=new),
        CommandHandler("ask", groups.ask),
        CommandHandler("reindex", admin.reindex, filters=new),
        CommandHandler("status", admin.status, filters=new),
        CommandHandler("stats", admin.stats, filters=new),
        CommandHandler("add", links.add_command, filters=new),
        CommandHandler("feeds", feed_polling.feeds_command, filters=new),
        MessageHandler(private_chat & new & filters.Document.ALL, admin.upload),
        MessageHandler(private_chat & new & filters.COMMAND, general.unknown_command),
        # An admin's link is fetched; anyone else's stays a question and is never fetched.
        MessageHandler(private_chat & new & admins & links.OnlyLinks(), links.link_message),
        MessageHandler(private_chat & filters.TEXT, private.question),
        MessageHandler(private_chat & new & not_text, private.not_text),
        MessageHandler(group_chat & filters.TEXT & ~filters.COMMAND & groups.RepliesToBot(), groups.follow_up),
        MessageHandler(group_chat & filters.TEXT & ~filters.COMMAND & groups.MentionsBot(), groups.mention),
        CallbackQueryHandler(buttons.result_page, pattern=render.PAGE_PATTERN),
        CallbackQueryHandler(buttons.feedback, pattern=render.FEEDBACK_PATTERN),
        CallbackQueryHandler(buttons.sources_page_button, pattern=render.SOURCES_PATTERN),
        CallbackQueryHandler(admin.upload_decision, pattern=render.UPLOAD_PATTERN),
        CallbackQueryHandler(buttons.unknown_button),  # after every pattern: whatever else is pressed
        InlineQueryHandler(inline.inline_query),
        ChosenInlineResultHandler(inline.chosen_result),
    ]


async def _prune(context: BotContext) -> None:
    """The daily JobQueue prune (without the extra, the store prunes itself as questions arrive)."""
    await context.bot_data[SERVICES_KEY].store.prune()


async def publish_commands(bot: Bot, admin_ids: frozenset[int]) -> None:
    """Public commands for everyone; admins also see the admin commands, in their own chat only."""
    public = [BotCommand(name, about) for name, about in PUBLIC_COMMANDS]
    admin_menu = public + [BotCommand(name, about) for name, about in ADMIN_COMMANDS]
    await bot.set_my_commands(public, scope=BotCommandScopeDefault())
    for admin_id in sorted(admin_ids):
        try:
            await bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin_id))
        except BadRequest as exc:  # "chat not found" until the admin has started the bot
            log.warning("No admin command menu for %s (%s): the admin must /start the bot first", admin_id, exc.message)


@contextlib.asynccontextmanager
async def running(app: BotApplication, *, poll_timeout: float = 10.0) -> AsyncIterator[BotApplication]:
    """Initialize (getMe), publish the command menus, receive updates (polling, or a webhook when
    settings.webhook_url is set), and stop everything cleanly on exit.

    A webhook always has a secret token (a random one for this run when none is configured): without
    one, anyone who found the URL could post updates as any user, admins included."""
    settings = app.bot_data[SERVICES_KEY].settings
    updater = app.updater
    if updater is None:
        raise ValueError("the application has no updater")
    async with app, contextlib.AsyncExitStack() as stack:
        await publish_commands(app.bot, settings.admin_ids)
        if settings.webhook_url:
            secret = settings.webhook_secret or webhook.new_secret()
            if not settings.webhook_secret:
                log.info("SONDHANI_WEBHOOK_SECRET is not set: registering a random secret token for this run")
            await stack.enter_async_context(
                webhook.serving(
                    app,
                    listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    path=urlsplit(settings.webhook_url).path,
                    secret=secret,
                )
            )
            await app.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        else:

            def report_polling_error(exc: TelegramError) -> None:  # e.g. 409 Conflict: to the error handler
                app.create_task(app.process_error(update=None, error=exc))

            await updater.start_polling(
                timeout=timedelta(seconds=poll_timeout),
                allowed_updates=ALLOWED_UPDATES,
                error_callback=report_polling_error,
            )
        await app.start()
        try:
            yield app
        finally:  # stop receiving first, then finish the updates in hand
            if updater.running:
                await updater.stop()
            await stack.aclose()
            if app.running:
                await app.stop()


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
    started = time.perf_counter()
    stop = _stop_event()
    problem = await _check_token(settings)
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
        await _log_engine(engine, time.perf_counter() - started)
        if engine.damage and not await _rebuild_damaged(engine, stop):
            log.info("Stopped before the index was rebuilt; the next start rebuilds it")
            return 0
        store = await _open_store(settings.state_dir / DB_NAME, settings.history_days)
        stack.push_async_callback(store.close)
        app = build_application(settings, engine, store, rate_limiter=rate_limiter)
        try:
            async with running(app):
                mode = f"webhook {settings.webhook_url}" if settings.webhook_url else "long polling"
                log.info("Bot @%s is up (%s) %.1f s after start", app.bot.username, mode, time.perf_counter() - started)
                await stop.wait()
                log.info("Stopping: finishing the updates in hand")
                await app.bot_data[SERVICES_KEY].reindexer.stop()  # a running re-index stops at its next batch
        except webhook.WebhookUnavailable as exc:
            log.error("The webhook server %s: set SONDHANI_WEBHOOK_LISTEN / SONDHANI_WEBHOOK_PORT", exc)
            return 1
    log.info("Stopped cleanly")
    return 0


async def _check_token(settings: Settings) -> str | None:
    """getMe before the model loads, so a bad token or API URL fails in a second rather than after a
    load. Returns the one line to log, or None when the token works.

    Plain httpx rather than PTB's Bot: PTB takes any 401/404 for a bad token, even an empty 404 from
    a server that is not the Bot API at all (a wrong SONDHANI_TELEGRAM_API_URL), and logs a traceback
    when the body is not JSON. Only a Bot API answer ({"ok": ...}) can say anything about the token.
    """
    api, token = settings.bot_api_root, str(settings.telegram_bot_token)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"{settings.bot_api_url}{token}/getMe")
    except httpx.HTTPError as exc:  # the token is part of the URL: never let it into the log
        return f"Cannot reach the Bot API at {api}: {str(exc).replace(token, '<token>') or type(exc).__name__}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or "ok" not in body:
        return f"The Bot API server at {api} answered {response.status_code}: is SONDHANI_TELEGRAM_API_URL right?"
    if body["ok"]:
        return None
    if response.status_code in (401, 404):
        return "Telegram rejected the bot token (getMe answered 401/404): check TELEGRAM_BOT_TOKEN"
    description = str(body.get("description", "")).replace(token, "<token>")
    return f"The Bot API at {api} refused getMe ({response.status_code} {description})"


async def _log_engine(engine: SearchEngine, seconds: float) -> None:
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


async def _open_store(path: Path, history_days: float) -> Store:
    """The bot's database; one SQLite cannot read (malformed, not a database) is moved aside and a new
    one started, with one warning line: the question log and votes are lost, the bot keeps running."""
    problem = await asyncio.to_thread(sqlite_problem, path)
    if problem is None:
        try:
            return await Store.open(path, history_days)
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
    aside = await asyncio.to_thread(move_aside, path)
    log.warning("The bot's database %s was damaged (%s): moved to %s, started anew", path.name, problem, aside.name)
    return await Store.open(path, history_days)


async def _rebuild_damaged(engine: SearchEngine, stop: asyncio.Event) -> bool:
    """Rebuild an unreadable index from the corpus before serving (the engine has logged why).
    False when a stop signal interrupted it."""
    cancel = threading.Event()
    relay = asyncio.create_task(stop.wait())
    relay.add_done_callback(lambda _: cancel.set())
    try:
        report = await asyncio.to_thread(engine.reindex, cancel=cancel)
    except ReindexCancelled:
        return False
    except SondhaniError as exc:
        log.error("Could not rebuild the index: %s; send /reindex once the corpus is fixed", exc)
        return True
    finally:
        relay.cancel()
    log.info("Index rebuilt from the corpus: %d articles, %d passages", report.articles, report.passages)
    return True


def _stop_event() -> asyncio.Event:
    """An event set on SIGTERM or SIGINT (signals are only available in the main thread)."""
    stop = asyncio.Event()
    if threading.current_thread() is threading.main_thread():
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    return stop
