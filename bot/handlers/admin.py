"""Admin commands (settings.admin_ids): /reindex, uploads, /status, /stats. Every attempt, allowed or
refused, goes into the audit log; anyone else gets a polite refusal."""

from __future__ import annotations

import asyncio
import importlib.metadata
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import Message, Update

from bot.context import BotContext, Services, is_admin, message_of, query_of, texts
from bot.link_texts import LinkTexts
from bot.messages.citations import format_date
from bot.messages.texts import Texts
from bot.render import esc, upload_keyboard
from bot.settings import Settings
from bot.store.held_uploads import PendingUpload
from bot.store.stats import ChatCount
from retrieval import SUPPORTED_SUFFIXES, CorpusError, UploadPlan, plan_upload, write_upload


async def allowed(update: Update, context: BotContext, action: str, detail: str = "") -> bool:
    """Audit the attempt; refuse politely unless the user is an admin."""
    user, chat = update.effective_user, update.effective_chat
    ok = is_admin(update, context)
    await context.services.store.audit(
        user_id=user.id if user else None,
        username=user.username if user else None,
        chat_id=chat.id if chat else None,
        action=action,
        allowed=ok,
        detail=detail,
    )
    if not ok:
        await message_of(update).reply_text(texts(update).admin_only)
    return ok


async def reindex(update: Update, context: BotContext) -> None:
    """/reindex [full]: bring the index in line with the corpus, in the background."""
    args = context.args or []
    if not await allowed(update, context, "/reindex", " ".join(args)):
        return
    svc, t, message = context.services, texts(update), message_of(update)
    if svc.reindexer.running:
        await message.reply_text(t.reindex_running)
        return
    progress = await message.reply_text(t.reindex_started)
    rebuild = bool(args) and args[0].lower() in {"full", "rebuild"}
    if not svc.reindexer.start(context.application, progress, t, update, rebuild=rebuild):
        await progress.edit_text(t.reindex_running)


async def upload(update: Update, context: BotContext) -> None:
    """A corpus file (retrieval.SUPPORTED_SUFFIXES) from an admin: save it into the corpus, then re-index.

    A corpus file is never overwritten unasked: an upload whose name is taken is saved under a free
    name, and a new version of an existing file (the same article ids) replaces it only after the admin
    has seen how many articles that removes and pressed "Replace"."""
    message = message_of(update)
    document = message.document
    if document is None:
        return
    name = Path(document.file_name or "").name
    if not await allowed(update, context, "upload", name):
        return
    svc, t = context.services, texts(update)
    refusal = _refused_before_download(name, document.file_size, svc, t)
    if refusal:
        await message.reply_text(refusal, do_quote=True)
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    limit = svc.settings.max_upload_bytes
    if len(data) > limit:
        await message.reply_text(t.upload_too_big.format(size=t.num(len(data)), limit=t.num(limit)), do_quote=True)
        return
    data_dir = svc.engine.config.data_dir
    try:
        plan = await asyncio.to_thread(plan_upload, data_dir, name, data)
        if plan.identical:
            await message.reply_text(t.upload_identical.format(name=esc(plan.name)), do_quote=True)
            return
        if plan.replaces is not None:
            await _ask_to_replace(update, context, plan, data)
            return
        saved = await asyncio.to_thread(write_upload, data_dir, plan, data)
    except (CorpusError, OSError) as exc:
        await message.reply_text(t.upload_refused.format(reason=esc(_reason(exc))), do_quote=True)
        return
    progress = await message.reply_text(_saved_as(plan, saved, t), do_quote=True)
    if not svc.reindexer.start(context.application, progress, t, update):
        await progress.edit_text(t.reindex_running)


def _refused_before_download(name: str, size: int | None, svc: Services, t: Texts) -> str | None:
    """Why an upload is refused before a byte is downloaded (its type, its declared size, a re-index
    under way), or None."""
    limit = svc.settings.max_upload_bytes
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return t.upload_bad_type.format(suffixes=t.listing(SUPPORTED_SUFFIXES))
    if (size or 0) > limit:
        return t.upload_too_big.format(size=t.num(size), limit=t.num(limit))
    if svc.reindexer.running:
        return t.upload_busy
    return None


