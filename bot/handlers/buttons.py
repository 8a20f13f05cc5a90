"""Inline-keyboard buttons: result pages, 👍/👎, and /sources pages. Everything they need is read
back from SQLite by the short id in callback_data, so they work after a restart.

callback_data can be forged, so a press is checked before it costs anything: it counts against the
presser's question limit, and an id the bot neither stored nor signed for this chat gets one alert."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import BotContext, Services, is_admin, query_of, texts
from bot.handlers.general import SOURCES_PER_PAGE
from bot.qids import is_signed
from bot.render import answer_keyboard, answer_page, page_count, question_shown, sources_keyboard, sources_page
from bot.store.question_log import HitRef, QuestionRecord, StoredQuestion
from retrieval import Hit, IndexMissing, Passage, SearchResult

log = logging.getLogger(__name__)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the button's message; pressing the same page twice is not an error."""
    try:
        await query_of(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
        log.debug("Page already shown: %s", exc.message)


async def _within_limit(update: Update, context: BotContext) -> bool:
    """A press counts against the presser's question limit (it may search); past it, one short alert."""
    query, t = query_of(update), texts(update)
    wait = context.services.user_limiter.check(query.from_user.id)
    if wait:
        await query.answer(t.rate_limited.format(seconds=t.num(max(1, round(wait)))), show_alert=True)
    return not wait


async def _search(svc: Services, question: str) -> SearchResult | None:
    """Search off the event loop; the result names the index that answered (its pages are re-shown from
    that index's passages while it serves, and searched again after). None: no index."""
    try:
        return await asyncio.to_thread(svc.engine.search, question, svc.search_k)
    except IndexMissing:
        return None


async def _stored_answer(update: Update, context: BotContext, qid: str) -> StoredQuestion | None:
    """The stored answer behind a button. An id this process never stored is searched again from the
    question the message shows (another replica answered it, or its state was lost), but only when the
    id is one the bot signed for this chat: a made-up id costs this one lookup, no search and no row."""
    svc = context.services
    stored = await svc.store.question(qid)
    message = query_of(update).message
    if stored is not None or not isinstance(message, Message):
        return stored
    if not is_signed(svc.qid_key, qid, message.chat.id):
        log.info("Refused a button with an answer id the bot did not make: %r", qid)
        return None
    question = question_shown(message.text or "")
    result = await _search(svc, question) if question else None
    if question is None or result is None:
        return None
    log.info("Recovered answer %s by searching again", qid)
    record = QuestionRecord(question, "recovered", chat_id=message.chat.id, chat_type=message.chat.type)
    await svc.store.save_question(record, result.hits, qid=qid, generation=result.generation)
    return await svc.store.question(qid)


async def _page_hits(svc: Services, stored: StoredQuestion) -> list[Hit]:
    """The hits of a stored answer: rebuilt from its passage ids while the index it was found in still
    serves; otherwise (re-indexed since, or stored before ids were kept) its question is searched again
    and the new hits are stored."""
    if stored.generation is not None:
        if not stored.hits:
            return []
        ids = [ref.passage_id for ref in stored.hits]
        passages = await asyncio.to_thread(svc.engine.passages_by_id, ids, stored.generation)
        if len(passages) == len(ids):
            return [_hit(rank, ref, p) for rank, (ref, p) in enumerate(zip(stored.hits, passages, strict=True), 1)]
    result = await _search(svc, stored.question)
    if result is None:
        return []
    await svc.store.replace_hits(stored.qid, result.hits, result.generation)
    return result.hits


def _hit(rank: int, ref: HitRef, passage: Passage) -> Hit:
    """A stored hit made whole again from its passage."""
    start, end = ref.highlight_start, ref.highlight_end
    highlight = passage.text[start:end] if 0 <= start <= end <= len(passage.text) else ""
    return Hit(
        rank,
        ref.score,
        passage.passage_id,
        passage.doc_id,
        passage.text,
        highlight,
        passage.title,
        passage.source,
        passage.url,
        passage.published,
    )


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
    if not await _within_limit(update, context):
        return
    stored = await _stored_answer(update, context, qid)
    if stored is not None and _pressed_elsewhere(update, stored):
        await query.answer(texts(update).not_this_chat, show_alert=True)
        return
    hits = await _page_hits(svc, stored) if stored is not None else []
    pages = page_count(len(hits), per_page)
    if stored is None or not hits or page >= pages:
        await query.answer(texts(update).result_gone, show_alert=True)
        return
    await query.answer()
    await _show(update, answer_page(stored.question, hits, page, per_page), answer_keyboard(qid, page, pages))


async def feedback(update: Update, context: BotContext) -> None:
    """Record a 👍 or 👎 on a stored answer (one vote per user; the latest counts)."""
    query, t = query_of(update), texts(update)
    qid, vote = context.matched()
    if not await _within_limit(update, context):
        return
    stored = await _stored_answer(update, context, qid)
    if stored is not None and _pressed_elsewhere(update, stored):
        await query.answer(t.not_this_chat, show_alert=True)
        return
    known = stored is not None
    known = known and await context.services.store.record_feedback(qid, query.from_user.id, 1 if vote == "u" else -1)
    await query.answer(t.feedback_thanks if known else t.result_gone, show_alert=not known)


async def sources_page_button(update: Update, context: BotContext) -> None:
    """Show another page of /sources."""
    query, t = query_of(update), texts(update)
    articles = await asyncio.to_thread(context.services.engine.articles)
    pages = page_count(len(articles), SOURCES_PER_PAGE)
    page = min(int(context.matched()[0]), pages - 1)
    await query.answer()
    text = sources_page(articles, page, SOURCES_PER_PAGE, t, with_ids=is_admin(update, context))
    await _show(update, text, sources_keyboard(page, pages))


async def unknown_button(update: Update, context: BotContext) -> None:
    """callback_data no button pattern matches (an old layout, or forged): answer it, or the
    user's client shows a spinner until it times out."""
    await query_of(update).answer(texts(update).unknown_button, show_alert=True)
