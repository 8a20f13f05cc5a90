"""Inline mode: `@bot question` in any chat lists up to 10 passages; choosing one posts it with its citation."""

from __future__ import annotations

import asyncio

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode

from bot.context import BotContext, texts
from bot.question_rules import question_problem
from bot.render import first_line, headline, shorten, single_hit
from bot.store.question_log import QuestionRecord
from retrieval import IndexMissing

MIN_QUERY_CHARS = 3
MAX_RESULTS = 10
CACHE_SECONDS = 10
HINT_START_PARAMETER = "help"
HINT_CHARS = 64  # our choice, not a Telegram limit: the hint button shows one short line


def _hint(text: str) -> InlineQueryResultsButton:
    """A button above the (empty) results that opens a private chat with the bot's help."""
    return InlineQueryResultsButton(shorten(text, HINT_CHARS), start_parameter=HINT_START_PARAMETER)


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with passages, or with a hint when it is empty or too short."""
    query, t, svc = update.inline_query, texts(update), context.services
    if query is None:
        return
    question = " ".join(query.query.split())
    if question_problem(question, min_chars=MIN_QUERY_CHARS) is not None:  # a long one is cut below
        hint = t.inline_too_short.format(min=t.num(MIN_QUERY_CHARS)) if question else t.inline_button
        await query.answer([], cache_time=0, button=_hint(hint))
        return
    try:
        result = await asyncio.to_thread(svc.engine.search, question[: svc.settings.max_question_chars], MAX_RESULTS)
    except IndexMissing:
        await query.answer([], cache_time=0, button=_hint(t.index_missing))
        return
    results = [
        InlineQueryResultArticle(
            id=str(number),
            title=shorten(headline(hit, t), 100),
            description=first_line(hit),
            input_message_content=InputTextMessageContent(
                single_hit(question, hit, number),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for number, hit in enumerate(result.hits[:MAX_RESULTS], start=1)
    ]
    button = None if results else _hint(t.inline_no_answer)
    await query.answer(results, cache_time=CACHE_SECONDS, button=button)


async def chosen_result(update: Update, context: BotContext) -> None:
    """Log a posted inline result as an answered question (needs /setinlinefeedback at @BotFather)."""
    chosen = update.chosen_inline_result
    if chosen is None:
        return
    record = QuestionRecord(question=chosen.query, source="inline", user_id=chosen.from_user.id)
    await context.services.store.save_question(record, [], hit_count=1)
