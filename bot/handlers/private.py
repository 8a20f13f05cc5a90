"""Private chats: any text is a question; other kinds of message get a short explanation."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext, message_of, texts
from bot.handlers.answering import answer_question


async def question(update: Update, context: BotContext) -> None:
    """Answer the message's text (also the first sight of an edited message)."""
    await answer_question(update, context, message_of(update).text or "")


async def not_text(update: Update, context: BotContext) -> None:
    """Explain that only typed questions are read (stickers, photos, voice...)."""
    await message_of(update).reply_text(texts(update).non_text, do_quote=True)
