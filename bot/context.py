"""The services every handler reaches through its typed context, handed over in `build_application`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, cast

from telegram import CallbackQuery, Message, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.jobs.reindex import Reindexer
from bot.messages.language import texts_for
from bot.messages.texts import Texts
from bot.ratelimit import UserRateLimiter
from bot.removal import PendingRemoval
from bot.settings import Settings
from bot.store import Store
from retrieval import SearchEngine

SERVICES_KEY = "services"
SEARCH_K = 10  # hits fetched per question: pages of results and inline results


@dataclass
class Services:
    """Shared, long-lived objects of one running bot."""

    settings: Settings
    engine: SearchEngine
    store: Store
    user_limiter: UserRateLimiter
    reindexer: Reindexer
    # Set when the bot stops: every re-index (an admin's /reindex, after added links, after a feed poll)
    # stops at its next batch instead of holding SIGTERM until it ends; its generation is discarded.
    shutdown: threading.Event = field(default_factory=threading.Event)
    search_k: int = SEARCH_K
    qid_key: bytes = b""  # signs answer ids (bot.qids), so a forged button id is refused without work
    started_at: float = field(default_factory=time.monotonic)
    # /remove questions awaiting the admin's button, by the token in their callback data. In memory: after
    # a restart (or on another replica) the button says to send /remove again.
    removals: dict[str, PendingRemoval] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the bot's services."""

    @property
    def services(self) -> Services:
        """The services handed to `build_application`."""
        return cast(Services, self.bot_data[SERVICES_KEY])

    def matched(self) -> tuple[str, ...]:
        """The groups of the callback_data pattern the handler matched."""
        if self.match is None:
            raise ValueError("no pattern matched this update")
        return tuple(self.match.groups())


BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def texts(update: Update) -> Texts:
    """Interface strings in the language of the update's user."""
    user = update.effective_user
    return texts_for(user.language_code if user else None)


def is_admin(update: Update, context: BotContext) -> bool:
    """True when the update's user is one of settings.admin_ids."""
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids


def message_of(update: Update) -> Message:
    """The update's message; message and command handlers always have one."""
    if update.effective_message is None:
        raise ValueError(f"update {update.update_id} carries no message")
    return update.effective_message


def query_of(update: Update) -> CallbackQuery:
    """The update's callback query; button handlers always have one."""
    if update.callback_query is None:
        raise ValueError(f"update {update.update_id} carries no callback query")
    return update.callback_query
