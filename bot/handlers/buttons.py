"""Inline-keyboard buttons: result pages, 👍/👎, and /sources pages. Everything they need is read
back from SQLite by the short id in callback_data, so they work after a restart."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import BotContext, query_of, texts
from bot.handlers.general import SOURCES_PER_PAGE
from bot.render import answer_keyboard, answer_page, page_count, question_shown, sources_keyboard, sources_page
from bot.store import QuestionRecord, StoredQuestion
from retrieval.errors import IndexMissing

log = logging.getLogger(__name__)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the button's message; pressing the same page twice is not an error."""
    try:
        await query_of(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
        log.debug("Page already shown: %s", exc.message)


async def _stored_answer(update: Update, context: BotContext, qid: str) -> StoredQuestion | None:
    """The stored answer behind a button. One this process never stored (answered by another
    replica, or its state was lost) is searched again from the question the message shows."""
    svc = context.services
    stored = await svc.store.question(qid)
    message = query_of(update).message
    if stored is not None or not isinstance(message, Message):
        return stored
    question = question_shown(message.text or "")
    if question is None:
        return None
    try:
        result = await asyncio.to_thread(svc.engine.search, question, svc.search_k)
    except IndexMissing:
        return None
    log.info("Recovered answer %s by searching again", qid)
    record = QuestionRecord(question, "recovered", chat_id=message.chat.id, chat_type=message.chat.type)
    await svc.store.save_question(record, result.hits, qid=qid)
    return await svc.store.question(qid)


def _pressed_elsewhere(update: Update, stored: StoredQuestion) -> bool:
    """True when the button's answer was given in another chat. callback_data can be forged, and an
    answer id from one chat must not page through (or vote on) that chat's results from another."""
    message = query_of(update).message
    return stored.chat_id is not None and (message is None or message.chat.id != stored.chat_id)


async def result_page(update: Update, context: BotContext) -> None:
    """Show another page of a stored answer."""
    query, svc = query_of(update), context.services
    qid, page_text = context.matched()
    page, per_page = int(page_text), svc.settings.results_per_page
    stored = await _stored_answer(update, context, qid)
    if stored is not None and _pressed_elsewhere(update, stored):
        await query.answer(texts(update).not_this_chat, show_alert=True)
        return
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
    stored = await _stored_answer(update, context, qid)
    if stored is not None and _pressed_elsewhere(update, stored):
        await query.answer(t.not_this_chat, show_alert=True)
        return
    known = stored is not None
    known = known and await context.services.store.record_feedback(qid, query.from_user.id, 1 if vote == "u" else -1)
    await query.answer(t.feedback_thanks if known else t.result_gone)


async def sources_page_button(update: Update, context: BotContext) -> None:
    """Show another page of /sources."""
    query, t = query_of(update), texts(update)
    articles = await asyncio.to_thread(context.services.engine.articles)
    pages = page_count(len(articles), SOURCES_PER_PAGE)
    page = min(int(context.matched()[0]), pages - 1)
    await query.answer()
    await _show(update, sources_page(articles, page, SOURCES_PER_PAGE, t), sources_keyboard(page, pages))


async def unknown_button(update: Update, context: BotContext) -> None:
    """callback_data no button pattern matches (an old layout, or forged): answer it, or the
    user's client shows a spinner until it times out."""
    await query_of(update).answer(texts(update).unknown_button, show_alert=True)
