"""Which handler answers which update: every command, message, button and inline handler, in the
order python-telegram-bot tries them (the first whose filter matches answers)."""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import render
from bot.context import BotContext
from bot.handlers import admin, buttons, feed_status, general, groups, inline, links, private, removal
from bot.settings import Settings

# What a private chat sends that is not text: answered with "type your question" instead of silence.
NOT_TEXT = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.VIDEO
    | filters.AUDIO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.LOCATION
    | filters.CONTACT
)


def update_handlers(settings: Settings) -> list[BaseHandler[Any, BotContext, Any]]:
    """Every update handler, in the order they are tried: the first whose filter matches answers."""
    new = filters.UpdateType.MESSAGE  # commands other than /ask ignore edits
    private_chat, group_chat = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    admins = filters.User(user_id=settings.admin_ids, allow_empty=False)
    return [
        CommandHandler("start", general.start, filters=new),
        CommandHandler("help", general.help_command, filters=new),
        CommandHandler("sources", general.sources, filters=new),
        CommandHandler("latest", general.latest, filters=new),
        CommandHandler("ask", groups.ask),
        CommandHandler("reindex", admin.reindex, filters=new),
        CommandHandler("status", admin.status, filters=new),
        CommandHandler("stats", admin.stats, filters=new),
        CommandHandler("add", links.add_command, filters=new),
        CommandHandler("feeds", feed_status.feeds_command, filters=new),
        CommandHandler("remove", removal.remove_command, filters=new),
        MessageHandler(private_chat & new & filters.Document.ALL, admin.upload),
        MessageHandler(private_chat & new & filters.COMMAND, general.unknown_command),
        # An admin's link is fetched; anyone else's stays a question and is never fetched.
        MessageHandler(private_chat & new & admins & links.OnlyLinks(), links.link_message),
        MessageHandler(private_chat & filters.TEXT, private.question),
        MessageHandler(private_chat & new & NOT_TEXT, private.not_text),
        MessageHandler(group_chat & filters.TEXT & ~filters.COMMAND & groups.RepliesToBot(), groups.follow_up),
        MessageHandler(group_chat & filters.TEXT & ~filters.COMMAND & groups.MentionsBot(), groups.mention),
        CallbackQueryHandler(buttons.result_page, pattern=render.PAGE_PATTERN),
        CallbackQueryHandler(buttons.feedback, pattern=render.FEEDBACK_PATTERN),
        CallbackQueryHandler(buttons.sources_page_button, pattern=render.SOURCES_PATTERN),
        CallbackQueryHandler(admin.upload_decision, pattern=render.UPLOAD_PATTERN),
        CallbackQueryHandler(removal.remove_decision, pattern=render.REMOVE_PATTERN),
        CallbackQueryHandler(buttons.unknown_button),  # after every pattern: whatever else is pressed
        InlineQueryHandler(inline.inline_query),
        ChosenInlineResultHandler(inline.chosen_result),
    ]
