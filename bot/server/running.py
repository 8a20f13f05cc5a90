"""Running a built Application: initialize it (getMe), publish the command menus, receive updates by
long polling or through a webhook, and stop everything cleanly, in that order."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.constants import UpdateType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Updater

from bot.context import SERVICES_KEY, BotApplication
from bot.messages.commands import ADMIN_COMMANDS, PUBLIC_COMMANDS
from bot.server import webhook
from bot.settings import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    UpdateType.MESSAGE,
    UpdateType.EDITED_MESSAGE,
    UpdateType.CALLBACK_QUERY,
    UpdateType.INLINE_QUERY,
    UpdateType.CHOSEN_INLINE_RESULT,
]


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
            await _start_webhook(app, settings, settings.webhook_url, stack)
        else:
            await _start_polling(app, updater, poll_timeout)
        await app.start()
        try:
            yield app
        finally:  # stop receiving first, then finish the updates in hand
            if updater.running:
                await updater.stop()
            await stack.aclose()
            if app.running:
                await app.stop()


async def _start_webhook(app: BotApplication, settings: Settings, url: str, stack: contextlib.AsyncExitStack) -> None:
    """Serve the webhook (stopped by stack) and register it with Telegram under a secret token."""
    secret = settings.webhook_secret or webhook.new_secret()
    if not settings.webhook_secret:
        log.info("SONDHANI_WEBHOOK_SECRET is not set: registering a random secret token for this run")
    await stack.enter_async_context(
        webhook.serving(
            app,
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            path=urlsplit(url).path,
            secret=secret,
        )
    )
    await app.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)


async def _start_polling(app: BotApplication, updater: Updater, poll_timeout: float) -> None:
    """Long polling; a polling error (e.g. 409 Conflict: another instance polls) goes to the error handler."""

    def report_polling_error(exc: TelegramError) -> None:
        app.create_task(app.process_error(update=None, error=exc))

    await updater.start_polling(
        timeout=timedelta(seconds=poll_timeout),
        allowed_updates=ALLOWED_UPDATES,
        error_callback=report_polling_error,
    )
