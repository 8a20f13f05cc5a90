"""Admins add articles from links: `/add <url>…`, or a private message that holds nothing but links.

A link from anyone else is never fetched: the link-only handler is registered for admins' ids only,
so a non-admin's link reaches the ordinary question handler, and `/add` refuses them (audited).
Fetching and extraction run in a worker thread; then one incremental re-index makes the articles
searchable, and the reply says what was added (title, outlet, date, passages) or why not.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import cast

from telegram import Message, Update
from telegram.ext import filters

from bot.context import BotContext, message_of
from bot.handlers.admin import allowed
from bot.link_texts import LinkTexts, link_texts_for
from bot.render import esc
from retrieval import AddedArticle, CorpusError, PageRefused, ReindexCancelled, ReindexInProgress, add_from_url

log = logging.getLogger(__name__)
INDEX_LOCK_KEY = "links_index_lock"
MAX_LINKS = 5  # per message: each is a fetch of up to SONDHANI_FETCH_TIMEOUT_SECONDS
_LINKS_ONLY = re.compile(r"^\s*(?:https?://\S+\s*){1,%d}$" % MAX_LINKS, re.IGNORECASE)


class OnlyLinks(filters.MessageFilter):
    """A text message made of nothing but one to five http(s) links."""

    def filter(self, message: Message) -> bool:
        return bool(message.text and _LINKS_ONLY.match(message.text))


def _texts(update: Update) -> LinkTexts:
    user = update.effective_user
    return link_texts_for(user.language_code if user else None)


async def add_command(update: Update, context: BotContext) -> None:
    """/add <url> [<url>…]: fetch each link and add its article."""
    urls = list(context.args or [])
    if not await allowed(update, context, "/add", " ".join(urls)[:500]):
        return
    if not urls:
        await message_of(update).reply_text(_texts(update).usage, do_quote=True)
        return
    await add_links(update, context, urls[:MAX_LINKS])


async def link_message(update: Update, context: BotContext) -> None:
    """An admin's private message holding only links: the same as /add with them."""
    urls = (message_of(update).text or "").split()
    if await allowed(update, context, "link", " ".join(urls)[:500]):
        await add_links(update, context, urls)


async def add_links(update: Update, context: BotContext, urls: list[str]) -> None:
    """Add each link's article, re-index once, and edit one reply into the outcome."""
    svc, t, message = context.services, _texts(update), message_of(update)
    if svc.reindexer.running:
        await message.reply_text(t.busy, do_quote=True)
        return
    reply = await message.reply_text(t.fetching, do_quote=True)
    added: list[AddedArticle] = []
    lines: list[str] = []
    known = await asyncio.to_thread(svc.engine.known_articles)  # duplicates from the index, not every file
    for url in urls:
        try:
            added.append(
                await asyncio.to_thread(
                    add_from_url, svc.settings.data_dir, url, svc.settings.fetch_policy(), None, known
                )
            )
        except PageRefused as exc:
            log.info("Link not added: %s: %s", url, exc)
            lines.append(t.refused.format(url=esc(url[:300]), reason=esc(str(exc)[:500])))
        except Exception:  # a bug or an extraction library failure: one line here, the traceback in the log
            log.exception("Adding %s failed", url)
            lines.append(t.refused.format(url=esc(url[:300]), reason=esc(t.unexpected)))
    if added:
        await reply.edit_text(t.indexing)
        async with _index_lock(context):  # two admins adding at once: the second indexes after the first
            passages = await _reindex(context, t, lines, [a.doc_id for a in added])
        for article in added:
            lines.insert(
                0,
                t.added.format(
                    title=esc(article.title or "—"),
                    outlet=esc(article.outlet or "—"),
                    published=esc(article.published or "—"),
                    passages=t.num(passages.get(article.doc_id, article.passages)),
                    url=esc(article.url),
                ),
            )
    await reply.edit_text("\n\n".join(lines))


def _index_lock(context: BotContext) -> asyncio.Lock:
    """One lock per application for the re-index after adding links (created on first use, on the loop)."""
    lock = context.bot_data.get(INDEX_LOCK_KEY)
    if lock is None:
        lock = context.bot_data[INDEX_LOCK_KEY] = asyncio.Lock()
    return cast(asyncio.Lock, lock)


async def _reindex(context: BotContext, t: LinkTexts, lines: list[str], doc_ids: list[str]) -> dict[str, int]:
    """One incremental re-index for the batch; passages per added doc id as now served."""
    engine = context.services.engine
    try:
        await asyncio.to_thread(engine.reindex, cancel=context.services.shutdown)
    except ReindexCancelled:
        log.info("Re-index after added links interrupted: the bot is stopping")
        lines.append(t.index_interrupted)
    except ReindexInProgress:
        lines.append(t.index_later)
    except CorpusError as exc:
        lines.append(t.index_failed.format(reason=esc(exc)))
    return engine.passage_counts(doc_ids)