def _saved_as(plan: UploadPlan, saved: Path, t: Texts) -> str:
    """The reply to a saved upload: under its own name, or beside a file that already had it."""
    if plan.renamed:
        return t.upload_kept_both.format(requested=esc(plan.requested), name=esc(saved.name))
    return t.upload_saved.format(name=esc(saved.name))


async def _ask_to_replace(update: Update, context: BotContext, plan: UploadPlan, data: bytes) -> None:
    """Hold the upload and ask the admin, with the numbers, whether to replace the existing file."""
    message, svc, t = message_of(update), context.services, texts(update)
    user_id = update.effective_user.id if update.effective_user else 0
    token = await svc.store.hold_upload(user_id, message.chat_id, plan.name, plan.replaced_sha256 or "", data)
    ask = t.upload_replace_ask.format(
        name=esc(plan.name),
        existing=t.num(plan.updated + plan.removed),
        articles=t.num(plan.articles),
        added=t.num(plan.added),
        updated=t.num(plan.updated),
        removed=t.num(plan.removed),
    )
    await message.reply_text(ask, reply_markup=upload_keyboard(token, t), do_quote=True)


async def upload_decision(update: Update, context: BotContext) -> None:
    """ "Replace" or "Cancel" under a held upload: only its admin, in its chat, once."""
    query, svc, t = query_of(update), context.services, texts(update)
    token, choice = context.matched()
    pending = await svc.store.pending_upload(token)
    message = query.message
    mine = await _audited_decider(update, context, pending, token, choice)
    if pending is None or not mine or not isinstance(message, Message):
        await query.answer(t.upload_gone, show_alert=True)
        return
    if choice == "r" and svc.reindexer.running:
        await query.answer(t.upload_busy, show_alert=True)  # still held: press again later
        return
    if not await svc.store.drop_upload(token):
        await query.answer(t.upload_gone, show_alert=True)
        return
    await query.answer()
    name = esc(pending.file_name)
    if choice == "c":
        await message.edit_text(t.upload_cancelled.format(name=name))
        return
    try:
        text, replaced = await asyncio.to_thread(_replace, svc.engine.config.data_dir, pending, t)
    except (CorpusError, OSError) as exc:
        await message.edit_text(t.upload_refused.format(reason=esc(_reason(exc))))
        return
    progress = await message.edit_text(text)
    if not replaced or not isinstance(progress, Message):
        return
    if not svc.reindexer.start(context.application, progress, t, update):
        await progress.edit_text(t.reindex_running)


async def _audited_decider(
    update: Update, context: BotContext, pending: PendingUpload | None, token: str, choice: str
) -> bool:
    """Whether the press comes from the held upload's own admin, in its chat; audited either way."""
    query = query_of(update)
    message = query.message
    mine = (
        pending is not None
        and query.from_user.id == pending.user_id
        and is_admin(update, context)
        and isinstance(message, Message)
        and message.chat.id == pending.chat_id
    )
    await context.services.store.audit(
        user_id=query.from_user.id,
        username=query.from_user.username,
        chat_id=message.chat.id if message else None,
        action="upload-replace" if choice == "r" else "upload-cancel",
        allowed=mine,
        detail=pending.file_name if pending else token,
    )
    return mine


def _replace(data_dir: Path, pending: PendingUpload, t: Texts) -> tuple[str, bool]:
    """Replace the file as planned when the admin was asked; the reply to show, and whether it was
    replaced. Checked again first: the file must still be the one the admin saw."""
    plan = plan_upload(data_dir, pending.file_name, pending.data)
    if plan.identical:
        return t.upload_identical.format(name=esc(plan.name)), False
    if plan.replaces is None or plan.replaced_sha256 != pending.replaces_sha256:
        return t.upload_changed.format(name=esc(pending.file_name)), False
    write_upload(data_dir, plan, pending.data)
    return t.upload_replaced.format(name=esc(plan.name)), True


