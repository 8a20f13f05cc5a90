"""/remove ID for admins: the article's file is moved aside (bot.removal) after the admin confirms with
a button, then the index is updated in the background. Every step is audited; a press from anyone but
the asking admin, in another chat, or with callback data no /remove issued, is refused with an alert."""

from __future__ import annotations

import asyncio
import secrets
import time

from telegram import Message, Update

from bot.context import BotContext, is_admin, message_of, query_of, texts
from bot.handlers.admin import allowed
from bot.messages.citations import article_label
from bot.messages.texts import Texts
from bot.removal import PENDING_SECONDS, PendingRemoval, RemovalPlan, plan_removal, set_aside
from bot.render import esc, remove_keyboard
from retrieval import CorpusError


async def remove_command(update: Update, context: BotContext) -> None:
    """/remove ID: ask the admin to confirm taking the article out of the corpus."""
    args = context.args or []
    if not await allowed(update, context, "/remove", " ".join(args)):
        return
    message, svc, t = message_of(update), context.services, texts(update)
    if len(args) != 1:
        await message.reply_text(t.remove_usage)
        return
    try:
        engine, doc_id = svc.engine, args[0]
        plan = await asyncio.to_thread(
            lambda: plan_removal(engine.config.data_dir, doc_id, engine.article_file(doc_id))
        )
    except CorpusError as exc:
        await message.reply_text(t.remove_refused.format(reason=esc(exc)))
        return
    token = secrets.token_hex(4)
    user_id = update.effective_user.id if update.effective_user else 0
    _forget_old(context)
    svc.removals[token] = PendingRemoval(plan, user_id, message.chat_id, time.monotonic())
    ask = t.remove_ask.format(label=esc(_label(plan, t)), doc_id=esc(plan.doc_id), file=esc(plan.file.name))
    await message.reply_text(ask, reply_markup=remove_keyboard(token, t))


async def remove_decision(update: Update, context: BotContext) -> None:
    """The Remove / Cancel button under a /remove question."""
    query, svc, t = query_of(update), context.services, texts(update)
    token, choice = context.matched()
    pending = svc.removals.get(token)
    message = query.message
    admin = is_admin(update, context)
    mine = (
        pending is not None
        and admin
        and query.from_user.id == pending.user_id
        and isinstance(message, Message)
        and message.chat.id == pending.chat_id
        and time.monotonic() - pending.asked_at <= PENDING_SECONDS
    )
    await svc.store.audit(
        user_id=query.from_user.id,
        username=query.from_user.username,
        chat_id=message.chat.id if message else None,
        action="remove-confirm" if choice == "y" else "remove-cancel",
        allowed=mine,
        detail=pending.plan.doc_id if pending else token,
    )
    if not admin:
        await query.answer(t.admin_only, show_alert=True)
        return
    if pending is None or not mine or not isinstance(message, Message):
        await query.answer(t.remove_gone, show_alert=True)
        return
    if choice == "y" and svc.reindexer.running:
        await query.answer(t.reindex_running, show_alert=True)  # still pending: press again later
        return
    del svc.removals[token]
    await query.answer()
    await _decide(context, message, pending.plan, choice, t, update)


async def _decide(
    context: BotContext, message: Message, plan: RemovalPlan, choice: str, t: Texts, update: Update
) -> None:
    """Cancel, or move the file aside and start the re-index that reports into the same message."""
    label = esc(_label(plan, t))
    if choice == "c":
        await message.edit_text(t.remove_cancelled.format(label=label))
        return
    svc = context.services
    try:
        moved = await asyncio.to_thread(set_aside, plan, svc.settings.state_dir)
    except (CorpusError, OSError) as exc:
        await message.edit_text(t.remove_refused.format(reason=esc(exc)))
        return
    progress = await message.edit_text(t.remove_done.format(label=label, moved=esc(moved.name)))
    if isinstance(progress, Message) and not svc.reindexer.start(context.application, progress, t, update):
        await progress.edit_text(t.reindex_running)


def _label(plan: RemovalPlan, t: Texts) -> str:
    return article_label(plan.title, plan.source, plan.published, t)


def _forget_old(context: BotContext) -> None:
    """Drop questions whose hour has passed, so the table never grows."""
    removals, now = context.services.removals, time.monotonic()
    for token in [k for k, p in removals.items() if now - p.asked_at > PENDING_SECONDS]:
        del removals[token]
