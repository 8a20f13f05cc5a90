"""Public commands that work in any chat: /start, /help, /sources, /latest, and unknown commands."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.context import BotContext, is_admin, message_of, texts
from bot.render import esc, latest_page, page_count, sources_keyboard, sources_page

SOURCES_PER_PAGE = 10
LATEST_LIMIT = 10  # articles /latest lists


async def start(update: Update, context: BotContext) -> None:
    """Greet the user and show an example question."""
    user = update.effective_user
    name = esc(user.first_name if user else "")
    await message_of(update).reply_text(texts(update).start.format(name=name))


async def help_command(update: Update, context: BotContext) -> None:
    """Explain private questions, groups, inline mode and buttons."""
    await message_of(update).reply_text(texts(update).help.format(bot=esc(context.bot.username)))


async def sources(update: Update, context: BotContext) -> None:
    """List the indexed articles, first page."""
    articles = await asyncio.to_thread(context.services.engine.articles)
    pages = page_count(len(articles), SOURCES_PER_PAGE)
    await message_of(update).reply_text(
        sources_page(articles, 0, SOURCES_PER_PAGE, texts(update), with_ids=is_admin(update, context)),
        reply_markup=sources_keyboard(0, pages),
    )


async def latest(update: Update, context: BotContext) -> None:
    """/latest [topic]: the newest indexed articles (about the topic), newest first, with links."""
    topic = " ".join(context.args or []).strip() or None
    found = await asyncio.to_thread(context.services.engine.latest, topic, LATEST_LIMIT)
    await message_of(update).reply_text(latest_page(found, topic, texts(update)))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point to /help for a command the bot does not know."""
    await message_of(update).reply_text(texts(update).unknown_command)
