"""The one error handler: log the traceback, tell the user briefly, and report a 409 Conflict
(two processes polling one token) in plain words."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Conflict, Forbidden, NetworkError

from bot.context import BotContext, texts

log = logging.getLogger(__name__)

CONFLICT_LINE = (
    "Telegram answered 409 Conflict (%s): another process is using this bot token (polling, or it set "
    "a webhook). Only one replica may use long polling; stop the other one, or run several replicas "
    "behind a webhook (SONDHANI_WEBHOOK_URL)."
)


async def on_error(update: object, context: BotContext) -> None:
    """Log every error; tell the user of a failed update that something went wrong."""
    error = context.error
    if isinstance(error, Conflict):
        log.error(CONFLICT_LINE, error.message)
        return
    if update is None and isinstance(error, NetworkError):
        log.warning("Cannot reach the Bot API while fetching updates (%s); retrying", error.message)
        return
    if isinstance(error, Forbidden):
        log.warning("Telegram refused a message (%s): the user blocked the bot or left the chat", error.message)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Error while handling update %s", update_id, exc_info=error)
    if isinstance(update, Update):
        await _tell_user(update, context)


async def _tell_user(update: Update, context: BotContext) -> None:
    """A short apology where the user will see it; never the error itself."""
    text = texts(update).error
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
    elif update.callback_query is not None:  # a button under an inline-mode message
        await update.callback_query.answer(text, show_alert=True)