def _reason(exc: Exception) -> str:
    """One line for the admin: a CorpusError says it already; a file-system error by its cause."""
    if isinstance(exc, OSError):
        return f"the file could not be saved ({exc.strerror or type(exc).__name__})"
    return str(exc)


async def status(update: Update, context: BotContext) -> None:
    """/status: corpus size, model, dense search, last index, uptime, version."""
    if not await allowed(update, context, "/status"):
        return
    svc, t = context.services, texts(update)
    st = await asyncio.to_thread(svc.engine.status)
    text = t.status.format(
        articles=t.num(st.articles),
        passages=t.num(st.passages),
        model=esc(st.embedding_model or "—"),
        dense=t.dense_on if st.dense_enabled else t.dense_off,
        dense_note=esc(_dense_note(st.dense_note, svc.settings)),
        indexed_at=esc(_when(st.last_indexed_at, svc.settings.zone, t)),
        index_seconds=t.num(f"{st.last_index_seconds:.1f}") if st.last_index_seconds is not None else "—",
        uptime=t.duration(time.monotonic() - svc.started_at),
        version=esc(_version()),
    )
    if svc.reindexer.running:
        text += t.status_reindexing
    await message_of(update).reply_text(text)


def _dense_note(note: str, settings: Settings) -> str:
    """The library's note on dense search, with the setting that turned it off (the library names none)."""
    return f"{note}; SONDHANI_DENSE=off" if settings.dense == "off" else note


async def stats(update: Update, context: BotContext) -> None:
    """/stats: questions today and in 7 days, no-answer rate, votes, busiest groups, private chats counted."""
    if not await allowed(update, context, "/stats"):
        return
    t, zone = texts(update), context.services.settings.zone
    s = await context.services.store.stats(time.time(), zone)
    rate = f"{100 * s.week_no_answer / s.week:.0f}%" if s.week else "—"
    lines = [t.stats_chat_line.format(title=_chat_name(c), count=t.num(c.questions)) for c in s.busiest]
    if s.private_chats:
        lines.append(t.stats_private_line.format(chats=t.num(s.private_chats), count=t.num(s.private_questions)))
    chats = "\n".join(lines)
    await message_of(update).reply_text(
        t.stats.format(
            zone=esc(zone.key),
            today=t.num(s.today),
            week=t.num(s.week),
            no_answer_rate=t.num(rate),
            up=t.num(s.thumbs_up),
            down=t.num(s.thumbs_down),
            chats=chats or "—",
        )
    )


def _chat_name(chat: ChatCount) -> str:
    """A group by its title (its id only when it has none); /stats may be read by a whole group."""
    return esc(chat.title[:60]) if chat.title else str(chat.chat_id)


def _when(moment: datetime | None, zone: ZoneInfo, t: Texts) -> str:
    """A stored (UTC) time as local time in zone, named, in the reply's language:
    "১০ মার্চ ২০২৪ ০০:৩০ Asia/Dhaka" / "10 March 2024 00:30 Asia/Dhaka"."""
    if moment is None:
        return t.never
    if moment.tzinfo is None:  # stored times are UTC
        moment = moment.replace(tzinfo=UTC)
    return local_time(moment.astimezone(zone), t)


def local_time(moment: datetime, t: Texts | LinkTexts) -> str:
    """An aware time as "১০ মার্চ ২০২৪ ০০:৩০ Asia/Dhaka" in t's language (its zone's name as is)."""
    zone = getattr(moment.tzinfo, "key", "UTC")
    return f"{format_date(moment.date().isoformat(), t.lang)} {t.num(f'{moment:%H:%M}')} {zone}"


def _version() -> str:
    try:
        return importlib.metadata.version("sondhani")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (package not installed)"
