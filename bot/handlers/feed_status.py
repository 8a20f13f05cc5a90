"""`/feeds` for admins: each feed's last poll, what it added and its last error; `/feeds now` polls first."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from telegram import Update

from bot.context import BotContext, message_of
from bot.handlers.admin import allowed, local_time
from bot.jobs.feed_poller import FEEDS_KEY, FeedPoller
from bot.link_texts import link_texts_for
from bot.render import esc


async def feeds_command(update: Update, context: BotContext) -> None:
    """/feeds: each feed with its last poll, new articles and last error; `/feeds now` polls first."""
    args = context.args or []
    if not await allowed(update, context, "/feeds", " ".join(args)):
        return
    user = update.effective_user
    t = link_texts_for(user.language_code if user else None)
    poller = cast(FeedPoller, context.bot_data[FEEDS_KEY])
    message = message_of(update)
    if not poller.settings.feeds:
        await message.reply_text(t.feeds_none)
        return
    if args and args[0].lower() == "now":
        if await poller.poll() is None:
            await message.reply_text(t.feeds_polling)
            return
    zone = poller.settings.zone
    lines = [t.feeds_header]
    for state in poller.states():
        when = t.feeds_never
        if state.last_poll:
            when = local_time(datetime.fromisoformat(state.last_poll.replace("Z", "+00:00")).astimezone(zone), t)
        line = t.feeds_line.format(
            url=esc(state.url),
            when=esc(when),
            new=t.num(state.last_new),
            total=t.num(state.total_added),
        )
        if state.last_error:
            line += t.feeds_error.format(error=esc(state.last_error[:300]))
        lines.append(line)
    await message.reply_text("\n\n".join(lines))
