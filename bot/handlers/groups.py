"""Groups (privacy mode on): /ask, replies to the bot's messages, and @mentions when they arrive.

Ordinary chatter matches none of these and is never answered.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import filters

from bot.context import BotContext, message_of, texts
from bot.handlers.answering import answer_question


class RepliesToBot(filters.MessageFilter):
    """Messages that reply to one of this bot's messages."""

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        return bool(reply and reply.from_user and reply.from_user.id == message.get_bot().id)


class MentionsBot(filters.MessageFilter):
    """Messages that @mention this bot (filters.Mention with the username known after getMe)."""

    def filter(self, message: Message) -> bool:
        return bool(filters.Mention(message.get_bot().username).filter(message))


def text_after_command(text: str) -> str:
    """What follows the leading /command (or /command@bot) of a message."""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


async def ask(update: Update, context: BotContext) -> None:
    """/ask <question> (also /ask@bot): answer it, replying to the asker; no question gets a usage hint."""
    message = message_of(update)
    question = text_after_command(message.text or "")
    if not question.strip():
        await message.reply_text(texts(update).ask_usage, do_quote=True)
        return
    await answer_question(update, context, question)


async def follow_up(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's messages is a follow-up question."""
    await answer_question(update, context, message_of(update).text or "", explicit=False)


async def mention(update: Update, context: BotContext) -> None:
    """An @mention of the bot (seen only when privacy mode is off or the bot is an admin)."""
    pattern = re.compile("@" + re.escape(context.bot.username), re.IGNORECASE)
    await answer_question(update, context, pattern.sub(" ", message_of(update).text or ""), explicit=False)
