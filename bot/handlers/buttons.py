"""Inline-keyboard buttons: result pages, 👍/👎, and /sources pages. Everything they need is read
back from SQLite by the short id in callback_data, so they work after a restart."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import BotContext, query_of, texts
from bot.handlers.general import SOURCES_PER_PAGE
from bot.render import answer_keyboard, answer_page, page_count, sources_keyboard, sources_page

log = logging.getLogger(__name__)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the button's message; pressing the same page twice is not an error."""
    try:
        await query_of(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
        log.debug("Page already shown: %s", exc.message)


async def result_page(update: Update, context: BotContext) -> None:
    """Show another page of a stored answer."""
    query, svc = query_of(update), context.services
    qid, page_text = context.matched()
    page, per_page = int(page_text), svc.settings.results_per_page
    stored = await svc.store.question(qid)
    pages = page_count(len(stored.hits), per_page) if stored else 0
    if stored is None or not stored.hits or page >= pages:
        await query.answer(texts(update).result_gone, show_alert=True)
        return
    await query.answer()
    await _show(update, answer_page(stored.question, stored.hits, page, per_page), answer_keyboard(qid, page, pages))


async def feedback(update: Update, context: BotContext) -> None:
    """Record a 👍 or 👎 on a stored answer (one vote per user; the latest counts)."""
    query, t = query_of(update), texts(update)
    qid, vote = context.matched()
    known = await context.services.store.record_feedback(qid, query.from_user.id, 1 if vote == "u" else -1)
    await query.answer(t.feedback_thanks if known else t.result_gone)


async def sources_page_button(update: Update, context: BotContext) -> None:
    """Show another page of /sources."""
    query, t = query_of(update), texts(update)
    articles = await asyncio.to_thread(context.services.engine.articles)
    pages = page_count(len(articles), SOURCES_PER_PAGE)
    page = min(int(context.matched()[0]), pages - 1)
    await query.answer()
    await _show(update, sources_page(articles, page, SOURCES_PER_PAGE, t), sources_keyboard(page, pages))
